/* automation_table: the built-in automations, one function each, and the one way they fire.
 *
 * Each finds its due items with one query per workspace, then fires each through automation_fire: an
 * INSERT into automation_runs keyed by (automation, record, due time) and the message it sends, in one
 * transaction. The key refuses a second firing however many servers look, and a due time that moves
 * (a task's new due date, a client's next cadence) is a new item. Only items that fell due in the last
 * AUTOMATION_LOOKBACK are fired, so switching email on does not send a year of old reminders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/practice/lifecycle.h"
#include "sched/automation_kinds.h"
#include "sched/outbox.h"
#include "util/clock.h"

#define AUTOMATION_LOOKBACK (3 * 86400)

int automation_fire(automation_ctx *c, const char *name, const char *record_id, const char *due_at, outbox_email *m,
                    err_t *e)
{
    char now[CLOCK_RFC3339_LEN], id[ID_MAX];
    clock_format(c->now, now);
    int rc = db_begin(c->d, e);
    if (rc < 0)
        return rc;
    db_stmt *s;
    const char *a[] = {c->workspace_id, name, record_id, due_at, now};
    rc = db_query_row(c->d, &s, e,
                      "INSERT INTO automation_runs (workspace_id, automation, record_id, due_at, fired_at) "
                      "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                      5, a);
    if (rc >= 0 && db_changes(c->d) == 0) { /* fired before, here or on another server */
        db_rollback(c->d);
        return 0;
    }
    if (!m) { /* nothing to send (the contact opted out): recorded, so it is not looked at again */
        if ((rc = db_commit(c->d, e)) < 0)
            return rc;
        c->fired++;
        return 1;
    }
    m->workspace_id = c->workspace_id;
    m->automation = name;
    if (rc >= 0)
        rc = outbox_queue_email(c->d, m, id, e);
    if (rc >= 0) {
        const char *b[] = {id, name, record_id, due_at};
        rc = db_query_row(
            c->d, &s, e,
            "UPDATE automation_runs SET outbox_id = ? WHERE automation = ? AND record_id = ? AND due_at = ?", 4, b);
    }
    if (rc < 0) {
        db_rollback(c->d);
        /* one item that cannot be sent (a recipient without an address) must not stop the others */
        return rc == E_INVALID_VALUE ? 0 : rc;
    }
    if ((rc = db_commit(c->d, e)) < 0)
        return rc;
    c->fired++;
    return 1;
}

/* One due item as the query found it: up to 8 text columns. */
typedef struct item {
    char *col[8];
} item;

/* Runs sql (binding the texts) and keeps every row, so firing (which writes) starts after the read. */
static int collect(automation_ctx *c, const char *sql, int n, const char *const *args, item **out, int *count, err_t *e)
{
    db_stmt *s;
    int rc = db_prepare(c->d, sql, &s, e);
    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++)
        db_bind_text(s, i + 1, args[i]);
    *out = NULL;
    *count = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        *out = realloc(*out, (size_t)(*count + 1) * sizeof **out);
        item *it = &(*out)[(*count)++];
        for (int k = 0; k < 8; k++) {
            const char *v = k < 8 ? db_col_text(s, k, NULL) : NULL;
            it->col[k] = v ? strdup(v) : NULL;
        }
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

static void free_items(item *items, int n)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 8; k++)
            free(items[i].col[k]);
    free(items);
}

static void times(automation_ctx *c, int64_t back, int64_t ahead, char from[CLOCK_RFC3339_LEN],
                  char to[CLOCK_RFC3339_LEN])
{
    clock_format(c->now - back, from);
    clock_format(c->now + ahead, to);
}

/* Reminder emails to a person of the firm, one per item: col 0 the record id, 1 its due time, 2 the
 * person's email, 3 their name, 4.. what the text needs. */
typedef void (*write_fn)(const item *it, strbuf *subject, strbuf *text);

static int remind_each(automation_ctx *c, const char *name, const char *sql, int n, const char *const *args,
                       write_fn write, err_t *e)
{
    item *items;
    int count, rc = collect(c, sql, n, args, &items, &count, e);
    for (int i = 0; i < count && rc >= 0; i++) {
        strbuf subject = STRBUF_INIT, text = STRBUF_INIT;
        write(&items[i], &subject, &text);
        strbuf_adds(&text, "\n\n-- \nSent by Rapport's automations; switch this one off in the email settings "
                           "(rapport email settings --off ");
        strbuf_adds(&text, name);
        strbuf_adds(&text, ").\n");
        outbox_email m = {.to = items[i].col[2], .to_name = items[i].col[3], .subject = subject.buf, .text = text.buf};
        rc = automation_fire(c, name, items[i].col[0], items[i].col[1], &m, e);
        strbuf_release(&subject);
        strbuf_release(&text);
    }
    free_items(items, rc < 0 ? count : count);
    return rc < 0 ? rc : 0;
}

/* "Hello Ada," or "Hello," for a user without a name */
static void greet(strbuf *text, const char *name)
{
    strbuf_addf(text, "Hello%s%s,\n\n", name && *name ? " " : "", name && *name ? name : "");
}

/* ---- tasks ---- */

static void task_text(const item *it, strbuf *subject, strbuf *text)
{
    strbuf_addf(subject, "Due %.16s: %s", it->col[1], it->col[4]);
    greet(text, it->col[3]);
    strbuf_addf(text, "Your task \"%s\" is due %.10s at %.5s UTC.", it->col[4], it->col[1], it->col[1] + 11);
    if (it->col[5])
        strbuf_addf(text, "\nClient: %s", it->col[5]);
}

static int run_task_deadline(automation_ctx *c, err_t *e)
{
    char from[CLOCK_RFC3339_LEN], to[CLOCK_RFC3339_LEN];
    times(c, AUTOMATION_LOOKBACK, (int64_t)c->set.value * 3600, from, to);
    const char *a[] = {c->workspace_id, to, from};
    return remind_each(c, "task_deadline",
                       "SELECT t.id, t.due_at, u.email, u.name, t.title, cl.name FROM tasks t "
                       "JOIN users u ON u.id = t.assignee_id LEFT JOIN clients cl ON cl.id = t.client_id "
                       "WHERE t.workspace_id = ? AND t.status = 'open' AND t.due_at <= ? AND t.due_at > ? "
                       "AND u.active ORDER BY t.due_at, t.id",
                       3, a, task_text, e);
}

/* ---- deliverables ---- */

static void deliverable_text(const item *it, strbuf *subject, strbuf *text)
{
    strbuf_addf(subject, "Deliverable due %.10s: %s", it->col[1], it->col[4]);
    greet(text, it->col[3]);
    strbuf_addf(text, "\"%s\" for %s (project %s) is due on %.10s and is not delivered yet.", it->col[4],
                it->col[5] ? it->col[5] : "", it->col[6] ? it->col[6] : "", it->col[1]);
}

static int run_deliverable_deadline(automation_ctx *c, err_t *e)
{
    char from[CLOCK_RFC3339_LEN], to[CLOCK_RFC3339_LEN];
    times(c, AUTOMATION_LOOKBACK, (int64_t)c->set.value * 86400, from, to);
    const char *a[] = {c->workspace_id, to, from};
    /* to the client's owner; the due date as a day's start */
    return remind_each(
        c, "deliverable_deadline",
        "SELECT d.id, d.due_date || 'T00:00:00Z', u.email, u.name, d.name, cl.name, p.name "
        "FROM deliverables d JOIN projects p ON p.id = d.project_id JOIN clients cl ON cl.id = d.client_id "
        "JOIN users u ON u.id = cl.owner_id WHERE d.workspace_id = ? AND d.status IN ('todo', "
        "'in_progress') AND d.due_date || 'T00:00:00Z' <= ? AND d.due_date || 'T00:00:00Z' > ? "
        "AND u.active ORDER BY d.due_date, d.id",
        3, a, deliverable_text, e);
}

/* ---- tickets ---- */

static void ticket_warning_text(const item *it, strbuf *subject, strbuf *text)
{
    strbuf_addf(subject, "Reply due %.16s: %s", it->col[1], it->col[4]);
    greet(text, it->col[3]);
    strbuf_addf(text,
                "%s's ticket \"%s\" has no answer yet; the response promised to them is due "
                "%.10s at %.5s UTC.",
                it->col[5] ? it->col[5] : "", it->col[4], it->col[1], it->col[1] + 11);
}

static void ticket_breach_text(const item *it, strbuf *subject, strbuf *text)
{
    strbuf_addf(subject, "Response promise missed: %s", it->col[4]);
    greet(text, it->col[3]);
    strbuf_addf(text,
                "%s's ticket \"%s\" passed its promised response time (%.10s %.5s UTC) "
                "without an answer.",
                it->col[5] ? it->col[5] : "", it->col[4], it->col[1], it->col[1] + 11);
}

#define TICKETS_OPEN                                                                                                   \
    "SELECT t.id, t.response_due_at, u.email, u.name, t.subject, cl.name FROM tickets t "                              \
    "JOIN clients cl ON cl.id = t.client_id JOIN users u ON u.id = cl.owner_id WHERE t.workspace_id = ? AND "          \
    "t.status = 'open' AND t.first_response_at IS NULL AND u.active "

static int run_ticket_warning(automation_ctx *c, err_t *e)
{
    char now[CLOCK_RFC3339_LEN], to[CLOCK_RFC3339_LEN];
    times(c, 0, (int64_t)c->set.value * 3600, now, to);
    const char *a[] = {c->workspace_id, now, to};
    return remind_each(c, "ticket_warning",
                       TICKETS_OPEN "AND t.response_due_at > ? AND t.response_due_at <= ? ORDER BY t.response_due_at",
                       3, a, ticket_warning_text, e);
}

static int run_ticket_breach(automation_ctx *c, err_t *e)
{
    char from[CLOCK_RFC3339_LEN], now[CLOCK_RFC3339_LEN];
    times(c, AUTOMATION_LOOKBACK, 0, from, now);
    const char *a[] = {c->workspace_id, now, from};
    return remind_each(c, "ticket_breach",
                       TICKETS_OPEN "AND t.response_due_at <= ? AND t.response_due_at > ? ORDER BY t.response_due_at",
                       3, a, ticket_breach_text, e);
}

/* ---- projects ---- */

static void pulse_text(const item *it, strbuf *subject, strbuf *text)
{
    strbuf_addf(subject, "Pulse check: %s", it->col[4]);
    greet(text, it->col[3]);
    strbuf_addf(text,
                "Project \"%s\" for %s is halfway (%.10s): a good moment to ask how it is going "
                "for them, and log what they say as pulse feedback.",
                it->col[4], it->col[5] ? it->col[5] : "", it->col[1]);
}

static void debrief_text(const item *it, strbuf *subject, strbuf *text)
{
    strbuf_addf(subject, "Debrief: %s", it->col[4]);
    greet(text, it->col[3]);
    strbuf_addf(text,
                "Project \"%s\" for %s has reached its end (%.10s): time for the debrief "
                "with the client, logged as debrief feedback.",
                it->col[4], it->col[5] ? it->col[5] : "", it->col[1]);
}

static int run_project_pulse(automation_ctx *c, err_t *e)
{
    /* halfway between start and due, found day by day: the midpoint date is computed per row in C */
    item *items;
    int count;
    const char *a[] = {c->workspace_id};
    int rc = collect(c,
                     "SELECT p.id, p.start_date, u.email, u.name, p.name, cl.name, p.due_date FROM projects p "
                     "JOIN clients cl ON cl.id = p.client_id JOIN users u ON u.id = cl.owner_id "
                     "WHERE p.workspace_id = ? AND p.status = 'active' AND p.start_date IS NOT NULL "
                     "AND p.due_date IS NOT NULL AND u.active",
                     1, a, &items, &count, e);
    for (int i = 0; i < count && rc >= 0; i++) {
        int64_t start, due;
        if (clock_parse_date(items[i].col[1], &start) < 0 || clock_parse_date(items[i].col[6], &due) < 0)
            continue;
        int64_t mid = start + (due - start) / 2 / 86400 * 86400;
        if (mid > c->now || mid <= c->now - AUTOMATION_LOOKBACK || due - start < 2 * 86400)
            continue;
        char at[CLOCK_RFC3339_LEN];
        clock_format(mid, at);
        free(items[i].col[1]);
        items[i].col[1] = strdup(at);
        strbuf subject = STRBUF_INIT, text = STRBUF_INIT;
        pulse_text(&items[i], &subject, &text);
        outbox_email m = {.to = items[i].col[2], .to_name = items[i].col[3], .subject = subject.buf, .text = text.buf};
        rc = automation_fire(c, "project_pulse", items[i].col[0], at, &m, e);
        strbuf_release(&subject);
        strbuf_release(&text);
    }
    free_items(items, count);
    return rc < 0 ? rc : 0;
}

static int run_project_debrief(automation_ctx *c, err_t *e)
{
    char from[CLOCK_RFC3339_LEN], now[CLOCK_RFC3339_LEN];
    times(c, AUTOMATION_LOOKBACK, 0, from, now);
    const char *a[] = {c->workspace_id, now, from};
    return remind_each(c, "project_debrief",
                       "SELECT p.id, p.due_date || 'T00:00:00Z', u.email, u.name, p.name, cl.name FROM projects p "
                       "JOIN clients cl ON cl.id = p.client_id JOIN users u ON u.id = cl.owner_id "
                       "WHERE p.workspace_id = ? AND p.status IN ('active', 'done') AND p.due_date IS NOT NULL "
                       "AND p.due_date || 'T00:00:00Z' <= ? AND p.due_date || 'T00:00:00Z' > ? AND u.active",
                       3, a, debrief_text, e);
}

/* ---- check-ins ---- */

static int run_checkin_reminder(automation_ctx *c, err_t *e)
{
    /* the clients whose cadence lapsed, as `rapport due` sees them, for the whole workspace */
    actor sys = {.role = ROLE_SYSTEM, .kind = PRINCIPAL_SYSTEM};
    snprintf(sys.workspace_id, sizeof sys.workspace_id, "%s", c->workspace_id);
    strbuf out = STRBUF_INIT;
    int rc = checkins_due(c->d, &sys, NULL, 1000, &out, e);
    json_t *j = rc == 0 ? json_loads(out.buf, 0, NULL) : NULL;
    strbuf_release(&out);
    size_t i;
    json_t *due;
    json_array_foreach(json_object_get(j, "data"), i, due)
    {
        const char *client = json_string_value(json_object_get(due, "client_id")),
                   *owner = json_string_value(json_object_get(due, "owner_id")),
                   *at = json_string_value(json_object_get(due, "due_at"));
        int64_t t;
        if (!owner || !at || clock_parse(at, &t) < 0 || t <= c->now - AUTOMATION_LOOKBACK)
            continue;
        db_stmt *s;
        const char *a[] = {owner};
        char email[300] = "", name[201] = "";
        if (db_query_row(c->d, &s, NULL, "SELECT email, name FROM users WHERE id = ? AND active", 1, a) != DB_ROW)
            continue;
        snprintf(email, sizeof email, "%s", db_col_text(s, 0, NULL));
        snprintf(name, sizeof name, "%s", db_col_text(s, 1, NULL) ? db_col_text(s, 1, NULL) : "");
        db_finalize(s);
        const char *cname = json_string_value(json_object_get(due, "client_name"));
        strbuf subject = STRBUF_INIT, text = STRBUF_INIT;
        strbuf_addf(&subject, "Check-in due: %s", cname ? cname : client);
        greet(&text, name);
        strbuf_addf(&text, "%s expects a %s update; the last one from us was %s. It fell due %.10s.",
                    cname ? cname : client, json_string_value(json_object_get(due, "cadence")),
                    json_string_value(json_object_get(due, "last_update_at"))
                        ? json_string_value(json_object_get(due, "last_update_at"))
                        : "never",
                    at);
        outbox_email m = {.to = email, .to_name = name, .subject = subject.buf, .text = text.buf, .client_id = client};
        rc = automation_fire(c, "checkin_reminder", client, at, &m, e);
        strbuf_release(&subject);
        strbuf_release(&text);
        if (rc < 0)
            break;
    }
    json_decref(j);
    return rc < 0 ? rc : 0;
}

/* Sorted by name. */
const automation automation_table[] = {
    {"checkin_email", 0, NULL, 0, 0, 0, 1,
     "writes the client's update (their template for checkin_email) to their contact when the cadence lapses: a "
     "draft to approve, or sent",
     automation_checkin_email},
    {"checkin_reminder", 1, NULL, 0, 0, 0, 0, "tells a client's owner when the client's update cadence lapsed",
     run_checkin_reminder},
    {"deliverable_deadline", 1, "days_before", 2, 0, 60, 0,
     "reminds the client's owner of a deliverable due within days_before and not delivered", run_deliverable_deadline},
    {"health_drop", 1, NULL, 0, 0, 0, 0,
     "tells a client's owner when the client's health falls a band, with the factors and evidence",
     automation_health_drop},
    {"morning_digest", 0, "hour", 7, 0, 23, 0,
     "emails each user their Today from this hour (the workspace's time zone) when it holds anything", automation_morning_digest},
    {"onboarding_welcome", 0, NULL, 0, 0, 0, 1,
     "welcomes a client that became active, with its onboarding's intake questions: a draft to approve, or sent",
     automation_onboarding_welcome},
    {"project_debrief", 1, NULL, 0, 0, 0, 0, "reminds the client's owner to hold the debrief when a project ends",
     run_project_debrief},
    {"project_pulse", 1, NULL, 0, 0, 0, 0,
     "reminds the client's owner to ask for a pulse check halfway through a "
     "project",
     run_project_pulse},
    {"task_deadline", 1, "hours_before", 24, 0, 720, 0, "reminds a task's assignee hours_before it is due",
     run_task_deadline},
    {"ticket_breach", 1, NULL, 0, 0, 0, 0,
     "alerts the client's owner when an unanswered ticket passes its promised "
     "response time",
     run_ticket_breach},
    {"ticket_warning", 1, "hours_before", 4, 1, 168, 0,
     "warns the client's owner hours_before an unanswered ticket's promised response time", run_ticket_warning},
};
const int automation_count = (int)(sizeof automation_table / sizeof automation_table[0]);
