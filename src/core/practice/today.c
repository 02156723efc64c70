/* today: what needs doing today, for one person or the whole firm — overdue tasks, tasks due today (in
 * the workspace's time zone), check-ins due, and conversations still without a summary (see lifecycle.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/tz.h"
#include "core/access/access.h"
#include "core/practice/lifecycle.h"
#include "core/engine/record.h"

/* A day's list is for reading: two hundred is more than a day holds. */
static int emit_rows(db *d, const actor *who, const entity *en, const char *where, const char *order,
                     const char *const *args, int nargs, strbuf *out, err_t *e)
{
    return record_emit_where(d, who, en, where, order, 200, args, nargs, out, e);
}

int today_report(db *d, const actor *who, int everyone, strbuf *out, err_t *e)
{
    /* the day is its tasks; the other lists are there when the actor may read them, empty when not */
    int rc = access_check(who, entity_by_name("tasks"), OP_LIST, NULL, e);
    if (rc)
        return rc;
    db_stmt *s;
    const char *wargs[] = {who->workspace_id};
    const tz *zone = NULL;
    if (db_query_row(d, &s, e, "SELECT time_zone FROM workspaces WHERE id = ?", 1, wargs) == DB_ROW) {
        zone = tz_get(db_col_text(s, 0, NULL), e);
        db_finalize(s);
    }
    if (!zone)
        zone = tz_get("UTC", e);
    int64_t now = clock_now(), local = now + tz_offset(zone, now);
    int64_t midnight = local - ((local % 86400) + 86400) % 86400;
    char start[CLOCK_RFC3339_LEN], end[CLOCK_RFC3339_LEN], date[CLOCK_RFC3339_LEN];
    clock_format(tz_local_to_utc(zone, midnight), start);
    clock_format(tz_local_to_utc(zone, midnight + 86400), end);
    clock_format(midnight, date);
    const char *me = everyone ? NULL : who->user_id;
    const entity *tasks = entity_by_name("tasks"), *interactions = entity_by_name("interactions");
    strbuf_addf(out, "{\"date\":\"%.10s\",\"overdue\":", date);
    const char *overdue[] = {start, me, me};
    rc = emit_rows(d, who, tasks, "r.status = 'open' AND r.due_at < ? AND (CAST(? AS TEXT) IS NULL OR r.assignee_id = ?)",
                       "r.due_at, r.id", overdue, 3, out, e);
    const char *due[] = {start, end, me, me};
    if (rc == 0) {
        strbuf_adds(out, ",\"due_today\":");
        rc = emit_rows(d, who, tasks,
                       "r.status = 'open' AND r.due_at >= ? AND r.due_at < ? AND (CAST(? AS TEXT) IS NULL OR r.assignee_id = ?)",
                       "r.due_at, r.id", due, 4, out, e);
    }
    int checkins_readable = access_may(who, entity_by_name("clients"), OP_LIST) &&
                            access_may(who, interactions, OP_LIST);
    if (rc == 0 && !checkins_readable) {
        strbuf_adds(out, ",\"check_ins\":[]");
    } else if (rc == 0) {
        strbuf_adds(out, ",\"check_ins\":");
        strbuf ci = STRBUF_INIT;
        rc = checkins_due(d, who, me, 200, &ci, e);
        json_t *j = rc == 0 ? json_loads(ci.buf, 0, NULL) : NULL;
        char *data = j ? json_dumps(json_object_get(j, "data"), JSON_COMPACT) : NULL;
        strbuf_adds(out, data ? data : "[]");
        free(data);
        json_decref(j);
        strbuf_release(&ci);
    }
    const char *mine[] = {me, me};
    if (rc == 0) {
        strbuf_adds(out, ",\"needs_summary\":");
        rc = emit_rows(d, who, interactions, "r.needs_summary = TRUE AND (CAST(? AS TEXT) IS NULL OR r.created_by = ?)",
                       "r.occurred_at DESC, r.id DESC", mine, 2, out, e);
    }
    if (rc == 0)
        strbuf_addc(out, '}');
    return rc;
}
