/* metrics: the practice's numbers over a period [from, to) exactly as docs/metrics.md defines them —
 * retention, churn, revenue per client, lifetime value, first-response median and p90 in business hours,
 * SLA attainment, CSAT, NPS, on-time delivery, scope growth, pipeline value and win rate — for the
 * workspace, one owner's clients or one client, and as series (per month, owner or client). Each figure
 * is one SQL aggregate over indexed columns (the percentiles read one sorted column); money stays
 * integer cents per currency until it is written. Shared by the REST API, the CLI and the charts. */
#ifndef RAPPORT_METRICS_H
#define RAPPORT_METRICS_H
#include "core/model/entity.h"

#define METRICS_MAX_MONTHS 120

/* Which clients the figures cover: every client of the workspace, one owner's, or one client. */
typedef struct metrics_query {
    const char *from, *to;    /* dates YYYY-MM-DD, from < to; the period is [from, to) in UTC */
    const char *owner_id;     /* NULL: any owner */
    const char *client_id;    /* NULL: any client */
    const char *group_by;     /* NULL, "month", "owner" or "client" */
} metrics_query;

/* Checks the dates (E_INVALID_PARAMETER naming "from" or "to"), group_by ("group_by"), the month count,
 * that the actor may read what the metrics sum, and that owner_id / client_id exist (E_NOT_FOUND). */
int metrics_check(db *d, const actor *who, const metrics_query *q, err_t *e);

/* Appends the metrics object: {"from", "to", "owner_id", "client_id", <metric keys>..., "basis": {...}},
 * or with group_by {"from", "to", "group_by", "data": [{"key", "label", "from", "to", <metrics>...}]}. */
int metrics_report(db *d, const actor *who, const metrics_query *q, strbuf *out, err_t *e);

/* The calendar months covering [from, to): bounds[0] = from, bounds[n] = to, the inner bounds the 1st
 * of each month. Returns n (months) or -1 when more than METRICS_MAX_MONTHS. */
int metrics_months(const char *from, const char *to, char bounds[][11], int max);

/* nearest-rank percentile (p in 1..100) of n sorted values: the value at rank ceil(p·n/100), 1-based. */
int64_t metrics_percentile(const int64_t *sorted, int n, int p);

/* First-response business minutes of the tickets opened in [from, to) within q's clients, ascending.
 * *out is malloc'd (free it), *n the count. */
int metrics_response_minutes(db *d, const actor *who, const metrics_query *q, int64_t **out, int *n, err_t *e);

/* Charts (SVG, see charts.h) for GET /api/v1/charts/{retention,revenue,response-times}. */
int metrics_chart_retention(db *d, const actor *who, const metrics_query *q, strbuf *svg, err_t *e);
/* currency NULL: the workspace's default currency. */
int metrics_chart_revenue(db *d, const actor *who, const metrics_query *q, const char *currency, strbuf *svg,
                          err_t *e);
int metrics_chart_response_times(db *d, const actor *who, const metrics_query *q, strbuf *svg, err_t *e);

#endif
