/* import_row: one data row of an import (see import_impl.h): its cells checked by the fields' own types,
 * its client found (by id, by company name, --client, or made for a contact of their own), then either
 * written (a prepared INSERT, or record_create where the entity has rules), or, when it is a record the
 * workspace has, updated or left as --on-match says. */
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "core/bulk/import_impl.h"
#include "core/engine/record.h"

void import_add_error(importer *im, const char *col, const err_t *e)
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

static const char *raw_cell(const importer *im, int c)
{
    return c >= 0 && c < im->ncells ? im->cells.buf + im->off[c] : "";
}

/* The id in a record's JSON as the write path answers it: the id comes first ({"id":"cli_...",...}), so
 * a client made per company need not be parsed whole. 1 when found. */
static int record_id_of(const char *json, char id[ID_MAX])
{
    static const char head[] = "{\"id\":\"";
    const char *start = json && !strncmp(json, head, sizeof head - 1) ? json + sizeof head - 1 : NULL;
    const char *end = start ? strchr(start, '"') : NULL;
    if (!end || end - start >= ID_MAX)
        return 0;
    memcpy(id, start, (size_t)(end - start));
    id[end - start] = '\0';
    return 1;
}

/* The first spare column of column p (import_impl.h: column.spare_of) with a value in this row, or -1. */
static int spare_in_use(const importer *im, int p)
{
    for (int c = 0; c < im->ncols; c++)
        if (im->cols[c].spare_of == p + 1 && *raw_cell(im, c))
            return c;
    return -1;
}

/* The text of column c in this row. Where a preset gave a field several columns ("Phone Number",
 * "Mobile Phone Number") and the one that gives it is empty, the first spare with a value gives it
 * instead and is not also kept in the notes. */
static const char *cell(const importer *im, int c)
{
    const char *s = raw_cell(im, c);
    if (!im->spares || c < 0 || c >= im->ncols)
        return s;
    int p = im->cols[c].spare_of - 1;
    if (p >= 0) /* a spare: empty here when it stands in for its column */
        return *s && !*raw_cell(im, p) && spare_in_use(im, p) == c ? "" : s;
    if (!*s && im->cols[c].kind == COL_FIELD) {
        int sp = spare_in_use(im, c);
        return sp >= 0 ? raw_cell(im, sp) : s;
    }
    return s;
}

/* The id of the client named name, creating it (with the clients' own rules and audit) when the
 * workspace has none of that name. A client made again after a rolled-back slice counts once. */
static int client_by_name(importer *im, const char *name, const char **id, err_t *e)
{
    char key[256];
    import_name_key(name, key, sizeof key);
    if ((*id = import_names_find(&im->names, key)))
        return 0;
    json_t *body = json_pack("{s:s}", "name", name);
    strbuf out = STRBUF_INIT;
    int rc = body ? record_create(im->d, im->who, entity_by_name("clients"), body, &out, e)
                  : err_set(e, E_INTERNAL, NULL, "out of memory");
    json_decref(body);
    char new_id[ID_MAX];
    if (rc >= 0 && !record_id_of(out.buf, new_id))
        rc = err_set(e, E_INTERNAL, NULL, "the new client's answer has no id");
    strbuf_release(&out);
    if (rc < 0)
        return rc;
    int again = import_names_known(&im->names, key);
    if (import_names_add(&im->names, key, new_id) < 0)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    strbuf_add(&im->made, key, strlen(key) + 1);
    if (!again)
        im->clients_created++;
    *id = import_names_find(&im->names, key);
    return 0;
}

int import_load_client_names(importer *im, err_t *e)
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
        import_name_key(db_col_text(s, 1, NULL), key, sizeof key);
        if (import_names_add(&im->names, key, db_col_text(s, 0, NULL)) < 0) {
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

/* From a recognised export, a date that carries a time ("2026-03-31 10:00", HubSpot's way) gives its
 * date; any other date, amount or number the field cannot read ("$12,400.00", "3/31/2026", "75%": a
 * product's own formats) is kept in the notes rather than refusing the row, where the record has notes. */
static const char *soften_value(importer *im, const char *header, const field *f, const char *text, char *buf, size_t n)
{
    if (f->type == &FT_DATE && strlen(text) > 10 && (text[10] == ' ' || text[10] == 'T')) {
        snprintf(buf, n, "%.10s", text);
        text = buf;
    }
    field_value v = {0};
    err_t e;
    err_clear(&e);
    int bad = field_parse_text(f, text, &v, &e) < 0;
    field_value_clear(&v);
    if (!bad || (!im->notes_field && !im->notes_as_note)) /* no notes to keep it in (deals): the row is refused */
        return text;
    strbuf_addf(&im->extra, "%s%s: %s", im->extra.len ? "\n" : "", header, text);
    return "";
}

/* Another product's export is not refused for what its own checks let through. A cell of several values
 * ("a@x.org ::: b@y.org", Google's way) gives the field its first and keeps the others in the notes;
 * from a recognised export, a phone that is no phone number ("ask for Bob") is kept in the notes too
 * rather than refusing the row. Returns the text for the field. */
static const char *soften(importer *im, const char *header, const field *f, const char *text, char *buf, size_t n)
{
    if (im->preset && *text && (f->type == &FT_DATE || f->type == &FT_MONEY || f->type == &FT_INT))
        return soften_value(im, header, f, text, buf, n);
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

/* One data row on the prepared-insert path. */
void import_insert_row(importer *im)
{
    field_value v[ENTITY_MAX_FIELDS];
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
    char *custom = NULL; /* the row's custom values, when the file has columns for custom fields */
    if (rc == 0 && im->custom_cols) {
        json_t *cj = NULL;
        if ((rc = import_row_custom(im, &cj, &bad_col, &e)) == 0 &&
            !(custom = json_dumps(cj, JSON_COMPACT | JSON_SORT_KEYS)))
            rc = err_set(&e, E_INTERNAL, NULL, "out of memory");
        json_decref(cj);
    }
    /* the columns no field takes, kept in a note on the contact (contacts have no notes of their own):
     * checked before the contact is written, so a row refused for its note leaves no contact behind */
    strbuf note = STRBUF_INIT;
    if (rc == 0 && im->notes_as_note) {
        row_notes(im, &note);
        if (note.len && (rc = import_note_check(im, note.buf, &e)) < 0)
            bad_col = NULL;
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
        if (custom)
            db_bind_text(im->ins, 6 + im->nins, custom);
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
        if (rc >= 0 && note.len && owner && (rc = import_note_write(im, id, owner, note.buf, &e)) < 0)
            bad_col = NULL;
        if (rc >= 0)
            im->imported++;
        else if (e.code == E_CONFLICT) /* a unique field's value is taken: this row's fault */
            bad_col = e.field;
    }
    if (rc < 0 && !im->stop) {
        if (e.code == E_UNAVAILABLE || e.code == E_INTERNAL)
            import_stop(im, &e);
        else
            import_add_error(im, bad_col, &e);
    }
    strbuf_release(&note);
    for (int i = 0; i < im->nins; i++)
        field_value_clear(&v[i]);
    free(custom);
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
    json_t *custom = NULL;
    if (rc == 0 && im->custom_cols && (rc = import_row_custom(im, &custom, bad_col, e)) == 0 && json_object_size(custom))
        json_object_set(body, "custom", custom);
    json_decref(custom);
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
        import_stop(im, e);
    else
        import_add_error(im, bad_col, e);
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
int import_row_matched(importer *im)
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
void import_create_row(importer *im)
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
            import_stop(im, &e);
        else
            import_add_error(im, bad_col, &e);
    }
}

/* The INSERT for the fast path: the system columns, then every field the file
 * gives or that has a default (a NOT NULL column whose default the table does
 * not hold for older migrations). */
int import_prepare_insert(importer *im, err_t *e)
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
    if (im->custom_cols)
        strbuf_adds(&sql, ", custom");
    strbuf_adds(&sql, ") VALUES (?, ?, ?, ?, ?, 1");
    for (int k = 0; k < im->nins + (im->custom_cols > 0); k++)
        strbuf_adds(&sql, ", ?");
    strbuf_addc(&sql, ')');
    int rc = db_prepare(im->d, sql.buf, &im->ins, e);
    strbuf_release(&sql);
    return rc;
}
