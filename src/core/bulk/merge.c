/* merge: merging two duplicates into one, and undoing it (see duplicates.h). */
#include <stdlib.h>
#include <string.h>

#include "core/bulk/duplicates.h"
#include "core/bulk/export.h"
#include "core/access/access.h"
#include "core/engine/record.h"
#include "util/clock.h"

static int blank(json_t *v)
{
    return !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
           (json_is_array(v) && !json_array_size(v)) || (json_is_object(v) && !json_object_size(v));
}

/* What the kept record takes from the other: each field it lacks, the union of their tags, and custom
 * values it has no value for. Adds to body; lists each field taken (custom ones as custom.KEY) in taken. */
static void take_fields(const entity *en, json_t *keep, json_t *other, const char *keep_id, const char *other_id,
                        json_t *body, json_t *taken)
{
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        if (f->flags & (F_READONLY | F_HIDDEN | F_WRITEONLY))
            continue;
        json_t *k = json_object_get(keep, f->name), *o = json_object_get(other, f->name);
        if (blank(o))
            continue;
        /* a value the kept record has only by default (cadence "none") is a gap too; but never a stage or
         * status, whose change is a step in the record's life with rules of its own */
        if (f->def && strcmp(f->name, "stage") && strcmp(f->name, "status")) {
            json_t *def = json_loads(f->def, JSON_DECODE_ANY, NULL);
            int by_default = def && json_equal(def, k) && !json_equal(def, o);
            json_decref(def);
            if (by_default) {
                json_object_set(body, f->name, o);
                json_array_append_new(taken, json_string(f->name));
                continue;
            }
        }
        /* a reference between the two (one referred the other) would point at itself or at nothing */
        if (json_is_string(o) && (!strcmp(json_string_value(o), keep_id) || !strcmp(json_string_value(o), other_id)))
            continue;
        if (f->type == &FT_TAGS && !blank(k)) {
            json_t *all = json_copy(k);
            size_t n = json_array_size(all), j;
            json_t *tag;
            json_array_foreach(o, j, tag)
            {
                size_t m;
                json_t *have;
                int found = 0;
                json_array_foreach(all, m, have) found |= json_equal(have, tag);
                if (!found)
                    json_array_append(all, tag);
            }
            if (json_array_size(all) != n) {
                json_object_set_new(body, f->name, all);
                json_array_append_new(taken, json_string(f->name));
            } else {
                json_decref(all);
            }
        } else if (blank(k)) {
            json_object_set(body, f->name, o);
            json_array_append_new(taken, json_string(f->name));
        }
    }
    json_t *kc = json_object_get(keep, "custom"), *oc = json_object_get(other, "custom"), *custom = NULL;
    const char *key;
    json_t *v;
    json_object_foreach(oc, key, v)
    {
        if (blank(v) || !blank(json_object_get(kc, key)))
            continue;
        if (!custom)
            custom = json_object();
        json_object_set(custom, key, v);
        char name[160];
        snprintf(name, sizeof name, "custom.%s", key);
        json_array_append_new(taken, json_string(name));
    }
    if (custom)
        json_object_set_new(body, "custom", custom);
}

static void collect_id(void *ctx, db_stmt *s) { json_array_append_new(ctx, json_string(db_col_text(s, 0, NULL))); }

/* Moves every reference to `from` over to `to`, in every entity's fields that reference en; records the
 * rows moved in moved as {"contacts.client_id": [ids]}. A record of en never moves onto itself. */
static int move_references(db *d, const actor *who, const entity *en, const char *from, const char *to, json_t *moved,
                           err_t *e)
{
    for (int i = 0; i < entity_count; i++) {
        const entity *x = entity_table[i];
        for (int j = 0; j < x->nfields; j++) {
            const field *f = &x->fields[j];
            if (!f->ref || strcmp(f->ref, en->name))
                continue;
            strbuf sql = STRBUF_INIT;
            strbuf_adds(&sql, "SELECT id FROM ");
            strbuf_add_sql_ident(&sql, x->name);
            strbuf_adds(&sql, " WHERE workspace_id = ? AND ");
            strbuf_add_sql_ident(&sql, f->name);
            strbuf_adds(&sql, " = ? AND id <> ? ORDER BY id");
            json_t *ids = json_array();
            const char *args[] = {who->workspace_id, from, to};
            int rc = db_query_each(d, e, sql.buf, 3, args, collect_id, ids);
            strbuf_reset(&sql);
            if (rc == 0 && json_array_size(ids)) {
                strbuf_adds(&sql, "UPDATE ");
                strbuf_add_sql_ident(&sql, x->name);
                strbuf_adds(&sql, " SET ");
                strbuf_add_sql_ident(&sql, f->name);
                strbuf_adds(&sql, " = ? WHERE workspace_id = ? AND ");
                strbuf_add_sql_ident(&sql, f->name);
                strbuf_adds(&sql, " = ? AND id <> ?");
                db_stmt *s;
                const char *up[] = {to, who->workspace_id, from, to};
                rc = db_query_row(d, &s, e, sql.buf, 4, up);
                rc = rc < 0 ? rc : 0;
                char key[160];
                snprintf(key, sizeof key, "%s.%s", x->name, f->name);
                json_object_set(moved, key, ids);
            }
            json_decref(ids);
            strbuf_release(&sql);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static char *dumps(json_t *v) { return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY); }

/* How the merged record is named in the list of merges: a client's name, a contact's full name. */
static const char *display_name(const entity *en, json_t *rec)
{
    static __thread char name[420];
    if (!strcmp(en->name, "clients")) {
        const char *n = json_string_value(json_object_get(rec, "name"));
        return n ? n : "";
    }
    const char *first = json_string_value(json_object_get(rec, "first_name"));
    const char *last = json_string_value(json_object_get(rec, "last_name"));
    snprintf(name, sizeof name, "%s%s%s", first ? first : "", first && last ? " " : "", last ? last : "");
    return name;
}

static int update_with(db *d, const actor *who, const entity *en, const char *id, json_t *current, json_t *body,
                       err_t *e)
{
    if (!json_object_size(body))
        return 0;
    json_object_set(body, "version", json_object_get(current, "version"));
    strbuf out = STRBUF_INIT;
    int rc = record_update(d, who, en, id, body, &out, e);
    strbuf_release(&out);
    return rc;
}

static int may_merge(const actor *who, const entity *en, err_t *e)
{
    if (strcmp(en->name, "clients") && strcmp(en->name, "contacts"))
        return err_set(e, E_INVALID_PARAMETER, "entity", "only clients and contacts are merged");
    int rc = access_check(who, en, OP_UPDATE, NULL, e);
    if (rc == 0)
        rc = access_check(who, en, OP_DELETE, NULL, e);
    /* a merge moves references in every table: only for an actor that may touch every row */
    return rc < 0 ? rc : access_whole(who, en, OP_UPDATE, e);
}

int duplicates_merge(db *d, const actor *who, const entity *en, const char *keep, const char *other, strbuf *out,
                     err_t *e)
{
    int rc = may_merge(who, en, e);
    if (rc < 0)
        return rc;
    if (!keep || !other || !strcmp(keep, other))
        return err_set(e, E_INVALID_VALUE, "other_id", "a record is merged with another one, not with itself");
    const entity *merges = entity_by_name("merges");
    if ((rc = db_begin(d, e)) < 0)
        return rc;
    json_t *k = record_read(d, who, en, keep, e), *o = k ? record_read(d, who, en, other, e) : NULL;
    json_t *row = o ? export_read_row(d, en, who->workspace_id, other, e) : NULL;
    json_t *body = json_object(), *taken = json_array(), *moved = json_object();
    char mid[ID_MAX] = "";
    if (!k || !o || !row)
        rc = e->code ? e->code : E_NOT_FOUND;
    if (rc == 0) {
        take_fields(en, k, o, keep, other, body, taken);
        rc = move_references(d, who, en, other, keep, moved, e);
    }
    if (rc == 0) {
        /* the other goes before the kept record takes its values, so unique ones (an email) can move */
        strbuf sql = STRBUF_INIT;
        strbuf_adds(&sql, "DELETE FROM ");
        strbuf_add_sql_ident(&sql, en->name);
        strbuf_adds(&sql, " WHERE id = ? AND workspace_id = ?");
        db_stmt *s;
        const char *args[] = {other, who->workspace_id};
        rc = db_query_row(d, &s, e, sql.buf, 2, args);
        rc = rc < 0 ? rc : 0;
        strbuf_release(&sql);
    }
    if (rc == 0)
        rc = update_with(d, who, en, keep, k, body, e);
    char *before = NULL, *after = NULL;
    if (rc == 0) {
        before = dumps(o);
        json_t *into = json_pack("{s:s}", "merged_into", keep);
        after = dumps(into);
        json_decref(into);
        rc = record_audit(d, who, en, "merge", other, before, after, e);
    }
    if (rc == 0) {
        char now[CLOCK_RFC3339_LEN];
        clock_format(clock_now(), now);
        id_new(merges->id_prefix, mid);
        json_t *m = json_object();
        json_object_set_new(m, "id", json_string(mid));
        json_object_set_new(m, "workspace_id", json_string(who->workspace_id));
        json_object_set_new(m, "created_at", json_string(now));
        json_object_set_new(m, "updated_at", json_string(now));
        json_object_set_new(m, "created_by", who->user_id[0] ? json_string(who->user_id) : json_null());
        json_object_set_new(m, "version", json_integer(1));
        json_object_set_new(m, "entity", json_string(en->name));
        json_object_set_new(m, "keep_id", json_string(keep));
        json_object_set_new(m, "other_id", json_string(other));
        json_object_set_new(m, "other_name", json_string(display_name(en, o)));
        json_t *texts[] = {taken, moved, k, row};
        const char *keys[] = {"fields_from_other", "moved", "keep_before", "other_row"};
        for (int i = 0; i < 4; i++) {
            char *t = dumps(texts[i]);
            json_object_set_new(m, keys[i], t ? json_string(t) : json_null());
            free(t);
        }
        rc = export_insert_row(d, merges, m, who->workspace_id, "the merge", e);
        json_decref(m);
    }
    free(before);
    free(after);
    json_decref(k);
    json_decref(o);
    json_decref(row);
    json_decref(body);
    json_decref(taken);
    json_decref(moved);
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    if ((rc = db_commit(d, e)) < 0)
        return rc;
    return record_get(d, who, merges, mid, out, e);
}

static json_t *loads_member(json_t *row, const char *key)
{
    const char *text = json_string_value(json_object_get(row, key));
    return text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
}

int duplicates_unmerge(db *d, const actor *who, const char *merge_id, strbuf *out, err_t *e)
{
    const entity *merges = entity_by_name("merges");
    int rc = access_check(who, merges, OP_GET, NULL, e);
    if (rc < 0 || (rc = db_begin(d, e)) < 0)
        return rc;
    json_t *m = export_read_row(d, merges, who->workspace_id, merge_id, e);
    const entity *en = m ? entity_by_name(json_string_value(json_object_get(m, "entity"))) : NULL;
    json_t *taken = NULL, *moved = NULL, *before = NULL, *row = NULL, *k = NULL, *body = json_object();
    const char *keep = m ? json_string_value(json_object_get(m, "keep_id")) : NULL;
    const char *other = m ? json_string_value(json_object_get(m, "other_id")) : NULL;
    if (!m)
        rc = e->code;
    else if (!en || !keep || !other)
        rc = err_set(e, E_INTERNAL, NULL, "merge %s is not readable", merge_id);
    else if (!json_is_null(json_object_get(m, "undone_at")))
        rc = err_set(e, E_CONFLICT, "undone_at", "merge %s was already undone", merge_id);
    if (rc == 0)
        rc = may_merge(who, en, e);
    if (rc == 0) {
        taken = loads_member(m, "fields_from_other");
        moved = loads_member(m, "moved");
        before = loads_member(m, "keep_before");
        row = loads_member(m, "other_row");
        if (!taken || !moved || !before || !row)
            rc = err_set(e, E_INTERNAL, NULL, "merge %s is not readable", merge_id);
    }
    if (rc == 0 && !(k = record_read(d, who, en, keep, e)))
        rc = err_set(e, E_CONFLICT, "keep_id", "the kept record %s is gone, so the merge cannot be undone", keep);
    if (rc == 0) {
        /* the kept record gives back what it took (first, so unique values are free again) */
        size_t i;
        json_t *name, *custom = NULL;
        json_array_foreach(taken, i, name)
        {
            const char *n = json_string_value(name);
            if (!n)
                continue;
            if (!strncmp(n, "custom.", 7)) {
                if (!custom)
                    custom = json_object();
                json_t *was = json_object_get(json_object_get(before, "custom"), n + 7);
                json_object_set(custom, n + 7, was ? was : json_null());
            } else {
                json_t *was = json_object_get(before, n);
                json_object_set(body, n, was ? was : json_null());
            }
        }
        if (custom)
            json_object_set_new(body, "custom", custom);
        rc = update_with(d, who, en, keep, k, body, e);
    }
    if (rc == 0)
        rc = export_insert_row(d, en, row, who->workspace_id, "the merged record", e);
    if (rc == 0) {
        const char *key;
        json_t *ids;
        json_object_foreach(moved, key, ids)
        {
            char ent[80];
            const char *dot = strchr(key, '.');
            const entity *x = NULL;
            if (dot && (size_t)(dot - key) < sizeof ent) {
                memcpy(ent, key, (size_t)(dot - key));
                ent[dot - key] = '\0';
                x = entity_by_name(ent);
            }
            if (!x || !entity_field(x, dot + 1)) {
                rc = err_set(e, E_INTERNAL, NULL, "merge %s names an unknown reference %s", merge_id, key);
                break;
            }
            strbuf sql = STRBUF_INIT;
            strbuf_adds(&sql, "UPDATE ");
            strbuf_add_sql_ident(&sql, x->name);
            strbuf_adds(&sql, " SET ");
            strbuf_add_sql_ident(&sql, dot + 1);
            strbuf_adds(&sql, " = ? WHERE id = ? AND workspace_id = ? AND ");
            strbuf_add_sql_ident(&sql, dot + 1);
            strbuf_adds(&sql, " = ?");
            size_t i;
            json_t *id;
            json_array_foreach(ids, i, id)
            {
                db_stmt *s;
                const char *args[] = {other, json_string_value(id), who->workspace_id, keep};
                if ((rc = db_query_row(d, &s, e, sql.buf, 4, args)) < 0)
                    break;
                rc = 0;
            }
            strbuf_release(&sql);
            if (rc < 0)
                break;
        }
    }
    if (rc == 0) {
        char now[CLOCK_RFC3339_LEN];
        clock_format(clock_now(), now);
        db_stmt *s;
        const char *args[] = {now, now, merge_id, who->workspace_id};
        rc = db_query_row(d, &s, e,
                          "UPDATE merges SET undone_at = ?, updated_at = ?, version = version + 1 "
                          "WHERE id = ? AND workspace_id = ? AND undone_at IS NULL",
                          4, args);
        rc = rc < 0 ? rc : 0;
    }
    if (rc == 0) {
        json_t *back = record_read(d, who, en, other, e);
        char *after = back ? dumps(back) : NULL;
        rc = back ? record_audit(d, who, en, "unmerge", other, NULL, after, e) : e->code;
        free(after);
        json_decref(back);
    }
    json_decref(m);
    json_decref(taken);
    json_decref(moved);
    json_decref(before);
    json_decref(row);
    json_decref(k);
    json_decref(body);
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    if ((rc = db_commit(d, e)) < 0)
        return rc;
    return record_get(d, who, merges, merge_id, out, e);
}
