/* revenue: the pipeline and revenue reports (see revenue.h). */
#include "core/practice/revenue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/money.h"
#include "core/access/access.h"
#include "core/engine/record.h"

int64_t revenue_div_round(int64_t n, int64_t d)
{
    return n >= 0 ? (2 * n + d) / (2 * d) : -((-2 * n + d) / (2 * d));
}

static json_t *money(int64_t cents)
{
    char buf[MONEY_LEN];
    money_format(cents, buf);
    return json_string(buf);
}

static int may_read(const actor *who, const char *entity_name, err_t *e)
{
    return access_whole(who, entity_by_name(entity_name), OP_LIST, e);
}

static void today(char out[CLOCK_RFC3339_LEN])
{
    clock_format(clock_now(), out);
    out[10] = '\0';
}

static int emit(json_t *report, strbuf *out, err_t *e)
{
    char *text = json_dumps(report, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(report);
    if (!text)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    strbuf_adds(out, text);
    free(text);
    return 0;
}

/* The entry for currency in a list of {"currency": ...} objects, added (from tmpl's keys) if new. */
static json_t *in_currency(json_t *list, const char *currency, const char *tmpl)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) if (!strcmp(json_string_value(json_object_get(o, "currency")), currency)) return o;
    o = json_pack("{s:s}", "currency", currency);
    json_t *fields = json_loads(tmpl, 0, NULL);
    json_object_update(o, fields);
    json_decref(fields);
    json_array_append_new(list, o);
    return o;
}

static void add_int(json_t *o, const char *key, int64_t n)
{
    json_object_set_new(o, key, json_integer(json_integer_value(json_object_get(o, key)) + n));
}

/* ---- the pipeline */

typedef struct pipeline_ctx {
    json_t *stages, *open_cents; /* open_cents: per currency, integer cents until the end */
} pipeline_ctx;

/* One row per (stage, currency of its open deals); a stage without open deals has a NULL currency. */
static void pipeline_stage_row(void *ctx, db_stmt *s)
{
    pipeline_ctx *p = ctx;
    const char *name = db_col_text(s, 0, NULL);
    json_t *last = json_array_get(p->stages, json_array_size(p->stages) - 1);
    if (!last || strcmp(json_string_value(json_object_get(last, "name")), name)) {
        last = json_pack("{s:s,s:s?,s:I,s:o,s:i,s:[]}", "name", name, "label", db_col_text(s, 1, NULL), "position",
                         (json_int_t)db_col_int(s, 2), "probability",
                         db_col_type(s, 3) == DB_NULL ? json_null() : json_integer(db_col_int(s, 3)), "open_count", 0,
                         "by_currency");
        json_array_append_new(p->stages, last);
    }
    if (db_col_type(s, 4) == DB_NULL)
        return;
    const char *currency = db_col_text(s, 4, NULL);
    int64_t count = db_col_int(s, 5), value = db_col_int(s, 6), weighted = revenue_div_round(db_col_int(s, 7), 100);
    add_int(last, "open_count", count);
    json_array_append_new(json_object_get(last, "by_currency"),
                          json_pack("{s:s,s:I,s:o,s:o}", "currency", currency, "count", (json_int_t)count, "value",
                                    money(value), "weighted_value", money(weighted)));
    json_t *total = in_currency(p->open_cents, currency, "{\"count\":0,\"value\":0,\"weighted_value\":0}");
    add_int(total, "count", count);
    add_int(total, "value", value);
    add_int(total, "weighted_value", weighted);
}

/* One row per (status, currency) of the closed deals. */
static void pipeline_closed_row(void *ctx, db_stmt *s)
{
    json_t *closed = ctx, *bucket = json_object_get(closed, db_col_text(s, 0, NULL));
    add_int(bucket, "count", db_col_int(s, 2));
    json_array_append_new(json_object_get(bucket, "by_currency"),
                          json_pack("{s:s,s:I,s:o}", "currency", db_col_text(s, 1, NULL), "count",
                                    (json_int_t)db_col_int(s, 2), "value", money(db_col_int(s, 3))));
}

/* Cents kept as integers while summing become decimal strings here. */
static json_t *money_list(json_t *list, const char *const *keys)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) for (const char *const *k = keys; *k; k++)
        json_object_set_new(o, *k, money(json_integer_value(json_object_get(o, *k))));
    return list;
}

int revenue_pipeline(db *d, const actor *who, strbuf *out, err_t *e)
{
    int rc = may_read(who, "deals", e);
    if (rc)
        return rc;
    pipeline_ctx p = {json_array(), json_array()};
    json_t *closed = json_pack("{s:{s:i,s:[]},s:{s:i,s:[]}}", "won", "count", 0, "by_currency", "lost", "count", 0,
                               "by_currency");
    const char *ws[] = {who->workspace_id};
    /* value × probability summed per group, divided and rounded once: exact to the cent */
    rc = db_query_each(d, e,
                  "SELECT s.name, s.label, s.\"position\", s.probability, d.currency, COUNT(d.id), "
                  "COALESCE(SUM(d.value), 0), COALESCE(SUM(COALESCE(d.value, 0) * COALESCE(d.probability, 0)), 0) "
                  "FROM deal_stages s LEFT JOIN deals d ON d.workspace_id = s.workspace_id AND d.stage = s.name "
                  "AND d.status = 'open' WHERE s.workspace_id = ? "
                  "GROUP BY s.name, s.label, s.\"position\", s.probability, d.currency "
                  "ORDER BY s.\"position\", s.name, d.currency",
                  1, ws, pipeline_stage_row, &p);
    if (rc == 0)
        rc = db_query_each(d, e,
                      "SELECT status, currency, COUNT(*), COALESCE(SUM(value), 0) FROM deals "
                      "WHERE workspace_id = ? AND status IN ('won', 'lost') GROUP BY status, currency "
                      "ORDER BY status, currency",
                      1, ws, pipeline_closed_row, closed);
    int64_t open = 0;
    size_t i;
    json_t *o;
    json_array_foreach(p.open_cents, i, o) open += json_integer_value(json_object_get(o, "count"));
    static const char *const keys[] = {"value", "weighted_value", NULL};
    json_t *report = json_pack("{s:o,s:{s:I,s:o},s:o,s:o}", "stages", p.stages, "open", "count", (json_int_t)open,
                               "by_currency", money_list(p.open_cents, keys), "won",
                               json_incref(json_object_get(closed, "won")), "lost",
                               json_incref(json_object_get(closed, "lost")));
    json_decref(closed);
    if (rc < 0) {
        json_decref(report);
        return rc;
    }
    return emit(report, out, e);
}

/* ---- one client's revenue */

static const char CLIENT_TMPL[] =
    "{\"paid_total\":0,\"lifetime_value\":0,\"paid_count\":0,\"paid_last_12_months\":0,\"first_paid_on\":null,"
    "\"last_paid_on\":null,\"outstanding\":0,\"outstanding_count\":0,\"overdue\":0,\"overdue_count\":0,"
    "\"monthly_recurring\":0,\"active_retainers\":0}";

static void client_paid_row(void *ctx, db_stmt *s)
{
    json_t *o = in_currency(ctx, db_col_text(s, 0, NULL), CLIENT_TMPL);
    json_object_set_new(o, "paid_total", json_integer(db_col_int(s, 1)));
    json_object_set_new(o, "lifetime_value", json_integer(db_col_int(s, 1)));
    json_object_set_new(o, "paid_count", json_integer(db_col_int(s, 2)));
    json_object_set_new(o, "paid_last_12_months", json_integer(db_col_int(s, 3)));
    json_object_set_new(o, "first_paid_on", json_string(db_col_text(s, 4, NULL)));
    json_object_set_new(o, "last_paid_on", json_string(db_col_text(s, 5, NULL)));
}

static void client_open_row(void *ctx, db_stmt *s)
{
    json_t *o = in_currency(ctx, db_col_text(s, 0, NULL), CLIENT_TMPL);
    json_object_set_new(o, "outstanding", json_integer(db_col_int(s, 1)));
    json_object_set_new(o, "outstanding_count", json_integer(db_col_int(s, 2)));
    json_object_set_new(o, "overdue", json_integer(db_col_int(s, 3)));
    json_object_set_new(o, "overdue_count", json_integer(db_col_int(s, 4)));
}

/* Retainers sum per year (monthly × 12, quarterly × 4, yearly × 1), then one division by 12. */
static void client_retainer_row(void *ctx, db_stmt *s)
{
    json_t *o = in_currency(ctx, db_col_text(s, 0, NULL), CLIENT_TMPL);
    json_object_set_new(o, "monthly_recurring", json_integer(revenue_div_round(db_col_int(s, 1), 12)));
    json_object_set_new(o, "active_retainers", json_integer(db_col_int(s, 2)));
}

/* The same day a year before (29 February falls back to the 28th). */
static void year_before(const char *day, char out[CLOCK_RFC3339_LEN])
{
    int year = (int)strtol(day, NULL, 10);
    snprintf(out, CLOCK_RFC3339_LEN, "%04d-%.5s", year - 1, day + 5);
    if (!strcmp(out + 5, "02-29"))
        out[9] = '8';
}

static int by_currency(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "currency")),
                  json_string_value(json_object_get(*(json_t *const *)b, "currency")));
}

/* Sorts a list of {"currency": ...} objects by currency code, so reports read the same every time. */
static void sort_by_currency(json_t *list)
{
    size_t n = json_array_size(list);
    json_t **items = malloc((n ? n : 1) * sizeof *items);
    if (!items)
        return;
    for (size_t i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(list, i));
    qsort(items, n, sizeof *items, by_currency);
    json_array_clear(list);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, items[i]);
    free(items);
}

int revenue_client(db *d, const actor *who, const char *client_id, strbuf *out, err_t *e)
{
    strbuf client = STRBUF_INIT;
    int rc = record_get(d, who, entity_by_name("clients"), client_id, &client, e);
    if (rc == 0)
        rc = may_read(who, "invoices", e);
    json_t *rec = rc == 0 ? json_loads(client.buf, 0, NULL) : NULL;
    strbuf_release(&client);
    if (rc < 0)
        return rc;
    char day[CLOCK_RFC3339_LEN], since[CLOCK_RFC3339_LEN];
    today(day);
    year_before(day, since);
    json_t *list = json_array();
    const char *paid[] = {since, who->workspace_id, client_id};
    rc = db_query_each(d, e,
                  "SELECT currency, SUM(amount), COUNT(*), SUM(CASE WHEN paid_on >= ? THEN amount ELSE 0 END), "
                  "MIN(paid_on), MAX(paid_on) FROM invoices WHERE workspace_id = ? AND client_id = ? "
                  "AND status = 'paid' GROUP BY currency",
                  3, paid, client_paid_row, list);
    const char *open[] = {day, day, who->workspace_id, client_id};
    if (rc == 0)
        rc = db_query_each(d, e,
                      "SELECT currency, SUM(amount), COUNT(*), SUM(CASE WHEN due_on < ? THEN amount ELSE 0 END), "
                      "SUM(CASE WHEN due_on < ? THEN 1 ELSE 0 END) FROM invoices WHERE workspace_id = ? "
                      "AND client_id = ? AND status = 'issued' GROUP BY currency",
                      4, open, client_open_row, list);
    const char *ret[] = {who->workspace_id, client_id, day, day};
    if (rc == 0)
        rc = db_query_each(d, e,
                      "SELECT currency, SUM(CASE \"period\" WHEN 'monthly' THEN amount * 12 WHEN 'quarterly' THEN "
                      "amount * 4 ELSE amount END), COUNT(*) FROM retainers WHERE workspace_id = ? AND client_id = ? "
                      "AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?) GROUP BY currency",
                      4, ret, client_retainer_row, list);
    static const char *const keys[] = {"paid_total", "lifetime_value", "paid_last_12_months", "outstanding",
                                       "overdue", "monthly_recurring", NULL};
    sort_by_currency(money_list(list, keys));
    json_t *report = json_pack("{s:O,s:O,s:s,s:s,s:o}", "client_id", json_object_get(rec, "id"), "name",
                               json_object_get(rec, "name"), "as_of", day, "last_12_months_from", since,
                               "by_currency", list);
    json_decref(rec);
    if (rc < 0) {
        json_decref(report);
        return rc;
    }
    return emit(report, out, e);
}

/* ---- paid revenue over a period */

static void period_row(void *ctx, db_stmt *s)
{
    json_t *o = in_currency(ctx, db_col_text(s, 0, NULL),
                            "{\"paid_total\":0,\"invoice_count\":0,\"clients_with_revenue\":0,\"clients\":[]}");
    int64_t amount = db_col_int(s, 3), count = db_col_int(s, 4);
    add_int(o, "paid_total", amount);
    add_int(o, "invoice_count", count);
    add_int(o, "clients_with_revenue", 1);
    json_array_append_new(json_object_get(o, "clients"),
                          json_pack("{s:s,s:s,s:o,s:I}", "client_id", db_col_text(s, 1, NULL), "name",
                                    db_col_text(s, 2, NULL), "paid_total", money(amount), "invoice_count",
                                    (json_int_t)count));
}

static int count_active(db *d, const actor *who, const char *from, const char *to, int64_t *n, err_t *e)
{
    char start[CLOCK_RFC3339_LEN + 1], end[CLOCK_RFC3339_LEN + 1];
    snprintf(start, sizeof start, "%.10sT00:00:00Z", from);
    snprintf(end, sizeof end, "%.10sT00:00:00Z", to);
    /* active at some t in [from, to): started by the end, not ended by the start */
    db_stmt *s;
    const char *args[] = {who->workspace_id, end, start};
    int rc = db_query_row(d, &s, e,
                          "SELECT COUNT(*) FROM clients WHERE workspace_id = ? AND started_at IS NOT NULL "
                          "AND started_at < ? AND (ended_at IS NULL OR ended_at > ?)",
                          3, args);
    if (rc < 0)
        return rc;
    *n = rc == DB_ROW ? db_col_int(s, 0) : 0;
    if (rc == DB_ROW)
        db_finalize(s);
    return 0;
}

/* Issued and not yet paid, workspace-wide as of today: what the revenue page shows beside the period. */
static void open_row(void *ctx, db_stmt *s)
{
    json_t *o = in_currency(ctx, db_col_text(s, 0, NULL),
                            "{\"outstanding\":0,\"outstanding_count\":0,\"overdue\":0,\"overdue_count\":0}");
    json_object_set_new(o, "outstanding", json_integer(db_col_int(s, 1)));
    json_object_set_new(o, "outstanding_count", json_integer(db_col_int(s, 2)));
    json_object_set_new(o, "overdue", json_integer(db_col_int(s, 3)));
    json_object_set_new(o, "overdue_count", json_integer(db_col_int(s, 4)));
}

int revenue_period(db *d, const actor *who, const char *from, const char *to, strbuf *out, err_t *e)
{
    int64_t a, b, active = 0;
    if (!from || clock_parse_date(from, &a))
        return err_set(e, E_INVALID_PARAMETER, "from", "from must be a date, YYYY-MM-DD");
    if (!to || clock_parse_date(to, &b))
        return err_set(e, E_INVALID_PARAMETER, "to", "to must be a date, YYYY-MM-DD");
    if (b <= a)
        return err_set(e, E_INVALID_PARAMETER, "to", "to (%s) must be after from (%s): the period is [from, to)", to, from);
    int rc = may_read(who, "invoices", e);
    if (rc == 0)
        rc = may_read(who, "clients", e);
    if (rc)
        return rc;
    json_t *list = json_array();
    const char *args[] = {who->workspace_id, from, to};
    rc = db_query_each(d, e,
                  "SELECT i.currency, i.client_id, c.name, SUM(i.amount), COUNT(*) FROM invoices i "
                  "JOIN clients c ON c.id = i.client_id AND c.workspace_id = i.workspace_id "
                  "WHERE i.workspace_id = ? AND i.status = 'paid' AND i.paid_on >= ? AND i.paid_on < ? "
                  "GROUP BY i.currency, i.client_id, c.name ORDER BY i.currency, SUM(i.amount) DESC, c.name, i.client_id",
                  3, args, period_row, list);
    if (rc == 0)
        rc = count_active(d, who, from, to, &active, e);
    char day[CLOCK_RFC3339_LEN];
    today(day);
    json_t *open = json_array();
    const char *open_args[] = {day, day, who->workspace_id};
    if (rc == 0)
        rc = db_query_each(d, e,
                      "SELECT currency, SUM(amount), COUNT(*), SUM(CASE WHEN due_on < ? THEN amount ELSE 0 END), "
                      "SUM(CASE WHEN due_on < ? THEN 1 ELSE 0 END) FROM invoices WHERE workspace_id = ? "
                      "AND status = 'issued' GROUP BY currency ORDER BY currency",
                      3, open_args, open_row, open);
    static const char *const open_keys[] = {"outstanding", "overdue", NULL};
    money_list(open, open_keys);
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        int64_t total = json_integer_value(json_object_get(o, "paid_total"));
        json_object_set_new(o, "revenue_per_client", active ? money(revenue_div_round(total, active)) : json_null());
    }
    static const char *const keys[] = {"paid_total", NULL};
    json_t *report = json_pack("{s:s,s:s,s:I,s:o,s:s,s:o}", "from", from, "to", to, "active_clients",
                               (json_int_t)active, "by_currency", money_list(list, keys), "as_of", day, "open", open);
    if (rc < 0) {
        json_decref(report);
        return rc;
    }
    return emit(report, out, e);
}
