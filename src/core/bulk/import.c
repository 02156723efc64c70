/* import: see import.h. */
#include "core/bulk/import.h"

#include <csv.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/utf8.h"
#include "core/bulk/import_match.h"
#include "core/bulk/import_preset.h"
#include "core/engine/record.h"

/* COL_LEFT_OUT: the caller's mapping said to leave it out ("" in the mapping); COL_IGNORED: it names
 * nothing we know (reported, and kept in the notes where the entity has them). */
enum col_kind { COL_IGNORED, COL_FIELD, COL_CLIENT_NAME, COL_NOTES, COL_LEFT_OUT, COL_FULL_NAME };

typedef struct column {
    char *header;
    int kind;
    const field *f;
    int chosen; /* by the caller's mapping or a preset: no guess overrides it */
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
    const field *notes_field; /* where columns without a field of their own are kept, or NULL */
    int notes_as_note;        /* no notes field (contacts): they are kept in a note on the record */
    int full_name_col;        /* "Display Name": first and last name when the row has neither, or -1 */
    int individual;           /* a contact with no company is a client of their own */
    const entity *interactions;
    name_table names;
    strbuf made;               /* keys of the clients created in the open transaction, NUL-separated */
    long skip;                 /* data rows an earlier run kept: read, not acted on */
    long acted;                /* data rows acted on (kept or refused) since the counter was last read */
    int nul_col;               /* a cell of the row being read holds a NUL: its column, or -1 */
    const char *preset;        /* the preset the header was recognised as, or NULL */
    int keep_going;            /* the write pass after a clean check: a row that fails now is skipped, not the rest */
    char fixed_client[ID_MAX]; /* --client given as an id */
    strbuf extra;              /* this row's values kept in the notes for want of a place: "Phone 2: ..." */
    import_match *match;       /* the workspace's records by key, when rows that match are updated or skipped */
    long updated, unchanged;
    strbuf actions; /* the first matches: {"row", "action", "id", "matched_by"} */
    int nactions;
    struct csv_parser parser;
    int parser_live;
    /* the prepared-insert path */
    int row_by_row; /* the entity has rules: each row goes through record_create
                     */
    int savepoints; /* the entity has unique fields: each insert in its own
                       savepoint */
    db_stmt *ins;
    const field *ins_f[64];
    int ins_col[64], nins;
    json_t *def[64];
    char last_ref[64][ID_MAX]; /* the last reference each field checked, to skip
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
            return t->id[h] || (t->id[h] = strdup(id)) ? 0 : -1; /* a forgotten client made again */
    if (!(t->name[h] = strdup(key)) || !(t->id[h] = strdup(id)))
        return -1;
    t->n++;
    return 0;
}

/* The client created under key was rolled back: its name stays (so it is not counted twice), its id
 * goes. Returns whether key was known. */
static int names_forget(name_table *t, const char *key)
{
    if (!t->cap)
        return 0;
    for (size_t h = name_hash(key) & (t->cap - 1); t->name[h]; h = (h + 1) & (t->cap - 1))
        if (!strcmp(t->name[h], key)) {
            free(t->id[h]);
            t->id[h] = NULL;
            return 1;
        }
    return 0;
}

static int names_known(const name_table *t, const char *key)
{
    if (!t->cap)
        return 0;
    for (size_t h = name_hash(key) & (t->cap - 1); t->name[h]; h = (h + 1) & (t->cap - 1))
        if (!strcmp(t->name[h], key))
            return 1;
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

int import_on_match(const char *word)
{
    return !strcmp(word, "create")   ? IMPORT_CREATE
           : !strcmp(word, "update") ? IMPORT_UPDATE
           : !strcmp(word, "skip")   ? IMPORT_SKIP
                                     : -1;
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

static int is_client_name(const char *norm)
{
    return !strcmp(norm, "company") || !strcmp(norm, "client") || !strcmp(norm, "company_name") ||
           !strcmp(norm, "client_name");
}

/* A header that is not a field's name but plainly holds one: "Email Work", "E-mail 2", "Home Mobile". */
static const field *loose_field(importer *im, const char *norm)
{
    static const struct {
        const char *word, *field;
    } words[] = {{"email", "email"}, {"e_mail", "email"}, {"phone", "phone"}, {"mobile", "phone"}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(norm, words[i].word))
            return entity_field(im->en, words[i].field);
    return NULL;
}

static int is_full_name(const char *norm)
{
    return !strcmp(norm, "name") || !strcmp(norm, "display_name") || !strcmp(norm, "full_name");
}

/* What one column is, by target: a field's name, "company" (the client by name), "notes", or "" (left
 * out). Unknown targets are the caller's mistake: E_INVALID_VALUE naming the mapping. */
static int column_by_target(importer *im, column *col, const char *target, err_t *e)
{
    char norm[128];
    normalise(target, norm, sizeof norm);
    if (!*norm) {
        col->kind = COL_LEFT_OUT;
        return 0;
    }
    if (im->client_field && is_client_name(norm)) {
        col->kind = COL_CLIENT_NAME;
        return 0;
    }
    if (!strcmp(norm, "notes") && (im->notes_field || im->notes_as_note)) {
        col->kind = COL_NOTES;
        return 0;
    }
    if (!strcmp(norm, "full_name") && entity_field(im->en, "first_name") && entity_field(im->en, "last_name")) {
        col->kind = COL_FULL_NAME;
        return 0;
    }
    const field *f = field_for_header(im->en, target);
    if (!f || (f->flags & (F_READONLY | F_HIDDEN)))
        return err_set(e, E_INVALID_VALUE, "mapping", "the mapping sends \"%.60s\" to %.60s, which %s has no field for",
                       col->header, target, im->en->name);
    col->kind = COL_FIELD;
    col->f = f;
    return 0;
}

/* The header row: each column to a field, the client's name, the notes, or ignored. The caller's
 * mapping wins, then a preset's (named, or recognised from the header), then the header's own names. */
static void read_header(importer *im)
{
    err_t e;
    err_clear(&e);
    if (im->ncells > IMPORT_MAX_COLUMNS) {
        err_set(&e, E_INVALID_VALUE, NULL, "row 1 has %d columns; at most %d are taken", im->ncells,
                IMPORT_MAX_COLUMNS);
        stop(im, &e);
        return;
    }
    im->cols = calloc((size_t)(im->ncells ? im->ncells : 1), sizeof *im->cols);
    if (!im->cols) {
        err_set(&e, E_INTERNAL, NULL, "out of memory");
        stop(im, &e);
        return;
    }
    im->ncols = im->ncells;
    const char *headers[IMPORT_MAX_COLUMNS];
    for (int c = 0; c < im->ncols; c++) {
        im->cols[c].header = strdup(im->cells.buf + im->off[c]);
        headers[c] = im->cols[c].header ? im->cols[c].header : "";
    }
    const import_preset *preset =
        im->o->preset ? import_preset_find(im->o->preset) : import_preset_detect(im->en, headers, im->ncols);
    if (im->o->preset && !preset) {
        err_set(&e, E_INVALID_VALUE, "preset", "no preset %.60s (%s)", im->o->preset, import_preset_names());
        stop(im, &e);
        return;
    }
    im->preset = preset ? preset->name : NULL;
    for (int c = 0; c < im->ncols; c++) {
        column *col = &im->cols[c];
        const char *h = headers[c];
        for (int k = 0; k < c; k++)
            if (!strcmp(headers[k], h) && *h) {
                err_set(&e, E_INVALID_VALUE, h, "row 1 names column %s twice (columns %d and %d)", h, k + 1, c + 1);
                stop(im, &e);
                return;
            }
        json_t *m = im->o->mapping ? json_object_get(im->o->mapping, h) : NULL;
        const char *target = m ? json_string_value(m) : preset ? import_preset_target(preset, im->en, h) : NULL;
        if (m && !target) {
            err_set(&e, E_INVALID_VALUE, "mapping", "the mapping of \"%.60s\" must be a string", h);
            stop(im, &e);
            return;
        }
        if (target) {
            col->chosen = 1;
            if (column_by_target(im, col, target, &e) < 0) {
                stop(im, &e);
                return;
            }
        } else {
            char norm[128];
            normalise(h, norm, sizeof norm);
            const field *f = field_for_header(im->en, h);
            if (f && (f->flags & (F_READONLY | F_HIDDEN)))
                f = NULL; /* set by the server: such a column is reported as ignored */
            if (f) {
                col->kind = COL_FIELD;
                col->f = f;
            } else if (im->client_field && im->client_name_col < 0 && is_client_name(norm)) {
                col->kind = COL_CLIENT_NAME;
            } else if (im->full_name_col < 0 && is_full_name(norm) && entity_field(im->en, "first_name")) {
                col->kind = COL_FULL_NAME;
            } else if (*h && (im->notes_field || im->notes_as_note)) {
                col->kind = COL_NOTES; /* kept, not dropped: "Favourite colour: blue" in the notes */
            }
        }
        if (col->kind == COL_CLIENT_NAME) {
            if (im->client_name_col >= 0) {
                col->kind = COL_IGNORED; /* one company column finds the client; a second is kept as notes */
                if (im->notes_field || im->notes_as_note)
                    col->kind = COL_NOTES;
            } else {
                im->client_name_col = c;
            }
        }
        if (col->kind == COL_FULL_NAME) {
            if (im->full_name_col >= 0)
                col->kind = im->notes_field || im->notes_as_note ? COL_NOTES : COL_IGNORED;
            else
                im->full_name_col = c;
        }
        if (col->kind == COL_FIELD)
            for (int k = 0; k < c; k++)
                if (im->cols[k].kind == COL_FIELD && im->cols[k].f == col->f) {
                    if (!m) { /* a preset or the header offers two columns for one field: the first wins */
                        col->kind = im->notes_field || im->notes_as_note ? COL_NOTES : COL_IGNORED;
                        col->f = NULL;
                        break;
                    }
                    err_set(&e, E_INVALID_VALUE, col->header, "columns %d and %d both give %s", k + 1, c + 1,
                            col->f->name);
                    stop(im, &e);
                    return;
                }
        if (col->kind == COL_FIELD && col->f == im->notes_field)
            col->kind = COL_NOTES; /* a notes column joins the other kept columns */
    }
    /* last, the guesses: "Email Work" or "Home Mobile" gives the email or phone no column gave */
    for (int c = 0; c < im->ncols; c++) {
        column *col = &im->cols[c];
        char norm[128];
        normalise(headers[c], norm, sizeof norm);
        size_t n = strlen(norm);
        const field *f = NULL;
        if (col->chosen || (col->kind != COL_NOTES && col->kind != COL_IGNORED) || col->f ||
            (n > 5 && !strcmp(norm + n - 5, "_type")) || (n > 6 && !strcmp(norm + n - 6, "_label")) ||
            !(f = loose_field(im, norm)))
            continue;
        int taken = 0;
        for (int k = 0; k < im->ncols; k++)
            taken |= im->cols[k].kind == COL_FIELD && im->cols[k].f == f;
        if (!taken) {
            col->kind = COL_FIELD;
            col->f = f;
        }
    }
    for (int i = 0; i < im->en->nfields; i++) {
        const field *f = &im->en->fields[i];
        if (!(f->flags & F_REQUIRED) ||
            (f == im->client_field && (im->client_name_col >= 0 || im->o->client || im->individual)))
            continue;
        int have = 0;
        for (int c = 0; c < im->ncols; c++)
            have |= im->cols[c].kind == COL_FIELD && im->cols[c].f == f;
        if (!have) {
            err_set(&e, E_REQUIRED, f->name, "the header has no %s column%s", f->name,
                    f == im->client_field ? " (nor company, to find the client by name; or name one with --client)"
                                          : "");
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

/* The id of the client named name, creating it (with the clients' own rules and audit) when the
 * workspace has none of that name. A client made again after a rolled-back slice counts once. */
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
    int again = names_known(&im->names, key);
    const char *new_id = json_string_value(json_object_get(made, "id"));
    if (!new_id || names_add(&im->names, key, new_id) < 0)
        rc = err_set(e, E_INTERNAL, NULL, "out of memory");
    json_decref(made);
    if (rc < 0)
        return rc;
    strbuf_add(&im->made, key, strlen(key) + 1);
    if (!again)
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

/* The notes of the row: the notes column's own text, then "Header: value" for each column kept there
 * because no field takes it. Empty when there is nothing to keep. */
static void row_notes(const importer *im, strbuf *out)
{
    if (im->extra.len)
        strbuf_add(out, im->extra.buf, im->extra.len);
    for (int c = 0; c < im->ncols; c++)
        if (im->cols[c].kind == COL_NOTES && im->cols[c].f && *cell(im, c))
            strbuf_adds(out, cell(im, c));
    for (int c = 0; c < im->ncols; c++)
        if (im->cols[c].kind == COL_NOTES && !im->cols[c].f && *cell(im, c))
            strbuf_addf(out, "%s%s: %s", out->len ? "\n" : "", im->cols[c].header, cell(im, c));
}

static int has_notes_columns(const importer *im)
{
    if (im->extra.len)
        return 1;
    for (int c = 0; c < im->ncols; c++)
        if (im->cols[c].kind == COL_NOTES)
            return 1;
    return 0;
}

/* Another product's export is not refused for what its own checks let through. A cell of several values
 * ("a@x.org ::: b@y.org", Google's way) gives the field its first and keeps the others in the notes;
 * from a recognised export, a phone that is no phone number ("ask for Bob") is kept in the notes too
 * rather than refusing the row. Returns the text for the field. */
static const char *soften(importer *im, const char *header, const field *f, const char *text, char *buf, size_t n)
{
    if (f->type != &FT_PHONE && f->type != &FT_EMAIL)
        return text;
    const char *more = strstr(text, " ::: ");
    if (more) {
        strbuf_addf(&im->extra, "%s%s: %s", im->extra.len ? "\n" : "", header, more + 5);
        snprintf(buf, n, "%.*s", (int)(more - text), text);
        text = buf;
    }
    if (im->preset && f->type == &FT_PHONE && *text) {
        field_value v = {0};
        err_t e;
        err_clear(&e);
        int bad = field_parse_text(f, text, &v, &e) < 0;
        field_value_clear(&v);
        if (bad) {
            strbuf_addf(&im->extra, "%s%s: %s", im->extra.len ? "\n" : "", header, text);
            return "";
        }
    }
    return text;
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

/* "Ada King Lovelace" into first "Ada King" and last "Lovelace" when the row has no first or last name
 * of its own; both empty otherwise. */
static void split_full_name(const importer *im, char *first, size_t fn, char *last, size_t ln)
{
    *first = *last = '\0';
    if (im->full_name_col < 0 || !*cell(im, im->full_name_col))
        return;
    for (int c = 0; c < im->ncols; c++)
        if (im->cols[c].kind == COL_FIELD && *cell(im, c) &&
            (!strcmp(im->cols[c].f->name, "first_name") || !strcmp(im->cols[c].f->name, "last_name")))
            return;
    const char *full = cell(im, im->full_name_col), *sp = strrchr(full, ' ');
    if (!sp) {
        snprintf(first, fn, "%s", full);
        return;
    }
    snprintf(first, fn, "%.*s", (int)(sp - full), full);
    snprintf(last, ln, "%s", sp + 1);
}

static const char *field_cell(const importer *im, const char *name)
{
    for (int c = 0; c < im->ncols; c++)
        if (im->cols[c].kind == COL_FIELD && !strcmp(im->cols[c].f->name, name))
            return cell(im, c);
    return "";
}

/* The client of a row with no client_id: the company it names, else the one --client named, else (a
 * contact) a client of their own, named after them. *id stays NULL when there is none to give. */
static int row_client(importer *im, const char **id, const char **bad_col, err_t *e)
{
    *id = NULL;
    const char *name = im->client_name_col >= 0 ? cell(im, im->client_name_col) : "";
    int rc = 0;
    if (*name) {
        if ((rc = client_by_name(im, name, id, e)) < 0)
            *bad_col = im->cols[im->client_name_col].header;
        return rc;
    }
    if (im->o->client) {
        if (im->fixed_client[0]) {
            *id = im->fixed_client;
            return 0;
        }
        return client_by_name(im, im->o->client, id, e);
    }
    if (!im->individual)
        return 0;
    char own[256], first[128], last[128];
    split_full_name(im, first, sizeof first, last, sizeof last);
    const char *fn = *field_cell(im, "first_name") ? field_cell(im, "first_name") : first,
               *ln = *field_cell(im, "last_name") ? field_cell(im, "last_name") : last;
    if (*fn || *ln)
        snprintf(own, sizeof own, "%s%s%s", fn, *fn && *ln ? " " : "", ln);
    else if (*field_cell(im, "email"))
        snprintf(own, sizeof own, "%s", field_cell(im, "email"));
    else if (*field_cell(im, "phone"))
        snprintf(own, sizeof own, "%s", field_cell(im, "phone"));
    else
        snprintf(own, sizeof own, "Contact from row %ld", im->row);
    return client_by_name(im, own, id, e);
}

/* The columns no field takes, kept in a note on the contact (contacts have no notes of their own). */
static int keep_as_note(importer *im, const char *contact_id, const char *client_id, err_t *e)
{
    strbuf notes = STRBUF_INIT;
    row_notes(im, &notes);
    int rc = 0;
    if (notes.len && client_id) {
        json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "client_id", client_id, "contact_id", contact_id, "type",
                                 "note", "subject", "Imported details", "summary", notes.buf);
        strbuf out = STRBUF_INIT;
        rc = body ? record_create(im->d, im->who, im->interactions, body, &out, e)
                  : err_set(e, E_INTERNAL, NULL, "out of memory");
        strbuf_release(&out);
        json_decref(body);
    }
    strbuf_release(&notes);
    return rc < 0 ? rc : 0;
}

/* One data row on the prepared-insert path. */
static void insert_row(importer *im)
{
    field_value v[64];
    memset(v, 0, sizeof v);
    err_t e;
    err_clear(&e);
    int k, rc = 0;
    const char *bad_col = NULL;
    char first[128], last[128];
    split_full_name(im, first, sizeof first, last, sizeof last);
    const char *client_id = NULL;
    for (k = 0; k < im->nins; k++) {
        const char *text = cell(im, im->ins_col[k]);
        if (im->ins_f[k] == im->client_field && !*text) {
            if ((rc = row_client(im, &client_id, &bad_col, &e)) < 0)
                break;
            if (client_id) {
                v[k].s = strdup(client_id);
                continue;
            }
        }
        char soft[512];
        if (im->ins_col[k] >= 0)
            text = soften(im, im->cols[im->ins_col[k]].header, im->ins_f[k], text, soft, sizeof soft);
        if (!*text && !strcmp(im->ins_f[k]->name, "first_name"))
            text = first;
        else if (!*text && !strcmp(im->ins_f[k]->name, "last_name"))
            text = last;
        strbuf notes = STRBUF_INIT;
        if (im->ins_f[k] == im->notes_field && has_notes_columns(im)) {
            row_notes(im, &notes);
            text = notes.buf;
        }
        rc = parse_cell(im, k, text, &v[k], &e);
        strbuf_release(&notes);
        if (rc < 0) {
            bad_col = im->ins_col[k] >= 0 ? im->cols[im->ins_col[k]].header : im->ins_f[k]->name;
            break;
        }
    }
    if (rc == 0 && (im->invalid == 0 || im->o->skip_invalid || im->keep_going)) {
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
        const char *owner = NULL;
        for (int i = 0; i < im->nins; i++)
            if (im->ins_f[i] == im->client_field)
                owner = v[i].s;
        if (rc >= 0 && im->notes_as_note && (rc = keep_as_note(im, id, owner, &e)) < 0)
            bad_col = NULL;
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

/* The row's values as a JSON body (the fields it gives, and its notes). */
static int row_body(importer *im, json_t *body, const char **bad_col, err_t *e)
{
    int rc = 0;
    char first[128], last[128];
    split_full_name(im, first, sizeof first, last, sizeof last);
    if (*first && entity_field(im->en, "first_name"))
        json_object_set_new(body, "first_name", json_string(first));
    if (*last && entity_field(im->en, "last_name"))
        json_object_set_new(body, "last_name", json_string(last));
    for (int c = 0; rc == 0 && c < im->ncols; c++) {
        const char *text = cell(im, c);
        const column *col = &im->cols[c];
        char soft[512];
        if (col->kind == COL_FIELD)
            text = soften(im, col->header, col->f, text, soft, sizeof soft);
        if (col->kind != COL_FIELD || !*text)
            continue;
        if (!utf8_valid(text, strlen(text))) {
            rc = err_set(e, E_INVALID_VALUE, col->f->name, "%s is not valid UTF-8 text", col->f->name);
            *bad_col = col->header;
            break;
        }
        json_object_set_new(body, col->f->name, col->f->type->from_text(col->f, text));
    }
    if (rc == 0 && im->notes_field && has_notes_columns(im)) {
        strbuf notes = STRBUF_INIT;
        row_notes(im, &notes);
        if (notes.len)
            json_object_set_new(body, im->notes_field->name, json_string(notes.buf));
        strbuf_release(&notes);
    }
    return rc;
}

static void row_failed(importer *im, int rc, const char *bad_col, err_t *e)
{
    (void)rc;
    if (e->code == E_UNAVAILABLE || e->code == E_INTERNAL)
        stop(im, e);
    else
        add_error(im, bad_col, e);
}

/* The row is the record id: update it with the row's values (its client stays), or leave it. */
static void matched_row(importer *im, const char *id, const char *by)
{
    int update = im->o->on_match == IMPORT_UPDATE;
    if (im->nactions < IMPORT_MAX_ERRORS) {
        strbuf_addf(&im->actions, "%s{\"row\":%ld,\"action\":\"%s\",\"id\":", im->nactions++ ? "," : "", im->row,
                    update ? "update" : "skip");
        strbuf_add_json_str(&im->actions, id);
        strbuf_adds(&im->actions, ",\"matched_by\":");
        strbuf_add_json_str(&im->actions, by);
        strbuf_addc(&im->actions, '}');
    }
    if (!update) {
        im->unchanged++;
        return;
    }
    err_t e;
    err_clear(&e);
    const char *bad_col = NULL;
    json_t *body = json_object(), *old = body ? record_read(im->d, im->who, im->en, id, &e) : NULL;
    int rc = old ? row_body(im, body, &bad_col, &e) : e.code ? e.code : err_set(&e, E_INTERNAL, NULL, "out of memory");
    if (rc == 0) {
        json_object_set(body, "version", json_object_get(old, "version"));
        strbuf out = STRBUF_INIT;
        if ((rc = record_update(im->d, im->who, im->en, id, body, &out, &e)) == 0)
            im->updated++;
        else
            bad_col = e.field[0] ? e.field : NULL;
        strbuf_release(&out);
    }
    json_decref(body);
    json_decref(old);
    if (rc < 0)
        row_failed(im, rc, bad_col, &e);
}

/* Whether the row is a record the workspace has (then dealt with by --on-match). */
static int row_matched(importer *im)
{
    if (!im->match)
        return 0;
    const char *by, *id = import_match_find(im->match, field_cell(im, "email"), field_cell(im, "phone"),
                                            field_cell(im, "name"), field_cell(im, "website"), &by);
    if (!id)
        return 0;
    matched_row(im, id, by);
    return 1;
}

/* One data row through record_create, so the entity's rules run. */
static void create_row(importer *im)
{
    err_t e;
    err_clear(&e);
    json_t *body = json_object();
    const char *bad_col = NULL;
    int rc = body ? row_body(im, body, &bad_col, &e) : err_set(&e, E_INTERNAL, NULL, "out of memory");
    if (rc == 0 && im->client_field && !json_object_get(body, im->client_field->name)) {
        const char *id = NULL;
        if ((rc = row_client(im, &id, &bad_col, &e)) == 0 && id)
            json_object_set_new(body, im->client_field->name, json_string(id));
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
            if (im->cols[c].kind == COL_FIELD && im->cols[c].f == f)
                col = c;
        int derived = (f == im->client_field && (im->client_name_col >= 0 || im->o->client || im->individual)) ||
                      (f == im->notes_field && has_notes_columns(im)) ||
                      (im->full_name_col >= 0 && (!strcmp(f->name, "first_name") || !strcmp(f->name, "last_name")));
        if (col < 0 && !f->def && !derived)
            continue;
        if (im->nins == 64)
            break;
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

/* A text cell Rapport wrote with a leading ' to keep a spreadsheet from running it as a formula
 * (strbuf_add_csv): the ' goes again. */
static int formula_guard(const char *text, size_t len)
{
    return len >= 2 && text[0] == '\'' && strchr("=+-@\t\r", text[1]) != NULL;
}

static void on_cell(void *text, size_t len, void *data)
{
    importer *im = data;
    if (im->ncells >= im->capcells) {
        if (im->capcells >= 4 * IMPORT_MAX_COLUMNS) {
            im->ncells++; /* counted, not kept: the row is refused for its width */
            return;
        }
        int cap = im->capcells ? im->capcells * 2 : 32;
        size_t *grown = realloc(im->off, (size_t)cap * sizeof *grown);
        if (!grown)
            return; /* the cell is dropped; the row then misses it and fails its
                       checks */
        im->off = grown;
        im->capcells = cap;
    }
    if (text && len && memchr(text, '\0', len) && im->nul_col < 0)
        im->nul_col = im->ncells;
    if (text && formula_guard(text, len)) {
        text = (char *)text + 1;
        len--;
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
    err_t e;
    err_clear(&e);
    if (im->stop) {
        ;
    } else if (!im->header_done) {
        im->header_done = 1;
        if (im->nul_col >= 0) {
            err_set(&e, E_INVALID_VALUE, NULL, "row 1, column %d holds a NUL character: is the file UTF-16?",
                    im->nul_col + 1);
            stop(im, &e);
        } else {
            read_header(im);
        }
        if (!im->stop && !im->row_by_row && prepare_insert(im, &e) < 0)
            stop(im, &e);
    } else if (im->row - 1 <= im->skip) {
        ; /* kept by an earlier run */
    } else {
        im->acted++;
        if (im->nul_col >= 0) {
            err_set(&e, E_INVALID_VALUE, NULL, "a NUL character in column %d", im->nul_col + 1);
            add_error(im, im->nul_col < im->ncols ? im->cols[im->nul_col].header : NULL, &e);
        } else if (im->ncells > im->ncols) {
            err_set(&e, E_INVALID_VALUE, NULL, "%d cells where the header has %d columns", im->ncells, im->ncols);
            add_error(im, NULL, &e);
        } else if (row_matched(im)) {
            ;
        } else if (im->row_by_row) {
            create_row(im);
        } else {
            insert_row(im);
        }
    }
    im->ncells = 0;
    im->nul_col = -1;
    strbuf_reset(&im->cells);
    strbuf_reset(&im->extra);
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

static void report(importer *im, const char *status, strbuf *out)
{
    int refused = !strcmp(status, "refused"); /* then nothing is kept, clients included */
    strbuf_adds(out, "{\"entity\":");
    strbuf_add_json_str(out, im->en->name);
    strbuf_addf(out,
                ",\"dry_run\":%s,\"status\":\"%s\",\"rows\":%ld,\"imported\":%ld,\"skipped\":%ld,"
                "\"clients_created\":%ld,\"preset\":",
                im->o->dry_run ? "true" : "false", status, im->row > 0 ? im->row - 1 : 0, refused ? 0 : im->imported,
                im->invalid, refused ? 0 : im->clients_created);
    strbuf_add_json_str(out, im->preset);
    strbuf_adds(out, ",\"columns\":{");
    int n = 0;
    for (int c = 0; c < im->ncols; c++) {
        const column *col = &im->cols[c];
        if (col->kind == COL_IGNORED || col->kind == COL_LEFT_OUT)
            continue;
        strbuf_adds(out, n++ ? "," : "");
        strbuf_add_json_str(out, col->header);
        strbuf_addc(out, ':');
        strbuf_add_json_str(out, col->kind == COL_FIELD       ? col->f->name
                                 : col->kind == COL_FULL_NAME ? "first_name and last_name (when the row has neither)"
                                 : col->kind == COL_NOTES
                                     ? (col->f            ? col->f->name
                                        : im->notes_field ? "notes (as \"column: value\")"
                                                          : "a note on the record (as \"column: value\")")
                                     : "client (by name)");
    }
    strbuf_adds(out, "},\"ignored_columns\":[");
    n = 0;
    for (int c = 0; c < im->ncols; c++)
        if (im->cols[c].kind == COL_IGNORED || im->cols[c].kind == COL_LEFT_OUT) {
            strbuf_adds(out, n++ ? "," : "");
            strbuf_add_json_str(out, im->cols[c].header);
        }
    strbuf_adds(out, "],\"errors\":[");
    strbuf_add(out, im->errors.buf ? im->errors.buf : "", im->errors.len);
    static const char *const on_match[] = {"create", "update", "skip"};
    strbuf_addf(out, "],\"on_match\":\"%s\",\"updated\":%ld,\"unchanged\":%ld,\"actions\":[", on_match[im->o->on_match],
                refused ? 0 : im->updated, refused ? 0 : im->unchanged);
    if (im->actions.len)
        strbuf_add(out, im->actions.buf, im->actions.len);
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

/* An importer ready for the header: the workspace's clients by name loaded (in the caller's
 * transaction or snapshot). */
static int importer_open(importer *im, db *d, const actor *who, const entity *en, const import_opts *o, err_t *e)
{
    memset(im, 0, sizeof *im);
    im->d = d;
    im->who = who;
    im->en = en;
    im->o = o;
    im->client_name_col = -1;
    im->nul_col = -1;
    im->row_by_row = en->before_write || en->after_write;
    const field *cf = entity_field(en, "client_id");
    im->client_field = cf && cf->ref && !strcmp(cf->ref, "clients") ? cf : NULL;
    const field *nf = entity_field(en, "notes");
    im->notes_field = nf && (nf->type == &FT_LONGTEXT || nf->type == &FT_TEXT) ? nf : NULL;
    im->interactions = entity_by_name("interactions");
    im->notes_as_note = !im->notes_field && !strcmp(en->name, "contacts") && im->interactions;
    im->individual = !strcmp(en->name, "contacts");
    im->full_name_col = -1;
    clock_format(clock_now(), im->now);
    if (csv_init(&im->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    im->parser_live = 1;
    int rc = im->client_field ? load_client_names(im, e) : 0;
    if (rc == 0 && o->on_match != IMPORT_CREATE)
        rc = import_match_open(d, who, en, o->country_code, &im->match, e);
    if (rc == 0 && im->client_field && o->client) { /* --client ID, or a name found (or made) at the first row */
        db_stmt *s;
        const char *args[] = {o->client, who->workspace_id};
        rc = db_query_row(d, &s, e, "SELECT id FROM clients WHERE id = ? AND workspace_id = ?", 2, args);
        if (rc == DB_ROW) {
            snprintf(im->fixed_client, sizeof im->fixed_client, "%s", db_col_text(s, 0, NULL));
            db_finalize(s);
        }
        rc = rc < 0 ? rc : 0;
    }
    return rc;
}

static void importer_close(importer *im)
{
    if (im->parser_live)
        csv_free(&im->parser);
    db_finalize(im->ins);
    for (int k = 0; k < im->nins; k++)
        json_decref(im->def[k]);
    for (int c = 0; c < im->ncols; c++)
        free(im->cols[c].header);
    free(im->cols);
    free(im->off);
    strbuf_release(&im->cells);
    strbuf_release(&im->errors);
    strbuf_release(&im->made);
    strbuf_release(&im->extra);
    strbuf_release(&im->actions);
    import_match_close(im->match);
    names_release(&im->names);
}

/* Feeds bytes to the parser; rows that complete are acted on in the caller's transaction. */
static void feed(importer *im, const char *buf, size_t len)
{
    if (im->stop || !len)
        return;
    if (csv_parse(&im->parser, buf, len, on_cell, on_row, im) != len) {
        err_t pe;
        err_set(&pe, E_INVALID_VALUE, NULL,
                "row %ld is not valid CSV (an unclosed quote, or a quote inside an unquoted cell): %s", im->row + 1,
                csv_strerror(csv_error(&im->parser)));
        stop(im, &pe);
    }
}

/* The end of the file: the last row without its line end, a quote left open, an empty file. */
static void feed_end(importer *im)
{
    if (!im->stop && csv_fini(&im->parser, on_cell, on_row, im) != 0) {
        err_t pe;
        err_set(&pe, E_INVALID_VALUE, NULL, "row %ld is not valid CSV (a quote left open at the end of the file): %s",
                im->row + 1, csv_strerror(csv_error(&im->parser)));
        stop(im, &pe);
    }
    if (!im->stop && !im->header_done) {
        err_t pe;
        err_set(&pe, E_INVALID_VALUE, NULL, "the file is empty: it needs a header row naming the columns");
        stop(im, &pe);
    }
}

/* The open transaction rolled back: the clients it created are gone. */
static void forget_made(importer *im)
{
    for (size_t at = 0; at < im->made.len; at += strlen(im->made.buf + at) + 1)
        names_forget(&im->names, im->made.buf + at);
    strbuf_reset(&im->made);
    memset(im->last_ref, 0, sizeof im->last_ref);
}

/* The refusal's message: how many rows were invalid, and the first. */
static int refusal(importer *im, err_t *e)
{
    *e = im->first;
    snprintf(e->message, sizeof e->message,
             "%ld of %ld rows are invalid, so nothing was imported; the first: "
             "%.200s",
             im->invalid, im->row - 1, im->first.message);
    return e->code;
}

static const char *skip_bom(const char **buf, size_t *len)
{
    if (*len >= 3 && !memcmp(*buf, "\xEF\xBB\xBF", 3)) { /* the byte-order mark spreadsheets write */
        *buf += 3;
        *len -= 3;
    }
    return *buf;
}

int import_csv(db *d, const actor *who, const entity *en, const char *buf, size_t len, const import_opts *o,
               strbuf *out, err_t *e)
{
    if (!import_allowed_entity(en))
        return err_set(e, E_METHOD_NOT_ALLOWED, NULL, "%s cannot be imported", en->name);
    int rc = record_allowed(who, en, OP_CREATE, e);
    if (rc)
        return rc;
    skip_bom(&buf, &len);
    importer im;
    int bulk = 0;
    if ((rc = db_begin(d, e)) < 0)
        return rc;
    if ((rc = importer_open(&im, d, who, en, o, e)) < 0)
        goto rollback;
    if ((rc = bulk = worth_bulk(&im, buf, len, e)) < 0 || (bulk && (rc = d->be->bulk_begin(d, en->name, e)) < 0))
        goto rollback;
    feed(&im, buf, len);
    feed_end(&im);
    if (im.stop) {
        *e = im.fatal;
        rc = im.fatal.code;
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
        report(&im, im.invalid && !o->skip_invalid ? "refused" : "done", out);
    if (rc < 0 || o->dry_run || (im.invalid && !o->skip_invalid))
        goto rollback;
    rc = db_commit(d, e);
    goto out;
rollback:
    db_rollback(d);
    if (rc >= 0 && im.invalid && !o->skip_invalid)
        rc = refusal(&im, e);
out:
    importer_close(&im);
    return rc < 0 ? rc : 0;
}

static void pause_after(int64_t slice_ms, int percent)
{
    int64_t ms = slice_ms * percent / 100;
    if (ms < 2)
        ms = 2;
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* One pass over the file in slices: the check pass (keep = 0: every slice rolled back) or the write
 * pass (keep = 1). Returns 0, 1 when the progress callback cancelled, or <0 (a database failure, a bad
 * header or unreadable CSV: im->stop). */
static int run_pass(importer *im, const char *buf, size_t len, int keep, const import_driver *drv, err_t *e)
{
    size_t at = 0;
    int ended = 0;
    while (!ended) {
        int64_t started = clock_real_ms();
        int rc = db_begin(im->d, e);
        if (rc < 0)
            return rc;
        im->acted = 0;
        /* a slice: bytes in chunks until enough rows were acted on or its time is up */
        while (!im->stop && im->acted < IMPORT_SLICE_ROWS && clock_real_ms() - started < IMPORT_SLICE_MS) {
            if (at == len) {
                feed_end(im);
                ended = 1;
                break;
            }
            size_t n = len - at < 4096 ? len - at : 4096;
            feed(im, buf + at, n);
            at += n;
        }
        if (im->stop) {
            db_rollback(im->d);
            forget_made(im);
            *e = im->fatal;
            return im->fatal.code;
        }
        if (keep && ended && !im->o->dry_run && (rc = audit_import(im, e)) < 0) {
            db_rollback(im->d);
            return rc;
        }
        import_progress p = {keep ? "write" : "check", im->row > 0 ? im->row - 1 : 0,       im->imported, im->invalid,
                             im->clients_created,      im->errors.buf ? im->errors.buf : ""};
        strbuf errs = STRBUF_INIT;
        strbuf_addc(&errs, '[');
        if (im->errors.len)
            strbuf_add(&errs, im->errors.buf, im->errors.len);
        strbuf_addc(&errs, ']');
        p.errors = errs.buf;
        int cancel = 0;
        if (keep && !im->o->dry_run) {
            if (drv && drv->progress)
                cancel = drv->progress(drv->ctx, im->d, &p);
            rc = db_commit(im->d, e);
            strbuf_reset(&im->made);
        } else {
            db_rollback(im->d);
            forget_made(im);
            if (drv && drv->progress)
                cancel = drv->progress(drv->ctx, im->d, &p);
            rc = 0;
        }
        strbuf_release(&errs);
        if (rc < 0)
            return rc;
        if (cancel && !ended)
            return 1;
        if (!ended && drv && drv->between)
            drv->between(drv->ctx, im->d);
        if (!ended)
            pause_after(clock_real_ms() - started, drv ? drv->pause_percent : 0);
    }
    return 0;
}

int import_run(db *d, const actor *who, const entity *en, const char *buf, size_t len, const import_opts *o,
               const import_driver *drv, strbuf *out, err_t *e)
{
    if (!import_allowed_entity(en))
        return err_set(e, E_METHOD_NOT_ALLOWED, NULL, "%s cannot be imported", en->name);
    int rc = record_allowed(who, en, OP_CREATE, e);
    if (rc)
        return rc;
    skip_bom(&buf, &len);
    long resume = drv ? drv->resume_rows : 0;
    importer im;
    /* the check pass: every row as the write would take it, each slice rolled back; a dry run is
     * only this pass, and so is a refused file. A resumed write was checked before. */
    if (!o->skip_invalid && !resume) {
        if ((rc = importer_open(&im, d, who, en, o, e)) == 0)
            rc = run_pass(&im, buf, len, 0, drv, e);
        if (rc == 0 && (o->dry_run || im.invalid))
            report(&im, im.invalid ? "refused" : "done", out);
        else if (rc == 1)
            report(&im, "cancelled", out);
        int finished = rc != 0 || o->dry_run || im.invalid;
        if (rc == 0 && im.invalid)
            rc = refusal(&im, e);
        importer_close(&im);
        if (finished)
            return rc < 0 ? rc : 0;
    }
    if ((rc = importer_open(&im, d, who, en, o, e)) == 0) {
        im.skip = resume;
        im.keep_going = !o->skip_invalid;
        if (resume) {
            im.imported = drv->resume_imported;
            im.invalid = drv->resume_skipped;
            im.clients_created = drv->resume_clients;
        }
        rc = run_pass(&im, buf, len, !o->dry_run, drv, e);
    }
    if (rc >= 0)
        report(&im, rc == 1 ? "cancelled" : "done", out);
    importer_close(&im);
    return rc < 0 ? rc : 0;
}
