/* project_scope: see project_scope.h. Every count and sum is one SQL aggregate over the project's
 * records, read in one snapshot so the figures agree with each other. */
#include "core/practice/project_scope.h"

#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "util/money.h"
#include "core/access/access.h"
#include "core/engine/record.h"

static void add_money(strbuf *out, const char *key, json_t *v)
{
    strbuf_addf(out, ",\"%s\":", key);
    strbuf_add_json_str(out, json_string_value(v)); /* already "1250.00", or null */
}

static void add_cents(strbuf *out, const char *key, int64_t cents)
{
    char buf[MONEY_LEN];
    money_format(cents, buf);
    strbuf_addf(out, ",\"%s\":\"%s\"", key, buf);
}

/* Runs an aggregate of n integer columns over the project's rows; names[i] become keys of out. */
static int aggregate(db *d, const actor *who, const char *sql, const char *id, const char *today,
                     const char *const *names, int n, int64_t *vals, strbuf *out, err_t *e)
{
    db_stmt *s;
    const char *args[] = {today, who->workspace_id, id};
    int rc = today ? db_query_row(d, &s, e, sql, 3, args) : db_query_row(d, &s, e, sql, 2, args + 1);
    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++) {
        vals[i] = rc == DB_ROW ? db_col_int(s, i) : 0;
        if (names[i])
            strbuf_addf(out, "%s\"%s\":%lld", i ? "," : "", names[i], (long long)vals[i]);
    }
    if (rc == DB_ROW)
        db_finalize(s);
    return 0;
}

/* Appends ,"data":[...] with the full records of en belonging to the project, in order. */
static int records(db *d, const actor *who, const entity *en, const char *order, const char *id, strbuf *out, err_t *e)
{
    const char *args[] = {id};
    strbuf_adds(out, ",\"data\":");
    return record_emit_where(d, who, en, "r.project_id = ?", order, 100000, args, 1, out, e);
}

#define COUNT_IF(cond) "COALESCE(SUM(CASE WHEN " cond " THEN 1 ELSE 0 END), 0)"
#define SUM_IF(cond, col) "COALESCE(SUM(CASE WHEN " cond " THEN " col " ELSE 0 END), 0)"

static int report(db *d, const actor *who, const char *id, json_t *prj, strbuf *out, err_t *e)
{
    char today[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), today);
    today[10] = '\0';
    strbuf_adds(out, "{\"project_id\":");
    strbuf_add_json_str(out, id);
    static const char *const keys[] = {"name", "status", "client_id", "currency"};
    for (int i = 0; i < 4; i++) {
        strbuf_addf(out, ",\"%s\":", keys[i]);
        strbuf_add_json_str(out, json_string_value(json_object_get(prj, keys[i])));
    }
    add_money(out, "original_budget", json_object_get(prj, "original_budget"));
    add_money(out, "budget", json_object_get(prj, "budget"));
    add_money(out, "approved_change_cost", json_object_get(prj, "approved_change_cost"));
    /* the share of the agreed budget that approved changes added: 0.15 is 15 % more work than agreed */
    int64_t base = 0, added = 0;
    const char *ob = json_string_value(json_object_get(prj, "original_budget"));
    strbuf_adds(out, ",\"scope_growth\":");
    if (ob && !money_parse(ob, &base) && base != 0 &&
        !money_parse(json_string_value(json_object_get(prj, "approved_change_cost")), &added))
        strbuf_addf(out, "%.6g", (double)added / (double)base);
    else
        strbuf_adds(out, "null");
    static const char *const dates[] = {"original_due_date", "due_date"};
    for (int i = 0; i < 2; i++) {
        strbuf_addf(out, ",\"%s\":", dates[i]);
        strbuf_add_json_str(out, json_string_value(json_object_get(prj, dates[i])));
    }
    strbuf_addf(out, ",\"days_added\":%lld",
                (long long)json_integer_value(json_object_get(prj, "approved_change_days")));

    int64_t v[8];
    static const char *const cr_names[] = {"proposed", "approved", "rejected", NULL, NULL, NULL};
    strbuf_adds(out, ",\"change_requests\":{");
    int rc = aggregate(d, who,
                       "SELECT " COUNT_IF("status = 'proposed'") ", " COUNT_IF("status = 'approved'") ", "
                       COUNT_IF("status = 'rejected'") ", " SUM_IF("status = 'approved'", "impact_cost") ", "
                       SUM_IF("status = 'approved'", "impact_days") ", " SUM_IF("status = 'proposed'", "impact_cost")
                       " FROM change_requests WHERE workspace_id = ? AND project_id = ?",
                       id, NULL, cr_names, 6, v, out, e);
    if (rc < 0)
        return rc;
    add_cents(out, "approved_cost", v[3]);
    strbuf_addf(out, ",\"approved_days\":%lld", (long long)v[4]);
    add_cents(out, "pending_cost", v[5]);
    if ((rc = records(d, who, entity_by_name("change_requests"), "r.created_at, r.id", id, out, e)) < 0)
        return rc;

    /* delivered on time: handed over on or before its due date (or with none); overdue: not yet
     * delivered and past due today */
    static const char *const dlv_names[] = {"total", "todo", "in_progress", "delivered", "accepted",
                                            "on_time", "late", "overdue"};
    strbuf_adds(out, "},\"deliverables\":{");
    rc = aggregate(d, who,
                   "SELECT COUNT(*), " COUNT_IF("status = 'todo'") ", " COUNT_IF("status = 'in_progress'") ", "
                   COUNT_IF("status = 'delivered'") ", " COUNT_IF("status = 'accepted'") ", "
                   COUNT_IF("delivered_at IS NOT NULL AND (due_date IS NULL OR SUBSTR(delivered_at, 1, 10) <= due_date)")
                   ", " COUNT_IF("delivered_at IS NOT NULL AND SUBSTR(delivered_at, 1, 10) > due_date") ", "
                   COUNT_IF("delivered_at IS NULL AND due_date < ?")
                   " FROM deliverables WHERE workspace_id = ? AND project_id = ?",
                   id, today, dlv_names, 8, v, out, e);
    if (rc < 0)
        return rc;
    static const char *const ms_names[] = {"total", "reached", "overdue"};
    strbuf_adds(out, "},\"milestones\":{");
    rc = aggregate(d, who,
                   "SELECT COUNT(*), " COUNT_IF("reached_on IS NOT NULL") ", "
                   COUNT_IF("reached_on IS NULL AND due_date < ?")
                   " FROM milestones WHERE workspace_id = ? AND project_id = ?",
                   id, today, ms_names, 3, v, out, e);
    if (rc < 0)
        return rc;
    /* undated milestones last, on both backends */
    rc = records(d, who, entity_by_name("milestones"),
                 "CASE WHEN r.due_date IS NULL THEN 1 ELSE 0 END, r.due_date, r.created_at, r.id", id, out, e);
    strbuf_adds(out, "}}");
    return rc;
}

int project_scope(db *d, const actor *who, const char *id, strbuf *out, err_t *e)
{
    int snapshot = db_read_begin(d);
    strbuf rec = STRBUF_INIT;
    int rc = record_get(d, who, entity_by_name("projects"), id, &rec, e);
    /* the report counts and lists these; the project's rows are its client's, so its scope is theirs */
    static const char *const parts[] = {"change_requests", "deliverables", "milestones"};
    for (int i = 0; rc == 0 && i < 3; i++)
        rc = access_check(who, entity_by_name(parts[i]), OP_LIST, NULL, e);
    json_t *prj = rc == 0 ? json_loads(rec.buf, 0, NULL) : NULL;
    strbuf_release(&rec);
    if (rc == 0 && !prj)
        rc = err_set(e, E_INTERNAL, NULL, "the project could not be read back");
    size_t start = out->len;
    if (rc == 0 && (rc = report(d, who, id, prj, out, e)) < 0)
        strbuf_truncate(out, start);
    if (snapshot)
        db_read_end(d);
    json_decref(prj);
    return rc;
}
