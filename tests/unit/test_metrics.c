/* Unit tests of the metrics' pure parts: the nearest-rank percentile (ties, small n), the calendar
 * months of a period, the SVG charts (XML escaping, no data, gaps in a line) and the CSV (units in the
 * header, a column per currency whichever row names it first, plain numbers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/charts.h"
#include "core/insight/metrics.h"
#include "core/insight/metrics_csv.h"

static void percentile_nearest_rank(void **state)
{
    (void)state;
    /* n = 10: median = 5th, p90 = 9th (ceil(9.0)); linear interpolation would give 159 for p90 */
    const int64_t v[] = {60, 60, 60, 60, 60, 120, 120, 120, 120, 510};
    assert_int_equal(metrics_percentile(v, 10, 50), 60);
    assert_int_equal(metrics_percentile(v, 10, 90), 120);
    assert_int_equal(metrics_percentile(v, 10, 100), 510);
    /* n = 9: p90 = ceil(8.1) = 9th; median = ceil(4.5) = 5th */
    const int64_t w[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    assert_int_equal(metrics_percentile(w, 9, 90), 9);
    assert_int_equal(metrics_percentile(w, 9, 50), 5);
    /* one value is every percentile; ties everywhere give the tie */
    const int64_t one[] = {42}, same[] = {7, 7, 7, 7};
    assert_int_equal(metrics_percentile(one, 1, 50), 42);
    assert_int_equal(metrics_percentile(one, 1, 90), 42);
    assert_int_equal(metrics_percentile(same, 4, 90), 7);
    /* n = 2: median = 1st (ceil(1.0)), p90 = 2nd (ceil(1.8)) */
    const int64_t two[] = {10, 20};
    assert_int_equal(metrics_percentile(two, 2, 50), 10);
    assert_int_equal(metrics_percentile(two, 2, 90), 20);
}

static void months_of_a_period(void **state)
{
    (void)state;
    char b[METRICS_MAX_MONTHS + 1][11];
    assert_int_equal(metrics_months("2026-01-15", "2026-03-10", b, METRICS_MAX_MONTHS), 3);
    assert_string_equal(b[0], "2026-01-15");
    assert_string_equal(b[1], "2026-02-01");
    assert_string_equal(b[2], "2026-03-01");
    assert_string_equal(b[3], "2026-03-10");
    assert_int_equal(metrics_months("2025-12-01", "2026-01-01", b, METRICS_MAX_MONTHS), 1);
    assert_string_equal(b[1], "2026-01-01");
    assert_int_equal(metrics_months("2026-01-01", "2026-01-02", b, METRICS_MAX_MONTHS), 1);
    assert_int_equal(metrics_months("2000-01-01", "2026-01-01", b, METRICS_MAX_MONTHS), -1);
}

static void svg_escapes_text(void **state)
{
    (void)state;
    strbuf s = STRBUF_INIT;
    strbuf_add_html(&s, "<b>Tom & \"Jerry\"</b> 'x'\x01");
    assert_string_equal(s.buf, "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt; &#39;x&#39; ");
    strbuf_release(&s);
    const char *labels[] = {"<script>", "a&b"};
    double values[] = {3, 1.5};
    charts_bar(&s, "Bars & <lines>", labels, values, 2, CHART_NUMBER);
    assert_non_null(strstr(s.buf, "<title>Bars &amp; &lt;lines&gt;</title>"));
    assert_null(strstr(s.buf, "<script>"));
    assert_non_null(strstr(s.buf, "&lt;script&gt;"));
    assert_int_equal(strncmp(s.buf, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39), 0);
    assert_non_null(strstr(s.buf, "</svg>"));
    strbuf_release(&s);
}

static void svg_no_data_and_gaps(void **state)
{
    (void)state;
    strbuf s = STRBUF_INIT;
    charts_bar(&s, "Empty", NULL, NULL, 0, CHART_MONEY);
    assert_non_null(strstr(s.buf, ">no data</text>"));
    strbuf_release(&s);
    const char *labels[] = {"2026-01", "2026-02", "2026-03"};
    double values[] = {1, NAN, 0.75};
    charts_line(&s, "Retention", labels, values, 3, CHART_PERCENT);
    /* the missing month splits the line in two runs of one point each */
    int lines = 0;
    for (const char *p = s.buf; (p = strstr(p, "<polyline")); p++)
        lines++;
    assert_int_equal(lines, 2);
    assert_non_null(strstr(s.buf, ">75%</text>"));
    assert_non_null(strstr(s.buf, ">100%</text>"));
    strbuf_release(&s);
}

/* Groups naming different currencies: each currency its own sorted column, empty where a group has none;
 * rates in percent, labels quoted as CSV needs, a spreadsheet formula defused. */
static void csv_units_and_currencies(void **state)
{
    (void)state;
    const char *report =
        "{\"group_by\":\"owner\",\"data\":["
        "{\"key\":\"usr_1\",\"label\":\"Ann, Sales\",\"from\":\"2026-01-01\",\"to\":\"2026-02-01\","
        "\"retention_rate\":0.6667,\"lifetime_value\":{\"USD\":\"60.00\"},\"nps\":-20,\"win_rate\":null},"
        "{\"key\":\"usr_2\",\"label\":\"=cmd\",\"from\":\"2026-01-01\",\"to\":\"2026-02-01\","
        "\"retention_rate\":1,\"lifetime_value\":{\"EUR\":\"850.00\",\"USD\":\"1.50\"}}]}";
    strbuf s = STRBUF_INIT;
    err_t e;
    assert_int_equal(metrics_csv(report, &s, &e), 0);
    assert_non_null(strstr(s.buf, "key,label,from,to,retention_rate_pct,churn_rate_pct,"));
    assert_non_null(strstr(s.buf, ",lifetime_value_EUR,lifetime_value_USD,"));
    assert_null(strstr(s.buf, "revenue_per_client_")); /* no row has one: no column */
    assert_non_null(strstr(s.buf, "usr_1,\"Ann, Sales\",2026-01-01,2026-02-01,66.7,,,60.00,"));
    assert_non_null(strstr(s.buf, ",-20,"));
    assert_non_null(strstr(s.buf, "usr_2,'=cmd,2026-01-01,2026-02-01,100.0,,850.00,1.50,"));
    assert_null(strstr(s.buf, "%"));
    strbuf_release(&s);
    assert_int_equal(metrics_csv("not json", &s, &e), E_INTERNAL);
    strbuf_release(&s);
}

/* The x of every <text> at y="280" (the x labels' baseline), in order. */
static int x_labels(const char *svg, double *xs, int max, char names[][16])
{
    int n = 0;
    for (const char *p = svg; n < max && (p = strstr(p, "<text x=\"")); p++) {
        double x;
        char name[16];
        if (sscanf(p, "<text x=\"%lf\" y=\"280\" text-anchor=\"middle\" fill=\"#555555\">%15[^<]", &x, name) == 2) {
            xs[n] = x;
            snprintf(names[n++], 16, "%s", name);
        }
    }
    return n;
}

static void svg_labels_never_overlap(void **state)
{
    (void)state;
    const char *labels[24];
    char buf[24][16];
    double values[24];
    for (int i = 0; i < 24; i++) {
        snprintf(buf[i], sizeof buf[i], "%04d-%02d", 2025 + i / 12, i % 12 + 1);
        labels[i] = buf[i];
        values[i] = 12000 + i * 150.5;
    }
    for (int n = 3; n <= 24; n += 9) { /* 3, 12 and 24 months */
        for (int line = 0; line < 2; line++) {
            strbuf s = STRBUF_INIT;
            if (line)
                charts_line(&s, "Retention", labels, values, n, CHART_NUMBER);
            else
                charts_bar(&s, "Revenue", labels, values, n, CHART_MONEY);
            double xs[24];
            char names[24][16];
            int shown = x_labels(s.buf, xs, 24, names);
            assert_true(shown >= 1 && shown <= n);
            assert_string_equal(names[shown - 1], labels[n - 1]); /* the newest month always shows */
            for (int i = 1; i < shown; i++) /* 7 characters of about 6 px each, and a gap */
                assert_true(xs[i] - xs[i - 1] >= 7 * 7 + 6);
            /* the values above the bars or points are as far apart: "12150.50" is 8 characters */
            double prev = -1000;
            int values_shown = 0;
            for (const char *p = s.buf; (p = strstr(p, "fill=\"#222222\">1")); p++) {
                const char *x = p;
                while (x > s.buf && strncmp(x, "<text x=\"", 9))
                    x--;
                double at = strtod(x + 9, NULL);
                assert_true(at - prev >= 8 * 7 + 6);
                prev = at;
                values_shown++;
            }
            assert_true(values_shown >= 1);
            if (n == 3)
                assert_int_equal(shown, 3); /* room for all: nothing thinned */
            strbuf_release(&s);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(percentile_nearest_rank),
        cmocka_unit_test(months_of_a_period),
        cmocka_unit_test(svg_escapes_text),
        cmocka_unit_test(svg_no_data_and_gaps),
        cmocka_unit_test(csv_units_and_currencies),
        cmocka_unit_test(svg_labels_never_overlap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
