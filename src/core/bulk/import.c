/* import: see import.h. */
#include "core/bulk/import.h"

#include <csv.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/utf8.h"
#include "core/access/access.h"
#include "core/engine/record.h"

enum col_kind { COL_IGNORED, COL_FIELD, COL_CLIENT_NAME };

typedef struct column {
    char *header;
    int kind;
    const field *f;
} column;

/* Client names (lower-cased) to ids: the workspace's, then the ones the import
 * creates. Open addressing, grown at half full. */
typedef struct name_table {
    char **name, **id;
    size_t cap, n;
} name_table;

typedef struct importer {
    db *d;
    const actor *who;
    const entity *en;
    const import_opts *o;
    column *cols;
    int ncols, header_done;
    /* the row being read: cells packed in one buffer */
    strbuf cells;
    size_t *off;
    int ncells, capcells;
    long row; /* records read, the header included: row 1 is the header, as in a
                 spreadsheet */
    long imported, invalid, clients_created;
    strbuf errors;
    int nerrors;
    int stop;    /* a database failure or a bad header: no further rows */
    err_t fatal; /* ...and what it was */
    err_t first; /* the first invalid row's error */
    int client_name_col;
    const field *client_field;
    name_table names;
    /* the prepared-insert path */
    int row_by_row; /* the entity has rules: each row goes through record_create
                     */
    int savepoints; /* the entity has unique fields: each insert in its own
                       savepoint */
    db_stmt *ins;
    const field *ins_f[ENTITY_MAX_FIELDS]; /* at most one per field: entity_init checks the table */
    int ins_col[ENTITY_MAX_FIELDS], nins;
    json_t *def[ENTITY_MAX_FIELDS];
    char last_ref[ENTITY_MAX_FIELDS][ID_MAX]; /* the last reference each field checked, to skip
                                  repeats */
    char now[CLOCK_RFC3339_LEN];
} importer;

static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void name_key(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++)
        out[k++] = (char)tolower((unsigned char)*s);
    out[k] = '\0';
}

static const char *names_find(const name_table *t, const char *key)
{
    if (!t->cap)
        return NULL;
    for (size_t h = name_hash(key) & (t->cap - 1); t->name[h]; h = (h + 1) & (t->cap - 1))
        if (!strcmp(t->name[h], key))
            return t->id[h];
    return NULL;
}

/* Adds key → id unless key is there already (the first, oldest client of a name
 * wins). */
static int names_add(name_table *t, const char *key, const char *id)
{
    if (2 * (t->n + 1) > t->cap) {
        name_table g = {calloc(t->cap ? 2 * t->cap : 256, sizeof(char *)), NULL, t->cap ? 2 * t->cap : 256, 0};
        g.id = calloc(g.cap, sizeof(char *));
        if (!g.name || !g.id) {
            free(g.name);
            free(g.id);
            return -1;
        }
        for (size_t i = 0; i < t->cap; i++)
            if (t->name[i]) {
                size_t h = name_hash(t->name[i]) & (g.cap - 1);
                while (g.name[h])
                    h = (h + 1) & (g.cap - 1);
                g.name[h] = t->name[i];
                g.id[h] = t->id[i];
                g.n++;
            }
        free(t->name);
        free(t->id);
        *t = g;
    }
    size_t h = name_hash(key) & (t->cap - 1);
    for (; t->name[h]; h = (h + 1) & (t->cap - 1))
        if (!strcmp(t->name[h], key))
            return 0;
    if (!(t->name[h] = strdup(key)) || !(t->id[h] = strdup(id)))
        return -1;
    t->n++;
    return 0;
}

static void names_release(name_table *t)
{
    for (size_t i = 0; i < t->cap; i++) {
        free(t->name[i]);
        free(t->id[i]);
    }
    free(t->name);
    free(t->id);
}

int import_allowed_entity(const entity *en)
{
    if (!(en->ops & OP_CREATE) || en->write_role > ROLE_MEMBER || (en->flags & ENT_WORKSPACE_ROOT))
        return 0;
    for (int i = 0; i < en->nfields; i++)
        if (en->fields[i].flags & (F_HIDDEN | F_WRITEONLY))
            return 0;
    return 1;
}

/* "First name", "first-name", " FIRST_NAME " → "first_name" */
static void normalise(const char *s, char *out, size_t n)
{
    size_t k = 0;
    while (isspace((unsigned char)*s))
        s++;
    for (; *s && k + 1 < n; s++)
        out[k++] = (*s == ' ' || *s == '-') ? '_' : (char)tolower((unsigned char)*s);
    while (k && out[k - 1] == '_')
        k--;
    out[k] = '\0';
}

static const field *field_for_header(const entity *en, const char *header)
{
    char want[128], label[128];
    normalise(header, want, sizeof want);
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        normalise(f->label ? f->label : f->name, label, sizeof label);
        if (!strcmp(f->name, want) || !strcmp(label, want))
            return f;
    }
    return NULL;
}

static int stop(importer *im, err_t *from)
{
    if (!im->stop) {
        im->stop = 1;
        im->fatal = *from;
    }
    return im->fatal.code;
}

/* The header row: each column to a field, the client's name, or ignored. */
static void read_header(importer *im)
{
    err_t e;
    err_clear(&e);
    im->cols = calloc((size_t)(im->ncells ? im->ncells : 1), sizeof *im->cols);
    if (!im->cols) {
        err_set(&e, E_INTERNAL, NULL, "out of memory");
        stop(im, &e);
        return;
    }
    im->ncols = im->ncells;
    for (int c = 0; c < im->ncols; c++) {
        column *col = &im->cols[c];
        col->header = strdup(im->cells.buf + im->off[c]);
        char norm[128];
        normalise(col->header ? col->header : "", norm, sizeof norm);
        const field *f = field_for_header(im->en, col->header ? col->header : "");
        if (f && (f->flags & (F_READONLY | F_HIDDEN)))
            f = NULL; /* set by the server: such a column is reported as ignored */
        if (f) {
            for (int k = 0; k < c; k++)
                if (im->cols[k].f == f) {
                    err_set(&e, E_INVALID_VALUE, col->header, "columns %d and %d both give %s", k + 1, c + 1, f->name);
                    stop(im, &e);
                    return;
                }
            col->kind = COL_FIELD;
            col->f = f;
        } else if (im->client_field && im->client_name_col < 0 &&
                   (!strcmp(norm, "company") || !strcmp(norm, "client") || !strcmp(norm, "company_name") ||
                    !strcmp(norm, "client_name"))) {
            col->kind = COL_CLIENT_NAME;
            im->client_name_col = c;
        }
    }
    for (int i = 0; i < im->en->nfields; i++) {
        const field *f = &im->en->fields[i];
        if (!(f->flags & F_REQUIRED) || (f == im->client_field && im->client_name_col >= 0))
            continue;
        int have = 0;
        for (int c = 0; c < im->ncols; c++)
            have |= im->cols[c].f == f;
        if (!have) {
            err_set(&e, E_REQUIRED, f->name, "the header has no %s column%s", f->name,
                    f == im->client_field ? " (nor company, to find the client by name)" : "");
            stop(im, &e);
            return;
        }
    }
}

static void add_error(importer *im, const char *col, const err_t *e)
{
    if (!im->invalid++) {
        im->first = *e;
        snprintf(im->first.message, sizeof im->first.message, "row %ld%s%.60s: %.200s", im->row, col ? ", " : "",
                 col ? col : "", e->message);
    }
    if (im->nerrors >= IMPORT_MAX_ERRORS)
        return;
    strbuf_addf(&im->errors, "%s{\"row\":%ld,\"column\":", im->nerrors++ ? "," : "", im->row);
    strbuf_add_json_str(&im->errors, col);
    strbuf_adds(&im->errors, ",\"field\":");
    strbuf_add_json_str(&im->errors, e->field[0] ? e->field : NULL);
    strbuf_adds(&im->errors, ",\"message\":");
    strbuf_add_json_str(&im->errors, e->message);
    strbuf_addc(&im->errors, '}');
}

static const char *cell(const importer *im, int c)
{
    return c >= 0 && c < im->ncells ? im->cells.buf + im->off[c] : "";
}

/* The id of the client named name, creating it (with the clients' own rules and
 * audit) when the workspace has none of that name. */
static int client_by_name(importer *im, const char *name, const char **id, err_t *e)
{
    char key[256];
    name_key(name, key, sizeof key);
    if ((*id = names_find(&im->names, key)))
        return 0;
    json_t *body = json_pack("{s:s}", "name", name);
    strbuf out = STRBUF_INIT;
    int rc = body ? record_create(im->d, im->who, entity_by_name("clients"), body, &out, e)
                  : err_set(e, E_INTERNAL, NULL, "out of memory");
    json_decref(body);
    json_t *made = rc < 0 ? NULL : json_loadb(out.buf, out.len, 0, NULL);
    strbuf_release(&out);
    if (rc < 0)
        return rc;
    const char *new_id = json_string_value(json_object_get(made, "id"));
    if (!new_id || names_add(&im->names, key, new_id) < 0)
        rc = err_set(e, E_INTERNAL, NULL, "out of memory");
    json_decref(made);
    if (rc < 0)
        return rc;
    im->clients_created++;
    *id = names_find(&im->names, key);
    return 0;
}

static int load_client_names(importer *im, err_t *e)
{
    db_stmt *s;
    int rc = db_prepare(im->d,
                        "SELECT id, name FROM clients WHERE workspace_id = ? "
                        "ORDER BY created_at, id",
                        &s, e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, im->who->workspace_id);
    while ((rc = db_step(s, e)) == DB_ROW) {
        char key[256];
        name_key(db_col_text(s, 1, NULL), key, sizeof key);
        if (names_add(&im->names, key, db_col_text(s, 0, NULL)) < 0) {
            rc = err_set(e, E_INTERNAL, NULL, "out of memory");
            break;
        }
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

/* Text of one cell to a column value, by the field's own type; "" is no value.
 */
static int parse_cell(importer *im, int k, const char *text, field_value *v, err_t *e)
{
    const field *f = im->ins_f[k];
    if (!*text)
        return im->def[k] ? field_parse_json(f, im->def[k], v, e) : field_parse_json(f, NULL, v, e);
    if (!utf8_valid(text, strlen(text)))
        return err_set(e, E_INVALID_VALUE, f->name, "%s is not valid UTF-8 text", f->name);
    int rc = field_parse_text(f, text, v, e);
    if (rc == 0 && f->ref && !v->is_null && strcmp(im->last_ref[k], v->s)) {
        if ((rc = record_check_reference(im->d, im->who, f, v->s, e)) == 0)
            snprintf(im->last_ref[k], ID_MAX, "%s", v->s);
    }
    return rc;
}

/* One data row on the prepared-insert path. */
static void insert_row(importer *im)
{
    field_value v[ENTITY_MAX_FIELDS];
    memset(v, 0, sizeof v);
    err_t e;
    err_clear(&e);
    int k, rc = 0;
    const char *bad_col = NULL;
    for (k = 0; k < im->nins; k++) {
        const char *text = cell(im, im->ins_col[k]);
        if (im->ins_f[k] == im->client_field && im->client_name_col >= 0 && !*text && *cell(im, im->client_name_col)) {
            const char *id;
            if ((rc = client_by_name(im, cell(im, im->client_name_col), &id, &e)) < 0 || !(v[k].s = strdup(id))) {
                bad_col = im->cols[im->client_name_col].header;
                rc = rc < 0 ? rc : err_set(&e, E_INTERNAL, NULL, "out of memory");
                break;
            }
            continue;
        }
        if ((rc = parse_cell(im, k, text, &v[k], &e)) < 0) {
            bad_col = im->ins_col[k] >= 0 ? im->cols[im->ins_col[k]].header : im->ins_f[k]->name;
            break;
        }
    }
    if (rc == 0 && (im->invalid == 0 || im->o->skip_invalid)) {
        char id[ID_MAX];
        id_new(im->en->id_prefix, id);
        db_reset(im->ins);
        db_bind_text(im->ins, 1, id);
        db_bind_text(im->ins, 2, im->who->workspace_id);
        db_bind_text(im->ins, 3, im->now);
        db_bind_text(im->ins, 4, im->now);
        db_bind_text(im->ins, 5, im->who->user_id[0] ? im->who->user_id : NULL);
        for (int i = 0; i < im->nins; i++)
            field_bind(im->ins, 6 + i, &v[i]);
        if (!im->savepoints || (rc = db_begin(im->d, &e)) == 0) {
            rc = db_step(im->ins, &e);
            if (im->savepoints && rc < 0)
                db_rollback(im->d); /* to the row's savepoint: the rows before stay */
            else if (im->savepoints)
                rc = db_commit(im->d, &e);
        }
        if (rc >= 0)
            im->imported++;
        else if (e.code == E_CONFLICT) /* a unique field's value is taken: this row's fault */
            bad_col = e.field;
    }
    if (rc < 0 && !im->stop) {
        if (e.code == E_UNAVAILABLE || e.code == E_INTERNAL)
            stop(im, &e);
        else
            add_error(im, bad_col, &e);
    }
    for (int i = 0; i < im->nins; i++)
        field_value_clear(&v[i]);
}

/* One data row through record_create, so the entity's rules run. */
static void create_row(importer *im)
{
    err_t e;
    err_clear(&e);
    json_t *body = json_object();
    const char *bad_col = NULL;
    int rc = body ? 0 : err_set(&e, E_INTERNAL, NULL, "out of memory");
    for (int c = 0; rc == 0 && c < im->ncols; c++) {
        const char *text = cell(im, c);
        const column *col = &im->cols[c];
        if (col->kind != COL_FIELD || !*text)
            continue;
        if (!utf8_valid(text, strlen(text))) {
            rc = err_set(&e, E_INVALID_VALUE, col->f->name, "%s is not valid UTF-8 text", col->f->name);
            bad_col = col->header;
            break;
        }
        json_object_set_new(body, col->f->name, col->f->type->from_text(col->f, text));
    }
    if (rc == 0 && im->client_name_col >= 0 && !json_object_get(body, im->client_field->name) &&
        *cell(im, im->client_name_col)) {
        const char *id;
        if ((rc = client_by_name(im, cell(im, im->client_name_col), &id, &e)) == 0)
            json_object_set_new(body, im->client_field->name, json_string(id));
        else
            bad_col = im->cols[im->client_name_col].header;
    }
    if (rc == 0) {
        strbuf out = STRBUF_INIT;
        if ((rc = record_create(im->d, im->who, im->en, body, &out, &e)) == 0)
            im->imported++;
        else
            bad_col = e.field[0] ? e.field : NULL;
        strbuf_release(&out);
    }
    json_decref(body);
    if (rc < 0) {
        if (e.code == E_UNAVAILABLE || e.code == E_INTERNAL)
            stop(im, &e);
        else
            add_error(im, bad_col, &e);
    }
}

/* The INSERT for the fast path: the system columns, then every field the file
 * gives or that has a default (a NOT NULL column whose default the table does
 * not hold for older migrations). */
static int prepare_insert(importer *im, err_t *e)
{
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql,
                "INSERT INTO \"%s\" (id, workspace_id, created_at, updated_at, "
                "created_by, version",
                im->en->name);
    for (int i = 0; i < im->en->nfields; i++) {
        const field *f = &im->en->fields[i];
        int col = -1;
        for (int c = 0; c < im->ncols; c++)
            if (im->cols[c].f == f)
                col = c;
        if (col < 0 && !f->def && !(f == im->client_field && im->client_name_col >= 0))
            continue;
        int k = im->nins++;
        im->ins_f[k] = f;
        im->ins_col[k] = col;
        im->def[k] = f->def ? json_loads(f->def, JSON_DECODE_ANY, NULL) : NULL;
        strbuf_addf(&sql, ", \"%s\"", f->name);
        if (f->flags & (F_UNIQUE | F_UNIQUE_ALL))
            im->savepoints = 1;
    }
    strbuf_adds(&sql, ") VALUES (?, ?, ?, ?, ?, 1");
    for (int k = 0; k < im->nins; k++)
        strbuf_adds(&sql, ", ?");
    strbuf_addc(&sql, ')');
    int rc = db_prepare(im->d, sql.buf, &im->ins, e);
    strbuf_release(&sql);
    return rc;
}

static void on_cell(void *text, size_t len, void *data)
{
    importer *im = data;
    if (im->ncells == im->capcells) {
        int cap = im->capcells ? im->capcells * 2 : 32;
        size_t *grown = realloc(im->off, (size_t)cap * sizeof *grown);
        if (!grown)
            return; /* the cell is dropped; the row then misses it and fails its
                       checks */
        im->off = grown;
        im->capcells = cap;
    }
    im->off[im->ncells++] = im->cells.len;
    strbuf_add(&im->cells, text ? text : "", text ? len : 0);
    strbuf_addc(&im->cells, '\0');
}

static void on_row(int term, void *data)
{
    (void)term;
    importer *im = data;
    im->row++;
    if (!im->stop) {
        if (!im->header_done) {
            im->header_done = 1;
            read_header(im);
            if (!im->stop && !im->row_by_row) {
                err_t e;
                err_clear(&e);
                if (prepare_insert(im, &e) < 0)
                    stop(im, &e);
            }
        } else if (im->ncells > im->ncols) {
            err_t e;
            err_clear(&e);
            err_set(&e, E_INVALID_VALUE, NULL, "%d cells where the header has %d columns", im->ncells, im->ncols);
            add_error(im, NULL, &e);
        } else if (im->row_by_row) {
            create_row(im);
        } else {
            insert_row(im);
        }
    }
    im->ncells = 0;
    strbuf_reset(&im->cells);
}

/* SQLite's full-text triggers cost more per row than one rebuild when the file
 * is as large as the table: then they are suspended and the index rebuilt once
 * (db.h's bulk load). */
static int worth_bulk(importer *im, const char *buf, size_t len, err_t *e)
{
    if (im->row_by_row)
        return 0;
    size_t lines = 0;
    for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + len - p))); p++)
        lines++;
    if (lines < 1000)
        return 0;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", im->en->name);
    db_stmt *s;
    int rc = db_query_row(im->d, &s, e, sql, 0, NULL);
    if (rc < 0)
        return rc;
    int64_t have = rc == DB_ROW ? db_col_int(s, 0) : 0;
    if (rc == DB_ROW)
        db_finalize(s);
    return (int64_t)lines >= have;
}

static void report(importer *im, strbuf *out)
{
    int refused = im->invalid && !im->o->skip_invalid; /* then nothing is kept, clients included */
    strbuf_adds(out, "{\"entity\":");
    strbuf_add_json_str(out, im->en->name);
    strbuf_addf(out,
                ",\"dry_run\":%s,\"rows\":%ld,\"imported\":%ld,\"skipped\":%ld,"
                "\"clients_created\":%ld",
                im->o->dry_run ? "true" : "false", im->row > 0 ? im->row - 1 : 0, refused ? 0 : im->imported,
                im->invalid, refused ? 0 : im->clients_created);
    strbuf_adds(out, ",\"columns\":{");
    int n = 0;
    for (int c = 0; c < im->ncols; c++)
        if (im->cols[c].kind != COL_IGNORED) {
            strbuf_adds(out, n++ ? "," : "");
            strbuf_add_json_str(out, im->cols[c].header);
            strbuf_addc(out, ':');
            strbuf_add_json_str(out, im->cols[c].kind == COL_FIELD ? im->cols[c].f->name : "client (by name)");
        }
    strbuf_adds(out, "},\"ignored_columns\":[");
    n = 0;
    for (int c = 0; c < im->ncols; c++)
        if (im->cols[c].kind == COL_IGNORED) {
            strbuf_adds(out, n++ ? "," : "");
            strbuf_add_json_str(out, im->cols[c].header);
        }
    strbuf_adds(out, "],\"errors\":[");
    strbuf_add(out, im->errors.buf ? im->errors.buf : "", im->errors.len);
    strbuf_adds(out, "]}");
}

static int audit_import(importer *im, err_t *e)
{
    strbuf after = STRBUF_INIT;
    strbuf_addf(&after,
                "{\"rows\":%ld,\"imported\":%ld,\"skipped\":%ld,\"clients_"
                "created\":%ld,\"source\":",
                im->row - 1, im->imported, im->invalid, im->clients_created);
    strbuf_add_json_str(&after, im->o->source);
    strbuf_addc(&after, '}');
    int rc = record_audit(im->d, im->who, im->en, "import", NULL, NULL, after.buf, e);
    strbuf_release(&after);
    return rc;
}

int import_csv(db *d, const actor *who, const entity *en, const char *buf, size_t len, const import_opts *o,
               strbuf *out, err_t *e)
{
    if (!import_allowed_entity(en))
        return err_set(e, E_METHOD_NOT_ALLOWED, NULL, "%s cannot be imported", en->name);
    int rc = access_whole(who, en, OP_CREATE, e);
    if (rc)
        return rc;
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) { /* the byte-order mark spreadsheets write */
        buf += 3;
        len -= 3;
    }
    importer im = {.d = d, .who = who, .en = en, .o = o, .client_name_col = -1};
    im.row_by_row = en->before_write || en->after_write;
    const field *cf = entity_field(en, "client_id");
    im.client_field = cf && cf->ref && !strcmp(cf->ref, "clients") ? cf : NULL;
    clock_format(clock_now(), im.now);
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    int bulk = 0;
    if ((rc = db_begin(d, e)) < 0)
        goto out;
    if (im.client_field && (rc = load_client_names(&im, e)) < 0)
        goto rollback;
    if ((rc = bulk = worth_bulk(&im, buf, len, e)) < 0 || (bulk && (rc = d->be->bulk_begin(d, en->name, e)) < 0))
        goto rollback;
    if (csv_parse(&p, buf, len, on_cell, on_row, &im) != len || csv_fini(&p, on_cell, on_row, &im) != 0) {
        err_t pe;
        err_set(&pe, E_INVALID_VALUE, NULL,
                "row %ld is not valid CSV (an unclosed quote, or a quote inside an unquoted cell): %s", im.row + 1,
                csv_strerror(csv_error(&p)));
        stop(&im, &pe);
    }
    if (im.stop) {
        *e = im.fatal;
        rc = im.fatal.code;
    } else if (!im.header_done) {
        rc = err_set(e, E_INVALID_VALUE, NULL, "the file is empty: it needs a header row naming the columns");
    }
    if (bulk) { /* before any rollback too: the suspended triggers must come back
                   in this transaction */
        err_t be;
        int brc = d->be->bulk_end(d, en->name, &be);
        if (brc < 0 && rc >= 0) {
            *e = be;
            rc = brc;
        }
    }
    if (rc >= 0 && !o->dry_run && (!im.invalid || o->skip_invalid) && (rc = audit_import(&im, e)) < 0)
        goto rollback;
    if (rc >= 0)
        report(&im, out);
    if (rc < 0 || o->dry_run || (im.invalid && !o->skip_invalid))
        goto rollback;
    rc = db_commit(d, e);
    goto out;
rollback:
    db_rollback(d);
    if (rc >= 0 && im.invalid && !o->skip_invalid) {
        *e = im.first;
        snprintf(e->message, sizeof e->message,
                 "%ld of %ld rows are invalid, so nothing was imported; the first: "
                 "%.200s",
                 im.invalid, im.row - 1, im.first.message);
        rc = e->code;
    }
out:
    csv_free(&p);
    db_finalize(im.ins);
    for (int k = 0; k < im.nins; k++)
        json_decref(im.def[k]);
    for (int c = 0; c < im.ncols; c++)
        free(im.cols[c].header);
    free(im.cols);
    free(im.off);
    strbuf_release(&im.cells);
    strbuf_release(&im.errors);
    names_release(&im.names);
    return rc < 0 ? rc : 0;
}
