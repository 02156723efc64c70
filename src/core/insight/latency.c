/* latency: reply times from the interaction log (see latency.h). */
#include "core/insight/latency.h"

#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/idmap.h"
#include "core/access/access.h"
#include "core/engine/record.h"
#include "core/practice/sla.h"

#define DAY 86400

void client_scope_init(client_scope *cs, const char *workspace_id, const char *client_id, const char *owner_id)
{
    memset(cs, 0, sizeof *cs);
    cs->args[cs->nargs++] = workspace_id;
    if (client_id)
        cs->args[cs->nargs++] = client_id;
    if (owner_id)
        cs->args[cs->nargs++] = owner_id;
    snprintf(cs->where, sizeof cs->where, "c.workspace_id = ?%s%s",
             client_id ? " AND c.id = ?" : " AND c.stage = 'active'", owner_id ? " AND c.owner_id = ?" : "");
}

void client_scope_active_at(client_scope *cs, const char *workspace_id, const char *at)
{
    memset(cs, 0, sizeof *cs);
    cs->args[cs->nargs++] = workspace_id;
    cs->args[cs->nargs++] = at;
    cs->args[cs->nargs++] = at;
    snprintf(cs->where, sizeof cs->where,
             "c.workspace_id = ? AND c.started_at <= ? AND (c.ended_at IS NULL OR c.ended_at > ?)");
}

void client_scope_ids(client_scope *cs, const char *workspace_id, char *const *ids, size_t n)
{
    memset(cs, 0, sizeof *cs);
    cs->listed = 1;
    cs->args[cs->nargs++] = workspace_id;
    size_t k = (size_t)snprintf(cs->where, sizeof cs->where, "c.workspace_id = ? AND c.id IN (");
    for (size_t i = 0; i < n && i < CLIENT_SCOPE_MAX_IDS; i++) {
        cs->args[cs->nargs++] = ids[i];
        k += (size_t)snprintf(cs->where + k, sizeof cs->where - k, i ? ",?" : "?");
    }
    snprintf(cs->where + k, sizeof cs->where - k, n ? ")" : "NULL)");
}

void client_scope_unsettled(client_scope *cs, const char *workspace_id, char *const *ids, size_t n)
{
    memset(cs, 0, sizeof *cs);
    cs->args[cs->nargs++] = workspace_id;
    size_t k = (size_t)snprintf(cs->where, sizeof cs->where,
                                "c.workspace_id = ? AND c.stage = 'active' AND (c.health_band IS NULL OR "
                                "c.health_band <> 'healthy' OR c.id IN (");
    for (size_t i = 0; i < n && i < CLIENT_SCOPE_MAX_IDS; i++) {
        cs->args[cs->nargs++] = ids[i];
        k += (size_t)snprintf(cs->where + k, sizeof cs->where - k, i ? ",?" : "?");
    }
    snprintf(cs->where + k, sizeof cs->where - k, n ? "))" : "NULL))");
}

/* One reply time; which = 0 theirs recent, 1 theirs baseline, 2 ours recent, 3 ours baseline, 4 theirs to
 * an update in the test window, 5 the same before it. Kept in one flat array and grouped once by counting
 * (key = slot * LAT_KEYS + which), so medians need no per-client allocation and no sort of the whole
 * array. */
enum { LAT_TEST = 4, LAT_BEFORE = 5, LAT_KEYS = 6 };

typedef struct sample {
    size_t key;
    double hours;
} sample;

typedef struct samples {
    sample *v;
    size_t n, cap;
} samples;

static int push(samples *s, size_t key, double hours)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        sample *grown = realloc(s->v, cap * sizeof *grown);
        if (!grown)
            return -1;
        s->v = grown;
        s->cap = cap;
    }
    s->v[s->n++] = (sample){key, hours};
    return 0;
}

static int by_hours(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Fills each (slot, which)'s median and count from the samples, and each slot's test: the replies to
 * our updates before the test window, their 90th percentile, and how many in the window were slower. */
static int medians(const samples *all, size_t nkeys, latency_stats *out)
{
    size_t *start = calloc(nkeys + 1, sizeof *start);
    double *h = malloc((all->n ? all->n : 1) * sizeof *h);
    if (!start || !h) {
        free(start);
        free(h);
        return -1;
    }
    for (size_t i = 0; i < all->n; i++)
        start[all->v[i].key + 1]++;
    for (size_t k = 0; k < nkeys; k++)
        start[k + 1] += start[k];
    for (size_t i = 0; i < all->n; i++) /* start[key] walks to the group's end; rewound below */
        h[start[all->v[i].key]++] = all->v[i].hours;
    for (size_t k = nkeys; k > 0; k--)
        start[k] = start[k - 1];
    start[0] = 0;
    for (size_t k = 0; k < nkeys; k++) {
        size_t from = start[k], n = start[k + 1] - from;
        if (!n)
            continue;
        qsort(h + from, n, sizeof *h, by_hours);
        if (k % LAT_KEYS >= LAT_TEST)
            continue;
        double med = n % 2 ? h[from + n / 2] : (h[from + n / 2 - 1] + h[from + n / 2]) / 2;
        latency_stats *st = &out[k / LAT_KEYS];
        latency_side *side[] = {&st->theirs_recent, &st->theirs_baseline, &st->ours_recent, &st->ours_baseline};
        side[k % LAT_KEYS]->median_hours = med;
        side[k % LAT_KEYS]->samples = (int)n;
    }
    for (size_t slot = 0; slot < nkeys / LAT_KEYS; slot++) {
        size_t t = slot * LAT_KEYS + LAT_TEST, b = slot * LAT_KEYS + LAT_BEFORE;
        size_t nt = start[t + 1] - start[t], nb = start[b + 1] - start[b];
        latency_stats *st = &out[slot];
        st->test_replies = (int)nt;
        st->before_replies = (int)nb;
        if (!nb)
            continue;
        st->before_p90 = h[start[b] + (9 * nb + 9) / 10 - 1]; /* nearest rank: ceil(0.9 n) */
        for (size_t i = start[t]; i < start[t + 1]; i++)
            st->test_slow += h[i] > st->before_p90;
    }
    free(start);
    free(h);
    return 0;
}

/* One interaction with a direction, its client as an index into ids. */
typedef struct event {
    int64_t t;
    unsigned client, inbound;
} event;

/* Each client's events together, each client's in time order (inbound first at the same instant, so
 * the order never depends on the plan): a counting sort by client, then insertion sorts, since rows
 * mostly come in time order within a client already. Returns the sorted copy, start[] the groups. */
static event *group_by_client(const event *ev, size_t nev, size_t n, size_t *start)
{
    event *out = malloc((nev ? nev : 1) * sizeof *out);
    if (!out)
        return NULL;
    memset(start, 0, (n + 1) * sizeof *start);
    for (size_t i = 0; i < nev; i++)
        start[ev[i].client + 1]++;
    for (size_t c = 0; c < n; c++)
        start[c + 1] += start[c];
    size_t *fill = malloc((n ? n : 1) * sizeof *fill);
    if (!fill) {
        free(out);
        return NULL;
    }
    memcpy(fill, start, n * sizeof *fill);
    for (size_t i = 0; i < nev; i++)
        out[fill[ev[i].client]++] = ev[i];
    free(fill);
    for (size_t c = 0; c < n; c++)
        for (size_t i = start[c] + 1; i < start[c + 1]; i++) {
            event x = out[i];
            size_t j = i;
            while (j > start[c] && (out[j - 1].t > x.t || (out[j - 1].t == x.t && !out[j - 1].inbound && x.inbound))) {
                out[j] = out[j - 1];
                j--;
            }
            out[j] = x;
        }
    return out;
}

/* Pending unanswered runs in one view: when our first unanswered message went out, and theirs; and our
 * first unanswered update. */
typedef struct pending {
    int64_t ours_since, theirs_since, update_since; /* 0: nothing waiting */
} pending;

/* Walks one client's events (time order) through every view, adding reply samples and counts. Each
 * outbound message is an update unless it answers, within opts->answer_hours, a message the client
 * raised (one that did not reply to an update of ours): that is decided once per message from what came
 * before it, whatever the view. */
static int walk_client(const bizcal *cal, const event *ev, size_t nev, size_t c, size_t n, const int64_t *as_of,
                       int nviews, const latency_opts *opts, latency_stats *out, samples *all)
{
    pending wait[LATENCY_MAX_VIEWS] = {{0}};
    int64_t raised = 0;     /* the client's message that raised something, not yet answered */
    int update_waiting = 0; /* an update of ours not yet replied to */
    for (size_t k = 0; k < nev; k++) {
        int64_t t = ev[k].t;
        int inbound = (int)ev[k].inbound, update = 0;
        if (inbound) {
            if (!update_waiting && !raised)
                raised = t;
            update_waiting = 0;
        } else {
            update = !(raised && opts->answer_hours > 0 &&
                       (double)bizhours_between(cal, raised, t) <= opts->answer_hours * 3600.0);
            raised = 0;
            update_waiting |= update;
        }
        int64_t measured_from = -1, update_from = -1; /* the views mostly wait since the same message */
        double measured = 0, update_measured = 0;
        for (int v = 0; v < nviews; v++) {
            int64_t start = as_of[v] - (int64_t)(LATENCY_RECENT_DAYS + LATENCY_BASELINE_DAYS) * DAY;
            if (t < start || t >= as_of[v])
                continue;
            size_t slot = (size_t)v * n + c;
            int recent = t >= as_of[v] - (int64_t)LATENCY_RECENT_DAYS * DAY,
                tested = t >= as_of[v] - (int64_t)opts->test_days * DAY;
            latency_stats *st = &out[slot];
            if (!inbound) {
                st->last_outbound = t;
                if (update)
                    st->last_update = t;
            } else {
                st->last_inbound = t;
                if (tested)
                    st->test_inbound++;
                else
                    st->before_inbound++;
            }
            if (recent) {
                st->recent_count++;
                st->recent_inbound += inbound;
            } else {
                st->baseline_count++;
                st->baseline_inbound += inbound;
            }
            pending *p = &wait[v];
            /* an inbound answers our waiting run (their reply); an outbound answers theirs (ours) */
            int64_t *answered = inbound ? &p->ours_since : &p->theirs_since;
            int64_t *mine = inbound ? &p->theirs_since : &p->ours_since;
            if (*answered) {
                if (*answered != measured_from) {
                    measured_from = *answered;
                    measured = (double)bizhours_between(cal, *answered, t) / 3600.0;
                }
                if (push(all, slot * LAT_KEYS + (size_t)((inbound ? 0 : 2) + !recent), measured) < 0)
                    return -1;
                *answered = 0;
            }
            if (!*mine)
                *mine = t;
            /* the client's reply to our first unanswered update, for the test */
            if (inbound && p->update_since) {
                if (p->update_since != update_from) {
                    update_from = p->update_since;
                    update_measured = (double)bizhours_between(cal, p->update_since, t) / 3600.0;
                }
                if (push(all, slot * LAT_KEYS + (size_t)(tested ? LAT_TEST : LAT_BEFORE), update_measured) < 0)
                    return -1;
                p->update_since = 0;
            } else if (update && !p->update_since)
                p->update_since = t;
        }
    }
    return 0;
}

static int push_event(event **ev, size_t *nev, size_t *cap, event x)
{
    if (*nev == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 4096;
        event *grown = realloc(*ev, grown_cap * sizeof *grown);
        if (!grown)
            return -1;
        *ev = grown;
        *cap = grown_cap;
    }
    (*ev)[(*nev)++] = x;
    return 0;
}

int latency_collect(db *d, const bizcal *cal, const client_scope *scope, char *const *ids, size_t n,
                    const int64_t *as_of, int nviews, const latency_opts *opts, latency_stats *out, err_t *e)
{
    static const latency_opts plain = {0, LATENCY_RECENT_DAYS};
    if (!opts)
        opts = &plain;
    memset(out, 0, (size_t)nviews * n * sizeof *out);
    if (!n)
        return 0;
    if (nviews > LATENCY_MAX_VIEWS)
        return err_set(e, E_INTERNAL, NULL, "too many views");
    int64_t lo = as_of[0], hi = as_of[0];
    for (int v = 1; v < nviews; v++) {
        lo = as_of[v] < lo ? as_of[v] : lo;
        hi = as_of[v] > hi ? as_of[v] : hi;
    }
    char from[CLOCK_RFC3339_LEN], to[CLOCK_RFC3339_LEN];
    clock_format(lo - (int64_t)(LATENCY_RECENT_DAYS + LATENCY_BASELINE_DAYS) * DAY, from);
    clock_format(hi, to);
    /* no ORDER BY: the plan is free to seek client by client (SQLite) or hash-join (PostgreSQL); the
     * order the walk needs is made in C, per client, which costs less than any sort of the whole */
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql,
                "SELECT i.client_id, i.occurred_at, i.direction FROM clients c JOIN interactions i ON i.client_id = c.id "
                "WHERE %s AND i.occurred_at >= ? AND i.occurred_at < ? AND i.direction IS NOT NULL AND i.type <> 'note'",
                scope->where);
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    int b = 1;
    for (int i = 0; i < scope->nargs; i++)
        db_bind_text(s, b++, scope->args[i]);
    db_bind_text(s, b++, from);
    db_bind_text(s, b++, to);
    idmap map;
    event *ev = NULL;
    size_t nev = 0, cap = 0;
    if (idmap_build(&map, (const char *const *)ids, n) < 0) {
        db_finalize(s);
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    }
    long c = -1;
    while ((rc = db_step(s, e)) == DB_ROW) {
        /* a client's rows mostly come together (the join seeks client by client): hash only on a change */
        const char *id = db_col_text(s, 0, NULL);
        if (c < 0 || strcmp(ids[c], id))
            c = idmap_find(&map, id);
        int64_t t;
        if (c < 0 || clock_parse(db_col_text(s, 1, NULL), &t))
            continue;
        event x = {t, (unsigned)c, !strcmp(db_col_text(s, 2, NULL), "inbound")};
        if (push_event(&ev, &nev, &cap, x) < 0) {
            rc = err_set(e, E_INTERNAL, NULL, "out of memory");
            break;
        }
    }
    db_finalize(s);
    idmap_release(&map);
    size_t *start = rc < 0 ? NULL : malloc((n + 1) * sizeof *start);
    event *grouped = start ? group_by_client(ev, nev, n, start) : NULL;
    free(ev);
    samples all = {0};
    if (rc >= 0 && !grouped)
        rc = err_set(e, E_INTERNAL, NULL, "out of memory");
    for (size_t k = 0; rc >= 0 && k < n; k++)
        if (walk_client(cal, grouped + start[k], start[k + 1] - start[k], k, n, as_of, nviews, opts, out, &all) < 0)
            rc = err_set(e, E_INTERNAL, NULL, "out of memory");
    free(grouped);
    free(start);
    if (rc >= 0 && medians(&all, (size_t)nviews * n * LAT_KEYS, out) < 0)
        rc = err_set(e, E_INTERNAL, NULL, "out of memory");
    free(all.v);
    return rc < 0 ? rc : 0;
}

static void side_json(strbuf *out, const char *key, const latency_side *recent, const latency_side *base)
{
    strbuf_addf(out, "\"%s\":{", key);
    const latency_side *w[] = {recent, base};
    for (int i = 0; i < 2; i++) {
        strbuf_addf(out, "%s\"%s\":{\"median_hours\":", i ? "," : "", i ? "baseline" : "recent");
        if (w[i]->samples)
            strbuf_addf(out, "%.1f", w[i]->median_hours);
        else
            strbuf_adds(out, "null");
        strbuf_addf(out, ",\"replies\":%d}", w[i]->samples);
    }
    strbuf_addc(out, '}');
}

int latency_client(db *d, const actor *who, const char *client_id, int64_t as_of, strbuf *out, err_t *e)
{
    int rc = access_whole(who, entity_by_name("interactions"), OP_LIST, e);
    if (rc)
        return rc;
    db_stmt *s;
    const char *args[] = {who->workspace_id, client_id};
    rc = db_query_row(d, &s, e, "SELECT id FROM clients WHERE workspace_id = ? AND id = ?", 2, args);
    if (rc < 0)
        return rc;
    if (rc == DB_DONE)
        return err_set(e, E_NOT_FOUND, "id", "no client %.60s", client_id);
    db_finalize(s);
    bizcal cal;
    if ((rc = sla_calendar(d, who, &cal, e)) < 0)
        return rc;
    latency_stats st;
    char *ids[] = {(char *)client_id};
    client_scope scope;
    client_scope_init(&scope, who->workspace_id, client_id, NULL);
    rc = latency_collect(d, &cal, &scope, ids, 1, &as_of, 1, NULL, &st, e);
    bizcal_release(&cal);
    if (rc < 0)
        return rc;
    char at[CLOCK_RFC3339_LEN];
    clock_format(as_of, at);
    strbuf_adds(out, "{\"client_id\":");
    strbuf_add_json_str(out, client_id);
    strbuf_adds(out, ",\"as_of\":");
    strbuf_add_json_str(out, at);
    strbuf_addf(out, ",\"unit\":\"business_hours\",\"recent_days\":%d,\"baseline_days\":%d,", LATENCY_RECENT_DAYS,
                LATENCY_BASELINE_DAYS);
    side_json(out, "theirs", &st.theirs_recent, &st.theirs_baseline);
    strbuf_addc(out, ',');
    side_json(out, "ours", &st.ours_recent, &st.ours_baseline);
    strbuf_addf(out, ",\"interactions\":{\"recent\":%d,\"baseline\":%d}}", st.recent_count, st.baseline_count);
    return 0;
}
