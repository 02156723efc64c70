/* latency: reply times from the interaction log (see latency.h). */
#include "latency.h"

#include <stdlib.h>
#include <string.h>

#include "../util/clock.h"
#include "record.h"
#include "sla.h"

#define DAY 86400

long latency_find(char *const *ids, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ids[mid], id);
        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Client ids to their index, by open addressing: one hash and one comparison per interaction row,
 * where binary search over thousands of ids costs a dozen comparisons. */
typedef struct id_index {
    const char *const *ids;
    long *slot; /* index into ids, or -1 */
    size_t mask;
} id_index;

static size_t id_hash(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int index_build(id_index *x, char *const *ids, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    x->ids = (const char *const *)ids;
    x->mask = cap - 1;
    if (!(x->slot = malloc(cap * sizeof *x->slot)))
        return -1;
    for (size_t i = 0; i < cap; i++)
        x->slot[i] = -1;
    for (size_t i = 0; i < n; i++) {
        size_t h = id_hash(ids[i]) & x->mask;
        while (x->slot[h] >= 0)
            h = (h + 1) & x->mask;
        x->slot[h] = (long)i;
    }
    return 0;
}

static long index_find(const id_index *x, const char *id)
{
    for (size_t h = id_hash(id) & x->mask; x->slot[h] >= 0; h = (h + 1) & x->mask)
        if (!strcmp(x->ids[x->slot[h]], id))
            return x->slot[h];
    return -1;
}

/* One reply time; which = 0 theirs recent, 1 theirs baseline, 2 ours recent, 3 ours baseline. Kept in one
 * flat array and grouped once by counting (key = slot * 4 + which), so medians need no per-client
 * allocation and no sort of the whole array. */
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

/* Fills each (slot, which)'s median and count from the samples. */
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
        double med = n % 2 ? h[from + n / 2] : (h[from + n / 2 - 1] + h[from + n / 2]) / 2;
        latency_stats *st = &out[k / 4];
        latency_side *side[] = {&st->theirs_recent, &st->theirs_baseline, &st->ours_recent, &st->ours_baseline};
        side[k % 4]->median_hours = med;
        side[k % 4]->samples = (int)n;
    }
    free(start);
    free(h);
    return 0;
}

/* Pending unanswered runs per (view, client): when our first unanswered message went out, and theirs. */
typedef struct pending {
    int64_t ours_since, theirs_since; /* 0: nothing waiting */
} pending;

int latency_collect(db *d, const actor *who, const bizcal *cal, char *const *ids, size_t n, const char *only_client,
                    const int64_t *as_of, int nviews, latency_stats *out, err_t *e)
{
    memset(out, 0, (size_t)nviews * n * sizeof *out);
    if (!n)
        return 0;
    int64_t lo = as_of[0], hi = as_of[0];
    for (int v = 1; v < nviews; v++) {
        lo = as_of[v] < lo ? as_of[v] : lo;
        hi = as_of[v] > hi ? as_of[v] : hi;
    }
    char from[CLOCK_RFC3339_LEN], to[CLOCK_RFC3339_LEN];
    clock_format(lo - (int64_t)(LATENCY_RECENT_DAYS + LATENCY_BASELINE_DAYS) * DAY, from);
    clock_format(hi, to);
    /* ordered by time alone, so an index serves both the range and the order: for every client the
     * covering (workspace_id, occurred_at, client_id, direction, type) one (migration 4); for one client
     * (client_id, occurred_at) — without workspace_id, which would lure the planner to the wider index;
     * the caller has checked the client is the workspace's */
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, "SELECT client_id, occurred_at, direction FROM interactions WHERE ");
    strbuf_adds(&sql, only_client ? "client_id = ?" : "workspace_id = ?");
    strbuf_adds(&sql, " AND occurred_at >= ? AND occurred_at < ? AND direction IS NOT NULL AND type <> 'note' "
                      "ORDER BY occurred_at");
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    int b = 1;
    db_bind_text(s, b++, only_client ? only_client : who->workspace_id);
    db_bind_text(s, b++, from);
    db_bind_text(s, b++, to);
    pending *wait = calloc((size_t)nviews * n, sizeof *wait);
    samples all = {0};
    id_index idx = {0};
    if (!wait || index_build(&idx, ids, n) < 0) {
        free(wait);
        free(idx.slot);
        db_finalize(s);
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    }
    while ((rc = db_step(s, e)) == DB_ROW) {
        long c = index_find(&idx, db_col_text(s, 0, NULL));
        int64_t t;
        if (c < 0 || clock_parse(db_col_text(s, 1, NULL), &t))
            continue;
        int inbound = !strcmp(db_col_text(s, 2, NULL), "inbound");
        int64_t measured_from = -1; /* the views mostly wait since the same message: measure it once */
        double measured = 0;
        for (int v = 0; v < nviews; v++) {
            int64_t start = as_of[v] - (int64_t)(LATENCY_RECENT_DAYS + LATENCY_BASELINE_DAYS) * DAY;
            if (t < start || t >= as_of[v])
                continue;
            size_t slot = (size_t)v * n + (size_t)c;
            int recent = t >= as_of[v] - (int64_t)LATENCY_RECENT_DAYS * DAY;
            latency_stats *st = &out[slot];
            if (!inbound)
                st->last_outbound = t;
            if (recent)
                st->recent_count++;
            else
                st->baseline_count++;
            pending *p = &wait[slot];
            /* an inbound answers our waiting run (their reply); an outbound answers theirs (ours) */
            int64_t *answered = inbound ? &p->ours_since : &p->theirs_since;
            int64_t *mine = inbound ? &p->theirs_since : &p->ours_since;
            if (*answered) {
                if (*answered != measured_from) {
                    measured_from = *answered;
                    measured = (double)bizhours_between(cal, *answered, t) / 3600.0;
                }
                double h = measured;
                if (push(&all, slot * 4 + (size_t)((inbound ? 0 : 2) + !recent), h) < 0) {
                    rc = err_set(e, E_INTERNAL, NULL, "out of memory");
                    break;
                }
                *answered = 0;
            }
            if (!*mine)
                *mine = t;
        }
        if (rc < 0)
            break;
    }
    db_finalize(s);
    free(wait);
    free(idx.slot);
    if (rc >= 0 && medians(&all, (size_t)nviews * n * 4, out) < 0)
        rc = err_set(e, E_INTERNAL, NULL, "out of memory");
    free(all.v);
    return rc;
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
    int rc = record_allowed(who, entity_by_name("interactions"), OP_LIST, e);
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
    rc = latency_collect(d, who, &cal, ids, 1, client_id, &as_of, 1, &st, e);
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
