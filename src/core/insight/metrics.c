/* metrics: one period's figures (see metrics.h and docs/metrics.md for every formula). Each block below
 * is one aggregate query narrowed by the same scope fragment; the C side only divides and rounds. */
#include "core/insight/metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/money.h"
#include "core/insight/metrics_int.h"
#include "core/practice/revenue.h"

#define MAX_ARGS 16

int64_t metrics_percentile(const int64_t *sorted, int n, int p)
{
    int rank = (int)(((int64_t)p * n + 99) / 100); /* ceil(p·n/100) */
    return sorted[rank < 1 ? 0 : rank - 1];
}

/* Appends the scope to sql and its values to args: the tables with a client_id column are narrowed
 * through it; the clients table (on_clients) through its own id and owner_id. */
static int scope(const mctx *m, int on_clients, strbuf *sql, const char **args, int n)
{
    if (m->owner_id) {
        if (on_clients) {
            strbuf_adds(sql, " AND owner_id = ?");
        } else {
            strbuf_adds(sql, " AND client_id IN (SELECT id FROM clients WHERE workspace_id = ? AND owner_id = ?)");
            args[n++] = m->who->workspace_id;
        }
        args[n++] = m->owner_id;
    }
    if (m->client_id) {
        strbuf_adds(sql, on_clients ? " AND id = ?" : " AND client_id = ?");
        args[n++] = m->client_id;
    }
    return n;
}

int metrics_rows(const mctx *m, int on_clients, const char *head, const char *tail, int n, const char *const *args,
                 void (*row)(void *ctx, db_stmt *s), void *ctx)
{
    const char *all[MAX_ARGS];
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, head);
    memcpy(all, args, (size_t)n * sizeof *all);
    n = scope(m, on_clients, &sql, all, n);
    if (tail)
        strbuf_adds(&sql, tail);
    int rc = db_query_each(m->d, m->e, sql.buf, n, all, row, ctx);
    strbuf_release(&sql);
    return rc;
}

typedef struct ints {
    int64_t *v;
    int n;
} ints;

static void ints_row(void *ctx, db_stmt *s)
{
    ints *x = ctx;
    for (int i = 0; i < x->n; i++)
        x->v[i] = db_col_type(s, i) == DB_NULL ? 0 : db_col_int(s, i);
}

/* One row of integers (NULL sums read as 0). */
static int one_row(const mctx *m, int on_clients, const char *head, int n, const char *const *args, int64_t *v,
                   int nv)
{
    ints x = {v, nv};
    memset(v, 0, (size_t)nv * sizeof *v);
    return metrics_rows(m, on_clients, head, NULL, n, args, ints_row, &x);
}

json_t *metrics_num(double v, int places)
{
    double f = pow(10, places);
    return json_real(round(v * f) / f);
}

/* num / den as a rounded fraction, or null when den is 0: never a division by zero. */
static json_t *ratio(int64_t num, int64_t den, double scale, int places)
{
    return den > 0 ? metrics_num(scale * (double)num / (double)den, places) : json_null();
}

static json_t *money(int64_t cents)
{
    char buf[MONEY_LEN];
    money_format(cents, buf);
    return json_string(buf);
}

/* An object keyed by currency, or null when it stayed empty (no data). */
static json_t *or_null(json_t *o)
{
    if (json_object_size(o))
        return o;
    json_decref(o);
    return json_null();
}

/* ---- clients: retention, churn (and the active count revenue per client divides by) */

static int clients_block(const mctx *m, json_t *out, json_t *basis, int64_t *active_any)
{
    const char *f = m->from_t, *t = m->to_t;
    const char *args[] = {f, f, t, t, f, t, t, f, f, t, t, f, m->who->workspace_id};
    int64_t v[5];
    int rc = one_row(m, 1,
                     "SELECT SUM(CASE WHEN started_at <= ? AND (ended_at IS NULL OR ended_at > ?) THEN 1 ELSE 0 END), "
                     "SUM(CASE WHEN started_at <= ? AND (ended_at IS NULL OR ended_at > ?) THEN 1 ELSE 0 END), "
                     "SUM(CASE WHEN started_at > ? AND started_at <= ? AND (ended_at IS NULL OR ended_at > ?) "
                     "THEN 1 ELSE 0 END), "
                     "SUM(CASE WHEN started_at <= ? AND ended_at > ? AND ended_at <= ? THEN 1 ELSE 0 END), "
                     "SUM(CASE WHEN started_at < ? AND (ended_at IS NULL OR ended_at > ?) THEN 1 ELSE 0 END) "
                     "FROM clients WHERE workspace_id = ? AND started_at IS NOT NULL",
                     13, args, v, 5);
    if (rc < 0)
        return rc;
    /* (E − N) / S: N counts only the newcomers still there at `to`, so E − N is exactly the clients of
     * S still active at `to`, and retention + churn = 1 */
    json_object_set_new(out, "retention_rate", ratio(v[1] - v[2], v[0], 1, 4));
    json_object_set_new(out, "churn_rate", ratio(v[3], v[0], 1, 4));
    json_object_set_new(basis, "active_at_from", json_integer(v[0]));
    json_object_set_new(basis, "active_at_to", json_integer(v[1]));
    json_object_set_new(basis, "new_clients", json_integer(v[2]));
    json_object_set_new(basis, "churned_clients", json_integer(v[3]));
    json_object_set_new(basis, "active_in_period", json_integer(v[4]));
    *active_any = v[4];
    return 0;
}

/* ---- invoices: revenue per client, lifetime value */

typedef struct per_currency {
    json_t *obj;
    int64_t divisor; /* 0: divide by the row's own column 2 */
} per_currency;

static void money_row(void *ctx, db_stmt *s)
{
    per_currency *p = ctx;
    int64_t den = p->divisor ? p->divisor : db_col_int(s, 2);
    if (den > 0)
        json_object_set_new(p->obj, db_col_text(s, 0, NULL), money(revenue_div_round(db_col_int(s, 1), den)));
}

static int invoices_block(const mctx *m, json_t *out, int64_t active_any)
{
    const char *ws = m->who->workspace_id;
    per_currency rev = {json_object(), active_any};
    int rc = 0;
    if (active_any > 0) { /* no active client: nothing to divide by, null */
        const char *args[] = {ws, m->from, m->to};
        rc = metrics_rows(m, 0,
                          "SELECT currency, SUM(amount) FROM invoices WHERE workspace_id = ? AND status = 'paid' "
                          "AND paid_on >= ? AND paid_on < ?",
                          " GROUP BY currency ORDER BY currency", 3, args, money_row, &rev);
    }
    json_object_set_new(out, "revenue_per_client", or_null(rev.obj));
    if (rc < 0)
        return rc;
    per_currency ltv = {json_object(), 0};
    const char *args[] = {ws, m->to};
    rc = metrics_rows(m, 0,
                      "SELECT currency, SUM(amount), COUNT(DISTINCT client_id) FROM invoices WHERE workspace_id = ? "
                      "AND status = 'paid' AND paid_on < ?",
                      " GROUP BY currency ORDER BY currency", 2, args, money_row, &ltv);
    json_object_set_new(out, "lifetime_value", or_null(ltv.obj));
    return rc;
}

/* ---- tickets: first response median and p90, SLA attainment */

typedef struct minutes {
    int64_t *v;
    int n, cap;
} minutes;

static void minute_row(void *ctx, db_stmt *s)
{
    minutes *x = ctx;
    if (x->n == x->cap) {
        int cap = x->cap ? 2 * x->cap : 64;
        int64_t *v = realloc(x->v, (size_t)cap * sizeof *v);
        if (!v)
            return; /* out of memory: the percentiles read what fitted */
        x->v = v;
        x->cap = cap;
    }
    x->v[x->n++] = db_col_int(s, 0);
}

int metrics_ticket_minutes(const mctx *m, int64_t **out, int *n)
{
    minutes x = {NULL, 0, 0};
    const char *args[] = {m->who->workspace_id, m->from_t, m->to_t};
    int rc = metrics_rows(m, 0,
                          "SELECT first_response_minutes FROM tickets WHERE workspace_id = ? AND opened_at >= ? "
                          "AND opened_at < ? AND first_response_minutes IS NOT NULL",
                          " ORDER BY first_response_minutes", 3, args, minute_row, &x);
    if (rc < 0) {
        free(x.v);
        return rc;
    }
    *out = x.v;
    *n = x.n;
    return 0;
}

static int tickets_block(const mctx *m, json_t *out, json_t *basis)
{
    int64_t *v = NULL;
    int n = 0;
    int rc = metrics_ticket_minutes(m, &v, &n);
    if (rc < 0)
        return rc;
    json_object_set_new(out, "first_response_median_hours",
                        n ? metrics_num((double)metrics_percentile(v, n, 50) / 60.0, 2) : json_null());
    json_object_set_new(out, "first_response_p90_hours",
                        n ? metrics_num((double)metrics_percentile(v, n, 90) / 60.0, 2) : json_null());
    json_object_set_new(basis, "tickets_answered", json_integer(n));
    free(v);
    /* decided inquiries: answered, or unanswered with the promise already past */
    const char *args[] = {m->now, m->who->workspace_id, m->from_t, m->to_t};
    int64_t s[2];
    rc = one_row(m, 0,
                 "SELECT COUNT(*), SUM(CASE WHEN first_response_at IS NOT NULL AND first_response_at <= response_due_at "
                 "THEN 1 ELSE 0 END) FROM tickets WHERE (first_response_at IS NOT NULL OR response_due_at < ?) "
                 "AND workspace_id = ? AND kind = 'inquiry' AND opened_at >= ? AND opened_at < ? "
                 "AND response_due_at IS NOT NULL",
                 4, args, s, 2);
    json_object_set_new(out, "sla_attainment", ratio(s[1], s[0], 1, 4));
    json_object_set_new(basis, "inquiries_with_promise", json_integer(s[0]));
    return rc;
}

/* ---- feedback: CSAT, NPS */

static int feedback_block(const mctx *m, json_t *out, json_t *basis)
{
    const char *args[] = {m->who->workspace_id, m->from_t, m->to_t};
    int64_t v[5];
    int rc = one_row(m, 0,
                     "SELECT SUM(CASE WHEN kind = 'csat' THEN 1 ELSE 0 END), "
                     "SUM(CASE WHEN kind = 'csat' THEN score ELSE 0 END), "
                     "SUM(CASE WHEN kind = 'nps' THEN 1 ELSE 0 END), "
                     "SUM(CASE WHEN kind = 'nps' AND score >= 9 THEN 1 ELSE 0 END), "
                     "SUM(CASE WHEN kind = 'nps' AND score <= 6 THEN 1 ELSE 0 END) "
                     "FROM feedback WHERE workspace_id = ? AND received_at >= ? AND received_at < ? "
                     "AND score IS NOT NULL AND kind IN ('csat', 'nps')",
                     3, args, v, 5);
    json_object_set_new(out, "csat", ratio(v[1], v[0], 1, 2));
    json_object_set_new(out, "nps", ratio(v[3] - v[4], v[2], 100, 1));
    json_object_set_new(basis, "csat_responses", json_integer(v[0]));
    json_object_set_new(basis, "nps_responses", json_integer(v[2]));
    return rc;
}

/* ---- deliverables: on-time delivery */

static int delivery_block(const mctx *m, json_t *out, json_t *basis)
{
    /* decided deliverables: delivered, or not delivered and already past due (late) */
    const char *args[] = {m->today, m->who->workspace_id, m->from, m->to};
    int64_t v[2];
    int rc = one_row(m, 0,
                     "SELECT COUNT(*), SUM(CASE WHEN delivered_at IS NOT NULL AND delivered_at <= (due_date || "
                     "'T23:59:59Z') THEN 1 ELSE 0 END) FROM deliverables WHERE (delivered_at IS NOT NULL OR "
                     "due_date < ?) AND workspace_id = ? AND due_date >= ? AND due_date < ?",
                     4, args, v, 2);
    json_object_set_new(out, "on_time_delivery", ratio(v[1], v[0], 1, 4));
    json_object_set_new(basis, "deliverables_due", json_integer(v[0]));
    return rc;
}

/* ---- projects: scope growth per currency */

static void growth_row(void *ctx, db_stmt *s)
{
    json_object_set_new(ctx, db_col_text(s, 0, NULL), ratio(db_col_int(s, 1), db_col_int(s, 2), 1, 4));
}

static int projects_block(const mctx *m, json_t *out)
{
    json_t *growth = json_object();
    const char *args[] = {m->who->workspace_id, m->from_t, m->to_t};
    int rc = metrics_rows(m, 0,
                          "SELECT currency, SUM(approved_change_cost), SUM(original_budget) FROM projects "
                          "WHERE workspace_id = ? AND agreed_at >= ? AND agreed_at < ? AND original_budget > 0",
                          " GROUP BY currency ORDER BY currency", 3, args, growth_row, growth);
    json_object_set_new(out, "scope_growth", or_null(growth));
    return rc;
}

/* ---- deals: pipeline value now, win rate of the deals closed in the period */

typedef struct pipeline {
    json_t *value, *weighted;
} pipeline;

static void pipeline_row(void *ctx, db_stmt *s)
{
    pipeline *p = ctx;
    const char *cur = db_col_text(s, 0, NULL);
    json_object_set_new(p->value, cur, money(db_col_int(s, 1)));
    json_object_set_new(p->weighted, cur, money(revenue_div_round(db_col_int(s, 2), 100)));
}

static int deals_block(const mctx *m, json_t *out, json_t *basis)
{
    pipeline p = {json_object(), json_object()};
    const char *ws[] = {m->who->workspace_id};
    int rc = metrics_rows(m, 0,
                          "SELECT currency, SUM(COALESCE(value, 0)), SUM(COALESCE(value, 0) * COALESCE(probability, 0)) "
                          "FROM deals WHERE workspace_id = ? AND status = 'open'",
                          " GROUP BY currency ORDER BY currency", 1, ws, pipeline_row, &p);
    json_object_set_new(out, "pipeline_value", or_null(p.value));
    json_object_set_new(out, "pipeline_weighted_value", or_null(p.weighted));
    if (rc < 0)
        return rc;
    const char *args[] = {m->who->workspace_id, m->from_t, m->to_t};
    int64_t v[2];
    rc = one_row(m, 0,
                 "SELECT COUNT(*), SUM(CASE WHEN status = 'won' THEN 1 ELSE 0 END) FROM deals WHERE workspace_id = ? "
                 "AND status IN ('won', 'lost') AND closed_at >= ? AND closed_at < ?",
                 3, args, v, 2);
    json_object_set_new(out, "win_rate", ratio(v[1], v[0], 1, 4));
    json_object_set_new(basis, "deals_closed", json_integer(v[0]));
    return rc;
}

int metrics_compute(const mctx *m, json_t *out)
{
    json_t *basis = json_object();
    int64_t active_any = 0;
    int rc = clients_block(m, out, basis, &active_any);
    if (rc == 0)
        rc = invoices_block(m, out, active_any);
    if (rc == 0)
        rc = tickets_block(m, out, basis);
    if (rc == 0)
        rc = feedback_block(m, out, basis);
    if (rc == 0)
        rc = delivery_block(m, out, basis);
    if (rc == 0)
        rc = projects_block(m, out);
    if (rc == 0)
        rc = deals_block(m, out, basis);
    json_object_set_new(out, "basis", basis);
    return rc;
}

void metrics_ctx(mctx *m, db *d, const actor *who, const char *from, const char *to, err_t *e)
{
    memset(m, 0, sizeof *m);
    m->d = d;
    m->who = who;
    m->e = e;
    snprintf(m->from, sizeof m->from, "%.10s", from);
    snprintf(m->to, sizeof m->to, "%.10s", to);
    snprintf(m->from_t, sizeof m->from_t, "%.10sT00:00:00Z", from);
    snprintf(m->to_t, sizeof m->to_t, "%.10sT00:00:00Z", to);
    clock_format(clock_now(), m->now);
    snprintf(m->today, sizeof m->today, "%.10s", m->now);
}
