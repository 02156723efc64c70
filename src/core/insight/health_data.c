/* health_data: the facts behind the health score, for every client at once. A handful of queries, each
 * one pass over a table of the workspace (interactions through latency_collect's join), their rows routed
 * to clients by an idmap; no query per client. Every test of "as of" is done in C
 * on the ISO text, so the same rows serve both instants and the SQL stays plain on every backend. */
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/idmap.h"
#include "core/insight/health_impl.h"
#include "core/practice/lifecycle.h"
#include "core/access/access.h"
#include "core/engine/record.h"
#include "core/practice/sla.h"

#define DAY 86400

static char *dup_col(db_stmt *s, int i)
{
    const char *t = db_col_type(s, i) == DB_NULL ? NULL : db_col_text(s, i, NULL);
    return t ? strdup(t) : NULL;
}

static const char *col(db_stmt *s, int i)
{
    return db_col_type(s, i) == DB_NULL ? NULL : db_col_text(s, i, NULL);
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const health_client *)a)->id, ((const health_client *)b)->id);
}

static void copy_date(char out[11], const char *s)
{
    snprintf(out, 11, "%s", s ? s : "");
}

/* the clients to score: the scope's, sorted by id */
static int load_clients(db *d, const client_scope *scope, const char *client_id, health_set *hs, err_t *e)
{
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "SELECT c.id, c.name, c.owner_id, c.cadence, COALESCE(c.started_at, c.created_at) "
                      "FROM clients c WHERE %s", scope->where);
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    for (int i = 0; i < scope->nargs; i++)
        db_bind_text(s, i + 1, scope->args[i]);
    size_t cap = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        if (hs->n == cap) {
            cap = cap ? cap * 2 : 64;
            health_client *grown = realloc(hs->c, cap * sizeof *grown);
            if (!grown) {
                rc = err_set(e, E_INTERNAL, NULL, "out of memory");
                break;
            }
            hs->c = grown;
        }
        health_client *c = &hs->c[hs->n++];
        memset(c, 0, sizeof *c);
        c->id = dup_col(s, 0);
        c->name = dup_col(s, 1);
        c->owner_id = dup_col(s, 2);
        c->cadence = dup_col(s, 3);
        clock_parse(col(s, 4), &c->since);
    }
    db_finalize(s);
    if (rc < 0)
        return rc;
    if (client_id && !hs->n)
        return err_set(e, E_NOT_FOUND, "id", "no client %.60s", client_id);
    /* sorted here, not by ORDER BY: backends collate text differently; reports list by id as a tie-break */
    if (hs->n)
        qsort(hs->c, hs->n, sizeof *hs->c, by_id);
    hs->ids = malloc((hs->n ? hs->n : 1) * sizeof *hs->ids);
    if (!hs->ids)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    for (size_t i = 0; i < hs->n; i++)
        hs->ids[i] = hs->c[i].id;
    if (idmap_build(&hs->map, (const char *const *)hs->ids, hs->n) < 0)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    return 0;
}

/* Our last update before each instant (an outbound message that does not answer one the client raised,
 * see latency.h): the interaction scan saw the last 210 days; only a client without an update in them
 * costs a look down its (client_id, occurred_at) index, before them (any outbound message then counts:
 * the cadence has lapsed by 210 days whichever it was). */
static int last_updates(db *d, health_set *hs, err_t *e)
{
    db_stmt *s = NULL;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < hs->n; i++)
        for (int v = 0; rc == 0 && v < HEALTH_VIEWS; v++) {
            health_view *w = &hs->c[i].v[v];
            if ((w->last_update = w->lat.last_update))
                continue;
            if (!s && (rc = db_prepare(d,
                                       "SELECT MAX(i.occurred_at) FROM interactions i WHERE i.client_id = ? AND "
                                       CHECKIN_UPDATE_SQL " AND i.occurred_at < ?",
                                       &s, e)) < 0)
                break;
            char at[CLOCK_RFC3339_LEN];
            clock_format(hs->as_of[v] - (int64_t)(LATENCY_RECENT_DAYS + LATENCY_BASELINE_DAYS) * DAY, at);
            db_reset(s);
            db_bind_text(s, 1, hs->c[i].id);
            db_bind_text(s, 2, at);
            if ((rc = db_step(s, e)) == DB_ROW) {
                rc = 0;
                if (col(s, 0))
                    clock_parse(col(s, 0), &w->last_update);
            }
            rc = rc < 0 ? rc : 0;
        }
    if (s)
        db_finalize(s);
    return rc;
}

typedef void (*row_fn)(health_set *hs, health_client *c, db_stmt *s);

/* Runs "SELECT client_id, ... FROM table WHERE workspace_id = ? <where>" (narrowed to one client when
 * asked), handing each row of a known client to fn. */
static int each_row(db *d, const actor *who, health_set *hs, const client_scope *scope, const char *client_id,
                    const char *select, const char *where, const char *extra_arg, const char *order, row_fn fn,
                    err_t *e)
{
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "%s WHERE workspace_id = ?%s%s", select, where, client_id ? " AND client_id = ?" : "");
    /* a short list of clients: their rows through the client_id index, not the workspace's (its ids
     * are the scope's arguments after the workspace) */
    if (scope->listed) {
        strbuf_adds(&sql, " AND client_id IN (");
        for (int i = 1; i < scope->nargs; i++)
            strbuf_adds(&sql, i > 1 ? ",?" : "?");
        strbuf_adds(&sql, scope->nargs > 1 ? ")" : "NULL)");
    }
    strbuf_adds(&sql, order ? order : "");
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    int b = 1;
    db_bind_text(s, b++, who->workspace_id);
    if (extra_arg)
        db_bind_text(s, b++, extra_arg);
    if (client_id)
        db_bind_text(s, b++, client_id);
    for (int i = 1; scope->listed && i < scope->nargs; i++)
        db_bind_text(s, b++, scope->args[i]);
    while ((rc = db_step(s, e)) == DB_ROW) {
        long i = idmap_find(&hs->map, col(s, 0));
        if (i >= 0)
            fn(hs, &hs->c[i], s);
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

/* due_date, status, delivered_at: overdue at T when due before T's date and not delivered by T */
static void deliverable_row(health_set *hs, health_client *c, db_stmt *s)
{
    const char *due = col(s, 1), *status = col(s, 2), *delivered = col(s, 3);
    int64_t felt = (int64_t)(hs->cfg.threshold[HT_FLAG_FELT_DAYS] * DAY);
    if (!due)
        return;
    for (int v = 0; v < HEALTH_VIEWS; v++) {
        const char *today = hs->day[v], *at = hs->at[v];
        health_view *w = &c->v[v];
        w->deliverables++;
        int done = delivered ? strcmp(delivered, at) <= 0 : !strcmp(status, "delivered") || !strcmp(status, "accepted");
        if (strcmp(due, today) < 0 && !done) {
            if (!w->dlv_overdue++ || strcmp(due, w->dlv_oldest_due) < 0)
                copy_date(w->dlv_oldest_due, due);
        }
        /* delivered late, not long ago: the latest such delivery (the factor counts its business days) */
        int64_t d, due_t;
        if (delivered && done && !clock_parse(delivered, &d) && hs->as_of[v] - d < felt &&
            !clock_parse_date(due, &due_t) && d - due_t > DAY &&
            (!w->felt_dlv_delivered || d - due_t > w->felt_dlv_delivered - w->felt_dlv_due)) {
            w->felt_dlv_delivered = d;
            w->felt_dlv_due = due_t;
        }
    }
}

/* A ticket the client opened or a survey it answered is hearing from it, as a message is. */
static void note_raised(health_view *w, const char *when)
{
    int64_t t;
    if (!clock_parse(when, &t) && t > w->last_raised)
        w->last_raised = t;
}

/* kind, score, received_at, in order: the last before T is the latest as of T */
static void feedback_row(health_set *hs, health_client *c, db_stmt *s)
{
    const char *received = col(s, 3);
    for (int v = 0; v < HEALTH_VIEWS; v++) {
        if (!received || strcmp(received, hs->at[v]) >= 0)
            continue;
        health_view *w = &c->v[v];
        w->has_feedback = 1;
        w->fb_score = (int)db_col_int(s, 2);
        snprintf(w->fb_kind, sizeof w->fb_kind, "%s", col(s, 1));
        copy_date(w->fb_on, received);
        note_raised(w, received);
    }
}

/* A complaint opened at `opened`, its response promised by `due`, waiting until `until`, both in business
 * hours: kept when it waited longer against its promise than the one in *ratio. Returns whether it was. */
static int longer_wait(const health_set *hs, int64_t opened, int64_t due, int64_t until, double *ratio,
                       double *waited, double *promised)
{
    double p = (double)bizhours_between(&hs->cal, opened, due) / 3600.0,
           w = (double)bizhours_between(&hs->cal, opened, until) / 3600.0;
    if (p <= 0 || w / p <= *ratio)
        return 0;
    *ratio = w / p;
    *waited = w;
    *promised = p;
    return 1;
}

/* A complaint as of view v: open and the oldest, still waiting against its promise, or answered not long
 * ago (flag_felt_days) after waiting. */
static void complaint_view(const health_set *hs, health_view *w, int v, const char *opened, const char *first,
                           const char *due, int open)
{
    int64_t t, due_t, first_t;
    if (clock_parse(opened, &t))
        return;
    if (open && (!w->complaints_open++ || t < w->complaint_oldest))
        w->complaint_oldest = t;
    if (!due || clock_parse(due, &due_t) || due_t <= t)
        return;
    int answered = first && strcmp(first, hs->at[v]) < 0 && !clock_parse(first, &first_t);
    if (open && !answered)
        longer_wait(hs, t, due_t, hs->as_of[v], &w->complaint_wait_ratio, &w->complaint_waited_hours,
                    &w->complaint_promised_hours);
    if (answered && hs->as_of[v] - first_t < (int64_t)(hs->cfg.threshold[HT_FLAG_FELT_DAYS] * DAY) &&
        longer_wait(hs, t, due_t, first_t, &w->felt_complaint_ratio, &w->felt_complaint_hours,
                    &w->felt_complaint_promised))
        copy_date(w->felt_complaint_on, first);
}

/* kind, status, opened_at, first_response_at, response_due_at, resolved_at */
static void ticket_row(health_set *hs, health_client *c, db_stmt *s)
{
    const char *kind = col(s, 1), *status = col(s, 2), *opened = col(s, 3), *first = col(s, 4), *due = col(s, 5),
               *resolved = col(s, 6);
    for (int v = 0; v < HEALTH_VIEWS; v++) {
        const char *at = hs->at[v], *since = hs->breach_since[v];
        if (!opened || strcmp(opened, at) >= 0)
            continue;
        health_view *w = &c->v[v];
        w->tickets++;
        note_raised(w, opened);
        int open = resolved ? strcmp(resolved, at) > 0 : strcmp(status, "resolved") != 0;
        if (!strcmp(kind, "complaint"))
            complaint_view(hs, w, v, opened, first, due, open);
        /* late: the due time passed before T without a response by then, or the response came after it */
        if (strcmp(opened, since) >= 0 && due && strcmp(due, at) < 0 && (!first || strcmp(first, due) > 0))
            w->breaches++;
    }
}

/* status, issued_on, due_on, paid_on: overdue at T when due before T's date and not paid by it */
static void invoice_row(health_set *hs, health_client *c, db_stmt *s)
{
    const char *status = col(s, 1), *issued = col(s, 2), *due = col(s, 3), *paid = col(s, 4);
    for (int v = 0; v < HEALTH_VIEWS; v++) {
        const char *today = hs->day[v];
        if (issued && strcmp(issued, today) > 0)
            continue;
        health_view *w = &c->v[v];
        w->invoices++;
        int unpaid = paid ? strcmp(paid, today) > 0 : strcmp(status, "paid") != 0;
        if (due && strcmp(due, today) < 0 && unpaid && (!w->inv_overdue++ || strcmp(due, w->inv_oldest_due) < 0))
            copy_date(w->inv_oldest_due, due);
    }
}

/* name, original_budget, approved_change_cost: scope is today's, the same in both views (no history) */
static void project_row(health_set *hs, health_client *c, db_stmt *s)
{
    (void)hs;
    int64_t budget = db_col_int(s, 2), cost = db_col_int(s, 3);
    if (budget <= 0)
        return;
    double ratio = (double)cost / (double)budget;
    if (!c->projects++ || ratio > c->scope_ratio) {
        c->scope_ratio = ratio;
        free(c->scope_project);
        c->scope_project = dup_col(s, 1);
        c->scope_cost = cost;
        c->scope_budget = budget;
    }
}

static int gather(db *d, const actor *who, const client_scope *scope, const char *client_id, int64_t as_of,
                  health_set *hs, err_t *e);

int health_gather(db *d, const actor *who, const char *client_id, const char *owner_id, int64_t as_of,
                  health_set *hs, err_t *e)
{
    client_scope scope;
    client_scope_init(&scope, who->workspace_id, client_id, owner_id);
    return gather(d, who, &scope, client_id, as_of, hs, e);
}

int health_gather_scope(db *d, const actor *who, const client_scope *scope, int64_t as_of, health_set *hs, err_t *e)
{
    return gather(d, who, scope, NULL, as_of, hs, e);
}

static int gather(db *d, const actor *who, const client_scope *scope, const char *client_id, int64_t as_of,
                  health_set *hs, err_t *e)
{
    memset(hs, 0, sizeof *hs);
    hs->as_of[0] = as_of;
    hs->as_of[1] = as_of - (int64_t)HEALTH_CHANGE_DAYS * DAY;
    for (int v = 0; v < HEALTH_INSTANTS; v++)
        for (int j = 1; j <= HEALTH_LOOKS; j++)
            hs->as_of[health_look_view(v, j)] = hs->as_of[v] - (int64_t)health_look_days[j] * DAY;
    int rc = access_whole(who, entity_by_name("clients"), OP_LIST, e);
    if (rc == 0)
        rc = health_settings_load(d, who, &hs->cfg, e);
    if (rc < 0)
        return rc;
    if ((rc = sla_calendar(d, who, &hs->cal, e)) < 0)
        return rc;
    hs->has_cal = 1;
    for (int v = 0; v < HEALTH_VIEWS; v++) {
        clock_format(hs->as_of[v], hs->at[v]);
        memcpy(hs->day[v], hs->at[v], 10);
        hs->day[v][10] = 0;
        clock_format(hs->as_of[v] - (int64_t)(hs->cfg.threshold[HT_BREACH_WINDOW_DAYS] * DAY), hs->breach_since[v]);
    }
    /* the tickets to read: still open at the oldest view, or resolved since the start of its breach window
     * or of its felt failures' days, whichever is earlier */
    double back = hs->cfg.threshold[HT_BREACH_WINDOW_DAYS] > hs->cfg.threshold[HT_FLAG_FELT_DAYS]
                      ? hs->cfg.threshold[HT_BREACH_WINDOW_DAYS]
                      : hs->cfg.threshold[HT_FLAG_FELT_DAYS];
    char oldest[CLOCK_RFC3339_LEN];
    clock_format(hs->as_of[HEALTH_VIEWS - 1] - (int64_t)(back * DAY), oldest);
    if ((rc = load_clients(d, scope, client_id, hs, e)) < 0)
        return rc;
    if (!hs->n)
        return 0;
    latency_stats *lat = malloc(HEALTH_VIEWS * hs->n * sizeof *lat);
    if (!lat)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    latency_opts opts = {hs->cfg.threshold[HT_UPDATE_ANSWER_HOURS], (int)hs->cfg.threshold[HT_BEHAVIOUR_WINDOW_DAYS]};
    rc = latency_collect(d, &hs->cal, scope, hs->ids, hs->n, hs->as_of, HEALTH_VIEWS, &opts, lat, e);
    for (size_t i = 0; rc == 0 && i < hs->n; i++)
        for (int v = 0; v < HEALTH_VIEWS; v++)
            hs->c[i].v[v].lat = lat[(size_t)v * hs->n + i];
    free(lat);
    if (rc == 0)
        rc = last_updates(d, hs, e);
    if (rc == 0)
        rc = each_row(d, who, hs, scope, client_id, "SELECT client_id, due_date, status, delivered_at FROM deliverables",
                      " AND due_date IS NOT NULL", NULL, NULL, deliverable_row, e);
    if (rc == 0)
        rc = each_row(d, who, hs, scope, client_id, "SELECT client_id, kind, score, received_at FROM feedback",
                      " AND kind IN ('csat', 'nps', 'pulse') AND score IS NOT NULL", NULL, " ORDER BY received_at",
                      feedback_row, e);
    /* tickets that could matter to either instant: still open then, or opened within the breach window */
    if (rc == 0)
        rc = each_row(d, who, hs, scope, client_id,
                      "SELECT client_id, kind, status, opened_at, first_response_at, response_due_at, resolved_at "
                      "FROM tickets",
                      " AND (resolved_at IS NULL OR resolved_at >= ?)", oldest, NULL, ticket_row, e);
    if (rc == 0)
        rc = each_row(d, who, hs, scope, client_id, "SELECT client_id, status, issued_on, due_on, paid_on FROM invoices",
                      " AND status IN ('issued', 'paid')", NULL, NULL, invoice_row, e);
    if (rc == 0)
        rc = each_row(d, who, hs, scope, client_id,
                      "SELECT client_id, name, original_budget, approved_change_cost FROM projects",
                      " AND status IN ('agreed', 'active', 'on_hold') AND original_budget > 0", NULL, NULL, project_row, e);
    return rc;
}

void health_set_release(health_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->c[i].id);
        free(s->c[i].name);
        free(s->c[i].owner_id);
        free(s->c[i].cadence);
        free(s->c[i].scope_project);
    }
    free(s->c);
    free(s->ids);
    idmap_release(&s->map);
    if (s->has_cal)
        bizcal_release(&s->cal);
    memset(s, 0, sizeof *s);
}
