/* cmd_report: `rapport report` — the metrics of core/metrics*.c for a period as a table, or exactly what
 * GET /api/v1/metrics answers (--json), as its CSV (--csv, metrics_csv.h), or as a self-contained HTML page with the SVG
 * charts inline (--html FILE). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/charts.h"
#include "core/insight/metrics.h"
#include "core/insight/metrics_csv.h"
#include "core/insight/health.h"
#include "util/clock.h"
#include "cmd/cmd.h"

/* The metric keys in the order every output shows them, with a short header and a label. */
static const struct column {
    const char *key, *head, *label;
    int ratio; /* a share: people read it as a percentage (CSV and JSON keep the fraction) */
} COLUMNS[] = {
    {"retention_rate", "RETAIN", "Retention rate", 1},
    {"churn_rate", "CHURN", "Churn rate", 1},
    {"revenue_per_client", "REV/CLIENT", "Revenue per client", 0},
    {"lifetime_value", "LTV", "Lifetime value", 0},
    {"first_response_median_hours", "MED_H", "First response, median (business hours)", 0},
    {"first_response_p90_hours", "P90_H", "First response, p90 (business hours)", 0},
    {"sla_attainment", "SLA", "SLA attainment", 1},
    {"csat", "CSAT", "CSAT (1-5)", 0},
    {"nps", "NPS", "NPS (-100..100)", 0},
    {"on_time_delivery", "ON_TIME", "On-time delivery", 1},
    {"scope_growth", "SCOPE", "Scope growth", 1},
    {"pipeline_value", "PIPELINE", "Pipeline value (open deals, now)", 0},
    {"pipeline_weighted_value", "WEIGHTED", "Pipeline value, weighted", 0},
    {"win_rate", "WIN", "Win rate", 1},
};
#define NCOLUMNS ((int)(sizeof COLUMNS / sizeof COLUMNS[0]))

/* A metric as text: "" for null, numbers as JSON writes them, per-currency objects "EUR 10.00;USD 2.00".
 * For people (tables, HTML) a ratio is a percentage, per currency too: "10.0% (EUR)". */
static void metric_text(json_t *v, int percent, strbuf *out)
{
    if (json_is_object(v)) {
        const char *cur;
        json_t *x;
        int first = 1;
        json_object_foreach(v, cur, x) {
            strbuf_adds(out, first ? "" : ";");
            if (percent && json_is_number(x))
                strbuf_addf(out, "%.1f%% (%s)", json_number_value(x) * 100, cur);
            else {
                strbuf_addf(out, "%s ", cur);
                metric_text(x, percent, out);
            }
            first = 0;
        }
    } else if (json_is_string(v)) {
        strbuf_adds(out, json_string_value(v));
    } else if (percent && json_is_number(v)) {
        strbuf_addf(out, "%.1f%%", json_number_value(v) * 100);
    } else if (json_is_number(v)) {
        strbuf_addf(out, "%.12g", json_number_value(v)); /* 1 rather than 1.0; metrics are already rounded */
    }
}

/* The column's value for people to read. */
static void shown_text(json_t *row, int i, strbuf *out)
{
    metric_text(json_object_get(row, COLUMNS[i].key), COLUMNS[i].ratio, out);
}

static void show_single(json_t *report)
{
    printf("metrics %s to %s (to excluded)\n", cli_str(report, "from"), cli_str(report, "to"));
    for (int i = 0; i < NCOLUMNS; i++) {
        strbuf v = STRBUF_INIT;
        shown_text(report, i, &v);
        printf("%-42s %s\n", COLUMNS[i].label, v.len ? v.buf : "-");
        strbuf_release(&v);
    }
}

static void show_series(json_t *report)
{
    printf("%-20s", "KEY");
    for (int i = 0; i < NCOLUMNS; i++)
        printf(" %-12s", COLUMNS[i].head);
    putchar('\n');
    json_t *g;
    size_t j;
    json_array_foreach(json_object_get(report, "data"), j, g) {
        printf("%-20.20s", json_string_value(json_object_get(g, "label")) ? cli_str(g, "label") : cli_str(g, "key"));
        for (int i = 0; i < NCOLUMNS; i++) {
            strbuf v = STRBUF_INIT;
            shown_text(g, i, &v);
            printf(" %-12s", v.len ? v.buf : "-");
            strbuf_release(&v);
        }
        putchar('\n');
    }
}

static void show(json_t *report)
{
    if (json_object_get(report, "group_by"))
        show_series(report);
    else
        show_single(report);
}

/* The HTML page: a metrics table and the three charts, styles inline, nothing fetched. */
static int write_html(cli *c, const metrics_query *q, json_t *report, const char *path, err_t *e)
{
    strbuf h = STRBUF_INIT;
    strbuf_adds(&h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Rapport report ");
    strbuf_add_html(&h, q->from);
    strbuf_adds(&h, " to ");
    strbuf_add_html(&h, q->to);
    strbuf_adds(&h, "</title><style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
                    "td,th{border-bottom:1px solid #ddd;padding:4px 12px;text-align:left}"
                    "figure{margin:1.5em 0}</style></head><body>\n<h1>Report ");
    strbuf_add_html(&h, q->from);
    strbuf_adds(&h, " to ");
    strbuf_add_html(&h, q->to);
    strbuf_adds(&h, " (to excluded)</h1>\n<table><tr><th>Metric</th><th>Value</th></tr>\n");
    for (int i = 0; i < NCOLUMNS; i++) {
        strbuf v = STRBUF_INIT;
        shown_text(report, i, &v);
        strbuf_adds(&h, "<tr><td>");
        strbuf_add_html(&h, COLUMNS[i].label);
        strbuf_adds(&h, "</td><td>");
        strbuf_add_html(&h, v.len ? v.buf : "no data");
        strbuf_adds(&h, "</td></tr>\n");
        strbuf_release(&v);
    }
    strbuf_adds(&h, "</table>\n<figure>");
    int rc = metrics_chart_retention(c->db, &c->who, q, &h, e);
    if (rc == 0) {
        strbuf_adds(&h, "</figure>\n<figure>");
        rc = metrics_chart_revenue(c->db, &c->who, q, NULL, &h, e);
    }
    if (rc == 0) {
        strbuf_adds(&h, "</figure>\n<figure>");
        rc = metrics_chart_response_times(c->db, &c->who, q, &h, e);
    }
    if (rc == 0) {
        strbuf_adds(&h, "</figure>\n<figure>");
        rc = health_chart_bands(c->db, &c->who, clock_now(), &h, e);
    }
    strbuf_adds(&h, "</figure>\n</body></html>\n");
    FILE *f = rc ? NULL : fopen(path, "w");
    if (rc == 0 && !f)
        rc = err_set(e, E_USAGE, "html", "cannot write %.200s: %s", path, strerror(errno));
    if (f) {
        int bad = fwrite(h.buf, 1, h.len, f) != h.len;
        if (fclose(f) || bad)
            rc = err_set(e, E_USAGE, "html", "cannot write %.200s: %s", path, strerror(errno));
    }
    strbuf_release(&h);
    if (rc == 0)
        printf("wrote %s\n", path);
    return rc;
}

int cmd_report(cli *c, err_t *e)
{
    metrics_query q = {cli_opt(c, "from"), cli_opt(c, "to"), cli_opt(c, "owner_id"), cli_opt(c, "client_id"),
                       cli_opt(c, "group_by")};
    const char *csv = cli_opt(c, "csv"), *html = cli_opt(c, "html");
    int rc = cli_check_unused(c, e);
    if (rc == 0 && c->nargs)
        rc = err_set(e, E_USAGE, NULL, "rapport report takes no arguments, only --from DATE --to DATE and options");
    if (rc == 0 && (!q.from || !q.to))
        rc = err_set(e, E_USAGE, q.from ? "to" : "from", "rapport report needs --from DATE --to DATE");
    if (rc == 0 && (!!csv + !!html + c->json) > 1)
        rc = err_set(e, E_USAGE, NULL, "choose one of --json, --csv and --html FILE");
    if (rc == 0 && html && q.group_by)
        rc = err_set(e, E_USAGE, "group_by", "--html reports the whole period; leave out --group-by");
    strbuf out = STRBUF_INIT;
    if (rc == 0)
        rc = metrics_report(c->db, &c->who, &q, &out, e);
    if (rc == 0 && csv) { /* the API's own CSV (?format=csv): plain numbers, units in the header */
        strbuf text = STRBUF_INIT;
        if ((rc = metrics_csv(out.buf, &text, e)) == 0)
            fputs(text.buf, stdout);
        strbuf_release(&text);
        strbuf_release(&out);
        return rc;
    }
    if (rc == 0 && html) {
        json_t *report = json_loads(out.buf, 0, NULL);
        rc = write_html(c, &q, report, html, e);
        json_decref(report);
        strbuf_release(&out);
        return rc;
    }
    return cli_print_report(c, rc, &out, show);
}
