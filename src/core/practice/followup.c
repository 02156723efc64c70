/* followup: the email that follows a call or meeting, written from its summary (see lifecycle.h). It goes
 * to the contact who was there, else the client's point of contact, else its primary contact, else the
 * client's own address; the open tasks linked to the conversation become its next steps. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "core/practice/lifecycle.h"
#include "core/access/access.h"
#include "core/engine/record.h"

static json_t *fetch(db *d, const actor *who, const char *entity_name, const char *id)
{
    err_t ignore; /* an optional record (the contact, the client): absent is an answer */
    return id ? record_read(d, who, entity_by_name(entity_name), id, &ignore) : NULL;
}

static const char *s_of(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* The contact to write to: who was there, the point of contact, the primary contact. */
static json_t *recipient(db *d, const actor *who, json_t *interaction, json_t *client)
{
    json_t *c = fetch(d, who, "contacts", s_of(interaction, "contact_id"));
    if (!c)
        c = fetch(d, who, "contacts", s_of(client, "point_of_contact_id"));
    if (!c) {
        db_stmt *s;
        err_t ignore;
        const char *args[] = {who->workspace_id, s_of(client, "id")};
        if (db_query_row(d, &s, &ignore,
                         "SELECT id FROM contacts WHERE workspace_id = ? AND client_id = ? AND email IS NOT NULL "
                         "ORDER BY is_primary DESC, created_at, id LIMIT 1",
                         2, args) == DB_ROW) {
            char id[ID_MAX];
            snprintf(id, sizeof id, "%s", db_col_text(s, 0, NULL));
            db_finalize(s);
            c = fetch(d, who, "contacts", id);
        }
    }
    return c;
}

static void next_steps(db *d, const actor *who, const char *interaction_id, strbuf *body)
{
    const entity *tasks = entity_by_name("tasks");
    if (!access_may(who, tasks, OP_LIST)) /* the next steps are tasks: none for who may not read them */
        return;
    db_stmt *s;
    err_t ignore;
    strbuf sql = STRBUF_INIT;
    const char *scope_args[ACCESS_SCOPE_MAX];
    strbuf_adds(&sql, "SELECT r.title, r.due_at FROM tasks r WHERE r.workspace_id = ? AND r.interaction_id = ? AND "
                      "r.status = 'open'");
    int nscope = access_scope_sql(who, tasks, "r", &sql, scope_args);
    strbuf_adds(&sql, " ORDER BY r.due_at, r.id");
    int rc = db_prepare(d, sql.buf, &s, &ignore);
    strbuf_release(&sql);
    if (rc < 0)
        return;
    db_bind_text(s, 1, who->workspace_id);
    db_bind_text(s, 2, interaction_id);
    for (int i = 0; i < nscope; i++)
        db_bind_text(s, 3 + i, scope_args[i]);
    int n = 0;
    while (db_step(s, &ignore) == DB_ROW) {
        strbuf_adds(body, n++ ? "\n- " : "\n\nNext steps:\n- ");
        strbuf_adds(body, db_col_text(s, 0, NULL));
        const char *due = db_col_text(s, 1, NULL);
        if (due)
            strbuf_addf(body, " (by %.10s)", due);
    }
    db_finalize(s);
}

int followup_compose(db *d, const actor *who, const char *interaction_id, int record, strbuf *out, err_t *e)
{
    /* composing reads the interaction; recording it writes one: refused before any work when not allowed */
    const entity *interactions = entity_by_name("interactions");
    int rc = access_check(who, interactions, record ? OP_CREATE : OP_GET, NULL, e);
    if (rc)
        return rc;
    strbuf got = STRBUF_INIT;
    rc = record_get(d, who, interactions, interaction_id, &got, e);
    json_t *in = rc == 0 ? json_loads(got.buf, 0, NULL) : NULL;
    strbuf_release(&got);
    if (!in)
        return rc ? rc : err_set(e, E_INTERNAL, NULL, "unreadable interaction");
    const char *type = s_of(in, "type"), *summary = s_of(in, "summary");
    json_t *client = fetch(d, who, "clients", s_of(in, "client_id")), *contact = NULL;
    if (strcmp(type, "call") && strcmp(type, "meeting"))
        rc = err_set(e, E_INVALID_VALUE, "type", "a follow-up summarises a call or a meeting, not a %s", type);
    else if (!summary || !*summary)
        rc = err_set(e, E_INVALID_VALUE, "summary",
                     "this %s has no written summary yet: add one (PATCH summary), then send it", type);
    if (rc == 0) {
        contact = recipient(d, who, in, client);
        int64_t when = 0;
        clock_parse(s_of(in, "occurred_at"), &when);
        time_t tt = (time_t)when;
        struct tm tm;
        gmtime_r(&tt, &tm);
        char date[64];
        strftime(date, sizeof date, "%A %-d %B %Y", &tm);
        const char *first = s_of(contact, "first_name"), *topic = s_of(in, "subject");
        strbuf subject = STRBUF_INIT, body = STRBUF_INIT;
        strbuf_addf(&subject, "Summary of our %s on %s", type, date);
        if (topic)
            strbuf_addf(&subject, ": %s", topic);
        strbuf_addf(&body, "Hello %s,\n\nThank you for your time on %s. Here is what we discussed:\n\n%s",
                    first ? first : "", date, summary);
        next_steps(d, who, interaction_id, &body);
        strbuf_adds(&body, "\n\nIf anything here differs from your notes, just reply to this email.\n");
        const char *to = contact ? s_of(contact, "email") : NULL;
        if (!to)
            to = s_of(client, "email");
        if (record) { /* sent: it counts as an update under the client's cadence */
            json_t *log = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?}", "client_id", s_of(in, "client_id"), "type", "email",
                                    "direction", "outbound", "subject", subject.buf, "summary", body.buf, "contact_id",
                                    contact ? s_of(contact, "id") : NULL);
            strbuf logged = STRBUF_INIT;
            rc = record_create(d, who, entity_by_name("interactions"), log, &logged, e);
            json_decref(log);
            if (rc == 0) {
                json_t *l = json_loads(logged.buf, 0, NULL);
                strbuf_adds(out, "{\"logged_interaction_id\":");
                strbuf_add_json_str(out, s_of(l, "id"));
                strbuf_addc(out, ',');
                json_decref(l);
            }
            strbuf_release(&logged);
        } else {
            strbuf_addc(out, '{');
        }
        if (rc == 0) {
            strbuf_adds(out, "\"to\":");
            strbuf_add_json_str(out, to);
            strbuf_adds(out, ",\"to_name\":");
            strbuf_add_json_str(out, first);
            strbuf_adds(out, ",\"subject\":");
            strbuf_add_json_str(out, subject.buf);
            strbuf_adds(out, ",\"body\":");
            strbuf_add_json_str(out, body.buf);
            strbuf_adds(out, ",\"interaction_id\":");
            strbuf_add_json_str(out, interaction_id);
            strbuf_adds(out, ",\"client_id\":");
            strbuf_add_json_str(out, s_of(in, "client_id"));
            strbuf_adds(out, ",\"contact_id\":");
            strbuf_add_json_str(out, contact ? s_of(contact, "id") : NULL);
            strbuf_addc(out, '}');
        }
        strbuf_release(&subject);
        strbuf_release(&body);
    }
    json_decref(contact);
    json_decref(client);
    json_decref(in);
    return rc;
}
