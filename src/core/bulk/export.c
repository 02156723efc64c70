/* export: records out as CSV or JSON Lines, and a whole workspace out and back in (see export.h). */
#include "core/bulk/export.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "core/bulk/copy.h"
#include "core/engine/schema.h"

#define EXPORT_FORMAT_VERSION 1
/* A line of a workspace export: one row, so a few megabytes at most (long notes, audit entries). */
#define EXPORT_MAX_LINE (64 << 20)

int export_parse_format(const char *s, int *format, err_t *e)
{
    if (!s || !strcmp(s, "csv"))
        *format = EXPORT_CSV;
    else if (!strcmp(s, "jsonl") || !strcmp(s, "json-lines") || !strcmp(s, "ndjson"))
        *format = EXPORT_JSONL;
    else
        return err_set(e, E_INVALID_PARAMETER, "format", "format must be csv or jsonl, not '%s'", s);
    return 0;
}

/* Hands what sb holds to the sink once it is large enough (or at the end), then empties it. */
static int flush(strbuf *sb, export_sink sink, void *ctx, int force, err_t *e)
{
    if (!sb->len || (!force && sb->len < (1 << 16)))
        return 0;
    int rc = sink(ctx, sb->buf, sb->len, e);
    strbuf_reset(sb);
    return rc;
}

/* ------------------------------------------------------------------ one entity, CSV or JSON Lines */

/* The workspace's custom field keys for en, in key order. */
static void custom_keys_row(void *ctx, db_stmt *s) { json_array_append_new(ctx, json_string(db_col_text(s, 0, NULL))); }

static json_t *custom_keys(db *d, const actor *who, const entity *en, err_t *e)
{
    json_t *keys = json_array();
    if (!(en->flags & ENT_CUSTOM))
        return keys;
    const char *args[] = {who->workspace_id, en->name};
    if (db_query_each(d, e, "SELECT key FROM custom_fields WHERE workspace_id = ? AND entity = ? ORDER BY key", 2,
                      args, custom_keys_row, keys) < 0) {
        json_decref(keys);
        return NULL;
    }
    return keys;
}

/* Every column an export may have, in its default order: the record's keys as the API writes them
 * (secrets are never among them), custom fields as custom.KEY (keys in key order), then the times and
 * the version. */
static json_t *all_columns(const entity *en, json_t *keys)
{
    json_t *cols = json_array();
    json_array_append_new(cols, json_string("id"));
    for (int i = 0; i < en->nfields; i++)
        if (!(en->fields[i].flags & (F_HIDDEN | F_WRITEONLY)))
            json_array_append_new(cols, json_string(en->fields[i].name));
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        char name[80];
        snprintf(name, sizeof name, "custom.%s", json_string_value(k));
        json_array_append_new(cols, json_string(name));
    }
    static const char *const tail[] = {"created_at", "updated_at", "version"};
    for (int t = 0; t < 3; t++)
        json_array_append_new(cols, json_string(tail[t]));
    return cols;
}

static int has_column(json_t *cols, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(cols, i, c) if (!strcmp(json_string_value(c), name)) return 1;
    return 0;
}

/* "name,stage,custom.tier": the columns chosen, in their order, each one of all's; NULL or "" chooses
 * all. A name that is not a column is E_INVALID_PARAMETER naming columns and the name. */
static json_t *chosen_columns(json_t *all, const char *columns, err_t *e)
{
    if (!columns || !*columns)
        return json_incref(all);
    json_t *cols = json_array();
    const char *p = columns;
    while (*p) {
        size_t n = strcspn(p, ",");
        char name[80];
        if (!n || n >= sizeof name) {
            json_decref(cols);
            err_set(e, E_INVALID_PARAMETER, "columns", "columns is a comma-separated list of column names");
            return NULL;
        }
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        if (!has_column(all, name)) {
            json_decref(cols);
            err_set(e, E_INVALID_PARAMETER, "columns", "unknown column %.60s in columns", name);
            return NULL;
        }
        if (!has_column(cols, name))
            json_array_append_new(cols, json_string(name));
        p += n;
        if (*p == ',' && !*++p) {
            json_decref(cols);
            err_set(e, E_INVALID_PARAMETER, "columns", "columns ends with a comma");
            return NULL;
        }
    }
    return cols;
}

static void csv_header(json_t *cols, strbuf *out)
{
    size_t i;
    json_t *c;
    json_array_foreach(cols, i, c)
    {
        if (i)
            strbuf_addc(out, ',');
        strbuf_add_csv(out, json_string_value(c));
    }
    strbuf_adds(out, "\r\n");
}

/* One cell from a JSON value: text as is, numbers and booleans as written, a list of tags joined by
 * ", " (as the importer reads them), objects as JSON, null as an empty cell. */
static void csv_cell(json_t *v, strbuf *out)
{
    strbuf cell = STRBUF_INIT;
    if (json_is_string(v)) {
        strbuf_adds(&cell, json_string_value(v));
    } else if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            if (i)
                strbuf_adds(&cell, ", ");
            if (json_is_string(item))
                strbuf_adds(&cell, json_string_value(item));
        }
    } else if (v && !json_is_null(v)) {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (text)
            strbuf_adds(&cell, text);
        free(text);
    }
    strbuf_add_csv(out, cell.buf);
    strbuf_release(&cell);
}

/* A column's value in a record as the API writes it: custom.KEY inside its custom object. */
static json_t *column_value(json_t *rec, const char *name)
{
    if (!strncmp(name, "custom.", 7))
        return json_object_get(json_object_get(rec, "custom"), name + 7);
    return json_object_get(rec, name);
}

static void csv_row(json_t *cols, json_t *rec, strbuf *out)
{
    size_t i;
    json_t *c;
    json_array_foreach(cols, i, c)
    {
        if (i)
            strbuf_addc(out, ',');
        csv_cell(column_value(rec, json_string_value(c)), out);
    }
    strbuf_adds(out, "\r\n");
}

/* A JSON line of the chosen columns only (custom ones back inside their custom object). */
static json_t *jsonl_record(json_t *cols, json_t *rec)
{
    json_t *o = json_object();
    size_t i;
    json_t *c;
    json_array_foreach(cols, i, c)
    {
        const char *name = json_string_value(c);
        json_t *v = column_value(rec, name);
        if (strncmp(name, "custom.", 7)) {
            json_object_set(o, name, v ? v : json_null());
            continue;
        }
        json_t *custom = json_object_get(o, "custom");
        if (!custom)
            json_object_set_new(o, "custom", custom = json_object());
        json_object_set(custom, name + 7, v ? v : json_null());
    }
    return o;
}

int export_records(db *d, const actor *who, const entity *en, list_query *q, int format, const char *columns,
                   export_sink sink, void *ctx, err_t *e)
{
    int rc = access_check(who, en, OP_LIST, NULL, e);
    if (rc < 0)
        return rc;
    /* JSON Lines without columns write each record whole, custom fields and all */
    int whole = format == EXPORT_JSONL && (!columns || !*columns);
    json_t *keys = whole ? json_array() : custom_keys(d, who, en, e);
    if (!keys)
        return e->code;
    json_t *all = all_columns(en, keys), *cols = chosen_columns(all, columns, e);
    json_decref(all);
    json_decref(keys);
    if (!cols)
        return e->code;
    strbuf out = STRBUF_INIT, page = STRBUF_INIT;
    if (format == EXPORT_CSV)
        csv_header(cols, &out);
    q->limit = LIST_MAX_LIMIT;
    free(q->cursor);
    q->cursor = NULL;
    for (;;) {
        strbuf_reset(&page);
        if ((rc = record_list(d, who, en, q, &page, e)) < 0)
            break;
        json_error_t je;
        json_t *doc = json_loadb(page.buf, page.len, 0, &je);
        if (!doc) {
            rc = err_set(e, E_INTERNAL, NULL, "export: a page did not read back: %s", je.text);
            break;
        }
        size_t i;
        json_t *rec;
        json_array_foreach(json_object_get(doc, "data"), i, rec)
        {
            if (format == EXPORT_CSV) {
                csv_row(cols, rec, &out);
            } else {
                json_t *some = whole ? json_incref(rec) : jsonl_record(cols, rec);
                char *line = json_dumps(some, JSON_COMPACT);
                json_decref(some);
                if (line)
                    strbuf_adds(&out, line);
                free(line);
                strbuf_addc(&out, '\n');
            }
        }
        const char *next = json_string_value(json_object_get(doc, "next_cursor"));
        free(q->cursor);
        q->cursor = next ? strdup(next) : NULL;
        json_decref(doc);
        if ((rc = flush(&out, sink, ctx, 0, e)) < 0 || !q->cursor)
            break;
    }
    if (rc >= 0)
        rc = flush(&out, sink, ctx, 1, e);
    strbuf_release(&out);
    strbuf_release(&page);
    json_decref(cols);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ a whole workspace */

/* Entities a workspace export leaves out: API tokens are secrets, and useless without them. */
static int leaves_out(const entity *en) { return !strcmp(en->name, "tokens"); }

/* Columns a workspace export leaves out: password hashes and other secrets. */
static int secret_column(const entity *en, const char *col)
{
    const field *f = entity_field(en, col);
    return f && (f->flags & (F_HIDDEN | F_WRITEONLY));
}

/* SELECT of every stored column of en's table (in copy_entity_columns' order, which fills cols, kinds and
 * n) WHERE cond. */
static void select_stored(const entity *en, const char *cond, const char **cols, int *kinds, int *n, strbuf *sql)
{
    *n = copy_entity_columns(en, cols, kinds);
    strbuf_adds(sql, "SELECT ");
    for (int i = 0; i < *n; i++) {
        strbuf_adds(sql, i ? ", " : "");
        strbuf_add_sql_ident(sql, cols[i]);
    }
    strbuf_adds(sql, " FROM ");
    strbuf_add_sql_ident(sql, en->name);
    strbuf_adds(sql, " WHERE ");
    strbuf_adds(sql, cond);
}

static int export_table(db *d, const entity *en, const char *workspace, strbuf *out, export_sink sink, void *ctx,
                        err_t *e)
{
    const char *cols[COPY_MAX_COLUMNS];
    int kinds[COPY_MAX_COLUMNS], n;
    strbuf sql = STRBUF_INIT;
    /* the workspace record is its own root: its workspace_id is its id */
    select_stored(en, (en->flags & ENT_WORKSPACE_ROOT) ? "id = ? ORDER BY id" : "workspace_id = ? ORDER BY id", cols,
                  kinds, &n, &sql);
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, workspace);
    while ((rc = db_step(s, e)) == DB_ROW) {
        strbuf_adds(out, "{\"entity\":");
        strbuf_add_json_str(out, en->name);
        strbuf_adds(out, ",\"row\":{");
        int first = 1;
        for (int i = 0; i < n; i++) {
            if (secret_column(en, cols[i]))
                continue;
            strbuf_adds(out, first ? "" : ",");
            first = 0;
            strbuf_add_json_str(out, cols[i]);
            strbuf_addc(out, ':');
            if (db_col_type(s, i) == DB_NULL) {
                strbuf_adds(out, "null");
            } else if (kinds[i] != DB_KIND_TEXT) {
                strbuf_addf(out, "%lld", (long long)db_col_int(s, i));
            } else {
                size_t len;
                const char *v = db_col_text(s, i, &len);
                strbuf_add_json_strn(out, v, len);
            }
        }
        strbuf_adds(out, "}}\n");
        if ((rc = flush(out, sink, ctx, 0, e)) < 0)
            break;
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

int export_workspace(db *d, const actor *who, export_sink sink, void *ctx, err_t *e)
{
    if (who->role < ROLE_ADMIN)
        return err_set(e, E_FORBIDDEN, NULL, "exporting the whole workspace needs an admin or owner");
    for (int i = 0; i < entity_count; i++) /* every row of every table: no actor limited to some rows */
        if (!leaves_out(entity_table[i]) && access_whole(who, entity_table[i], OP_LIST, e) < 0)
            return e->code;
    strbuf out = STRBUF_INIT;
    strbuf_addf(&out, "{\"rapport_export\":\"workspace\",\"format\":%d,\"schema_version\":%d,\"workspace_id\":",
                EXPORT_FORMAT_VERSION, schema_latest());
    strbuf_add_json_str(&out, who->workspace_id);
    strbuf_adds(&out, "}\n");
    /* one snapshot: every table as of the same moment */
    int snap = db_read_begin(d), rc = 0;
    for (int i = 0; i < entity_count && rc == 0; i++)
        if (!leaves_out(entity_table[i]))
            rc = export_table(d, entity_table[i], who->workspace_id, &out, sink, ctx, e);
    if (snap)
        db_read_end(d);
    if (rc == 0)
        rc = flush(&out, sink, ctx, 1, e);
    strbuf_release(&out);
    return rc;
}

/* Reads one line (any length up to EXPORT_MAX_LINE) into sb; 1 when it read one, 0 at the end. */
static int read_line(FILE *in, strbuf *sb, err_t *e, int64_t line)
{
    strbuf_reset(sb);
    char chunk[8192];
    while (fgets(chunk, sizeof chunk, in)) {
        strbuf_adds(sb, chunk);
        if (sb->len && sb->buf[sb->len - 1] == '\n') {
            strbuf_truncate(sb, sb->len - 1);
            return 1;
        }
        if (sb->len > EXPORT_MAX_LINE)
            return err_set(e, E_INVALID_VALUE, "line", "line %lld is longer than %d bytes", (long long)line,
                           EXPORT_MAX_LINE);
    }
    return sb->len ? 1 : 0;
}

static int load_header(json_t *h, load_report *r, err_t *e)
{
    const char *kind = json_string_value(json_object_get(h, "rapport_export"));
    json_t *fmt = json_object_get(h, "format"), *ver = json_object_get(h, "schema_version");
    const char *ws = json_string_value(json_object_get(h, "workspace_id"));
    if (!kind || strcmp(kind, "workspace") || !json_is_integer(fmt) || !json_is_integer(ver) || !ws ||
        strlen(ws) >= sizeof r->workspace_id)
        return err_set(e, E_INVALID_VALUE, "line", "line 1 is not the header of a Rapport workspace export");
    if (json_integer_value(fmt) != EXPORT_FORMAT_VERSION)
        return err_set(e, E_INVALID_VALUE, "format", "export format %lld is not one this rapport reads (%d)",
                       (long long)json_integer_value(fmt), EXPORT_FORMAT_VERSION);
    if (json_integer_value(ver) > schema_latest())
        return err_set(e, E_INVALID_VALUE, "schema_version",
                       "the export is from schema version %lld, newer than this rapport (%d)",
                       (long long)json_integer_value(ver), schema_latest());
    snprintf(r->workspace_id, sizeof r->workspace_id, "%s", ws);
    return 0;
}

static int insert_row(db *d, const entity *en, json_t *row, const char *ws, const char *where, int secrets, err_t *e)
{
    const char *cols[COPY_MAX_COLUMNS];
    int kinds[COPY_MAX_COLUMNS];
    int n = copy_entity_columns(en, cols, kinds);
    const char *owner = json_string_value(json_object_get(row, (en->flags & ENT_WORKSPACE_ROOT) ? "id" : "workspace_id"));
    if (!owner || strcmp(owner, ws))
        return err_set(e, E_INVALID_VALUE, "line", "%s: a %s row outside the workspace", where,
                       en->singular);
    strbuf sql = STRBUF_INIT, vals = STRBUF_INIT;
    strbuf_adds(&sql, "INSERT INTO ");
    strbuf_add_sql_ident(&sql, en->name);
    strbuf_adds(&sql, " (");
    json_t *bind[COPY_MAX_COLUMNS];
    int kind[COPY_MAX_COLUMNS], nb = 0, rc = 0;
    const char *key;
    json_t *v;
    json_object_foreach(row, key, v)
    {
        int c = 0;
        while (c < n && strcmp(cols[c], key))
            c++;
        if (c == n || (!secrets && secret_column(en, key))) {
            rc = err_set(e, E_INVALID_VALUE, "line", "%s: %s has no column %s", where, en->name, key);
            break;
        }
        int is_text = kinds[c] == DB_KIND_TEXT;
        if (!json_is_null(v) && (is_text ? !json_is_string(v) : !json_is_integer(v))) {
            rc = err_set(e, E_INVALID_VALUE, "line", "%s: %s.%s should be %s", where, en->name, key,
                         is_text ? "text" : "an integer");
            break;
        }
        strbuf_adds(&sql, nb ? ", " : "");
        strbuf_add_sql_ident(&sql, key);
        strbuf_adds(&vals, nb ? ", ?" : "?");
        bind[nb] = v;
        kind[nb++] = kinds[c];
    }
    db_stmt *s = NULL;
    if (rc == 0 && nb == 0)
        rc = err_set(e, E_INVALID_VALUE, "line", "%s: an empty row", where);
    if (rc == 0) {
        strbuf_adds(&sql, ") VALUES (");
        strbuf_add(&sql, vals.buf, vals.len);
        strbuf_adds(&sql, ")");
        rc = db_prepare(d, sql.buf, &s, e);
    }
    for (int i = 0; rc == 0 && i < nb; i++) {
        if (json_is_null(bind[i]))
            db_bind_null(s, i + 1);
        else if (kind[i] == DB_KIND_TEXT)
            db_bind_textn(s, i + 1, json_string_value(bind[i]), json_string_length(bind[i]));
        else
            db_bind_int(s, i + 1, json_integer_value(bind[i]));
    }
    if (rc == 0 && (rc = db_step(s, e)) >= 0)
        rc = 0;
    else if (rc < 0 && s) /* say where: the store's message names the column, not the line */
        snprintf(e->message + strlen(e->message), sizeof e->message - strlen(e->message), " (%s)", where);
    if (s)
        db_finalize(s);
    strbuf_release(&sql);
    strbuf_release(&vals);
    return rc;
}

int export_insert_row(db *d, const entity *en, json_t *row, const char *workspace, const char *where, err_t *e)
{
    return insert_row(d, en, row, workspace, where, 1, e);
}

json_t *export_read_row(db *d, const entity *en, const char *workspace, const char *id, err_t *e)
{
    const char *cols[COPY_MAX_COLUMNS];
    int kinds[COPY_MAX_COLUMNS], n;
    strbuf sql = STRBUF_INIT;
    select_stored(en, "id = ? AND workspace_id = ?", cols, kinds, &n, &sql);
    db_stmt *s;
    const char *args[] = {id, workspace};
    int rc = db_query_row(d, &s, e, sql.buf, 2, args);
    strbuf_release(&sql);
    if (rc != DB_ROW) {
        if (rc == DB_DONE)
            err_set(e, E_NOT_FOUND, "id", "no %s %s", en->singular, id);
        return NULL;
    }
    json_t *row = json_object();
    for (int i = 0; i < n; i++) {
        json_t *v;
        if (db_col_type(s, i) == DB_NULL)
            v = json_null();
        else if (kinds[i] != DB_KIND_TEXT)
            v = json_integer(db_col_int(s, i));
        else {
            size_t len;
            const char *t = db_col_text(s, i, &len);
            v = json_stringn(t, len);
        }
        json_object_set_new(row, cols[i], v);
    }
    db_finalize(s);
    return row;
}

int export_load(db *d, FILE *in, load_report *r, err_t *e)
{
    memset(r, 0, sizeof *r);
    strbuf line = STRBUF_INIT;
    int64_t lineno = 1;
    int rc = read_line(in, &line, e, lineno);
    json_error_t je;
    json_t *h = rc > 0 ? json_loadb(line.buf, line.len, 0, &je) : NULL;
    if (rc == 0 || (rc > 0 && !h))
        rc = err_set(e, E_INVALID_VALUE, "line", "line 1 is not the header of a Rapport workspace export");
    else if (rc > 0)
        rc = load_header(h, r, e);
    json_decref(h);
    if (rc == 0) {
        const char *args[] = {r->workspace_id};
        db_stmt *s;
        rc = db_query_row(d, &s, e, "SELECT 1 FROM workspaces WHERE id = ?", 1, args);
        if (rc == DB_ROW) {
            db_finalize(s);
            rc = err_set(e, E_CONFLICT, "workspace_id", "workspace %s is already in this database", r->workspace_id);
        } else if (rc == DB_DONE) {
            rc = 0;
        }
    }
    if (rc == 0 && (rc = db_begin(d, e)) == 0) {
        rc = db_exec(d, d->be->defer_fks, e);
        while (rc == 0 && (rc = read_line(in, &line, e, ++lineno)) > 0) {
            json_t *o = json_loadb(line.buf, line.len, 0, &je);
            const char *name = json_string_value(json_object_get(o, "entity"));
            const entity *en = name ? entity_by_name(name) : NULL;
            json_t *row = json_object_get(o, "row");
            if (!o)
                rc = err_set(e, E_INVALID_VALUE, "line", "line %lld is not JSON: %s", (long long)lineno, je.text);
            else if (!en || leaves_out(en) || !json_is_object(row))
                rc = err_set(e, E_INVALID_VALUE, "line", "line %lld: not a row of a known entity", (long long)lineno);
            else {
                char where[32];
                snprintf(where, sizeof where, "line %lld", (long long)lineno);
                rc = insert_row(d, en, row, r->workspace_id, where, 0, e);
            }
            json_decref(o);
            if (rc < 0)
                break;
            r->rows++;
            rc = 0;
        }
        if (rc == 0)
            rc = db_commit(d, e);
        else
            db_rollback(d);
    }
    strbuf_release(&line);
    return rc;
}
