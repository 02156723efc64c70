/* onboarding: a template's steps become the client's dated tasks, and progress is read back from them
 * (see lifecycle.h). The tasks are ordinary tasks — assignable, listed by `rapport today` — so the
 * onboarding needs no second to-do system. */
#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "util/tz.h"
#include "core/practice/lifecycle.h"
#include "core/access/access.h"
#include "core/engine/record.h"

static json_t *fetch(db *d, const actor *who, const char *entity_name, const char *id, err_t *e)
{
    return record_read(d, who, entity_by_name(entity_name), id, e);
}

/* Steps fall due at the end of the business day (17:00 in the workspace's time zone), offset_days after
 * the start. */
static int64_t step_due(const tz *zone, int64_t start_day, int offset_days)
{
    return tz_local_to_utc(zone, start_day + (int64_t)offset_days * 86400 + 17 * 3600);
}

static const tz *workspace_zone(db *d, const actor *who, err_t *e)
{
    db_stmt *s;
    const char *args[] = {who->workspace_id};
    int rc = db_query_row(d, &s, e, "SELECT time_zone FROM workspaces WHERE id = ?", 1, args);
    if (rc != DB_ROW)
        return rc < 0 ? NULL : tz_get("UTC", e);
    const tz *z = tz_get(db_col_text(s, 0, NULL), e);
    db_finalize(s);
    return z ? z : tz_get("UTC", e);
}

int onboarding_apply(db *d, const actor *who, const char *client_id, const char *template_id, const char *start_date,
                     strbuf *out, err_t *e)
{
    int rc = access_check(who, entity_by_name("tasks"), OP_CREATE, NULL, e);
    if (rc)
        return rc;
    if (!template_id)
        return err_set(e, E_REQUIRED, "template_id", "template_id is required: the onboarding template to apply");
    int64_t start;
    if (start_date && clock_parse_date(start_date, &start))
        return err_set(e, E_INVALID_VALUE, "start_date", "start_date must be a date, YYYY-MM-DD");
    json_t *client = fetch(d, who, "clients", client_id, e), *tpl = NULL;
    if (!client)
        return e->code;
    if (!(tpl = fetch(d, who, "onboarding_templates", template_id, e))) {
        json_decref(client);
        return e->code == E_NOT_FOUND ? err_set(e, E_INVALID_REFERENCE, "template_id", "no onboarding template %.60s",
                                                template_id)
                                      : e->code;
    }
    const tz *zone = workspace_zone(d, who, e);
    if (json_string_value(json_object_get(client, "onboarding_template_id")))
        rc = err_set(e, E_CONFLICT, "client_id", "%s is already onboarding; its steps are its tasks",
                     json_string_value(json_object_get(client, "name")));
    else if (!start_date) { /* the relationship's first day, or today */
        const char *since = json_string_value(json_object_get(client, "started_at"));
        int64_t t = clock_now();
        if (since)
            clock_parse(since, &t);
        t += tz_offset(zone, t);
        start = t - ((t % 86400) + 86400) % 86400;
    }
    const char *owner = json_string_value(json_object_get(client, "owner_id"));
    if (rc == 0)
        rc = db_begin(d, e);
    if (rc == 0) {
        actor sys = *who;
        sys.role = ROLE_SYSTEM;
        size_t i;
        json_t *step;
        strbuf_adds(out, "{\"tasks\":[");
        json_array_foreach(json_object_get(tpl, "steps"), i, step) {
            char due[CLOCK_RFC3339_LEN];
            clock_format(step_due(zone, start, (int)json_integer_value(json_object_get(step, "offset_days"))), due);
            json_t *task = json_pack("{s:O,s:O?,s:s,s:s,s:s,s:s,s:I}", "title", json_object_get(step, "title"), "notes",
                                     json_object_get(step, "description"), "due_at", due, "client_id", client_id,
                                     "assignee_id", owner ? owner : who->user_id, "kind", "onboarding", "position",
                                     (json_int_t)(i + 1));
            if (i)
                strbuf_addc(out, ',');
            rc = record_create(d, who, entity_by_name("tasks"), task, out, e);
            json_decref(task);
            if (rc < 0)
                break;
        }
        strbuf_adds(out, "]}");
        if (rc == 0) {
            json_t *patch = json_pack("{s:s,s:O}", "onboarding_template_id", template_id, "version",
                                      json_object_get(client, "version"));
            strbuf ignored = STRBUF_INIT;
            rc = record_update(d, &sys, entity_by_name("clients"), client_id, patch, &ignored, e);
            strbuf_release(&ignored);
            json_decref(patch);
        }
        if (rc < 0)
            db_rollback(d);
        else
            rc = db_commit(d, e);
    }
    json_decref(client);
    json_decref(tpl);
    return rc;
}

int onboarding_progress(db *d, const actor *who, const char *client_id, strbuf *out, err_t *e)
{
    json_t *client = fetch(d, who, "clients", client_id, e), *tpl = NULL;
    if (!client)
        return e->code;
    const char *tpl_id = json_string_value(json_object_get(client, "onboarding_template_id"));
    if (tpl_id && !(tpl = fetch(d, who, "onboarding_templates", tpl_id, e))) {
        json_decref(client);
        return e->code;
    }
    const entity *tasks = entity_by_name("tasks");
    strbuf sql = STRBUF_INIT;
    const char *scope_args[ACCESS_SCOPE_MAX];
    strbuf_addf(&sql, "SELECT %s FROM tasks r WHERE r.workspace_id = ? AND r.client_id = ? AND r.kind = 'onboarding'",
                entity_select_cols(tasks));
    int nscope = access_scope_sql(who, tasks, "r", &sql, scope_args);
    strbuf_adds(&sql, " ORDER BY r.position, r.id");
    db_stmt *s;
    int rc = access_check(who, tasks, OP_LIST, NULL, e), done = 0, total = 0; /* the steps are tasks */
    if (rc == 0)
        rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc == 0) {
        db_bind_text(s, 1, who->workspace_id);
        db_bind_text(s, 2, client_id);
        for (int i = 0; i < nscope; i++)
            db_bind_text(s, 3 + i, scope_args[i]);
        strbuf_adds(out, "{\"template\":");
        if (tpl)
            strbuf_add_json_str(out, json_string_value(json_object_get(tpl, "name")));
        else
            strbuf_adds(out, "null");
        strbuf_adds(out, ",\"steps\":[");
        const field *status = entity_field(tasks, "status");
        int status_col = 5 + (int)(status - tasks->fields);
        while ((rc = db_step(s, e)) == DB_ROW) {
            if (total++)
                strbuf_addc(out, ',');
            done += !strcmp(db_col_text(s, status_col, NULL), "done");
            record_emit(tasks, s, out);
        }
        db_finalize(s);
    }
    if (rc >= 0) {
        rc = 0;
        strbuf_addf(out, "],\"done\":%d,\"total\":%d,\"percent\":", done, total);
        if (total)
            strbuf_addf(out, "%d", done * 100 / total);
        else
            strbuf_adds(out, "null");
        strbuf_adds(out, ",\"questions\":[");
        json_t *answers = json_object_get(client, "intake"), *q;
        size_t i;
        json_array_foreach(tpl ? json_object_get(tpl, "questions") : NULL, i, q) {
            strbuf_adds(out, i ? ",{\"question\":" : "{\"question\":");
            strbuf_add_json_str(out, json_string_value(q));
            strbuf_adds(out, ",\"answer\":");
            strbuf_add_json_str(out, json_string_value(json_object_get(answers, json_string_value(q))));
            strbuf_addc(out, '}');
        }
        strbuf_adds(out, "]}");
    }
    json_decref(client);
    json_decref(tpl);
    return rc;
}
