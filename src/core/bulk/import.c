/* import: see import.h; the parts are listed in import_impl.h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/access/access.h"
#include "util/clock.h"
#include "core/bulk/import_impl.h"
#include "core/engine/record.h"

int import_on_match(const char *word)
{
    return !strcmp(word, "create")   ? IMPORT_CREATE
           : !strcmp(word, "update") ? IMPORT_UPDATE
           : !strcmp(word, "skip")   ? IMPORT_SKIP
                                     : -1;
}

int import_allowed_entity(const entity *en)
{
    /* a person's own records (tokens, saved views) are no data to bring in from elsewhere */
    if (!(en->ops & OP_CREATE) || en->write_role > ROLE_MEMBER || (en->flags & ENT_WORKSPACE_ROOT) || en->self_field)
        return 0;
    for (int i = 0; i < en->nfields; i++)
        if (en->fields[i].flags & (F_HIDDEN | F_WRITEONLY))
            return 0;
    return 1;
}

int import_stop(importer *im, err_t *from)
{
    if (!im->stop) {
        im->stop = 1;
        im->fatal = *from;
    }
    return im->fatal.code;
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

/* A data row that is the header again: two exports joined together, or a header line pasted twice. */
static int repeats_header(const importer *im)
{
    if (im->ncells != im->ncols || im->ncols < 2) /* one column: a client may well be called "name" */
        return 0;
    for (int c = 0; c < im->ncols; c++)
        if (!im->cols[c].header || strcmp(im->cells.buf + im->off[c], im->cols[c].header))
            return 0;
    return 1;
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
            import_stop(im, &e);
        } else {
            import_read_header(im);
        }
        if (!im->stop && !im->row_by_row && import_prepare_insert(im, &e) < 0)
            import_stop(im, &e);
    } else if (im->row - 1 <= im->skip) {
        ; /* kept by an earlier run */
    } else {
        im->acted++;
        if (im->nul_col >= 0) {
            err_set(&e, E_INVALID_VALUE, NULL, "a NUL character in column %d", im->nul_col + 1);
            import_add_error(im, im->nul_col < im->ncols ? im->cols[im->nul_col].header : NULL, &e);
        } else if (repeats_header(im)) {
            err_set(&e, E_INVALID_VALUE, NULL, "row %ld repeats the header row (two files joined together?)", im->row);
            import_add_error(im, NULL, &e);
        } else if (im->ncells > im->ncols) {
            err_set(&e, E_INVALID_VALUE, NULL, "%d cells where the header has %d columns", im->ncells, im->ncols);
            import_add_error(im, NULL, &e);
        } else if (import_row_matched(im)) {
            ;
        } else if (im->row_by_row) {
            import_create_row(im);
        } else {
            import_insert_row(im);
        }
        if (im->ncols && !im->stop && (im->en->flags & ENT_CUSTOM))
            import_observe_row(im); /* what its columns without a field hold: the report suggests a type */
    }
    im->ncells = 0;
    im->nul_col = -1;
    strbuf_reset(&im->cells);
    strbuf_reset(&im->extra);
}

/* SQLite's full-text triggers and secondary indexes cost more per row than one rebuild when the file is
 * as large as the table: then they are set aside and rebuilt once (db.h's bulk load). The import writes
 * its entity's table, and, for a file naming companies or with columns kept in notes, clients (each with
 * its audit entry) and note interactions: each of those tables is set aside too when the file is at least
 * as large as it. Returns how many tables it names in tables[], or <0. */
static int bulk_tables(importer *im, const char *buf, size_t len, const char *tables[4], err_t *e)
{
    if (im->row_by_row)
        return 0;
    size_t lines = 0;
    for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + len - p))); p++)
        lines++;
    if (lines < 1000)
        return 0;
    const char *maybe[4] = {im->en->name};
    int nmaybe = 1, n = 0;
    if (im->client_field) {
        maybe[nmaybe++] = "clients";
        maybe[nmaybe++] = "audit";
    }
    if (im->notes_as_note)
        maybe[nmaybe++] = im->interactions->name;
    for (int i = 0; i < nmaybe; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", maybe[i]);
        db_stmt *s;
        int rc = db_query_row(im->d, &s, e, sql, 0, NULL);
        if (rc < 0)
            return rc;
        int64_t have = rc == DB_ROW ? db_col_int(s, 0) : 0;
        if (rc == DB_ROW)
            db_finalize(s);
        if ((int64_t)lines >= have)
            tables[n++] = maybe[i];
    }
    return n;
}

/* Where a column goes, as a mapping would name it ("email", "company", "custom.shoe_size", "" for nowhere). */
static void add_target(const importer *im, const column *col, strbuf *out)
{
    switch (col->kind) {
    case COL_FIELD: strbuf_add_json_str(out, col->f->name); break;
    case COL_CLIENT_NAME: strbuf_adds(out, "\"company\""); break;
    case COL_FULL_NAME: strbuf_adds(out, "\"full_name\""); break;
    case COL_NOTES: strbuf_adds(out, "\"notes\""); break;
    case COL_CUSTOM:
        strbuf_addf(out, "\"custom.%s\"", im->defs[col->custom].key); /* a key is a slug: nothing to escape */
        break;
    default: strbuf_adds(out, "\"\""); break;
    }
}

/* The report's parts about mappings and custom fields: the mapping used (as a saved mapping keeps it),
 * what put each column where it goes, the saved mapping, the columns without a field. */
static void report_mapping(const importer *im, strbuf *out)
{
    static const char *const sources[] = {"header", "mapping", "saved mapping", "preset", "guess", "new custom field"};
    /* a column kept in the notes for want of a field is left out: saved, the mapping would pin it there,
     * though a custom field made for it later should take it */
    strbuf_adds(out, ",\"mapping\":{");
    for (int c = 0, n = 0; c < im->ncols; c++) {
        if (import_column_unknown(im, &im->cols[c]))
            continue;
        strbuf_adds(out, n++ ? "," : "");
        strbuf_add_json_str(out, im->cols[c].header);
        strbuf_addc(out, ':');
        add_target(im, &im->cols[c], out);
    }
    strbuf_adds(out, "},\"column_sources\":{");
    for (int c = 0; c < im->ncols; c++) {
        strbuf_adds(out, c ? "," : "");
        strbuf_add_json_str(out, im->cols[c].header);
        strbuf_addf(out, ":\"%s\"", sources[im->cols[c].source]);
    }
    strbuf_adds(out, "},\"saved_mapping\":");
    if (im->o->saved) {
        strbuf_adds(out, "{\"id\":");
        strbuf_add_json_str(out, im->o->saved_id);
        strbuf_adds(out, ",\"name\":");
        strbuf_add_json_str(out, im->o->saved_name);
        strbuf_addc(out, '}');
    } else {
        strbuf_adds(out, "null");
    }
    strbuf_adds(out, ",\"phone_country\":"); /* the country national numbers were matched in */
    strbuf_add_json_str(out, im->match && *im->region ? im->region : NULL);
    strbuf_addc(out, ',');
    import_report_unknown(im, out);
    strbuf_adds(out, ",\"custom_fields_created\":[");
    int n = 0;
    for (int c = 0; c < im->ncols; c++)
        if (im->cols[c].source == SRC_CREATED && im->cols[c].kind == COL_CUSTOM) {
            strbuf_adds(out, n++ ? "," : "");
            strbuf_add_json_str(out, im->defs[im->cols[c].custom].key);
        }
    strbuf_addc(out, ']');
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
        char custom[128];
        if (col->kind == COL_CUSTOM)
            snprintf(custom, sizeof custom, "custom.%s (custom field)", im->defs[col->custom].key);
        else if (col->create) { /* a dry run: the field is made by the import itself */
            char key[64];
            import_custom_key(col->header, key, sizeof key);
            snprintf(custom, sizeof custom, "custom.%s (a new custom field, %s)", key, import_suggest_type(col));
        } else if (col->spare_of) { /* a second phone or email column of a recognised export */
            const column *p = &im->cols[col->spare_of - 1];
            snprintf(custom, sizeof custom, "%s where \"%.60s\" is empty, else a note", p->f ? p->f->name : "?",
                     p->header);
        }
        strbuf_add_json_str(out, col->kind == COL_CUSTOM || col->create || col->spare_of ? custom
                                 : col->kind == COL_FIELD     ? col->f->name
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
    strbuf_addc(out, ']');
    report_mapping(im, out);
    strbuf_addc(out, '}');
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
    int rc = im->client_field ? import_load_client_names(im, e) : 0;
    if (rc == 0)
        rc = import_load_custom_defs(im, e);
    if (rc == 0 && o->on_match != IMPORT_CREATE &&
        (rc = import_phone_region(d, who, o->country_code, im->region, sizeof im->region, e)) == 0)
        rc = import_match_open(d, who, en, im->region, &im->match, e);
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
    db_finalize(im->note_ins);
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
    import_names_release(&im->names);
    import_release_custom_defs(im);
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
        import_stop(im, &pe);
    }
}

/* The end of the file: the last row without its line end, a quote left open, an empty file. */
static void feed_end(importer *im)
{
    if (!im->stop && csv_fini(&im->parser, on_cell, on_row, im) != 0) {
        err_t pe;
        err_set(&pe, E_INVALID_VALUE, NULL, "row %ld is not valid CSV (a quote left open at the end of the file): %s",
                im->row + 1, csv_strerror(csv_error(&im->parser)));
        import_stop(im, &pe);
    }
    if (!im->stop && !im->header_done) {
        err_t pe;
        err_set(&pe, E_INVALID_VALUE, NULL, "the file is empty: it needs a header row naming the columns");
        import_stop(im, &pe);
    }
}

/* The open transaction rolled back: the clients it created are gone. */
static void forget_made(importer *im)
{
    for (size_t at = 0; at < im->made.len; at += strlen(im->made.buf + at) + 1)
        import_names_forget(&im->names, im->made.buf + at);
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
    int rc = access_whole(who, en, OP_CREATE, e);
    if (rc)
        return rc;
    if (o->create_fields && *o->create_fields) /* their types come from a pass over the file before the write */
        return err_set(e, E_INVALID_VALUE, "create_fields", "custom fields are made by the sliced import, not --bulk");
    skip_bom(&buf, &len);
    importer im;
    const char *bulk[4];
    int nbulk = 0;
    if ((rc = db_begin(d, e)) < 0)
        return rc;
    if ((rc = importer_open(&im, d, who, en, o, e)) < 0)
        goto rollback;
    if ((rc = nbulk = bulk_tables(&im, buf, len, bulk, e)) < 0) {
        nbulk = 0;
        goto rollback;
    }
    for (int i = 0; i < nbulk; i++)
        if ((rc = d->be->bulk_begin(d, bulk[i], e)) < 0) {
            nbulk = i;
            goto rollback;
        }
    feed(&im, buf, len);
    feed_end(&im);
    if (im.stop) {
        *e = im.fatal;
        rc = im.fatal.code;
    }
    for (int i = 0; i < nbulk; i++) { /* before any rollback too: the triggers must come back in this transaction */
        err_t be;
        int brc = d->be->bulk_end(d, bulk[i], &be);
        if (brc < 0 && rc >= 0) {
            *e = be;
            rc = brc;
        }
    }
    nbulk = 0;
    if (rc >= 0 && !o->dry_run && (!im.invalid || o->skip_invalid) && (rc = audit_import(&im, e)) < 0)
        goto rollback;
    if (rc >= 0)
        report(&im, im.invalid && !o->skip_invalid ? "refused" : "done", out);
    if (rc < 0 || o->dry_run || (im.invalid && !o->skip_invalid))
        goto rollback;
    rc = db_commit(d, e);
    goto out;
rollback:
    for (int i = 0; i < nbulk; i++) {
        err_t be;
        d->be->bulk_end(d, bulk[i], &be);
    }
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

/* Creating custom fields is an admin's: checked before a file is read, naming the option. */
static int may_create_fields(const actor *who, const import_opts *o, err_t *e)
{
    if (!o->create_fields || !*o->create_fields)
        return 0;
    int rc = access_whole(who, entity_by_name("custom_fields"), OP_CREATE, e);
    if (rc < 0) {
        snprintf(e->field, sizeof e->field, "create_fields");
        snprintf(e->message, sizeof e->message, "creating custom fields (create_fields) is for admins");
    }
    return rc;
}

/* The custom fields the check pass's columns marked for creation, made in one transaction of their own
 * (each through record_create, so it is checked and audited): *created maps each column to
 * "custom.KEY" for the write pass. A key already taken gets _2, _3, ... */
static int make_fields(importer *im, json_t **created, const import_driver *drv, err_t *e)
{
    /* an earlier run of this import may have made some already (import_opts.fields_made) */
    *created = im->o->fields_made ? json_deep_copy(im->o->fields_made) : json_object();
    if (!*created)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    const entity *cf = entity_by_name("custom_fields");
    int rc = db_begin(im->d, e);
    for (int c = 0; rc == 0 && c < im->ncols; c++) {
        const column *col = &im->cols[c];
        if (!col->create)
            continue;
        char base[64], key[64], target[80];
        import_custom_key(col->header, base, sizeof base);
        snprintf(key, sizeof key, "%s", base);
        for (int n = 2;; n++) {
            snprintf(target, sizeof target, "custom.%s", key);
            int taken = import_custom_by_key(im, key) >= 0;
            const char *h;
            json_t *v;
            json_object_foreach(*created, h, v) taken |= !strcmp(json_string_value(v), target);
            if (!taken)
                break;
            snprintf(key, sizeof key, "%.36s_%d", base, n);
        }
        json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "entity", im->en->name, "key", key, "label",
                                 strlen(col->header) <= 100 ? col->header : key, "type", import_suggest_type(col));
        strbuf made = STRBUF_INIT;
        rc = body ? record_create(im->d, im->who, cf, body, &made, e) : err_set(e, E_INTERNAL, NULL, "out of memory");
        strbuf_release(&made);
        json_decref(body);
        if (rc == 0)
            json_object_set_new(*created, col->header, json_string(target));
        else
            snprintf(e->field, sizeof e->field, "create_fields");
    }
    if (rc == 0 && drv && drv->fields_made)
        rc = drv->fields_made(drv->ctx, im->d, *created, e);
    if (rc == 0)
        return db_commit(im->d, e);
    db_rollback(im->d);
    return rc;
}

int import_run(db *d, const actor *who, const entity *en, const char *buf, size_t len, const import_opts *o,
               const import_driver *drv, strbuf *out, err_t *e)
{
    if (!import_allowed_entity(en))
        return err_set(e, E_METHOD_NOT_ALLOWED, NULL, "%s cannot be imported", en->name);
    int rc = access_whole(who, en, OP_CREATE, e);
    if (rc)
        return rc;
    if ((rc = may_create_fields(who, o, e)) < 0)
        return rc;
    skip_bom(&buf, &len);
    long resume = drv ? drv->resume_rows : 0;
    importer im;
    json_t *created = NULL;
    /* the check pass: every row as the write would take it, each slice rolled back; a dry run is
     * only this pass, and so is a refused file. A resumed write was checked before. Custom fields made
     * for columns without one take their types from what this pass saw, so it runs for them even when
     * invalid rows are to be skipped. */
    int creating = o->create_fields && *o->create_fields;
    if ((!o->skip_invalid || creating) && !resume) {
        if ((rc = importer_open(&im, d, who, en, o, e)) == 0)
            rc = run_pass(&im, buf, len, 0, drv, e);
        int refused = im.invalid && !o->skip_invalid;
        if (rc == 0 && (o->dry_run || refused))
            report(&im, refused ? "refused" : "done", out);
        else if (rc == 1)
            report(&im, "cancelled", out);
        int finished = rc != 0 || o->dry_run || refused;
        if (rc == 0 && refused)
            rc = refusal(&im, e);
        if (!finished && creating)
            rc = make_fields(&im, &created, drv, e);
        importer_close(&im);
        if (finished || rc < 0) {
            json_decref(created);
            return rc < 0 ? rc : 0;
        }
    }
    if (!created && o->fields_made && !(created = json_deep_copy(o->fields_made)))
        return err_set(e, E_INTERNAL, NULL, "out of memory"); /* a resumed write: the fields made before */
    if ((rc = importer_open(&im, d, who, en, o, e)) == 0) {
        im.created = created;
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
    json_decref(created);
    return rc < 0 ? rc : 0;
}
