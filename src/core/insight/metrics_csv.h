/* metrics_csv: the metrics answer (metrics_report's JSON) as CSV for spreadsheets — one row per group
 * (or the one row "all"), every figure a plain number with its unit in the header: rates as percent
 * (retention_rate_pct: 82.5), money one column per currency (revenue_per_client_EUR: 300.00), hours,
 * scores. The same CSV answers GET /api/v1/metrics?format=csv and `rapport report --csv`. */
#ifndef RAPPORT_METRICS_CSV_H
#define RAPPORT_METRICS_CSV_H
#include "util/err.h"
#include "util/strbuf.h"

/* Appends the CSV of report (the JSON text metrics_report wrote); E_INTERNAL if it does not read. */
int metrics_csv(const char *report, strbuf *out, err_t *e);

#endif
