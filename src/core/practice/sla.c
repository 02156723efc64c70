/* sla: the workspace's business calendar for the service rules, the breach list, and marking feedback
 * acted on (see sla.h). */
#include "core/practice/sla.h"

#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/access/access.h"
#include "core/engine/record.h"

/* Column i as a malloc'd string, or NULL for SQL NULL. */
static char *col_dup(db_stmt *s, int i)
{
    if (db_col_type(s, i) == DB_NULL)
        return NULL;
    const char *t = db_col_text(s, i, NULL);
    return t ? strdup(t) : NULL;
}

/* Read per call rather than cached: an owner's change of time zone or holidays applies to the very next
 * ticket, on every server sharing the database. */
int sla_calendar(db *d, const actor *who, bizcal *out, err_t *e)
{
    db_stmt *s;
    const char *args[] = {who->workspace_id};
    int rc = db_query_row(d, &s, e, "SELECT time_zone, business_hours, holidays FROM workspaces WHERE id = ?", 1,
                          args);
    if (rc < 0)
        return rc;
    if (rc == DB_DONE)
        return err_set(e, E_INTERNAL, NULL, "workspace %.60s not found", who->workspace_id);
    char *zone = col_dup(s, 0), *hours = col_dup(s, 1), *days = col_dup(s, 2);
    db_finalize(s);
    rc = bizcal_init(out, zone, hours, days, e);
    free(zone);
    free(hours);
    free(days);
    return rc < 0 ? rc : 0;
}

/* Business minutes from the due time to the response (or now, for a ticket still unanswered). */
static int64_t late_minutes(const bizcal *cal, const char *due, const char *responded, int64_t now)
{
    int64_t from, to = now;
    if (clock_parse(due, &from) || (responded && clock_parse(responded, &to)))
        return 0;
    return bizhours_between(cal, from, to) / 60;
}

static void add_field(strbuf *out, const char *key, const char *value, int comma)
{
    strbuf_addf(out, "%s\"%s\":", comma ? "," : "", key);
    strbuf_add_json_str(out, value);
}

/* The selection is SQL over fixed-width UTC text, so '>' and '<' order instants on every backend. */
int sla_breaches(db *d, const actor *who, const sla_breach_query *q, strbuf *out, err_t *e)
{
    int rc = access_whole(who, entity_by_name("tickets"), OP_LIST, e);
    if (rc)
        return rc;
    bizcal cal;
    if ((rc = sla_calendar(d, who, &cal, e)) < 0)
        return rc;
    char now[CLOCK_RFC3339_LEN];
    int64_t now_t = clock_now();
    clock_format(now_t, now);
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, "SELECT t.id, t.client_id, c.name, t.subject, t.kind, t.priority, t.status, t.opened_at, "
                      "t.response_due_at, t.first_response_at FROM tickets t JOIN clients c ON c.id = t.client_id "
                      "WHERE t.workspace_id = ? AND t.response_due_at IS NOT NULL AND ");
    if (q->open_only)
        strbuf_adds(&sql, "t.first_response_at IS NULL AND t.response_due_at < ?");
    else
        strbuf_adds(&sql, "((t.first_response_at IS NOT NULL AND t.first_response_at > t.response_due_at) OR "
                          "(t.first_response_at IS NULL AND t.response_due_at < ?))");
    if (q->client_id)
        strbuf_adds(&sql, " AND t.client_id = ?");
    strbuf_adds(&sql, " ORDER BY t.opened_at DESC, t.id DESC LIMIT ?");
    db_stmt *s;
    if ((rc = db_prepare(d, sql.buf, &s, e)) < 0)
        goto done;
    int b = 1;
    db_bind_text(s, b++, who->workspace_id);
    db_bind_text(s, b++, now);
    if (q->client_id)
        db_bind_text(s, b++, q->client_id);
    db_bind_int(s, b++, q->limit);
    static const char *const cols[] = {"id",     "client_id", "client_name",     "subject",
                                       "kind",   "priority",  "status",          "opened_at",
                                       "response_due_at", "first_response_at"};
    strbuf_adds(out, "{\"now\":");
    strbuf_add_json_str(out, now);
    strbuf_adds(out, ",\"data\":[");
    int n = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        strbuf_adds(out, n++ ? ",{" : "{");
        for (int i = 0; i < 10; i++)
            add_field(out, cols[i], db_col_type(s, i) == DB_NULL ? NULL : db_col_text(s, i, NULL), i > 0);
        const char *responded = db_col_type(s, 9) == DB_NULL ? NULL : db_col_text(s, 9, NULL);
        strbuf_addf(out, ",\"late_minutes\":%lld}",
                    (long long)late_minutes(&cal, db_col_text(s, 8, NULL), responded, now_t));
    }
    db_finalize(s);
    strbuf_adds(out, "]}");
done:
    strbuf_release(&sql);
    bizcal_release(&cal);
    return rc < 0 ? rc : 0;
}

int feedback_act(db *d, const actor *who, const char *id, const char *action_note, const char *reply_note,
                 strbuf *out, err_t *e)
{
    if (!action_note || !*action_note)
        return err_set(e, E_REQUIRED, "action_note", "say what was done about the feedback (action_note)");
    const entity *en = entity_by_name("feedback");
    int rc = access_check(who, en, OP_UPDATE, NULL, e); /* a viewer learns nothing, not even whether it exists */
    if (rc)
        return rc;
    strbuf cur = STRBUF_INIT;
    json_t *rec = NULL, *patch = NULL;
    rc = db_begin(d, e);
    if (rc < 0)
        return rc;
    /* read and write in one transaction, so two people acting at once cannot both succeed */
    if ((rc = record_get(d, who, en, id, &cur, e)) < 0)
        goto done;
    rec = json_loads(cur.buf, 0, NULL);
    const char *acted = json_string_value(json_object_get(rec, "acted_on_at"));
    if (acted) {
        rc = err_set(e, E_CONFLICT, "acted_on_at", "this feedback was already acted on at %s", acted);
        goto done;
    }
    patch = json_pack("{s:O,s:s}", "version", json_object_get(rec, "version"), "action_note", action_note);
    if (reply_note)
        json_object_set_new(patch, "reply_note", json_string(reply_note));
    rc = record_update(d, who, en, id, patch, out, e);
done:
    json_decref(rec);
    json_decref(patch);
    strbuf_release(&cur);
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d, e);
}
