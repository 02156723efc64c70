/* metrics_series: checking a metrics query and answering it — one period, or a series per month, owner
 * or client (each group is the same computation as a single period; see metrics.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/insight/metrics_int.h"
#include "core/access/access.h"
#include "core/engine/record.h"

/* What the metrics sum: reading them needs the right to list each. */
static const char *const SOURCES[] = {"clients", "invoices", "tickets", "feedback", "deliverables", "projects", "deals",
                                      NULL};

int metrics_months(const char *from, const char *to, char bounds[][11], int max)
{
    int n = 0, y = (int)strtol(from, NULL, 10), mo = (int)strtol(from + 5, NULL, 10); /* checked dates */
    snprintf(bounds[0], 11, "%.10s", from);
    for (;;) {
        if (++mo > 12) {
            mo = 1;
            y++;
        }
        char next[32];
        snprintf(next, sizeof next, "%04d-%02d-01", y % 10000, mo);
        if (n == max)
            return -1;
        snprintf(bounds[++n], 11, "%.10s", strcmp(next, to) < 0 ? next : to);
        if (strcmp(next, to) >= 0)
            return n;
    }
}

static int exists(db *d, const char *sql, const char *ws, const char *id, err_t *e)
{
    db_stmt *s;
    const char *args[] = {ws, id};
    int rc = db_query_row(d, &s, e, sql, 2, args);
    if (rc == DB_ROW)
        db_finalize(s);
    return rc < 0 ? rc : rc == DB_ROW;
}

int metrics_check(db *d, const actor *who, const metrics_query *q, err_t *e)
{
    int64_t a, b;
    if (!q->from || clock_parse_date(q->from, &a) || strlen(q->from) != 10)
        return err_set(e, E_INVALID_PARAMETER, "from", "from must be a date, YYYY-MM-DD");
    if (!q->to || clock_parse_date(q->to, &b) || strlen(q->to) != 10)
        return err_set(e, E_INVALID_PARAMETER, "to", "to must be a date, YYYY-MM-DD");
    if (b <= a)
        return err_set(e, E_INVALID_PARAMETER, "from", "from (%s) must be before to (%s): the period is [from, to)",
                       q->from, q->to);
    if (q->group_by && strcmp(q->group_by, "month") && strcmp(q->group_by, "owner") && strcmp(q->group_by, "client"))
        return err_set(e, E_INVALID_PARAMETER, "group_by", "group_by must be month, owner or client, not %.40s",
                       q->group_by);
    char bounds[METRICS_MAX_MONTHS + 1][11];
    if (metrics_months(q->from, q->to, bounds, METRICS_MAX_MONTHS) < 0)
        return err_set(e, E_INVALID_PARAMETER, "to", "the period spans more than %d months", METRICS_MAX_MONTHS);
    for (const char *const *s = SOURCES; *s; s++) {
        int rc = access_whole(who, entity_by_name(*s), OP_LIST, e);
        if (rc)
            return rc;
    }
    int rc;
    if (q->owner_id &&
        (rc = exists(d, "SELECT id FROM users WHERE workspace_id = ? AND id = ?", who->workspace_id, q->owner_id, e)) <= 0)
        return rc < 0 ? rc : err_set(e, E_NOT_FOUND, "owner_id", "no user %.40s in this workspace", q->owner_id);
    if (q->client_id &&
        (rc = exists(d, "SELECT id FROM clients WHERE workspace_id = ? AND id = ?", who->workspace_id, q->client_id,
                     e)) <= 0)
        return rc < 0 ? rc : err_set(e, E_NOT_FOUND, "client_id", "no client %.40s in this workspace", q->client_id);
    return 0;
}

static int emit(json_t *report, strbuf *out, err_t *e)
{
    char *text = json_dumps(report, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    json_decref(report);
    if (!text)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    strbuf_adds(out, text);
    free(text);
    return 0;
}

/* One group (or the whole answer): its identity first, then the metrics. */
static int group(db *d, const actor *who, const metrics_query *q, const char *from, const char *to,
                 const char *owner, const char *client, json_t *o, err_t *e)
{
    mctx m;
    metrics_ctx(&m, d, who, from, to, e);
    m.owner_id = owner;
    m.client_id = client;
    json_object_set_new(o, "from", json_string(m.from));
    json_object_set_new(o, "to", json_string(m.to));
    if (!q->group_by) {
        json_object_set_new(o, "owner_id", owner ? json_string(owner) : json_null());
        json_object_set_new(o, "client_id", client ? json_string(client) : json_null());
    }
    return metrics_compute(&m, o);
}

typedef struct keys {
    json_t *list; /* [[key, label], ...] */
} keys;

static void key_row(void *ctx, db_stmt *s)
{
    json_array_append_new(((keys *)ctx)->list, json_pack("[s,s?]", db_col_text(s, 0, NULL), db_col_text(s, 1, NULL)));
}

/* The owners of the clients in scope, or the clients in scope active at some time in the period. */
static int group_keys(db *d, const actor *who, const metrics_query *q, json_t *list, err_t *e)
{
    mctx m;
    metrics_ctx(&m, d, who, q->from, q->to, e);
    m.owner_id = q->owner_id;
    m.client_id = q->client_id;
    keys k = {list};
    const char *ws = who->workspace_id;
    if (!strcmp(q->group_by, "owner")) {
        const char *args[] = {ws, ws};
        return metrics_rows(&m, 1,
                            "SELECT u.id, COALESCE(u.name, u.email) FROM users u WHERE u.workspace_id = ? AND u.id IN "
                            "(SELECT owner_id FROM clients WHERE workspace_id = ?",
                            ") ORDER BY 2, 1", 2, args, key_row, &k);
    }
    const char *args[] = {ws, m.to_t, m.from_t};
    return metrics_rows(&m, 1,
                        "SELECT id, name FROM clients WHERE workspace_id = ? AND started_at IS NOT NULL "
                        "AND started_at < ? AND (ended_at IS NULL OR ended_at > ?)",
                        " ORDER BY name, id", 3, args, key_row, &k);
}

static int series(db *d, const actor *who, const metrics_query *q, json_t *data, err_t *e)
{
    int rc = 0;
    if (!strcmp(q->group_by, "month")) {
        char bounds[METRICS_MAX_MONTHS + 1][11];
        int n = metrics_months(q->from, q->to, bounds, METRICS_MAX_MONTHS);
        for (int i = 0; i < n && rc == 0; i++) {
            char key[8];
            snprintf(key, sizeof key, "%.7s", bounds[i]);
            json_t *o = json_pack("{s:s,s:s}", "key", key, "label", key);
            rc = group(d, who, q, bounds[i], bounds[i + 1], q->owner_id, q->client_id, o, e);
            json_array_append_new(data, o);
        }
        return rc;
    }
    json_t *list = json_array(), *k;
    size_t i;
    rc = group_keys(d, who, q, list, e);
    json_array_foreach(list, i, k) {
        if (rc)
            break;
        const char *key = json_string_value(json_array_get(k, 0));
        json_t *o = json_pack("{s:s,s:O}", "key", key, "label", json_array_get(k, 1));
        int by_owner = !strcmp(q->group_by, "owner");
        rc = group(d, who, q, q->from, q->to, by_owner ? key : q->owner_id, by_owner ? q->client_id : key, o, e);
        json_array_append_new(data, o);
    }
    json_decref(list);
    return rc;
}

int metrics_report(db *d, const actor *who, const metrics_query *q, strbuf *out, err_t *e)
{
    int rc = metrics_check(d, who, q, e);
    if (rc)
        return rc;
    json_t *report = json_object();
    if (!q->group_by) {
        rc = group(d, who, q, q->from, q->to, q->owner_id, q->client_id, report, e);
    } else {
        json_t *data = json_array();
        json_object_set_new(report, "from", json_string(q->from));
        json_object_set_new(report, "to", json_string(q->to));
        json_object_set_new(report, "group_by", json_string(q->group_by));
        json_object_set_new(report, "owner_id", q->owner_id ? json_string(q->owner_id) : json_null());
        json_object_set_new(report, "client_id", q->client_id ? json_string(q->client_id) : json_null());
        json_object_set_new(report, "data", data);
        rc = series(d, who, q, data, e);
    }
    if (rc < 0) {
        json_decref(report);
        return rc;
    }
    return emit(report, out, e);
}

int metrics_response_minutes(db *d, const actor *who, const metrics_query *q, int64_t **out, int *n, err_t *e)
{
    mctx m;
    metrics_ctx(&m, d, who, q->from, q->to, e);
    m.owner_id = q->owner_id;
    m.client_id = q->client_id;
    return metrics_ticket_minutes(&m, out, n);
}
