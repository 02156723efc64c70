/* automation_client: the automations that write to clients' contacts (the check-in update, the onboarding
 * welcome) and the ones that summarise for the firm (the morning digest, the health band drop).
 *
 * Mail to a contact comes from the workspace's template for that use (templates.use_for), else a default;
 * it carries List-Unsubscribe (RFC 8058) and skips a contact who opted out; in mode "draft" it waits in the
 * outbox for a person to approve it, in mode "send" it goes, and either way it is an outbound email on the
 * client's timeline once it goes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/insight/health.h"
#include "core/practice/lifecycle.h"
#include "core/practice/template_fill.h"
#include "sched/automation_kinds.h"
#include "sched/mail_unsubscribe.h"
#include "sched/outbox.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/tz.h"

#define LOOKBACK (3 * 86400)

static actor system_actor(const automation_ctx *c)
{
    actor sys = {.role = ROLE_SYSTEM, .kind = PRINCIPAL_SYSTEM};
    snprintf(sys.workspace_id, sizeof sys.workspace_id, "%s", c->workspace_id);
    return sys;
}

/* The workspace's newest template for `use`, else the defaults given: malloc'd copies. */
static void pick_template(automation_ctx *c, const char *use, const char *subject, const char *body, char **s_out,
                          char **b_out)
{
    db_stmt *s;
    const char *args[] = {c->workspace_id, use};
    if (db_query_row(c->d, &s, NULL,
                     "SELECT subject, body FROM templates WHERE workspace_id = ? AND use_for = ? "
                     "ORDER BY updated_at DESC, id DESC LIMIT 1",
                     2, args) == DB_ROW) {
        *s_out = strdup(db_col_text(s, 0, NULL));
        *b_out = strdup(db_col_text(s, 1, NULL));
        db_finalize(s);
        return;
    }
    *s_out = strdup(subject);
    *b_out = strdup(body);
}

/* One email to a client's contact for automation `name`, due at due_at. */
static int mail_contact(automation_ctx *c, const char *name, const char *use, const char *subject_def,
                        const char *body_def, const char *client_id, const char *due_at, const char *heading,
                        json_t *lines, err_t *e)
{
    char base[512];
    if (!mail_public_url(base, sizeof base)) {
        log_warn("automation %s: automated mail to clients needs RAPPORT_PUBLIC_URL (its unsubscribe link)", name);
        return 0;
    }
    char *subject, *body;
    pick_template(c, use, subject_def, body_def, &subject, &body);
    actor sys = system_actor(c);
    template_output o;
    int rc = template_fill_list(c->d, &sys, subject, body, client_id, heading, lines, &o, e);
    free(subject);
    free(body);
    if (rc < 0) { /* a template that no longer renders must not stop the other automations */
        log_warn("automation %s for %s: %s", name, client_id, e->message);
        template_output_release(&o);
        return 0;
    }
    if (!o.to[0]) { /* no one to write to yet (a contact added a minute after the client): not fired, so it
                     * goes once there is one, while it is still due */
        rc = 0;
    } else if (o.opted_out) { /* recorded, not sent: the contact asked for none */
        rc = automation_fire(c, name, client_id, due_at, NULL, e);
    } else {
        char unsub[800];
        rc = mail_unsubscribe_url(o.contact_id, unsub, sizeof unsub, e);
        outbox_email m = {.to = o.to,
                          .to_name = o.to_name,
                          .subject = o.subject.buf,
                          .text = o.text.buf,
                          .html = o.html.buf,
                          .client_id = client_id,
                          .contact_id = o.contact_id,
                          .unsubscribe_url = unsub,
                          .draft = !c->set.send,
                          .log_interaction = 1};
        if (rc == 0)
            rc = automation_fire(c, name, client_id, due_at, &m, e);
    }
    template_output_release(&o);
    return rc < 0 ? rc : 0;
}

int automation_checkin_email(automation_ctx *c, err_t *e)
{
    actor sys = system_actor(c);
    strbuf out = STRBUF_INIT;
    int rc = checkins_due(c->d, &sys, NULL, 1000, &out, e);
    json_t *j = rc == 0 ? json_loads(out.buf, 0, NULL) : NULL;
    strbuf_release(&out);
    size_t i;
    json_t *due;
    json_array_foreach(json_object_get(j, "data"), i, due)
    {
        const char *client = json_string_value(json_object_get(due, "client_id")),
                   *at = json_string_value(json_object_get(due, "due_at"));
        int64_t t;
        if (!client || !at || clock_parse(at, &t) < 0 || t <= c->now - LOOKBACK)
            continue;
        rc = mail_contact(c, "checkin_email", "checkin_email", "Our {{client.cadence}} update from {{workspace.name}}",
                          "Hello {{contact.first_name}},\n\nHere is where things stand with {{client.name}}:\n\n"
                          "- \n\nBest regards,\n{{user.name}}",
                          client, at, NULL, NULL, e);
        if (rc < 0)
            break;
    }
    json_decref(j);
    return rc < 0 ? rc : 0;
}

/* A client that became active recently (started_at): the welcome, with its onboarding's intake questions.
 * It waits until onboarding is applied, or an hour, so the questions of an onboarding applied just after
 * the client became active are in it. */
int automation_onboarding_welcome(automation_ctx *c, err_t *e)
{
    char from[CLOCK_RFC3339_LEN], now[CLOCK_RFC3339_LEN], hour_ago[CLOCK_RFC3339_LEN];
    clock_format(c->now - LOOKBACK, from);
    clock_format(c->now, now);
    clock_format(c->now - 3600, hour_ago);
    db_stmt *s;
    int rc = db_prepare(c->d,
                        "SELECT cl.id, cl.started_at, t.questions FROM clients cl LEFT JOIN onboarding_templates t "
                        "ON t.id = cl.onboarding_template_id WHERE cl.workspace_id = ? AND cl.stage = 'active' "
                        "AND cl.started_at > ? AND cl.started_at <= ? AND (cl.onboarding_template_id IS NOT NULL OR "
                        "cl.started_at <= ?) ORDER BY cl.started_at, cl.id",
                        &s, e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, c->workspace_id);
    db_bind_text(s, 2, from);
    db_bind_text(s, 3, now);
    db_bind_text(s, 4, hour_ago);
    json_t *rows = json_array();
    while ((rc = db_step(s, e)) == DB_ROW)
        json_array_append_new(
            rows, json_pack("[s,s,s?]", db_col_text(s, 0, NULL), db_col_text(s, 1, NULL), db_col_text(s, 2, NULL)));
    db_finalize(s);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (rc < 0)
            break;
        const char *qtext = json_string_value(json_array_get(row, 2));
        json_t *questions = qtext ? json_loads(qtext, 0, NULL) : NULL;
        rc = mail_contact(c, "onboarding_welcome", "onboarding_welcome", "Welcome, {{client.name}}",
                          "Hello {{contact.first_name}},\n\nWelcome! We are glad to be working with {{client.name}}, "
                          "and will be in touch about the first steps.\n\nBest regards,\n{{workspace.name}}",
                          json_string_value(json_array_get(row, 0)), json_string_value(json_array_get(row, 1)),
                          "To start well, could you answer these?", questions, e);
        json_decref(questions);
    }
    json_decref(rows);
    return rc < 0 ? rc : 0;
}

/* ---- for the firm ---- */

static void add_items(strbuf *text, json_t *day, const char *key, const char *heading, const char *title_key)
{
    json_t *list = json_object_get(day, key);
    if (!json_array_size(list))
        return;
    strbuf_addf(text, "\n%s (%zu)\n", heading, json_array_size(list));
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        const char *t = json_string_value(json_object_get(it, title_key)),
                   *client = json_string_value(json_object_get(it, "client_name"));
        strbuf_addf(text, "- %s%s%s%s\n", t ? t : "", client && t ? " (" : "", client ? client : "",
                    client && t ? ")" : "");
    }
}

/* Each active user's Today, once a day from `hour` on the workspace's clock, when it holds anything. */
int automation_morning_digest(automation_ctx *c, err_t *e)
{
    /* the hour on the workspace's own clock: today's date there, that hour, as an instant */
    db_stmt *s;
    const char *ws[] = {c->workspace_id};
    char zone[80] = "UTC";
    if (db_query_row(c->d, &s, NULL, "SELECT time_zone FROM workspaces WHERE id = ?", 1, ws) == DB_ROW) {
        if (db_col_text(s, 0, NULL))
            snprintf(zone, sizeof zone, "%s", db_col_text(s, 0, NULL));
        db_finalize(s);
    }
    const tz *z = tz_get(zone, NULL);
    if (!z)
        z = tz_get("UTC", NULL);
    int64_t local = c->now + tz_offset(z, c->now), day = local / 86400 * 86400;
    int64_t at = tz_local_reached(z, day + (int64_t)c->set.value * 3600);
    if (c->now < at)
        return 0;
    char due[CLOCK_RFC3339_LEN], local_day[CLOCK_RFC3339_LEN];
    clock_format(at, due);
    clock_format(day, local_day);
    int rc = db_prepare(c->d, "SELECT id, email, name, role FROM users WHERE workspace_id = ? AND active ORDER BY id",
                        &s, e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, c->workspace_id);
    json_t *users = json_array();
    while ((rc = db_step(s, e)) == DB_ROW)
        json_array_append_new(users, json_pack("[s,s,s?,s]", db_col_text(s, 0, NULL), db_col_text(s, 1, NULL),
                                               db_col_text(s, 2, NULL), db_col_text(s, 3, NULL)));
    db_finalize(s);
    size_t i;
    json_t *u;
    json_array_foreach(users, i, u)
    {
        if (rc < 0)
            break;
        actor who = {.role = role_parse(json_string_value(json_array_get(u, 3))), .kind = PRINCIPAL_SYSTEM};
        snprintf(who.user_id, sizeof who.user_id, "%s", json_string_value(json_array_get(u, 0)));
        snprintf(who.workspace_id, sizeof who.workspace_id, "%s", c->workspace_id);
        strbuf out = STRBUF_INIT, text = STRBUF_INIT;
        rc = today_report(c->d, &who, 0, &out, e);
        json_t *d = rc == 0 ? json_loads(out.buf, 0, NULL) : NULL;
        strbuf_release(&out);
        const char *name = json_string_value(json_array_get(u, 2));
        strbuf_addf(&text, "Good morning%s%s,\n\nYour day in %s:\n", name && *name ? " " : "", name ? name : "",
                    c->workspace_name);
        size_t before = text.len;
        add_items(&text, d, "overdue", "Overdue", "title");
        add_items(&text, d, "due_today", "Due today", "title");
        add_items(&text, d, "check_ins", "Check-ins due", "client_name");
        add_items(&text, d, "needs_summary", "Conversations without a summary", "subject");
        add_items(&text, d, "tickets", "Tickets near or past their promise", "subject");
        add_items(&text, d, "at_risk", "Clients at risk", "client_name");
        add_items(&text, d, "invoices_overdue", "Invoices overdue", "number");
        add_items(&text, d, "deliverables_due", "Deliverables due", "name");
        if (rc == 0 && text.len > before) { /* nothing to do today: no mail */
            strbuf subject = STRBUF_INIT;
            strbuf_addf(&subject, "Your day: %.10s", local_day);
            outbox_email m = {.to = json_string_value(json_array_get(u, 1)),
                              .to_name = name,
                              .subject = subject.buf,
                              .text = text.buf};
            rc = automation_fire(c, "morning_digest", who.user_id, due, &m, e);
            strbuf_release(&subject);
        }
        json_decref(d);
        strbuf_release(&text);
    }
    json_decref(users);
    return rc < 0 ? rc : 0;
}

/* The band a client had at t, or NULL. */
static char *band_at(automation_ctx *c, const actor *sys, const char *client, int64_t t)
{
    strbuf out = STRBUF_INIT;
    char *band = NULL;
    if (health_score(c->d, sys, client, t, &out, NULL) == 0) {
        json_t *j = json_loads(out.buf, 0, NULL);
        const char *b = json_string_value(json_object_get(j, "band"));
        band = b ? strdup(b) : NULL;
        json_decref(j);
    }
    strbuf_release(&out);
    return band;
}

/* The day a client entered its band: the first of the last seven days whose end found it there (each past
 * day's end is fixed, so every run of the week, whatever its hour, names the same day). */
static void drop_day(automation_ctx *c, const actor *sys, const char *client, const char *band, char out[11])
{
    int64_t today = c->now / 86400 * 86400, day = today;
    for (int k = 1; k <= 7; k++) {
        char *b = band_at(c, sys, client, today - (int64_t)(k - 1) * 86400 - 1);
        int same = b && !strcmp(b, band);
        free(b);
        if (!same)
            break;
        day = today - (int64_t)k * 86400;
    }
    char t[CLOCK_RFC3339_LEN];
    clock_format(day, t);
    snprintf(out, 11, "%.10s", t);
}

/* A client whose health fell a band this week: its owner is told why (the factors that cost points, with
 * their evidence). Once per client, band and the day it entered the band. */
int automation_health_drop(automation_ctx *c, err_t *e)
{
    actor sys = system_actor(c);
    strbuf out = STRBUF_INIT;
    int rc = today_report(c->d, &sys, 1, &out, e);
    json_t *d = rc == 0 ? json_loads(out.buf, 0, NULL) : NULL;
    strbuf_release(&out);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(d, "at_risk"), i, it)
    {
        if (!json_is_true(json_object_get(it, "dropped_this_week")))
            continue;
        const char *client = json_string_value(json_object_get(it, "client_id")),
                   *band = json_string_value(json_object_get(it, "band"));
        db_stmt *s;
        const char *a[] = {client};
        char email[300], name[201];
        if (!client || !band ||
            db_query_row(c->d, &s, NULL,
                         "SELECT u.email, u.name FROM clients cl JOIN users u ON u.id = cl.owner_id "
                         "WHERE cl.id = ? AND u.active",
                         1, a) != DB_ROW)
            continue;
        snprintf(email, sizeof email, "%s", db_col_text(s, 0, NULL));
        snprintf(name, sizeof name, "%s", db_col_text(s, 1, NULL) ? db_col_text(s, 1, NULL) : "");
        db_finalize(s);
        strbuf score = STRBUF_INIT, text = STRBUF_INIT, subject = STRBUF_INIT;
        json_t *h = health_score(c->d, &sys, client, c->now, &score, NULL) == 0 ? json_loads(score.buf, 0, NULL) : NULL;
        const char *cname = json_string_value(json_object_get(it, "client_name"));
        strbuf_addf(&subject, "%s is now %s", cname ? cname : client, band);
        strbuf_addf(&text,
                    "Hello%s%s,\n\n%s's health fell from %s to %s this week (score %lld). What cost it points:\n",
                    *name ? " " : "", name, cname ? cname : client,
                    json_string_value(json_object_get(it, "band_week_ago"))
                        ? json_string_value(json_object_get(it, "band_week_ago"))
                        : "?",
                    band, (long long)json_integer_value(json_object_get(h, "score")));
        size_t k;
        json_t *f;
        json_array_foreach(json_object_get(h, "factors"), k, f)
        {
            if (json_number_value(json_object_get(f, "points_lost")) <= 0)
                continue;
            json_t *ev = json_object_get(f, "evidence");
            /* evidence is a sentence; anything else is shown as its JSON */
            char *evs = json_is_string(ev) ? strdup(json_string_value(ev))
                        : ev               ? json_dumps(ev, JSON_COMPACT | JSON_ENCODE_ANY)
                                           : NULL;
            strbuf_addf(&text, "- %s: %.0f points%s%s\n", json_string_value(json_object_get(f, "factor")),
                        json_number_value(json_object_get(f, "points_lost")), evs ? " — " : "", evs ? evs : "");
            free(evs);
        }
        char day[11], key[64];
        drop_day(c, &sys, client, band, day);
        strbuf_addf(&text, "\nrapport health %s has the details.\n", client);
        snprintf(key, sizeof key, "%s/%s", day, band);
        outbox_email m = {.to = email, .to_name = name, .subject = subject.buf, .text = text.buf, .client_id = client};
        rc = automation_fire(c, "health_drop", client, key, &m, e);
        json_decref(h);
        strbuf_release(&score);
        strbuf_release(&text);
        strbuf_release(&subject);
        if (rc < 0)
            break;
    }
    json_decref(d);
    return rc < 0 ? rc : 0;
}
