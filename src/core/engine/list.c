/* list: list queries — equality filters, full-text, sorting and keyset (cursor) pagination — over any
 * entity, from its table entry (see record.h).
 *
 * Paging is keyset, not OFFSET: the cursor carries the last row's sort value and id, so page 1000 costs
 * what page 1 costs, and rows inserted meanwhile neither repeat nor vanish. A NULL sort value sorts as
 * the lowest value of its kind (COALESCE to a sentinel), so the keyset comparison needs no NULL cases. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "core/engine/record.h"

static const field SORT_CREATED = {.name = "created_at", .type = &FT_DATETIME};
static const field SORT_UPDATED = {.name = "updated_at", .type = &FT_DATETIME};
static const field SORT_ID = {.name = "id", .type = &FT_TEXT};

void list_query_init(list_query *q)
{
    memset(q, 0, sizeof *q);
    q->limit = 50;
    q->sort = &SORT_CREATED;
    q->desc = 1;
}

void list_query_clear(list_query *q)
{
    free(q->cursor);
    free(q->q);
    for (int i = 0; i < q->nfilters; i++)
        field_value_clear(&q->filters[i].v);
    for (int i = 0; i < q->ncustom; i++) {
        free(q->custom[i].key);
        free(q->custom[i].value);
    }
    for (int i = 0; i < q->nids; i++)
        free(q->ids[i]);
    free(q->ids);
    list_query_init(q);
}

static int has_search(const entity *en)
{
    for (int i = 0; i < en->nfields; i++)
        if (en->fields[i].flags & F_SEARCH)
            return 1;
    return 0;
}

int list_parse_limit(const char *value, int max, int *out, err_t *e)
{
    char *end;
    long n = strtol(value, &end, 10);
    if (!*value || *end || n < 1 || n > max)
        return err_set(e, E_INVALID_PARAMETER, "limit", "limit must be a whole number from 1 to %d", max);
    *out = (int)n;
    return 0;
}

/* The F_SET_FILTER field NAME_at that ?NAME filters by, or NULL. */
static const field *set_filter_field(const entity *en, const char *key)
{
    char name[80];
    if (snprintf(name, sizeof name, "%s_at", key) >= (int)sizeof name)
        return NULL;
    const field *f = entity_field(en, name);
    return f && (f->flags & F_SET_FILTER) ? f : NULL;
}

/* ?id=a,b,c: only these records (a page of names for a list of references, in one request). */
static int set_ids(list_query *q, const char *value, err_t *e)
{
    for (int i = 0; i < q->nids; i++)
        free(q->ids[i]);
    free(q->ids);
    q->ids = NULL;
    q->nids = 0;
    size_t n = 1;
    for (const char *p = value; *p; p++)
        n += *p == ',';
    if (n > LIST_MAX_IDS)
        return err_set(e, E_INVALID_PARAMETER, "id", "id takes at most %d ids", LIST_MAX_IDS);
    if (!(q->ids = calloc(n, sizeof *q->ids)))
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    for (const char *p = value;;) {
        size_t len = strcspn(p, ",");
        char one[ID_MAX];
        if (!len || len >= sizeof one)
            return err_set(e, E_INVALID_PARAMETER, "id", "id is a comma-separated list of ids");
        snprintf(one, sizeof one, "%.*s", (int)len, p);
        if (!id_valid(one))
            return err_set(e, E_INVALID_PARAMETER, "id", "%.60s is not an id", one);
        q->ids[q->nids++] = strdup(one);
        p += len;
        if (!*p++)
            break;
    }
    return 0;
}

int list_query_set(const entity *en, list_query *q, const char *key, const char *value, err_t *e)
{
    if (!strcmp(key, "limit"))
        return list_parse_limit(value, LIST_MAX_LIMIT, &q->limit, e);
    if (!strcmp(key, "cursor")) {
        free(q->cursor);
        q->cursor = strdup(value);
        return 0;
    }
    if (!strcmp(key, "q")) {
        if (!has_search(en))
            return err_set(e, E_INVALID_PARAMETER, "q", "%s cannot be searched", en->path);
        free(q->q);
        q->q = strdup(value);
        return 0;
    }
    if (!strcmp(key, "sort")) {
        const char *name = value[0] == '-' ? value + 1 : value;
        const field *f = entity_field(en, name);
        if (!strcmp(name, "created_at"))
            f = &SORT_CREATED;
        else if (!strcmp(name, "updated_at"))
            f = &SORT_UPDATED;
        else if (!strcmp(name, "id"))
            f = &SORT_ID;
        else if (!f || !(f->flags & F_SORT))
            return err_set(e, E_INVALID_PARAMETER, "sort", "%s cannot be sorted by %.60s", en->path, name);
        q->sort = f;
        q->desc = value[0] == '-';
        return 0;
    }
    if (!strncmp(key, "custom.", 7)) {
        const char *k = key + 7;
        size_t n = strlen(k);
        if (!(en->flags & ENT_CUSTOM))
            return err_set(e, E_INVALID_PARAMETER, key, "%s have no custom fields", en->path);
        if (!n || n > 60 || strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
            return err_set(e, E_INVALID_PARAMETER, key, "custom.KEY names a custom field: lower-case letters, digits, _");
        if (q->ncustom == LIST_MAX_FILTERS)
            return err_set(e, E_INVALID_PARAMETER, key, "too many filters");
        q->custom[q->ncustom].key = strdup(k);
        q->custom[q->ncustom++].value = strdup(value);
        return 0;
    }
    if (!strcmp(key, "id"))
        return set_ids(q, value, e);
    const field *f = entity_field(en, key);
    const field *moment = set_filter_field(en, key);
    if (moment) {
        int yes = !strcmp(value, "true");
        if (!yes && strcmp(value, "false"))
            return err_set(e, E_INVALID_PARAMETER, key, "%.60s must be true or false", key);
        if (q->nfilters == LIST_MAX_FILTERS)
            return err_set(e, E_INVALID_PARAMETER, key, "too many filters");
        memset(&q->filters[q->nfilters].v, 0, sizeof q->filters[q->nfilters].v);
        q->filters[q->nfilters].f = moment;
        q->filters[q->nfilters++].set = yes ? 1 : -1;
        return 0;
    }
    if (!f || !(f->flags & F_FILTER))
        return err_set(e, E_INVALID_PARAMETER, key, "unknown parameter %.60s", key);
    if (q->nfilters == LIST_MAX_FILTERS)
        return err_set(e, E_INVALID_PARAMETER, key, "too many filters");
    field_value v;
    err_t fe;
    int rc = f->type == &FT_TAGS ? (memset(&v, 0, sizeof v), (v.s = strdup(value)) ? 0 : E_INTERNAL)
                                 : field_parse_text(f, value, &v, &fe);
    if (rc < 0)
        return err_set(e, E_INVALID_PARAMETER, key, "%s", rc == E_INTERNAL ? "out of memory" : fe.message);
    q->filters[q->nfilters].f = f;
    q->filters[q->nfilters].set = 0;
    q->filters[q->nfilters++].v = v;
    return 0;
}

static void sort_expr(strbuf *sql, const field *f)
{
    if (f == &SORT_CREATED || f == &SORT_UPDATED || f == &SORT_ID || (f->flags & (F_REQUIRED | F_NOTNULL)))
        strbuf_addf(sql, "r.\"%s\"", f->name); /* never null: the bare column, so an index can order it */
    else if (f->type->db_kind == DB_KIND_TEXT)
        strbuf_addf(sql, "COALESCE(r.\"%s\", '')", f->name);
    else
        strbuf_addf(sql, "COALESCE(r.\"%s\", -9223372036854775807)", f->name);
}

/* The last row shown, remembered so the next page can start after it. */
typedef struct last_row {
    char id[ID_MAX];
    int is_int;
    int64_t i;
    strbuf text;
} last_row;

static void remember(last_row *l, db_stmt *s, int col)
{
    snprintf(l->id, sizeof l->id, "%s", db_col_text(s, 0, NULL));
    l->is_int = db_col_type(s, col) == DB_INT;
    strbuf_reset(&l->text);
    if (l->is_int) {
        l->i = db_col_int(s, col);
    } else {
        size_t n;
        const char *t = db_col_text(s, col, &n);
        strbuf_add(&l->text, t ? t : "", t ? n : 0);
    }
}

/* The cursor is base64url of JSON ["[-]sort", value, id]; it is only valid with the sort that made it. */
static void make_cursor(const list_query *q, const last_row *l, strbuf *out)
{
    json_t *a = json_array();
    char spec[80];
    snprintf(spec, sizeof spec, "%s%s", q->desc ? "-" : "", q->sort->name);
    json_array_append_new(a, json_string(spec));
    json_array_append_new(a, l->is_int ? json_integer(l->i) : json_stringn(l->text.buf, l->text.len));
    json_array_append_new(a, json_string(l->id));
    char *j = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    size_t n = strlen(j), blen = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *b = malloc(blen);
    sodium_bin2base64(b, blen, (const unsigned char *)j, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    strbuf_add_json_str(out, b);
    free(b);
    free(j);
}

static json_t *read_cursor(const list_query *q, err_t *e)
{
    size_t n = strlen(q->cursor), len;
    unsigned char *raw = malloc(n + 1);
    json_t *a = NULL;
    if (raw && n < 2048 &&
        !sodium_base642bin(raw, n, q->cursor, n, NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        a = json_loadb((const char *)raw, len, 0, NULL);
    free(raw);
    char spec[80];
    snprintf(spec, sizeof spec, "%s%s", q->desc ? "-" : "", q->sort->name);
    int text_sort = q->sort->type->db_kind == DB_KIND_TEXT;
    if (!json_is_array(a) || json_array_size(a) != 3 || !json_is_string(json_array_get(a, 0)) ||
        strcmp(json_string_value(json_array_get(a, 0)), spec) ||
        (text_sort ? !json_is_string(json_array_get(a, 1)) : !json_is_integer(json_array_get(a, 1))) ||
        !json_is_string(json_array_get(a, 2)) || !id_valid(json_string_value(json_array_get(a, 2)))) {
        json_decref(a);
        err_set(e, E_INVALID_PARAMETER, "cursor", "cursor is not one this list gave (or the sort changed)");
        return NULL;
    }
    return a;
}

int record_list(db *d, const actor *who, const entity *en, const list_query *q, strbuf *out, err_t *e)
{
    int rc = access_check(who, en, OP_LIST, NULL, e);
    if (rc)
        return rc;
    json_t *cur = NULL;
    if (q->cursor && !(cur = read_cursor(q, e)))
        return E_INVALID_PARAMETER;
    strbuf sql = STRBUF_INIT, fts = STRBUF_INIT;
    if (q->q)
        d->be->fts_query(d, &fts, q->q);
    strbuf_addf(&sql, "SELECT %s, ", entity_select_cols(en));
    sort_expr(&sql, q->sort);
    strbuf_adds(&sql, " FROM ");
    if (fts.len)
        d->be->fts_from(&sql, en->name, "r");
    else
        strbuf_addf(&sql, "\"%s\" r", en->name);
    strbuf_adds(&sql, " WHERE r.workspace_id = ?");
    const char *scope_args[ACCESS_SCOPE_MAX];
    int nscope = access_scope_sql(who, en, "r", &sql, scope_args);
    for (int i = 0; i < q->nfilters; i++) {
        const field *f = q->filters[i].f;
        strbuf_adds(&sql, " AND ");
        if (q->filters[i].set) {
            strbuf_addf(&sql, "r.\"%s\" IS %s", f->name, q->filters[i].set > 0 ? "NOT NULL" : "NULL");
        } else if (f->type == &FT_TAGS) {
            char col[80];
            snprintf(col, sizeof col, "r.\"%s\"", f->name);
            d->be->json_array_contains(&sql, col);
        } else if (q->filters[i].v.is_null) {
            strbuf_addf(&sql, "r.\"%s\" IS NULL", f->name);
        } else {
            strbuf_addf(&sql, "r.\"%s\" = ?", f->name);
        }
    }
    for (int i = 0; i < q->ncustom; i++) {
        strbuf_adds(&sql, " AND ");
        d->be->json_member_text(&sql, "r.\"custom\"");
        strbuf_adds(&sql, " = ?");
    }
    if (q->nids) {
        strbuf_adds(&sql, " AND r.id IN (");
        for (int i = 0; i < q->nids; i++)
            strbuf_adds(&sql, i ? ", ?" : "?");
        strbuf_addc(&sql, ')');
    }
    if (fts.len) {
        strbuf_adds(&sql, " AND ");
        d->be->fts_where(&sql, en->name, "r");
    }
    const char *cmp = q->desc ? "<" : ">";
    if (cur) {
        /* the first condition repeats what the second implies, as a bound an index can seek to */
        strbuf_adds(&sql, " AND ");
        sort_expr(&sql, q->sort);
        strbuf_addf(&sql, " %s= ? AND (", cmp);
        sort_expr(&sql, q->sort);
        strbuf_addf(&sql, " %s ? OR r.id %s ?)", cmp, cmp);
    }
    strbuf_adds(&sql, " ORDER BY ");
    sort_expr(&sql, q->sort);
    strbuf_addf(&sql, " %s, r.id %s LIMIT ?", q->desc ? "DESC" : "ASC", q->desc ? "DESC" : "ASC");

    db_stmt *s;
    if ((rc = db_prepare(d, sql.buf, &s, e)) < 0)
        goto out;
    int b = 1;
    db_bind_text(s, b++, who->workspace_id);
    for (int i = 0; i < nscope; i++)
        db_bind_text(s, b++, scope_args[i]);
    for (int i = 0; i < q->nfilters; i++)
        if (!q->filters[i].set && !q->filters[i].v.is_null)
            field_bind(s, b++, &q->filters[i].v);
    for (int i = 0; i < q->ncustom; i++) {
        db_bind_text(s, b++, q->custom[i].key);
        db_bind_text(s, b++, q->custom[i].value);
    }
    for (int i = 0; i < q->nids; i++)
        db_bind_text(s, b++, q->ids[i]);
    if (fts.len)
        db_bind_text(s, b++, fts.buf);
    if (cur) {
        json_t *v = json_array_get(cur, 1);
        for (int k = 0; k < 2; k++) { /* the bound, then the strict comparison */
            if (json_is_integer(v))
                db_bind_int(s, b++, json_integer_value(v));
            else
                db_bind_text(s, b++, json_string_value(v));
        }
        db_bind_text(s, b++, json_string_value(json_array_get(cur, 2)));
    }
    db_bind_int(s, b++, q->limit + 1);
    strbuf_adds(out, "{\"data\":[");
    int n = 0, sort_col = 5 + en->nfields + 1;
    last_row last = {.text = STRBUF_INIT};
    while ((rc = db_step(s, e)) == DB_ROW) {
        if (n == q->limit)
            break; /* one row past the page: there is a next page, after the last row shown */
        if (n++)
            strbuf_addc(out, ',');
        record_emit(en, s, out);
        remember(&last, s, sort_col);
    }
    db_finalize(s);
    if (rc >= 0) {
        strbuf_adds(out, "],\"next_cursor\":");
        if (rc == DB_ROW)
            make_cursor(q, &last, out);
        else
            strbuf_adds(out, "null");
        strbuf_addc(out, '}');
        rc = 0;
    }
    strbuf_release(&last.text);
out:
    json_decref(cur);
    strbuf_release(&sql);
    strbuf_release(&fts);
    return rc < 0 ? rc : 0;
}
