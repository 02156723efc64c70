/* checkins: the communication protocol's promise kept — a check-in falls due when a client's last
 * outbound update (a call, email, meeting or message we sent; notes do not count) is older than its
 * cadence. Counted from the start of the relationship when nothing was ever sent (see lifecycle.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "core/access/access.h"
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
    char *json; /* the entry's members without its closing brace: last_inbound_at comes last */
    char client_id[ID_MAX];
    char *last_inbound_at;
} due;

static int most_overdue_first(const void *a, const void *b)
{
    const due *x = a, *y = b;
    return x->due_at < y->due_at ? -1 : x->due_at > y->due_at;
}

static size_t shown_count(size_t n, int limit) { return n < (size_t)limit ? n : (size_t)limit; }

typedef struct inbound_ctx {
    due *list;
    size_t n;
} inbound_ctx;

static void inbound_row(void *ctx, db_stmt *s)
{
    inbound_ctx *c = ctx;
    const char *id = db_col_text(s, 0, NULL), *at = db_col_type(s, 1) == DB_NULL ? NULL : db_col_text(s, 1, NULL);
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->list[i].client_id, id) && at && !c->list[i].last_inbound_at)
            c->list[i].last_inbound_at = strdup(at);
}

/* When each listed client last reached us (anything inbound), for the clients shown only: one query, each
 * client's newest inbound found by walking its (client_id, occurred_at, direction, type) index backwards
 * to the first inbound. A MAX(...) GROUP BY over the clients' interactions let the planner pick the
 * (client_id, needs_summary) index and look up every interaction's row for its direction: 300 ms for 200
 * clients of 100,000 interactions, now a few. The workspace is compared as an expression so the planner
 * starts from the listed ids, not from every client of the workspace. */
static int last_inbound(db *d, const actor *who, due *list, size_t n, err_t *e)
{
    if (!n)
        return 0;
    const char **args = calloc(n + 1, sizeof *args);
    if (!args)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, "SELECT c.id, (SELECT i.occurred_at FROM interactions i WHERE i.client_id = c.id AND "
                      "i.direction = 'inbound' ORDER BY i.occurred_at DESC LIMIT 1) FROM clients c "
                      "WHERE c.workspace_id || '' = ? AND c.id IN (");
    args[0] = who->workspace_id;
    for (size_t i = 0; i < n; i++) {
        strbuf_adds(&sql, i ? ",?" : "?");
        args[i + 1] = list[i].client_id;
    }
    strbuf_adds(&sql, ")");
    inbound_ctx ctx = {list, n};
    int rc = db_query_each(d, e, sql.buf, (int)n + 1, args, inbound_row, &ctx);
    strbuf_release(&sql);
    free(args);
    return rc;
}

int checkins_due(db *d, const actor *who, const char *owner_id, int limit, strbuf *out, err_t *e)
{
    if (limit < 1 || limit > 1000)
        return err_set(e, E_INVALID_PARAMETER, "limit", "limit must be 1 to 1000");
    /* made of clients and their interactions: the actor reads both, and only the clients it may see */
    const entity *clients = entity_by_name("clients");
    int rc = access_check(who, clients, OP_LIST, NULL, e);
    if (rc == 0)
        rc = access_check(who, entity_by_name("interactions"), OP_LIST, NULL, e);
    if (rc)
        return rc;
    /* the newest outbound update per client walks the (client_id, occurred_at) index backwards */
    strbuf sql = STRBUF_INIT;
    const char *scope_args[ACCESS_SCOPE_MAX];
    strbuf_adds(&sql, "SELECT c.id, c.name, c.cadence, COALESCE(c.started_at, c.created_at), c.owner_id, "
                      "c.preferred_channel, c.channels, (SELECT MAX(i.occurred_at) FROM interactions i "
                      "WHERE i.client_id = c.id AND " CHECKIN_UPDATE_SQL ") "
                      "FROM clients c WHERE c.workspace_id = ? AND c.stage = 'active' AND c.cadence <> 'none' "
                      "AND (CAST(? AS TEXT) IS NULL OR c.owner_id = ? OR c.owner_id IS NULL)");
    int nscope = access_scope_sql(who, clients, "c", &sql, scope_args);
    db_stmt *s;
    rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, who->workspace_id);
    db_bind_text(s, 2, owner_id);
    db_bind_text(s, 3, owner_id);
    for (int i = 0; i < nscope; i++)
        db_bind_text(s, 4 + i, scope_args[i]);
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
        strbuf_adds(&j, "{\"kind\":\"check_in\",\"client_id\":");
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
        /* when nothing was ever sent, the clock ran from here: "no update from us since ..." */
        strbuf_adds(&j, ",\"client_since\":");
        strbuf_add_json_str(&j, db_col_text(s, 3, NULL));
        json_decref(channels);
        due *grown = realloc(list, (n + 1) * sizeof *list);
        if (!grown) {
            strbuf_release(&j);
            rc = err_set(e, E_INTERNAL, NULL, "out of memory");
            break;
        }
        list = grown;
        list[n].due_at = at;
        list[n].last_inbound_at = NULL;
        snprintf(list[n].client_id, sizeof list[n].client_id, "%s", db_col_text(s, 0, NULL));
        list[n++].json = strbuf_detach(&j, NULL);
    }
    db_finalize(s);
    if (rc >= 0) {
        if (n) /* qsort may not be given NULL, even for nothing */
            qsort(list, n, sizeof *list, most_overdue_first);
        rc = last_inbound(d, who, list, shown_count(n, limit), e);
    }
    if (rc >= 0) {
        strbuf_adds(out, "{\"data\":[");
        for (size_t i = 0; i < shown_count(n, limit); i++) {
            if (i)
                strbuf_addc(out, ',');
            strbuf_adds(out, list[i].json);
            strbuf_adds(out, ",\"last_inbound_at\":");
            strbuf_add_json_str(out, list[i].last_inbound_at);
            strbuf_addc(out, '}');
        }
        strbuf_addf(out, "],\"total\":%zu}", n);
    }
    for (size_t i = 0; i < n; i++)
        free(list[i].json), free(list[i].last_inbound_at);
    free(list);
    return rc;
}
