/* metrics_csv: the metrics answer as CSV with units in the header (see metrics_csv.h). */
#include "core/insight/metrics_csv.h"

#include <jansson.h>
#include <string.h>

/* The figures in the order the report shows them; a unit saying how the number reads. */
enum unit { PCT, MONEY, PCT_PER_CURRENCY, HOURS, SCORE };
static const struct figure {
    const char *key, *header; /* the header, before any currency: "retention_rate_pct" */
    enum unit unit;
} FIGURES[] = {
    {"retention_rate", "retention_rate_pct", PCT},
    {"churn_rate", "churn_rate_pct", PCT},
    {"revenue_per_client", "revenue_per_client", MONEY},
    {"lifetime_value", "lifetime_value", MONEY},
    {"first_response_median_hours", "first_response_median_business_hours", HOURS},
    {"first_response_p90_hours", "first_response_p90_business_hours", HOURS},
    {"sla_attainment", "sla_attainment_pct", PCT},
    {"csat", "csat_1_to_5", SCORE},
    {"nps", "nps_minus100_to_100", SCORE},
    {"on_time_delivery", "on_time_delivery_pct", PCT},
    {"scope_growth", "scope_growth_pct", PCT_PER_CURRENCY},
    {"pipeline_value", "pipeline_value", MONEY},
    {"pipeline_weighted_value", "pipeline_weighted_value", MONEY},
    {"win_rate", "win_rate_pct", PCT},
};
#define NFIGURES ((int)(sizeof FIGURES / sizeof FIGURES[0]))

static int per_currency(enum unit u) { return u == MONEY || u == PCT_PER_CURRENCY; }

/* Every currency any row names for figure f, in order (money is never added across currencies, so
 * each has its own column). */
static json_t *currencies(json_t *rows, const struct figure *f)
{
    json_t *seen = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *cur;
        json_t *v;
        json_object_foreach(json_object_get(row, f->key), cur, v) json_object_set_new(seen, cur, json_true());
    }
    json_t *list = json_array();
    const char *cur;
    json_t *v;
    json_object_foreach(seen, cur, v) json_array_append_new(list, json_string(cur));
    json_decref(seen);
    /* jansson keeps insertion order: sort so the columns do not depend on which row came first */
    size_t n = json_array_size(list);
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0 && strcmp(json_string_value(json_array_get(list, b - 1)),
                                           json_string_value(json_array_get(list, b))) > 0; b--) {
            json_t *x = json_incref(json_array_get(list, b - 1));
            json_array_set(list, b - 1, json_array_get(list, b));
            json_array_set_new(list, b, x);
        }
    return list;
}

/* One cell: null or missing is empty; a percentage is the fraction × 100 to one decimal; money is the
 * decimal string as the API writes it; other numbers as they are. */
static void cell(json_t *v, enum unit u, strbuf *out)
{
    strbuf_addc(out, ',');
    if (json_is_string(v))
        strbuf_add_csv(out, json_string_value(v));
    else if (json_is_number(v) && (u == PCT || u == PCT_PER_CURRENCY))
        strbuf_addf(out, "%.1f", json_number_value(v) * 100);
    else if (json_is_number(v))
        strbuf_addf(out, "%.12g", json_number_value(v));
}

static void row_csv(json_t *row, const char *key, const char *label, json_t **curs, strbuf *out)
{
    strbuf_add_csv(out, key);
    strbuf_addc(out, ',');
    strbuf_add_csv(out, label);
    const char *from = json_string_value(json_object_get(row, "from")), *to = json_string_value(json_object_get(row, "to"));
    strbuf_addf(out, ",%s,%s", from ? from : "", to ? to : "");
    for (int f = 0; f < NFIGURES; f++) {
        json_t *v = json_object_get(row, FIGURES[f].key);
        if (!per_currency(FIGURES[f].unit)) {
            cell(v, FIGURES[f].unit, out);
            continue;
        }
        size_t i;
        json_t *cur;
        json_array_foreach(curs[f], i, cur) cell(json_object_get(v, json_string_value(cur)), FIGURES[f].unit, out);
    }
    strbuf_adds(out, "\r\n");
}

int metrics_csv(const char *report, strbuf *out, err_t *e)
{
    json_t *doc = json_loads(report, 0, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return err_set(e, E_INTERNAL, NULL, "metrics: the report did not read back");
    }
    /* grouped: a row per group in data; else the whole period is the one row */
    json_t *rows = json_object_get(doc, "data");
    json_t *all = rows ? json_incref(rows) : json_pack("[O]", doc);
    json_t *curs[NFIGURES];
    strbuf_adds(out, "key,label,from,to");
    for (int f = 0; f < NFIGURES; f++) {
        curs[f] = per_currency(FIGURES[f].unit) ? currencies(all, &FIGURES[f]) : NULL;
        if (!curs[f]) {
            strbuf_addf(out, ",%s", FIGURES[f].header);
            continue;
        }
        size_t i;
        json_t *cur;
        json_array_foreach(curs[f], i, cur) {
            strbuf_addf(out, ",%s_", FIGURES[f].header);
            strbuf_add_csv(out, json_string_value(cur));
        }
    }
    strbuf_adds(out, "\r\n");
    size_t i;
    json_t *row;
    json_array_foreach(all, i, row) {
        const char *key = rows ? json_string_value(json_object_get(row, "key")) : "all";
        const char *label = rows ? json_string_value(json_object_get(row, "label")) : "all";
        row_csv(row, key ? key : "", label ? label : (key ? key : ""), curs, out);
    }
    for (int f = 0; f < NFIGURES; f++)
        json_decref(curs[f]);
    json_decref(all);
    json_decref(doc);
    return 0;
}
