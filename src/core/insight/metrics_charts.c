/* metrics_charts: the data behind the metrics charts (drawing is charts.c): monthly retention, monthly
 * paid revenue in one currency, and the distribution of first-response times. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/charts.h"
#include "core/insight/metrics_int.h"

typedef struct months {
    char bounds[METRICS_MAX_MONTHS + 1][11];
    char keys[METRICS_MAX_MONTHS][8];
    const char *labels[METRICS_MAX_MONTHS];
    double values[METRICS_MAX_MONTHS];
    int n;
} months;

/* The months of q's period (checked by metrics_check) with their "YYYY-MM" labels; heap-allocated. */
static months *month_list(const metrics_query *q)
{
    months *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->n = metrics_months(q->from, q->to, m->bounds, METRICS_MAX_MONTHS);
    for (int i = 0; i < m->n; i++) {
        memcpy(m->keys[i], m->bounds[i], 7); /* "YYYY-MM" */
        m->keys[i][7] = '\0';
        m->labels[i] = m->keys[i];
    }
    return m;
}

static void scoped(mctx *m, db *d, const actor *who, const metrics_query *q, const char *from, const char *to,
                   err_t *e)
{
    metrics_ctx(m, d, who, from, to, e);
    m->owner_id = q->owner_id;
    m->client_id = q->client_id;
}

int metrics_chart_retention(db *d, const actor *who, const metrics_query *q, strbuf *svg, err_t *e)
{
    int rc = metrics_check(d, who, q, e);
    months *ms = rc ? NULL : month_list(q);
    if (rc || !ms)
        return rc ? rc : err_set(e, E_INTERNAL, NULL, "out of memory");
    for (int i = 0; i < ms->n && rc == 0; i++) {
        mctx m;
        scoped(&m, d, who, q, ms->bounds[i], ms->bounds[i + 1], e);
        json_t *o = json_object();
        rc = metrics_compute(&m, o);
        json_t *v = json_object_get(o, "retention_rate");
        ms->values[i] = json_is_number(v) ? json_number_value(v) : NAN;
        json_decref(o);
    }
    if (rc == 0)
        charts_line(svg, "Retention rate per month", ms->labels, ms->values, ms->n, CHART_PERCENT);
    free(ms);
    return rc;
}


static void revenue_row(void *ctx, db_stmt *s)
{
    months *ms = ctx;
    const char *month = db_col_text(s, 0, NULL);
    for (int i = 0; i < ms->n; i++)
        if (!strcmp(ms->keys[i], month))
            ms->values[i] = (double)db_col_int(s, 1) / 100.0;
}

static int workspace_currency(db *d, const actor *who, char out[4], err_t *e)
{
    db_stmt *s;
    const char *args[] = {who->workspace_id};
    int rc = db_query_row(d, &s, e, "SELECT currency FROM workspaces WHERE id = ?", 1, args);
    if (rc < 0)
        return rc;
    snprintf(out, 4, "%s", rc == DB_ROW && db_col_text(s, 0, NULL) ? db_col_text(s, 0, NULL) : "EUR");
    if (rc == DB_ROW)
        db_finalize(s);
    return 0;
}

int metrics_chart_revenue(db *d, const actor *who, const metrics_query *q, const char *currency, strbuf *svg,
                          err_t *e)
{
    char cur[4];
    if (currency && (strlen(currency) != 3 || !isupper((unsigned char)currency[0]) ||
                     !isupper((unsigned char)currency[1]) || !isupper((unsigned char)currency[2])))
        return err_set(e, E_INVALID_PARAMETER, "currency", "currency must be a 3-letter ISO code such as EUR");
    int rc = metrics_check(d, who, q, e);
    if (rc == 0 && !currency)
        rc = workspace_currency(d, who, cur, e);
    else if (rc == 0)
        snprintf(cur, sizeof cur, "%s", currency);
    months *ms = rc ? NULL : month_list(q);
    if (rc || !ms)
        return rc ? rc : err_set(e, E_INTERNAL, NULL, "out of memory");
    mctx m;
    scoped(&m, d, who, q, q->from, q->to, e);
    const char *args[] = {who->workspace_id, cur, m.from, m.to};
    rc = metrics_rows(&m, 0,
                      "SELECT SUBSTR(paid_on, 1, 7), SUM(amount) FROM invoices WHERE workspace_id = ? "
                      "AND status = 'paid' AND currency = ? AND paid_on >= ? AND paid_on < ?",
                      " GROUP BY SUBSTR(paid_on, 1, 7)", 4, args, revenue_row, ms);
    if (rc == 0) {
        char title[64];
        snprintf(title, sizeof title, "Paid revenue per month (%s)", cur);
        charts_bar(svg, title, ms->labels, ms->values, ms->n, CHART_MONEY);
    }
    free(ms);
    return rc;
}

/* Histogram bins of business hours: [lower, next lower), the last open-ended. */
static const struct bin {
    int lower;
    const char *label;
} BINS[] = {{0, "<1h"}, {1, "1-2h"}, {2, "2-4h"}, {4, "4-8h"}, {8, "8-16h"}, {16, "16-24h"}, {24, "24-40h"}, {40, "40h+"}};
#define NBINS ((int)(sizeof BINS / sizeof BINS[0]))

int metrics_chart_response_times(db *d, const actor *who, const metrics_query *q, strbuf *svg, err_t *e)
{
    int rc = metrics_check(d, who, q, e);
    int64_t *minutes = NULL;
    int n = 0;
    if (rc == 0)
        rc = metrics_response_minutes(d, who, q, &minutes, &n, e);
    if (rc)
        return rc;
    const char *labels[NBINS];
    double counts[NBINS] = {0};
    for (int b = 0; b < NBINS; b++)
        labels[b] = BINS[b].label;
    for (int i = 0; i < n; i++) {
        int b = NBINS - 1;
        while (b > 0 && minutes[i] < (int64_t)BINS[b].lower * 60)
            b--;
        counts[b]++;
    }
    free(minutes);
    charts_bar(svg, "First response (business hours): tickets per range", labels, counts, NBINS, CHART_NUMBER);
    return 0;
}
