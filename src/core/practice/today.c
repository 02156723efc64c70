/* today: the whole day for one person or the whole firm, each line naming its client and carrying the
 * ids a UI acts on (see lifecycle.h): overdue tasks and tasks due today (in the workspace's time zone),
 * check-ins due, conversations still without a summary, tickets near or past their promised response,
 * clients at risk or fallen a band this week, invoices overdue and deliverables due this week.
 *
 * A person's day is what is theirs and what is no one's: tasks assigned to them, conversations they
 * logged, and for everything else the clients they own plus the clients nobody owns (unowned work would
 * otherwise fall on no one's list). Who may read it at all is the access layer's business, not this file's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/tz.h"
#include "core/access/access.h"
#include "core/insight/health.h"
#include "core/insight/health_store.h"
#include "core/insight/latency.h"
#include "core/practice/lifecycle.h"
#include "core/engine/record.h"

/* A day's list is for reading: two hundred per section is more than a day holds. */
#define TODAY_ROWS 200
/* A ticket whose promised response falls due within this many seconds is "near" it. */
#define TICKET_NEAR_SECONDS (4 * 3600)
/* SQL over alias r (a record with client_id): the client is mine or no one's; binds me twice. */
#define MY_CLIENT_SQL                                                                                            \
    "(CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM clients c WHERE c.id = r.client_id AND (c.owner_id = ? " \
    "OR c.owner_id IS NULL)))"

typedef struct day {
    db *d;
    const actor *who;
    const char *me; /* NULL: everyone's */
    int64_t now;
    char start[CLOCK_RFC3339_LEN], end[CLOCK_RFC3339_LEN]; /* today, local midnight to midnight, as UTC */
    char date[11], week_end[11];                           /* today's and this week's Sunday's local dates */
    err_t *e;
} day;

/* Records of en matching where, as a JSON array, each given its kind and its id under id_key. */
static json_t *rows(day *t, const char *entity_name, const char *kind, const char *id_key, const char *where,
                    const char *order, const char *const *args, int nargs)
{
    strbuf out = STRBUF_INIT;
    const entity *en = entity_by_name(entity_name);
    json_t *list = NULL;
    if (record_emit_where(t->d, t->who, en, where, order, TODAY_ROWS, args, nargs, &out, t->e) == 0)
        list = json_loads(out.buf, 0, NULL);
    strbuf_release(&out);
    size_t i;
    json_t *it;
    char own_kind[64]; /* a task's or ticket's own kind stays, as task_kind or ticket_kind */
    snprintf(own_kind, sizeof own_kind, "%.*s_kind", (int)(strlen(id_key) - 3), id_key);
    json_array_foreach(list, i, it) {
        json_t *was = json_object_get(it, "kind");
        if (was)
            json_object_set(it, own_kind, was);
        json_object_set_new(it, "kind", json_string(kind));
        json_object_set(it, id_key, json_object_get(it, "id"));
    }
    return list;
}

static json_t *tasks(day *t, int overdue)
{
    const char *args[] = {t->start, t->end, t->me, t->me};
    return overdue ? rows(t, "tasks", "overdue_task", "task_id",
                          "r.status = 'open' AND r.due_at < ? AND (CAST(? AS TEXT) IS NULL OR r.assignee_id = ?)",
                          "r.due_at, r.id", (const char *const[]){t->start, t->me, t->me}, 3)
                   : rows(t, "tasks", "task_due_today", "task_id",
                          "r.status = 'open' AND r.due_at >= ? AND r.due_at < ? AND "
                          "(CAST(? AS TEXT) IS NULL OR r.assignee_id = ?)",
                          "r.due_at, r.id", args, 4);
}

static json_t *check_ins(day *t)
{
    if (!access_may(t->who, entity_by_name("clients"), OP_LIST) ||
        !access_may(t->who, entity_by_name("interactions"), OP_LIST))
        return json_array(); /* a list the actor may not read is there, empty */
    strbuf ci = STRBUF_INIT;
    json_t *j = NULL, *list = NULL;
    if (checkins_due(t->d, t->who, t->me, TODAY_ROWS, &ci, t->e) == 0 && (j = json_loads(ci.buf, 0, NULL)))
        list = json_incref(json_object_get(j, "data"));
    json_decref(j);
    strbuf_release(&ci);
    return list;
}

static json_t *needs_summary(day *t)
{
    return rows(t, "interactions", "needs_summary", "interaction_id",
                "r.needs_summary = TRUE AND (CAST(? AS TEXT) IS NULL OR r.created_by = ?)",
                "r.occurred_at DESC, r.id DESC", (const char *const[]){t->me, t->me}, 2);
}

/* Open tickets still waiting for a first response whose promised time is past or within a few hours;
 * "late" says which. */
static json_t *tickets(day *t)
{
    char near[CLOCK_RFC3339_LEN], now[CLOCK_RFC3339_LEN];
    clock_format(t->now + TICKET_NEAR_SECONDS, near);
    clock_format(t->now, now);
    json_t *list = rows(t, "tickets", "ticket_response", "ticket_id",
                        "r.status = 'open' AND r.first_response_at IS NULL AND r.response_due_at IS NOT NULL AND "
                        "r.response_due_at < ? AND " MY_CLIENT_SQL,
                        "r.response_due_at, r.id", (const char *const[]){near, t->me, t->me}, 3);
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        const char *due = json_string_value(json_object_get(it, "response_due_at"));
        json_object_set_new(it, "late", json_boolean(due && strcmp(due, now) < 0));
    }
    return list;
}

static int64_t days_between(const char *from_date, const char *to_date)
{
    char a[CLOCK_RFC3339_LEN], b[CLOCK_RFC3339_LEN];
    int64_t x, y;
    snprintf(a, sizeof a, "%.10sT00:00:00Z", from_date);
    snprintf(b, sizeof b, "%.10sT00:00:00Z", to_date);
    if (clock_parse(a, &x) || clock_parse(b, &y))
        return 0;
    return (y - x) / 86400;
}

static json_t *invoices(day *t)
{
    json_t *list = rows(t, "invoices", "invoice_overdue", "invoice_id",
                        "r.status = 'issued' AND r.paid_on IS NULL AND r.due_on < ? AND " MY_CLIENT_SQL,
                        "r.due_on, r.id", (const char *const[]){t->date, t->me, t->me}, 3);
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        const char *due = json_string_value(json_object_get(it, "due_on"));
        json_object_set_new(it, "days_overdue", json_integer(due ? days_between(due, t->date) : 0));
    }
    return list;
}

/* Not yet delivered and due by the end of this week (Sunday), late ones included: "late" says which. */
static json_t *deliverables(day *t)
{
    json_t *list = rows(t, "deliverables", "deliverable_due", "deliverable_id",
                        "r.status IN ('todo', 'in_progress') AND r.due_date IS NOT NULL AND r.due_date <= ? AND "
                        MY_CLIENT_SQL,
                        "r.due_date, r.id", (const char *const[]){t->week_end, t->me, t->me}, 3);
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        const char *due = json_string_value(json_object_get(it, "due_date"));
        json_object_set_new(it, "late", json_boolean(due && strcmp(due, t->date) < 0));
    }
    return list;
}

static int band_of(json_t *entry) { return health_band_parse(json_string_value(json_object_get(entry, "band"))); }

static int mine(const day *t, const char *owner) { return !t->me || !owner || !strcmp(owner, t->me); }

/* An entry of the section: its kind, last week's band and whether it dropped this week. */
static void mark(json_t *it, int band, const char *was)
{
    json_object_set_new(it, "kind", json_string(band == HEALTH_AT_RISK ? "at_risk" : "band_drop"));
    json_object_set_new(it, "band_week_ago", was ? json_string(was) : json_null());
    json_object_set_new(it, "dropped_this_week", json_boolean(was && health_band_parse(was) < band));
}

/* The section from the clients as scored now (riskiest first) and a week ago: the at-risk ones, and
 * those whose band is worse than a week ago, mine and no one's (or everyone's). */
static json_t *section(day *t, json_t *now, json_t *before)
{
    json_t *was_by_client = json_object(), *list = json_array(), *it;
    size_t i;
    json_array_foreach(before, i, it) json_object_set(was_by_client, json_string_value(json_object_get(it, "client_id")), it);
    json_array_foreach(now, i, it) {
        if (json_array_size(list) >= TODAY_ROWS)
            break;
        if (!mine(t, json_string_value(json_object_get(it, "owner_id"))))
            continue;
        json_t *old = json_object_get(was_by_client, json_string_value(json_object_get(it, "client_id")));
        int band = band_of(it), was = old ? band_of(old) : band;
        if (band != HEALTH_AT_RISK && band <= was)
            continue;
        mark(it, band, old ? health_band_names[was] : NULL);
        json_array_append(list, it);
    }
    json_decref(was_by_client);
    return list;
}

/* The clients of a scope as scored at an instant, as a JSON array (NULL on failure). */
static json_t *scored(day *t, const client_scope *scope, int64_t as_of)
{
    strbuf out = STRBUF_INIT;
    json_t *j = NULL, *list = NULL;
    if (health_list_scope(t->d, t->who, scope, as_of, &out, t->e) == 0 && (j = json_loads(out.buf, 0, NULL)))
        list = json_incref(json_object_get(j, "data"));
    json_decref(j);
    strbuf_release(&out);
    return list;
}

/* Who the section scores. With the stored scores (health_store.c) current, only the active clients they do
 * not settle: one the worker last scored healthy, and not written since, is healthy now and cannot have
 * dropped a band, so the watch, at-risk, never-scored and just-written ones are scored. Without them (never
 * refreshed in full, or not for a day and a half, as from the command line without a server; too many
 * clients written since): every active client. The scope's arguments point into *dt. */
static int scope_to_score(day *t, client_scope *scope, health_dirty *dt)
{
    memset(dt, 0, sizeof *dt);
    health_mark m;
    if (health_mark_read(t->d, t->who, &m, t->e) < 0)
        return -1;
    if (m.found && t->now - m.full_at <= 36 * 3600) {
        if (health_dirty_since(t->d, t->who, &m, dt, t->e) < 0)
            return -1;
        if (!dt->overflow) {
            client_scope_unsettled(scope, t->who->workspace_id, dt->ids, dt->n);
            return 0;
        }
    }
    client_scope_init(scope, t->who->workspace_id, NULL, NULL);
    return 0;
}

/* Clients in the at-risk band now (kind "at_risk"), and those whose band fell since a week ago (kind
 * "band_drop"), riskiest first, each with its score, band, last week's band and top reasons. */
static json_t *at_risk(day *t)
{
    client_scope scope;
    health_dirty dt;
    json_t *list = NULL;
    if (scope_to_score(t, &scope, &dt) == 0) {
        json_t *now = scored(t, &scope, t->now), *before = now ? scored(t, &scope, t->now - 7 * 86400) : NULL;
        if (now && before)
            list = section(t, now, before);
        json_decref(now);
        json_decref(before);
    }
    health_dirty_release(&dt);
    return list;
}

static void collect_client(json_t *ids, json_t *item)
{
    const char *cid = json_string_value(json_object_get(item, "client_id"));
    if (cid && !json_object_get(item, "client_name"))
        json_object_set_new(ids, cid, json_null());
}

static void name_row(void *ctx, db_stmt *s)
{
    json_object_set_new(ctx, db_col_text(s, 0, NULL), json_string(db_col_text(s, 1, NULL)));
}

/* Every line names its client: one query for the names of all the clients the sections mention. */
static int add_client_names(day *t, json_t *report)
{
    json_t *names = json_object(), *section, *item;
    const char *key, *cid;
    size_t i;
    json_object_foreach(report, key, section) json_array_foreach(section, i, item) collect_client(names, item);
    size_t n = json_object_size(names);
    int rc = 0;
    if (n) {
        const char **args = calloc(n + 1, sizeof *args);
        strbuf sql = STRBUF_INIT;
        strbuf_adds(&sql, "SELECT id, name FROM clients WHERE workspace_id = ? AND id IN (");
        args[0] = t->who->workspace_id;
        size_t k = 1;
        json_t *v;
        json_object_foreach(names, cid, v) {
            strbuf_adds(&sql, k > 1 ? ",?" : "?");
            args[k++] = cid;
        }
        strbuf_addc(&sql, ')');
        rc = db_query_each(t->d, t->e, sql.buf, (int)k, args, name_row, names);
        strbuf_release(&sql);
        free(args);
    }
    json_object_foreach(report, key, section) json_array_foreach(section, i, item) {
        cid = json_string_value(json_object_get(item, "client_id"));
        if (cid && !json_object_get(item, "client_name"))
            json_object_set(item, "client_name", json_object_get(names, cid));
        else if (!cid && !json_object_get(item, "client_name"))
            json_object_set_new(item, "client_name", json_null());
    }
    json_decref(names);
    return rc;
}

static int day_init(day *t, db *d, const actor *who, int everyone, err_t *e)
{
    *t = (day){.d = d, .who = who, .me = everyone ? NULL : who->user_id, .now = clock_now(), .e = e};
    db_stmt *s;
    const char *wargs[] = {who->workspace_id};
    const tz *zone = NULL;
    int rc = db_query_row(d, &s, e, "SELECT time_zone FROM workspaces WHERE id = ?", 1, wargs);
    if (rc < 0)
        return rc;
    if (rc == DB_ROW) {
        zone = tz_get(db_col_text(s, 0, NULL), e);
        db_finalize(s);
    }
    if (!zone)
        zone = tz_get("UTC", e);
    int64_t local = t->now + tz_offset(zone, t->now);
    int64_t midnight = local - ((local % 86400) + 86400) % 86400;
    clock_format(tz_local_to_utc(zone, midnight), t->start);
    clock_format(tz_local_to_utc(zone, midnight + 86400), t->end);
    char buf[CLOCK_RFC3339_LEN];
    clock_format(midnight, buf);
    snprintf(t->date, sizeof t->date, "%.10s", buf);
    int weekday = (int)((midnight / 86400 + 3) % 7); /* 0 = Monday: 1970-01-01 was a Thursday */
    clock_format(midnight + (int64_t)(6 - weekday) * 86400, buf);
    snprintf(t->week_end, sizeof t->week_end, "%.10s", buf);
    err_clear(e);
    return 0;
}

int today_report(db *d, const actor *who, int everyone, strbuf *out, err_t *e)
{
    /* the day is its tasks; the other lists are there when the actor may read them, empty when not */
    int rc = access_check(who, entity_by_name("tasks"), OP_LIST, NULL, e);
    if (rc)
        return rc;
    day t;
    rc = day_init(&t, d, who, everyone, e);
    if (rc)
        return rc;
    static const char *const keys[] = {"overdue",  "due_today",        "check_ins",        "needs_summary", "tickets",
                                       "at_risk", "invoices_overdue", "deliverables_due"};
    json_t *report = json_object();
    json_object_set_new(report, "date", json_string(t.date));
    json_object_set_new(report, "week_ends", json_string(t.week_end));
    for (size_t k = 0; k < sizeof keys / sizeof keys[0] && rc == 0; k++) {
        json_t *list = k == 0 ? tasks(&t, 1)
                       : k == 1 ? tasks(&t, 0)
                       : k == 2 ? check_ins(&t)
                       : k == 3 ? needs_summary(&t)
                       : k == 4 ? tickets(&t)
                       : k == 5 ? at_risk(&t)
                       : k == 6 ? invoices(&t)
                                : deliverables(&t);
        if (!list)
            rc = e->code ? (int)e->code : err_set(e, E_INTERNAL, NULL, "today: %s could not be read", keys[k]);
        else
            json_object_set_new(report, keys[k], list);
    }
    if (rc == 0)
        rc = add_client_names(&t, report);
    if (rc == 0) {
        char *text = json_dumps(report, JSON_COMPACT | JSON_PRESERVE_ORDER);
        strbuf_adds(out, text ? text : "{}");
        free(text);
    }
    json_decref(report);
    return rc;
}
