/* import_job: see import_job.h. */
#include "core/access/access.h"
#include "sched/import_job.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/bulk/import_text.h"
#include "core/engine/record.h"
#include "util/clock.h"
#include "util/ids.h"

#define SHOW_COLS                                                                                                      \
    "id, entity, status, phase, options, source, rows_total, rows_done, imported, skipped, "                           \
    "clients_created, errors, report, created_at, updated_at"

static void emit(db_stmt *s, strbuf *out)
{
    static const char *const names[] = {"id",         "entity",     "status",    "phase",   "options",         "source",
                                        "rows_total", "rows_done",  "imported",  "skipped", "clients_created", "errors",
                                        "result",     "created_at", "updated_at"};
    strbuf_addc(out, '{');
    for (int i = 0; i < 15; i++) {
        strbuf_addf(out, "%s\"%s\":", i ? "," : "", names[i]);
        const char *t = db_col_text(s, i, NULL);
        if (i >= 6 && i <= 10)
            strbuf_addf(out, "%lld", (long long)db_col_int(s, i));
        else if ((i == 4 || i == 11 || i == 12) && t)
            strbuf_adds(out, t); /* stored JSON */
        else
            strbuf_add_json_str(out, t);
    }
    strbuf_addc(out, '}');
}

int import_job_show(db *d, const actor *who, const char *id, strbuf *out, err_t *e)
{
    db_stmt *s;
    const char *args[] = {id, who->workspace_id};
    int rc = db_query_row(d, &s, e, "SELECT " SHOW_COLS " FROM imports WHERE id = ? AND workspace_id = ?", 2, args);
    if (rc < 0)
        return rc;
    if (rc == DB_DONE)
        return err_set(e, E_NOT_FOUND, NULL, "no such import");
    emit(s, out);
    db_finalize(s);
    return 0;
}

int import_job_list(db *d, const actor *who, int limit, strbuf *out, err_t *e)
{
    db_stmt *s;
    int rc = db_prepare(d,
                        "SELECT " SHOW_COLS " FROM imports WHERE workspace_id = ? "
                        "ORDER BY created_at DESC, id DESC LIMIT ?",
                        &s, e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, who->workspace_id);
    db_bind_int(s, 2, limit);
    strbuf_adds(out, "{\"data\":[");
    int n = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        if (n++)
            strbuf_addc(out, ',');
        emit(s, out);
    }
    db_finalize(s);
    strbuf_adds(out, "],\"next_cursor\":null}");
    return rc < 0 ? rc : 0;
}

static char *options_json(const import_opts *o, const char *encoding)
{
    json_t *j =
        json_pack("{s:b, s:b, s:s}", "dry_run", o->dry_run, "skip_invalid", o->skip_invalid, "encoding", encoding);
    if (j && o->mapping)
        json_object_set(j, "mapping", (json_t *)o->mapping);
    if (j && o->preset)
        json_object_set_new(j, "preset", json_string(o->preset));
    if (j && o->client)
        json_object_set_new(j, "client", json_string(o->client));
    static const char *const on_match[] = {"create", "update", "skip"};
    if (j)
        json_object_set_new(j, "on_match", json_string(on_match[o->on_match]));
    if (j && o->country_code)
        json_object_set_new(j, "country_code", json_string(o->country_code));
    if (j && o->saved) /* the saved mapping as it was when the import was asked for, whatever happens to it after */
        json_object_set_new(j, "saved_mapping", json_pack("{s:s?, s:s?, s:O}", "id", o->saved_id, "name", o->saved_name,
                                                          "mapping", o->saved));
    if (j && o->create_fields)
        json_object_set_new(j, "create_fields", json_string(o->create_fields));
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return text;
}

int import_job_create(db *d, const actor *who, const entity *en, const char *buf, size_t len, const import_opts *o,
                      strbuf *out, err_t *e)
{
    if (!import_allowed_entity(en))
        return err_set(e, E_METHOD_NOT_ALLOWED, NULL, "%s cannot be imported", en->name);
    int rc = access_whole(who, en, OP_CREATE, e);
    if (rc)
        return rc;
    if (o->mapping && !json_is_object(o->mapping))
        return err_set(e, E_INVALID_VALUE, "mapping", "the mapping must be an object of column: field");
    strbuf conv = STRBUF_INIT;
    const char *text, *encoding;
    size_t n;
    if ((rc = import_text_utf8(buf, len, &conv, &text, &n, &encoding, e)) < 0) {
        strbuf_release(&conv);
        return rc;
    }
    long lines = 0; /* an estimate of the rows, for the progress bar: quoted line breaks count too */
    for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + n - p))); p++)
        lines++;
    if (n && text[n - 1] != '\n')
        lines++;
    char id[ID_MAX], now[CLOCK_RFC3339_LEN], role[16], total[24];
    id_new("job", id);
    clock_format(clock_now(), now);
    snprintf(role, sizeof role, "%d", who->role);
    snprintf(total, sizeof total, "%ld", lines > 0 ? lines - 1 : 0);
    char *opts = options_json(o, encoding);
    db_stmt *s;
    if (!opts) {
        rc = err_set(e, E_INTERNAL, NULL, "out of memory");
    } else if ((rc = db_prepare(
                    d,
                    "INSERT INTO imports (id, workspace_id, entity, created_by, role, options, source, body, "
                    "rows_total, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    &s, e)) == 0) {
        db_bind_text(s, 1, id);
        db_bind_text(s, 2, who->workspace_id);
        db_bind_text(s, 3, en->name);
        db_bind_text(s, 4, who->user_id[0] ? who->user_id : NULL);
        db_bind_int(s, 5, who->role);
        db_bind_text(s, 6, opts);
        db_bind_text(s, 7, o->source);
        db_bind_textn(s, 8, text, n);
        db_bind_int(s, 9, lines > 0 ? lines - 1 : 0);
        db_bind_text(s, 10, now);
        db_bind_text(s, 11, now);
        rc = db_step(s, e);
        db_finalize(s);
    }
    free(opts);
    strbuf_release(&conv);
    if (rc < 0)
        return rc;
    char payload[80];
    snprintf(payload, sizeof payload, "{\"import_id\":\"%s\"}", id);
    if ((rc = jobs_enqueue_id(d, who->workspace_id, "import", payload, 0, id, e)) < 0)
        return rc;
    return import_job_show(d, who, id, out, e);
}

int import_job_cancel(db *d, const actor *who, const char *id, strbuf *out, err_t *e)
{
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    db_stmt *s;
    /* who may import the entity may cancel its import (a viewer may only watch); one who may create
     * nothing at all is told so before any lookup, so a refusal does not depend on the id existing */
    int may_create_any = 0;
    err_t ignored;
    for (int i = 0; i < entity_count && !may_create_any; i++) /* as an import needs: every row (access_whole) */
        may_create_any = access_whole(who, entity_table[i], OP_CREATE, &ignored) == 0;
    if (!may_create_any)
        return err_set(e, E_FORBIDDEN, NULL, "cancelling an import needs the right to import");
    const char *which[] = {id, who->workspace_id};
    int rc = db_query_row(d, &s, e, "SELECT entity FROM imports WHERE id = ? AND workspace_id = ?", 2, which);
    if (rc < 0)
        return rc;
    if (rc == DB_DONE)
        return err_set(e, E_NOT_FOUND, NULL, "no such import");
    const entity *en = entity_by_name(db_col_text(s, 0, NULL));
    db_finalize(s);
    if (en && (rc = access_whole(who, en, OP_CREATE, e)) != 0)
        return rc;
    const char *args[] = {now, id, who->workspace_id};
    /* a queued import ends here; a running one is told, and stops after its slice */
    rc = db_query_row(d, &s, e,
                      "UPDATE imports SET cancel_requested = 1, updated_at = ?, "
                      "status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END "
                      "WHERE id = ? AND workspace_id = ? AND status IN ('queued', 'running')",
                      3, args);
    if (rc < 0)
        return rc;
    if (db_changes(d) == 0) {
        if ((rc = import_job_show(d, who, id, out, e)) < 0)
            return rc;
        strbuf_reset(out);
        return err_set(e, E_CONFLICT, "status", "the import has ended; there is nothing to cancel");
    }
    return import_job_show(d, who, id, out, e);
}

typedef struct run_ctx {
    const char *id;
    int64_t checkpointed;
    json_t *opts; /* the import's options, as stored */
} run_ctx;

/* The custom fields the import made, kept in its options (custom_fields_made) in the transaction that
 * made them: a run resumed after a restart fills them and lists them in custom_fields_created. */
static int keep_fields_made(void *arg, db *d, const json_t *made, err_t *e)
{
    run_ctx *c = arg;
    if (!c->opts || json_object_set(c->opts, "custom_fields_made", (json_t *)made) < 0)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    char *text = json_dumps(c->opts, JSON_COMPACT);
    if (!text)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    db_stmt *s;
    const char *args[] = {text, c->id};
    int rc = db_query_row(d, &s, e, "UPDATE imports SET options = ? WHERE id = ?", 2, args);
    free(text);
    return rc < 0 ? rc : 0;
}

/* Between slices, what the worker thread does between jobs and this job would hold up for its whole
 * length: a slice of full-text merging, and (twice a second) a passive checkpoint. */
static void upkeep(void *arg, db *d)
{
    run_ctx *c = arg;
    err_t e;
    err_clear(&e);
    if (d->be->fts_merge)
        d->be->fts_merge(d, &e);
    if (d->be->checkpoint_sql && clock_real_ms() - c->checkpointed >= 500) {
        db_exec(d, d->be->checkpoint_sql, &e);
        c->checkpointed = clock_real_ms();
    }
}

/* After each slice: the progress, in the slice's own transaction while writing; whether to stop. */
static int on_progress(void *arg, db *d, const import_progress *p)
{
    run_ctx *c = arg;
    err_t e;
    err_clear(&e);
    int own = !d->in_tx && db_begin(d, &e) == 0;
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    db_stmt *s;
    int cancel = 0;
    if (db_prepare(d,
                   "UPDATE imports SET phase = ?, rows_done = ?, imported = ?, skipped = ?, clients_created = ?, "
                   "errors = ?, updated_at = ? WHERE id = ? RETURNING cancel_requested",
                   &s, &e) == 0) {
        db_bind_text(s, 1, p->phase);
        db_bind_int(s, 2, p->rows_done);
        db_bind_int(s, 3, p->imported);
        db_bind_int(s, 4, p->skipped);
        db_bind_int(s, 5, p->clients_created);
        db_bind_text(s, 6, p->errors);
        db_bind_text(s, 7, now);
        db_bind_text(s, 8, c->id);
        if (db_step(s, &e) == DB_ROW) {
            cancel = db_col_int(s, 0) != 0;
            while (db_step(s, NULL) == DB_ROW)
                ;
        }
        db_finalize(s);
    }
    if (own)
        db_commit(d, &e);
    return cancel;
}

static int finish(db *d, const char *id, const char *status, const char *report, err_t *e)
{
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    db_stmt *s;
    const char *args[] = {status, report, now, id};
    int own = !d->in_tx && db_begin(d, e) == 0;
    int rc = db_query_row(
        d, &s, e, "UPDATE imports SET status = ?, report = ?, body = NULL, updated_at = ? WHERE id = ?", 4, args);
    if (own)
        rc = rc < 0 ? (db_rollback(d), rc) : db_commit(d, e);
    return rc < 0 ? rc : 0;
}

int import_job_run(db *d, job *j, const char *worker, err_t *e)
{
    (void)worker;
    json_t *payload = json_loads(j->payload ? j->payload : "{}", 0, NULL);
    char id[ID_MAX];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(payload, "import_id")) ?: "");
    json_decref(payload);
    db_stmt *s;
    const char *args[] = {id};
    int rc = db_query_row(d, &s, e,
                          "SELECT entity, workspace_id, created_by, role, options, source, body, status, phase, "
                          "rows_done, imported, skipped, clients_created, cancel_requested FROM imports WHERE id = ?",
                          1, args);
    if (rc < 0)
        return rc;
    if (rc == DB_DONE)
        return err_set(e, E_NOT_FOUND, NULL, "no import %s", id);
    actor who = {.role = (int)db_col_int(s, 3)};
    snprintf(who.workspace_id, sizeof who.workspace_id, "%s", db_col_text(s, 1, NULL));
    snprintf(who.user_id, sizeof who.user_id, "%s", db_col_text(s, 2, NULL) ? db_col_text(s, 2, NULL) : "");
    const entity *en = entity_by_name(db_col_text(s, 0, NULL));
    json_t *opts = json_loads(db_col_text(s, 4, NULL), 0, NULL);
    char *source = db_col_text(s, 5, NULL) ? strdup(db_col_text(s, 5, NULL)) : NULL;
    size_t len = 0;
    const char *b = db_col_text(s, 6, &len);
    char *body = b ? malloc(len + 1) : NULL;
    if (body) {
        memcpy(body, b, len);
        body[len] = '\0';
    }
    char status[16];
    snprintf(status, sizeof status, "%s", db_col_text(s, 7, NULL));
    /* as long a pause as the slice: the writer thread, queued on the same lock, takes its batches in it */
    import_driver drv = {
        .progress = on_progress, .pause_percent = 100, .between = upkeep, .fields_made = keep_fields_made};
    run_ctx ctx = {id, 0, opts};
    drv.ctx = &ctx;
    if (!strcmp(status, "running") && !strcmp(db_col_text(s, 8, NULL), "write")) { /* a dead server's */
        drv.resume_rows = (long)db_col_int(s, 9);
        drv.resume_imported = (long)db_col_int(s, 10);
        drv.resume_skipped = (long)db_col_int(s, 11);
        drv.resume_clients = (long)db_col_int(s, 12);
    }
    int cancelled = db_col_int(s, 13) != 0;
    db_finalize(s);
    strbuf out = STRBUF_INIT;
    rc = 0;
    if (strcmp(status, "queued") && strcmp(status, "running")) {
        ; /* ended (cancelled while queued): nothing to do */
    } else if (cancelled) {
        rc = finish(d, id, "cancelled", NULL, e);
    } else if (!en || !body) {
        rc =
            finish(d, id, "failed", "{\"error\":{\"code\":\"internal\",\"message\":\"the import's file is gone\"}}", e);
    } else {
        const char *running[] = {id};
        /* only if no cancel came in since the read: a cancelled import stays cancelled */
        if ((rc = db_query_row(d, &s, e,
                               "UPDATE imports SET status = 'running' WHERE id = ? AND status IN ('queued', 'running')",
                               1, running)) >= 0 &&
            db_changes(d) > 0) {
            import_opts o = {.dry_run = json_is_true(json_object_get(opts, "dry_run")),
                             .skip_invalid = json_is_true(json_object_get(opts, "skip_invalid")),
                             .source = source,
                             .mapping = json_object_get(opts, "mapping"),
                             .preset = json_string_value(json_object_get(opts, "preset")),
                             .client = json_string_value(json_object_get(opts, "client")),
                             .country_code = json_string_value(json_object_get(opts, "country_code")),
                             .create_fields = json_string_value(json_object_get(opts, "create_fields")),
                             .fields_made = json_object_get(opts, "custom_fields_made")};
            json_t *saved = json_object_get(opts, "saved_mapping");
            if (json_is_object(saved)) {
                o.saved = json_object_get(saved, "mapping");
                o.saved_id = json_string_value(json_object_get(saved, "id"));
                o.saved_name = json_string_value(json_object_get(saved, "name"));
            }
            const char *om = json_string_value(json_object_get(opts, "on_match"));
            o.on_match = om && import_on_match(om) >= 0 ? import_on_match(om) : IMPORT_CREATE;
            err_t ie;
            err_clear(&ie);
            int irc = import_run(d, &who, en, body, len, &o, &drv, &out, &ie);
            if (irc == 0) {
                json_t *r = json_loadb(out.buf, out.len, 0, NULL);
                const char *st = json_string_value(json_object_get(r, "status"));
                rc = finish(d, id, st ? st : "done", out.buf, e);
                json_decref(r);
            } else if (out.len) { /* invalid rows refused the file: the report says which */
                rc = finish(d, id, "refused", out.buf, e);
            } else {
                strbuf r = STRBUF_INIT;
                strbuf_adds(&r, "{\"error\":{\"code\":");
                strbuf_add_json_str(&r, err_lookup(ie.code)->name);
                strbuf_adds(&r, ",\"message\":");
                strbuf_add_json_str(&r, ie.message);
                strbuf_adds(&r, ",\"field\":");
                strbuf_add_json_str(&r, ie.field[0] ? ie.field : NULL);
                strbuf_adds(&r, "}}");
                rc = finish(d, id, "failed", r.buf, e);
                strbuf_release(&r);
            }
        }
    }
    char result[96];
    snprintf(result, sizeof result, "{\"import_id\":\"%s\"}", id);
    j->result = strdup(result);
    strbuf_release(&out);
    free(body);
    free(source);
    json_decref(opts);
    return rc;
}
