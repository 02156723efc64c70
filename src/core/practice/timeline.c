/* timeline: everything about one client in time order (see lifecycle.h).
 *
 * Every entity that names its moment (entity.timeline_at) and has a client_id contributes. Each is asked
 * for one page past the cursor, newest first, and the pages are merged here: a dozen small indexed
 * queries per page rather than one UNION whose plan no backend can keep on the indexes. The cursor is
 * the last item's (at, id), so a page never repeats or skips an item, whatever is added meanwhile. Only
 * the entities, and rows, the actor may read are asked (core/access). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/practice/lifecycle.h"
#include "core/access/access.h"
#include "core/engine/record.h"

typedef struct item {
    char at[40], id[ID_MAX];
    const entity *en;
    char *title, *json;
} item;

static int newest_first(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int c = strcmp(y->at, x->at);
    return c ? c : strcmp(y->id, x->id);
}

static int wanted(const entity *en, const char *types)
{
    if (!en->timeline_at || !entity_field(en, "client_id"))
        return 0;
    if (!types)
        return 1;
    size_t n = strlen(en->singular);
    for (const char *p = types; (p = strstr(p, en->singular)); p += n)
        if ((p == types || p[-1] == ',') && (p[n] == ',' || !p[n]))
            return 1;
    return 0;
}

/* Every word of types names a kind of record on timelines; else E_INVALID_PARAMETER naming the kinds. */
static int check_types(const char *types, err_t *e)
{
    for (const char *p = types; p && *p;) {
        size_t n = strcspn(p, ",");
        int known = 0;
        for (int i = 0; i < entity_count && !known; i++)
            known = wanted(entity_table[i], NULL) && strlen(entity_table[i]->singular) == n &&
                    !strncmp(entity_table[i]->singular, p, n);
        if (!known) {
            strbuf kinds = STRBUF_INIT;
            for (int i = 0; i < entity_count; i++)
                if (wanted(entity_table[i], NULL))
                    strbuf_addf(&kinds, "%s%s", kinds.len ? ", " : "", entity_table[i]->singular);
            err_set(e, E_INVALID_PARAMETER, "types", "types takes a comma-separated list of: %s", kinds.buf);
            strbuf_release(&kinds);
            return E_INVALID_PARAMETER;
        }
        p += n + (p[n] == ',');
    }
    return 0;
}

/* The client must be one the actor may read (a client's contact: their own). */
static int client_visible(db *d, const actor *who, const char *client_id, err_t *e)
{
    const entity *clients = entity_by_name("clients");
    int rc = access_check(who, clients, OP_GET, NULL, e);
    if (rc)
        return rc;
    strbuf sql = STRBUF_INIT;
    const char *args[2 + ACCESS_SCOPE_MAX] = {client_id, who->workspace_id};
    strbuf_adds(&sql, "SELECT 1 FROM clients r WHERE r.id = ? AND r.workspace_id = ?");
    int n = 2 + access_scope_sql(who, clients, "r", &sql, args + 2);
    db_stmt *s;
    rc = db_query_row(d, &s, e, sql.buf, n, args);
    strbuf_release(&sql);
    if (rc == DB_ROW) {
        db_finalize(s);
        return 0;
    }
    return rc < 0 ? rc : err_set(e, E_NOT_FOUND, NULL, "no client with id %.60s", client_id);
}

/* Appends up to limit + 1 items of en past the cursor. */
static int collect(db *d, const actor *who, const entity *en, const char *client_id, int limit, const char *c_at,
                   const char *c_id, item **items, int *n, err_t *e)
{
    strbuf sql = STRBUF_INIT;
    const char *scope_args[ACCESS_SCOPE_MAX];
    strbuf_addf(&sql, "SELECT %s, %s AS at, %s AS title FROM \"%s\" r WHERE r.workspace_id = ? AND r.client_id = ?",
                entity_select_cols(en), en->timeline_at, en->title_sql, en->name);
    int nscope = access_scope_sql(who, en, "r", &sql, scope_args);
    if (c_at)
        strbuf_addf(&sql, " AND (%s < ? OR (%s = ? AND r.id < ?))", en->timeline_at, en->timeline_at);
    strbuf_addf(&sql, " ORDER BY at DESC, r.id DESC LIMIT %d", limit + 1);
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    int b = 1;
    db_bind_text(s, b++, who->workspace_id);
    db_bind_text(s, b++, client_id);
    for (int i = 0; i < nscope; i++)
        db_bind_text(s, b++, scope_args[i]);
    if (c_at) {
        db_bind_text(s, b++, c_at);
        db_bind_text(s, b++, c_at);
        db_bind_text(s, b++, c_id);
    }
    int at_col = 6 + en->nfields, title_col = at_col + 1;
    while ((rc = db_step(s, e)) == DB_ROW) {
        item *grown = realloc(*items, (size_t)(*n + 1) * sizeof **items);
        if (!grown) {
            rc = err_set(e, E_INTERNAL, NULL, "out of memory");
            break;
        }
        *items = grown;
        item *it = &(*items)[(*n)++];
        memset(it, 0, sizeof *it);
        it->en = en;
        snprintf(it->at, sizeof it->at, "%s", db_col_text(s, at_col, NULL));
        snprintf(it->id, sizeof it->id, "%s", db_col_text(s, 0, NULL));
        const char *title = db_col_text(s, title_col, NULL);
        it->title = strdup(title ? title : "");
        strbuf rec = STRBUF_INIT;
        record_emit(en, s, &rec);
        it->json = strbuf_detach(&rec, NULL);
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

int timeline_page(db *d, const actor *who, const char *client_id, int limit, const char *cursor, const char *types,
                  strbuf *out, err_t *e)
{
    if (limit < 1 || limit > TIMELINE_MAX)
        return err_set(e, E_INVALID_PARAMETER, "limit", "limit must be 1 to %d", TIMELINE_MAX);
    char c_at[40] = "", c_id[ID_MAX] = "";
    if (cursor) { /* "AT~ID", as the previous page gave it */
        const char *sep = strchr(cursor, '~');
        if (!sep || sep - cursor >= (long)sizeof c_at || strlen(sep + 1) >= sizeof c_id || !id_valid(sep + 1))
            return err_set(e, E_INVALID_PARAMETER, "cursor", "cursor is not one this list gave");
        memcpy(c_at, cursor, (size_t)(sep - cursor));
        snprintf(c_id, sizeof c_id, "%s", sep + 1);
    }
    int rc = check_types(types, e);
    if (rc == 0)
        rc = client_visible(d, who, client_id, e);
    item *items = NULL;
    int n = 0;
    /* only the entities the actor may read have a place on its timeline */
    for (int i = 0; rc == 0 && i < entity_count; i++)
        if (wanted(entity_table[i], types) && access_may(who, entity_table[i], OP_LIST))
            rc = collect(d, who, entity_table[i], client_id, limit, cursor ? c_at : NULL, c_id, &items, &n, e);
    if (rc == 0) {
        if (n) /* qsort's array may not be NULL, even empty */
            qsort(items, (size_t)n, sizeof *items, newest_first);
        int shown = n < limit ? n : limit;
        strbuf_adds(out, "{\"data\":[");
        for (int i = 0; i < shown; i++) {
            strbuf_adds(out, i ? ",{\"type\":" : "{\"type\":");
            strbuf_add_json_str(out, items[i].en->singular);
            strbuf_adds(out, ",\"id\":");
            strbuf_add_json_str(out, items[i].id);
            strbuf_adds(out, ",\"at\":");
            strbuf_add_json_str(out, items[i].at);
            strbuf_adds(out, ",\"title\":");
            strbuf_add_json_str(out, items[i].title);
            strbuf_adds(out, ",\"record\":");
            strbuf_adds(out, items[i].json);
            strbuf_addc(out, '}');
        }
        strbuf_adds(out, "],\"next_cursor\":");
        if (n > limit) {
            char next[40 + ID_MAX + 2];
            snprintf(next, sizeof next, "%s~%s", items[shown - 1].at, items[shown - 1].id);
            strbuf_add_json_str(out, next);
        } else {
            strbuf_adds(out, "null");
        }
        strbuf_addc(out, '}');
    }
    for (int i = 0; i < n; i++) {
        free(items[i].title);
        free(items[i].json);
    }
    free(items);
    return rc;
}
