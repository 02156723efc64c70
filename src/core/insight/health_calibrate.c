/* health_calibrate: how well the health score warns, measured on the workspace's own history (rapport
 * calibrate; docs/health.md "Calibration"). The score is run as of each week of the last `weeks`, over
 * the clients active that week, and compared with what happened next: a client whose ended_at falls in the
 * last 180 days left; one still active that was a client 180 days ago stayed.
 *
 * - leavers: the share flagged at risk at some weekly look in their last 180 days, the share flagged 30
 *   days or more before they left, and how long before (the first flag): median and 10th percentile;
 * - stayers: the share flagged at risk at any weekly look in the last 180 days (false alarms).
 * The story kind (the story-* tag of rapport seed --stories) only splits the figures; it is read after
 * the scoring, never by it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "util/clock.h"
#include "core/bulk/stories.h"
#include "core/engine/record.h"
#include "core/insight/health_impl.h"

#define DAY 86400LL
#define OUTCOME_DAYS 180 /* how far back a departure counts, and how long a stayer is watched */
#define EARLY_DAYS 30    /* a warning this long before leaving is one a firm can act on */

typedef struct who_was {
    char *id;
    int64_t started, ended; /* ended 0: still a client */
    int kind;               /* a story kind, or -1 */
    long first_sign;        /* a leaver's story: days before leaving its drift first showed in its records;
                             * -1: never, or not a story */
    int64_t first_flag;     /* the first weekly look that put it at risk in its outcome window; 0: none */
} who_was;

/* A leaver's drift first seen in its records (stories.c writes the days before leaving): never or under
 * EARLY_DAYS before leaving, nothing any score could see in time; then under 60 days, and 60 or more. */
enum { SIGN_LATE, SIGN_SOON, SIGN_EARLY, SIGN_BUCKETS };
static const char *const sign_bucket_names[SIGN_BUCKETS] = {"never_or_under_30_days", "30_to_59_days",
                                                             "60_days_or_more"};

static int sign_bucket(long days) { return days < EARLY_DAYS ? SIGN_LATE : days < 60 ? SIGN_SOON : SIGN_EARLY; }

static int by_id(const void *a, const void *b) { return strcmp(((const who_was *)a)->id, ((const who_was *)b)->id); }

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* nearest rank (docs/metrics.md): the value at rank ceil(p n / 100) of the sorted values */
static long nearest_rank(const long *v, size_t n, int p)
{
    size_t rank = (size_t)((p * n + 99) / 100);
    return v[rank ? rank - 1 : 0];
}

static int load_book(db *d, const actor *who, who_was **out, size_t *n, err_t *e)
{
    db_stmt *s;
    int rc = db_prepare(d, "SELECT id, started_at, ended_at, tags, custom FROM clients WHERE workspace_id = ? AND "
                           "started_at IS NOT NULL", &s, e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, who->workspace_id);
    size_t cap = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            who_was *grown = realloc(*out, cap * sizeof *grown);
            if (!grown) {
                rc = err_set(e, E_INTERNAL, NULL, "out of memory");
                break;
            }
            *out = grown;
        }
        who_was *c = &(*out)[(*n)++];
        memset(c, 0, sizeof *c);
        c->id = strdup(db_col_text(s, 0, NULL));
        clock_parse(db_col_text(s, 1, NULL), &c->started);
        if (db_col_type(s, 2) != DB_NULL)
            clock_parse(db_col_text(s, 2, NULL), &c->ended);
        const char *tags = db_col_type(s, 3) == DB_NULL ? "" : db_col_text(s, 3, NULL);
        c->kind = -1;
        for (int k = 0; k < STORY_KINDS; k++) {
            char tag[32];
            snprintf(tag, sizeof tag, "\"story-%s\"", story_kind_names[k]);
            if (strstr(tags, tag))
                c->kind = k;
        }
        const char *custom = db_col_type(s, 4) == DB_NULL ? "" : db_col_text(s, 4, NULL),
                   *sign = strstr(custom, "\"story_first_sign_days\":");
        c->first_sign = sign ? strtol(sign + strlen("\"story_first_sign_days\":"), NULL, 10) : -1;
    }
    db_finalize(s);
    if (rc >= 0 && *n)
        qsort(*out, *n, sizeof **out, by_id);
    return rc < 0 ? rc : 0;
}

static int leaver(const who_was *c, int64_t now) { return c->ended && c->ended <= now && c->ended > now - OUTCOME_DAYS * DAY; }
static int stayer(const who_was *c, int64_t now) { return !c->ended && c->started <= now - OUTCOME_DAYS * DAY; }

static const char *const band_names[] = {"healthy", "watch", "at_risk"};

/* The --looks file's header: one row per client and weekly look inside its outcome window. */
static void looks_header(FILE *f)
{
    fputs("client_id,story,outcome,days_before,first_sign_days,band,score,points_score,flags", f);
    for (int k = 0; k < HF_COUNT; k++)
        fprintf(f, ",%s_fraction,%s_flag,%s_data", health_factor_names[k], health_factor_names[k],
                health_factor_names[k]);
    fputs(",test_replies,test_slow,before_replies,test_inbound,before_inbound,days_since_update,"
          "complaint_wait_ratio,deliverables_overdue,feedback_kind,feedback_score,feedback_age_days\n", f);
}

/* One row of the --looks file: what the score saw of client c at t, and how it ended. */
static void looks_row(FILE *f, const who_was *c, const health_set *hs, size_t i, const health_result *r, int64_t t,
                      int64_t now)
{
    const health_client *hc = &hs->c[i];
    const health_view *w = &hc->v[0];
    int left = c->ended != 0;
    fprintf(f, "%s,%s,%s,%ld,%ld,%s,%d,%d,%d", c->id, c->kind >= 0 ? story_kind_names[c->kind] : "",
            left ? "left" : "stayed", (long)(((left ? c->ended : now) - t) / DAY), c->first_sign, band_names[r->band],
            r->score, r->points_score, r->flags);
    for (int k = 0; k < HF_COUNT; k++)
        fprintf(f, ",%.3f,%d,%s", r->fraction[k], r->flagged[k], health_data_names[r->data[k]]);
    int64_t from = w->last_update ? w->last_update : hc->since;
    int64_t fb_on = 0;
    if (w->has_feedback)
        clock_parse_date(w->fb_on, &fb_on);
    fprintf(f, ",%d,%d,%d,%d,%d,%ld,%.2f,%d,%s,", w->lat.test_replies, w->lat.test_slow, w->lat.before_replies,
            w->lat.test_inbound, w->lat.before_inbound, (long)((t - from) / DAY), w->complaint_wait_ratio,
            w->dlv_overdue, w->has_feedback ? w->fb_kind : "");
    if (w->has_feedback)
        fprintf(f, "%d,%ld\n", w->fb_score, (long)((t - fb_on) / DAY));
    else
        fputs(",\n", f);
}

/* One weekly look: everyone active at t scored as of t; the first at-risk look of each client inside its
 * outcome window is kept (looks run oldest first). With `looks`, every look inside a client's window is
 * written there too. */
static int look(db *d, const actor *who, int64_t t, int64_t now, who_was *book, size_t n, FILE *looks, err_t *e)
{
    char at[CLOCK_RFC3339_LEN];
    clock_format(t, at);
    client_scope scope;
    client_scope_active_at(&scope, who->workspace_id, at);
    health_set hs;
    int rc = health_gather_scope(d, who, &scope, t, &hs, e);
    for (size_t i = 0; rc == 0 && i < hs.n; i++) {
        who_was key = {.id = hs.c[i].id}, *c = bsearch(&key, book, n, sizeof *book, by_id);
        if (!c || (c->first_flag && !looks))
            continue;
        int watched = leaver(c, now) ? t >= c->ended - OUTCOME_DAYS * DAY && t < c->ended
                                     : stayer(c, now) && t >= now - OUTCOME_DAYS * DAY;
        if (!watched)
            continue;
        health_result r;
        health_evaluate(&hs, i, 0, &r);
        if (looks)
            looks_row(looks, c, &hs, i, &r, t, now);
        if (r.band == HEALTH_AT_RISK && !c->first_flag)
            c->first_flag = t;
    }
    health_set_release(&hs);
    return rc;
}

int health_calibrate(db *d, const actor *who, int weeks, FILE *looks, strbuf *out, err_t *e)
{
    who_was *book = NULL;
    size_t n = 0;
    int64_t now = clock_now();
    int rc = access_whole(who, entity_by_name("clients"), OP_LIST, e);
    if (rc == 0)
        rc = load_book(d, who, &book, &n, e);
    if (rc == 0 && looks)
        looks_header(looks);
    for (int w = weeks; rc == 0 && w >= 0; w--)
        rc = look(d, who, now - (int64_t)w * 7 * DAY, now, book, n, looks, e);
    long *lead = rc == 0 ? malloc((n ? n : 1) * sizeof *lead) : NULL;
    if (rc == 0 && !lead)
        rc = err_set(e, E_INTERNAL, NULL, "out of memory");
    if (rc == 0) {
        long leavers = 0, flagged = 0, early = 0, stayers = 0, false_alarms = 0;
        long kind_count[STORY_KINDS] = {0}, kind_flagged[STORY_KINDS] = {0};
        /* leavers of the stories by how long before leaving their drift first showed in their records */
        long sign_count[SIGN_BUCKETS] = {0}, sign_early[SIGN_BUCKETS] = {0};
        size_t nlead = 0;
        for (size_t i = 0; i < n; i++) {
            const who_was *c = &book[i];
            if (leaver(c, now)) {
                leavers++;
                int on_time = c->first_flag && c->ended - c->first_flag >= EARLY_DAYS * DAY;
                if (c->first_flag) {
                    flagged++;
                    lead[nlead++] = (long)((c->ended - c->first_flag) / DAY);
                    early += on_time;
                }
                if (c->kind == STORY_LEAVER) {
                    int b = sign_bucket(c->first_sign);
                    sign_count[b]++;
                    sign_early[b] += on_time;
                }
            } else if (stayer(c, now)) {
                stayers++;
                false_alarms += c->first_flag != 0;
            } else
                continue;
            if (c->kind >= 0) {
                kind_count[c->kind]++;
                kind_flagged[c->kind] += c->first_flag != 0;
            }
        }
        qsort(lead, nlead, sizeof *lead, cmp_long);
        char at[CLOCK_RFC3339_LEN];
        clock_format(now, at);
        strbuf_adds(out, "{\"as_of\":");
        strbuf_add_json_str(out, at);
        strbuf_addf(out, ",\"weeks\":%d,\"outcome_days\":%d,\"early_days\":%d", weeks, OUTCOME_DAYS, EARLY_DAYS);
        strbuf_addf(out, ",\"leavers\":{\"count\":%ld,\"flagged\":%ld,\"flagged_early\":%ld", leavers, flagged, early);
        if (leavers)
            strbuf_addf(out, ",\"share_flagged\":%.4f,\"share_flagged_early\":%.4f", (double)flagged / leavers,
                        (double)early / leavers);
        else
            strbuf_adds(out, ",\"share_flagged\":null,\"share_flagged_early\":null");
        if (nlead)
            strbuf_addf(out, ",\"lead_days_median\":%ld,\"lead_days_p10\":%ld}", nearest_rank(lead, nlead, 50),
                        nearest_rank(lead, nlead, 10));
        else
            strbuf_adds(out, ",\"lead_days_median\":null,\"lead_days_p10\":null}");
        strbuf_addf(out, ",\"stayers\":{\"count\":%ld,\"flagged\":%ld", stayers, false_alarms);
        if (stayers)
            strbuf_addf(out, ",\"share_flagged\":%.4f}", (double)false_alarms / stayers);
        else
            strbuf_adds(out, ",\"share_flagged\":null}");
        strbuf_adds(out, ",\"by_story\":{");
        for (int k = 0; k < STORY_KINDS; k++)
            strbuf_addf(out, "%s\"%s\":{\"count\":%ld,\"flagged\":%ld}", k ? "," : "", story_kind_names[k], kind_count[k],
                        kind_flagged[k]);
        strbuf_adds(out, "},\"leavers_by_first_sign\":{");
        for (int b = 0; b < SIGN_BUCKETS; b++)
            strbuf_addf(out, "%s\"%s\":{\"count\":%ld,\"flagged_early\":%ld}", b ? "," : "", sign_bucket_names[b],
                        sign_count[b], sign_early[b]);
        strbuf_adds(out, "},\"targets\":{\"leavers_share_flagged_early\":0.9,\"stayers_share_flagged\":0.1}}");
    }
    free(lead);
    for (size_t i = 0; i < n; i++)
        free(book[i].id);
    free(book);
    return rc;
}
