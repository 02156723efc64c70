/* checkins: the communication protocol's promise kept — a check-in falls due when a client's last
 * outbound update (a call, email, meeting or message we sent; notes do not count) is older than its
 * cadence. Counted from the start of the relationship when nothing was ever sent (see lifecycle.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "core/practice/lifecycle.h"

/* The next update is due one cadence after the last: weeks in days, months on the calendar (the 31st
 * becomes the month's last day), as people read "monthly". Shared with the health score (lifecycle.h). */
int64_t checkin_add_cadence(int64_t t, const char *cadence)
{
    if (!strcmp(cadence, "weekly"))
        return t + 7 * 86400;
    if (!strcmp(cadence, "biweekly"))
        return t + 14 * 86400;
    int months = !strcmp(cadence, "monthly") ? 1 : !strcmp(cadence, "quarterly") ? 3 : 0;
    if (!months)
        return INT64_MAX;
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    int mday = tm.tm_mday;
    tm.tm_mon += months;
    tm.tm_mday = 1;
    time_t first = timegm(&tm); /* normalises the month and year */
    gmtime_r(&first, &tm);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = tm.tm_year + 1900, last = days[tm.tm_mon] + (tm.tm_mon == 1 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
    tm.tm_mday = mday < last ? mday : last;
    return (int64_t)timegm(&tm);
}

typedef struct due {
    int64_t due_at;
    char *json;
} due;

static int most_overdue_first(const void *a, const void *b)
{
    const due *x = a, *y = b;
    return x->due_at < y->due_at ? -1 : x->due_at > y->due_at;
}

int checkins_due(db *d, const actor *who, const char *owner_id, int limit, strbuf *out, err_t *e)
{
    if (limit < 1 || limit > 1000)
        return err_set(e, E_INVALID_PARAMETER, "limit", "limit must be 1 to 1000");
    /* the newest outbound update per client walks the (client_id, occurred_at) index backwards */
    db_stmt *s;
    int rc = db_prepare(d,
                        "SELECT c.id, c.name, c.cadence, COALESCE(c.started_at, c.created_at), c.owner_id, "
                        "c.preferred_channel, c.channels, (SELECT MAX(i.occurred_at) FROM interactions i "
                        "WHERE i.client_id = c.id AND " CHECKIN_UPDATE_SQL ") "
                        "FROM clients c WHERE c.workspace_id = ? AND c.stage = 'active' AND c.cadence <> 'none' "
                        "AND (CAST(? AS TEXT) IS NULL OR c.owner_id = ? OR c.owner_id IS NULL)",
                        &s, e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, who->workspace_id);
    db_bind_text(s, 2, owner_id);
    db_bind_text(s, 3, owner_id);
    int64_t now = clock_now();
    due *list = NULL;
    size_t n = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        const char *cadence = db_col_text(s, 2, NULL), *last = db_col_text(s, 7, NULL);
        int64_t from;
        if (clock_parse(last ? last : db_col_text(s, 3, NULL), &from))
            continue;
        int64_t at = checkin_add_cadence(from, cadence);
        if (at > now)
            continue;
        json_t *channels = json_loads(db_col_text(s, 6, NULL), 0, NULL);
        const char *channel = json_string_value(json_object_get(channels, "updates"));
        if (!channel)
            channel = db_col_text(s, 5, NULL);
        char due_s[CLOCK_RFC3339_LEN];
        clock_format(at, due_s);
        strbuf j = STRBUF_INIT;
        strbuf_adds(&j, "{\"client_id\":");
        strbuf_add_json_str(&j, db_col_text(s, 0, NULL));
        strbuf_adds(&j, ",\"client_name\":");
        strbuf_add_json_str(&j, db_col_text(s, 1, NULL));
        strbuf_adds(&j, ",\"cadence\":");
        strbuf_add_json_str(&j, cadence);
        strbuf_adds(&j, ",\"last_update_at\":");
        strbuf_add_json_str(&j, last);
        strbuf_adds(&j, ",\"due_at\":");
        strbuf_add_json_str(&j, due_s);
        strbuf_addf(&j, ",\"days_overdue\":%lld,\"channel\":", (long long)((now - at) / 86400));
        strbuf_add_json_str(&j, channel);
        strbuf_adds(&j, ",\"owner_id\":");
        strbuf_add_json_str(&j, db_col_text(s, 4, NULL));
        strbuf_addc(&j, '}');
        json_decref(channels);
        due *grown = realloc(list, (n + 1) * sizeof *list);
        if (!grown) {
            strbuf_release(&j);
            rc = err_set(e, E_INTERNAL, NULL, "out of memory");
            break;
        }
        list = grown;
        list[n].due_at = at;
        list[n++].json = strbuf_detach(&j, NULL);
    }
    db_finalize(s);
    if (rc >= 0) {
        rc = 0;
        if (n > 1) /* qsort wants a non-NULL pointer even for none (a user with no check-ins due) */
            qsort(list, n, sizeof *list, most_overdue_first);
        strbuf_adds(out, "{\"data\":[");
        for (size_t i = 0; i < n && (int)i < limit; i++) {
            if (i)
                strbuf_addc(out, ',');
            strbuf_adds(out, list[i].json);
        }
        strbuf_addf(out, "],\"total\":%zu}", n);
    }
    for (size_t i = 0; i < n; i++)
        free(list[i].json);
    free(list);
    return rc;
}
