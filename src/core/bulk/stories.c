/* stories: clients with a known outcome (see stories.h). Each client's history is simulated from the day
 * its records start (600 days before now) to now, or to its last day for a leaver: our updates on its
 * cadence and its replies, its own messages and our answers, feedback, tickets and deliverables. A
 * leaver's drift is a handful of signals, each starting at its own moment in the months before it goes
 * and growing to the end ("progress" 0 to 1). Written in bulk, like the seed. */
#include "core/bulk/stories.h"

#include <string.h>

#include "util/bizhours.h"
#include "util/clock.h"
#include "core/bulk/seed_internal.h"
#include "core/practice/sla.h"

#define DAY 86400LL
#define HOUR 3600LL
#define HISTORY_DAYS 600 /* records from this long ago: the score reads 210 days before each weekly look */

const char *const story_kind_names[STORY_KINDS] = {"steady", "quiet", "leaver"};

/* what drifts before a client leaves */
enum { SIG_SLOWER, SIG_FEWER, SIG_LAPSED, SIG_COMPLAINT, SIG_LOW_SCORE, SIG_LATE_WORK, SIG_COUNT };
static const char *const SIG_NAMES[SIG_COUNT] = {"slower", "fewer", "lapsed", "complaint", "low_score", "late_work"};

typedef struct story {
    int kind;
    const char *cadence;
    double cadence_days;
    int64_t started, end; /* end: the leaver's last day, or now */
    int promise;          /* promised response, business hours */
    unsigned signals;
    int64_t sig_from[SIG_COUNT];
    int64_t busy_from; /* a month of slow replies and fewer words (steady noise); 0: none */
    /* the first record each signal touched (a slowed reply, a skipped week, a late deliverable...); 0: none
     * before the client left. Written on the client (custom) for the calibration's breakdown only. */
    int64_t sig_seen[SIG_COUNT];
} story;

enum { W_CLIENT, W_INTERACTION, W_PROJECT, W_DELIVERABLE, W_TICKET, W_FEEDBACK, W_COUNT };
static const char *const TABLES[W_COUNT] = {"clients", "interactions", "projects", "deliverables", "tickets",
                                            "feedback"};
static const char *const INSERTS[W_COUNT] = {
    "INSERT INTO clients (id, workspace_id, created_at, updated_at, created_by, version, name, kind, stage, "
    "owner_id, started_at, ended_at, cadence, response_time_hours, tags, custom) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, 'client', ?, ?, ?, ?, ?, ?, ?, '{}')",
    "INSERT INTO interactions (id, workspace_id, created_at, updated_at, created_by, version, client_id, type, "
    "direction, occurred_at, subject, summary, custom) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')",
    "INSERT INTO projects (id, workspace_id, created_at, updated_at, created_by, version, client_id, name, scope, "
    "status, start_date, budget, currency, billing, agreed_at, original_budget, approved_change_cost, "
    "approved_change_days) VALUES (?, ?, ?, ?, ?, ?, ?, 'Retainer', 'Monthly work as agreed.', ?, ?, ?, 'EUR', "
    "'fixed', ?, ?, 0, 0)",
    "INSERT INTO deliverables (id, workspace_id, created_at, updated_at, created_by, version, project_id, "
    "client_id, name, due_date, status, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Monthly deliverable', ?, ?, ?)",
    "INSERT INTO tickets (id, workspace_id, created_at, updated_at, created_by, version, client_id, kind, subject, "
    "priority, opened_at, first_response_at, resolved_at, status, response_due_at, first_response_minutes, "
    "resolution_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'normal', ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO feedback (id, workspace_id, created_at, updated_at, created_by, version, client_id, kind, score, "
    "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
};

typedef struct writer {
    const actor *who;
    db_stmt *s[W_COUNT];
    bizcal cal;
    rng r;
    stories_counts *n;
    err_t *e;
} writer;

static double unit(rng *r) { return (double)(next(r) >> 11) / 9007199254740992.0; }
static int chance(rng *r, double p) { return unit(r) < p; }

/* How far signal s has gone at t: 0 before it starts (or without it), growing to 1 on the last day. */
static double progress(const story *st, int s, int64_t t)
{
    if (!(st->signals & (1u << s)) || t < st->sig_from[s])
        return 0;
    double span = (double)(st->end - st->sig_from[s]);
    double p = span > 0 ? (double)(t - st->sig_from[s]) / span : 1;
    return p > 1 ? 1 : p;
}

/* Notes the first record signal s touched. */
static void seen(story *st, int s, int64_t t)
{
    if (t < st->end && (!st->sig_seen[s] || t < st->sig_seen[s]))
        st->sig_seen[s] = t;
}

static int busy(const story *st, int64_t t) { return st->busy_from && t >= st->busy_from && t < st->busy_from + 30 * DAY; }

/* An instant in business hours on or after day t (a random time of the working day). */
static int64_t working_time(writer *w, int64_t t) { return bizhours_add(&w->cal, t - t % DAY, below(&w->r, 8 * HOUR)); }

static void put_time(db_stmt *s, int i, int64_t t)
{
    char at[CLOCK_RFC3339_LEN];
    clock_format(t, at);
    db_bind_text(s, i, at);
}

static void put_day(db_stmt *s, int i, int64_t t)
{
    char at[CLOCK_RFC3339_LEN];
    clock_format(t, at);
    at[10] = '\0';
    db_bind_text(s, i, at);
}

static int say(writer *w, const char *cid, int64_t t, int inbound)
{
    static const char *const types[] = {"email", "email", "email", "call", "meeting", "message"};
    char id[ID_MAX];
    db_stmt *s = w->s[W_INTERACTION];
    seed_make_id(&w->r, "int", t, id);
    int b = seed_bind_system(s, id, w->who, t);
    db_bind_text(s, b++, cid);
    db_bind_text(s, b++, PICK(&w->r, types));
    db_bind_text(s, b++, inbound ? "inbound" : "outbound");
    put_time(s, b++, t);
    db_bind_text(s, b++, inbound ? "Question about the work" : "Update on the work");
    db_bind_text(s, b++, inbound ? "The client wrote with a question." : "Our regular update.");
    w->n->interactions++;
    return seed_run(s, w->e);
}

/* The client's reply time to our message, in business hours: its habit, slower as it drifts. */
static double reply_hours(writer *w, const story *st, int64_t t)
{
    double h = st->kind == STORY_QUIET ? 4 + below(&w->r, 20) : 1 + below(&w->r, 6);
    if (chance(&w->r, 0.1))
        h += 8 + below(&w->r, 24); /* an ordinary slow one */
    if (busy(st, t))
        h *= 3;
    return h * (1 + 7 * progress(st, SIG_SLOWER, t));
}

/* Our updates on the cadence and the client's replies; the client's own messages and our answers. */
static int conversation(writer *w, story *st, const char *cid, int64_t from)
{
    int rc = 0;
    for (int64_t t = from + below(&w->r, (long)st->cadence_days) * DAY; t < st->end && rc == 0;) {
        int64_t at = working_time(w, t);
        if (at < st->end && !(st->kind == STORY_STEADY && chance(&w->r, 0.06))) { /* now and then one skipped */
            rc = say(w, cid, at, 0);
            double fewer = progress(st, SIG_FEWER, at);
            if (rc == 0 && chance(&w->r, (st->kind == STORY_QUIET ? 0.8 : 0.9) * (1 - 0.85 * fewer))) {
                int64_t back = bizhours_add(&w->cal, at, (int64_t)(reply_hours(w, st, at) * HOUR));
                if (back < st->end)
                    rc = say(w, cid, back, 1);
                if (progress(st, SIG_SLOWER, at) > 0)
                    seen(st, SIG_SLOWER, back);
            }
            if (progress(st, SIG_FEWER, at) > 0)
                seen(st, SIG_FEWER, at);
        }
        if (progress(st, SIG_LAPSED, t) > 0)
            seen(st, SIG_LAPSED, t);
        double gap = st->cadence_days * (0.9 + 0.2 * unit(&w->r)) * (1 + 3 * progress(st, SIG_LAPSED, t));
        t += (int64_t)(gap * DAY);
    }
    double monthly = st->kind == STORY_QUIET ? 0.3 : 2;
    for (int64_t t = from; t < st->end && rc == 0; t += 7 * DAY) {
        double p = monthly / 4.3 * (1 - 0.9 * progress(st, SIG_FEWER, t)) * (busy(st, t) ? 0.5 : 1);
        if (!chance(&w->r, p))
            continue;
        int64_t at = working_time(w, t + below(&w->r, 5) * DAY);
        if (at >= st->end)
            break;
        rc = say(w, cid, at, 1);
        int64_t ours = bizhours_add(&w->cal, at, (1 + below(&w->r, 6)) * HOUR);
        if (rc == 0 && ours < st->end)
            rc = say(w, cid, ours, 0);
    }
    return rc;
}

static int feedback(writer *w, const char *cid, int64_t t, int nps, int score)
{
    char id[ID_MAX];
    db_stmt *s = w->s[W_FEEDBACK];
    seed_make_id(&w->r, "fb", t, id);
    int b = seed_bind_system(s, id, w->who, t);
    db_bind_text(s, b++, cid);
    db_bind_text(s, b++, nps ? "nps" : "csat");
    db_bind_int(s, b++, score);
    put_time(s, b++, t);
    w->n->other++;
    return seed_run(s, w->e);
}

/* Surveys every four or five months (quiet clients: yearly, if at all); a drifting client scores low. */
static int surveys(writer *w, story *st, const char *cid, int64_t from)
{
    int rc = 0;
    if (st->kind == STORY_QUIET && chance(&w->r, 0.4))
        return 0;
    long every = st->kind == STORY_QUIET ? 330 : 90;
    int low_given = 0;
    for (int64_t t = from + below(&w->r, every) * DAY; t < st->end && rc == 0; t += (every + below(&w->r, 60)) * DAY) {
        int nps = chance(&w->r, 0.6);
        double roll = unit(&w->r);
        int score = nps ? (roll < 0.85 ? 8 + (int)below(&w->r, 3) : roll < 0.97 ? 7 : 5 + (int)below(&w->r, 2))
                        : (roll < 0.9 ? 4 + (int)below(&w->r, 2) : roll < 0.98 ? 3 : 2);
        if (progress(st, SIG_LOW_SCORE, t) > 0) {
            score = nps ? 2 + (int)below(&w->r, 5) : 1 + (int)below(&w->r, 3);
            low_given = 1;
            seen(st, SIG_LOW_SCORE, t);
        }
        rc = feedback(w, cid, working_time(w, t), nps, score);
    }
    /* the unhappy answer comes soon after the trouble starts, whatever the survey calendar */
    if (rc == 0 && !low_given && (st->signals & (1u << SIG_LOW_SCORE))) {
        int64_t t = st->sig_from[SIG_LOW_SCORE] + below(&w->r, 21) * DAY;
        int nps = chance(&w->r, 0.6);
        if (t < st->end)
            rc = feedback(w, cid, working_time(w, t), nps, nps ? 2 + (int)below(&w->r, 5) : 1 + (int)below(&w->r, 3));
        seen(st, SIG_LOW_SCORE, t);
    }
    return rc;
}

/* opened at t; answered after `answer` business hours (<0: never), resolved a few days after that */
static int ticket(writer *w, const story *st, const char *cid, const char *kind, int64_t t, double answer)
{
    char id[ID_MAX];
    int64_t due = bizhours_add(&w->cal, t, (int64_t)st->promise * HOUR),
            first = answer >= 0 ? bizhours_add(&w->cal, t, (int64_t)(answer * HOUR)) : 0;
    if (first >= st->end)
        first = 0;
    int64_t resolved = first ? first + (1 + below(&w->r, 5)) * DAY : 0;
    if (resolved >= st->end)
        resolved = 0;
    db_stmt *s = w->s[W_TICKET];
    seed_make_id(&w->r, "tkt", t, id);
    int b = seed_bind_system(s, id, w->who, t);
    db_bind_text(s, b++, cid);
    db_bind_text(s, b++, kind);
    db_bind_text(s, b++, !strcmp(kind, "complaint") ? "Unhappy with the last delivery" : "A question");
    put_time(s, b++, t);
    if (first)
        put_time(s, b++, first);
    else
        db_bind_null(s, b++);
    if (resolved)
        put_time(s, b++, resolved);
    else
        db_bind_null(s, b++);
    db_bind_text(s, b++, resolved ? "resolved" : first ? "answered" : "open");
    put_time(s, b++, due);
    if (first)
        db_bind_int(s, b++, bizhours_between(&w->cal, t, first) / 60);
    else
        db_bind_null(s, b++);
    if (resolved)
        db_bind_int(s, b++, bizhours_between(&w->cal, t, resolved) / 60);
    else
        db_bind_null(s, b++);
    w->n->other++;
    return seed_run(s, w->e);
}

static int tickets(writer *w, story *st, const char *cid, int64_t from)
{
    int rc = 0;
    for (int64_t t = from + below(&w->r, 150) * DAY; t < st->end && rc == 0; t += (100 + below(&w->r, 100)) * DAY)
        rc = ticket(w, st, cid, "inquiry", working_time(w, t), st->promise * (0.2 + 0.8 * unit(&w->r)));
    /* an ordinary complaint now and then, answered about on time */
    if (rc == 0 && st->kind != STORY_QUIET && chance(&w->r, 0.12)) {
        int64_t t = working_time(w, from + below(&w->r, (long)((st->end - from) / DAY)) * DAY);
        if (t < st->end)
            rc = ticket(w, st, cid, "complaint", t, st->promise * (0.5 + 2 * unit(&w->r)));
    }
    if (rc == 0 && (st->signals & (1u << SIG_COMPLAINT))) { /* left waiting, or answered very late */
        int64_t t = working_time(w, st->sig_from[SIG_COMPLAINT]);
        seen(st, SIG_COMPLAINT, t);
        if (t < st->end)
            rc = ticket(w, st, cid, "complaint", t, chance(&w->r, 0.5) ? -1 : st->promise * (4 + 11 * unit(&w->r)));
    }
    return rc;
}

/* One project with a deliverable due every couple of months, most on time; late ones as work slips. */
static int work(writer *w, story *st, const char *cid, int64_t from)
{
    char pid[ID_MAX];
    db_stmt *s = w->s[W_PROJECT];
    seed_make_id(&w->r, "prj", st->started, pid);
    int b = seed_bind_system(s, pid, w->who, st->started);
    db_bind_text(s, b++, cid);
    db_bind_text(s, b++, st->kind == STORY_LEAVER && st->end < from + HISTORY_DAYS * DAY ? "done" : "active");
    put_day(s, b++, st->started);
    db_bind_int(s, b++, 1200000);
    put_time(s, b++, st->started);
    db_bind_int(s, b++, 1200000);
    w->n->other++;
    int rc = seed_run(s, w->e);
    long every = st->kind == STORY_QUIET ? 100 : 55;
    for (int64_t due = from + below(&w->r, every) * DAY; due < st->end && rc == 0; due += (every + below(&w->r, 20)) * DAY) {
        int64_t late = (below(&w->r, 8) - 4) * DAY;
        if (chance(&w->r, 0.05))
            late = (6 + below(&w->r, 9)) * DAY; /* an ordinary slip */
        if (progress(st, SIG_LATE_WORK, due) > 0) {
            late = chance(&w->r, 0.5) ? 1000 * DAY : (14 + below(&w->r, 40)) * DAY;
            seen(st, SIG_LATE_WORK, due);
        }
        int64_t delivered = working_time(w, due + late);
        int done = delivered < st->end;
        char id[ID_MAX];
        s = w->s[W_DELIVERABLE];
        seed_make_id(&w->r, "dlv", st->started, id);
        b = seed_bind_system(s, id, w->who, st->started);
        db_bind_text(s, b++, pid);
        db_bind_text(s, b++, cid);
        put_day(s, b++, due);
        db_bind_text(s, b++, done ? "delivered" : "in_progress");
        if (done)
            put_time(s, b++, delivered);
        else
            db_bind_null(s, b++);
        w->n->other++;
        rc = seed_run(s, w->e);
    }
    return rc;
}

/* The leaver's story on its record (custom), for the calibration's breakdown only: each signal and the
 * days before leaving its first record came ("never": none before the client left), and the earliest. */
static int tell(db_stmt *s, const story *st, const char *cid, err_t *e)
{
    char text[400];
    int n = snprintf(text, sizeof text, "{\"story_signals\":\"");
    int64_t first = 0;
    const char *sep = "";
    for (int k = 0; k < SIG_COUNT; k++) {
        if (!(st->signals & (1u << k)))
            continue;
        if (st->sig_seen[k])
            n += snprintf(text + n, sizeof text - n, "%s%s:%ld", sep, SIG_NAMES[k],
                          (long)((st->end - st->sig_seen[k]) / DAY));
        else
            n += snprintf(text + n, sizeof text - n, "%s%s:never", sep, SIG_NAMES[k]);
        sep = " ";
        if (st->sig_seen[k] && (!first || st->sig_seen[k] < first))
            first = st->sig_seen[k];
    }
    snprintf(text + n, sizeof text - n, "\",\"story_first_sign_days\":%ld}",
             first ? (long)((st->end - first) / DAY) : -1L);
    db_bind_text(s, 1, text);
    db_bind_text(s, 2, cid);
    return seed_run(s, e);
}

/* Who the client is and how its story goes. */
static void cast(rng *r, int64_t now, story *st)
{
    memset(st, 0, sizeof *st);
    long roll = below(r, 100);
    st->kind = roll < 50 ? STORY_STEADY : roll < 65 ? STORY_QUIET : STORY_LEAVER;
    static const char *const cadences[] = {"weekly", "biweekly", "monthly", "monthly"};
    static const double days[] = {7, 14, 30.4, 30.4};
    long c = below(r, 4);
    st->cadence = st->kind == STORY_QUIET ? "quarterly" : cadences[c];
    st->cadence_days = st->kind == STORY_QUIET ? 91 : days[c];
    static const int promises[] = {4, 8, 24};
    st->promise = PICK(r, promises);
    st->started = now - (HISTORY_DAYS + below(r, 900)) * DAY;
    st->end = now;
    if (st->kind == STORY_STEADY && below(r, 100) < 25)
        st->busy_from = now - below(r, HISTORY_DAYS - 30) * DAY - 30 * DAY;
    if (st->kind != STORY_LEAVER)
        return;
    /* leaves within the last 180 days (179 whole days, so a clock later in the day still counts it), after a drift of six weeks to eight months (its speed), with one
     * to four signals (two or three most often), each starting somewhere in the drift's first 60 % */
    st->end = now - (1 + below(r, 179)) * DAY;
    int64_t drift = (45 + below(r, 196)) * DAY, drift_from = st->end - drift;
    static const int counts[] = {1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4};
    int n = PICK(r, counts);
    while (__builtin_popcount(st->signals) < n) {
        int s = (int)below(r, SIG_COUNT);
        if (st->signals & (1u << s))
            continue;
        st->signals |= 1u << s;
        st->sig_from[s] = drift_from + below(r, (long)(drift * 6 / 10 / DAY) + 1) * DAY;
    }
}

int stories_generate(db *d, const actor *who, const stories_config *cfg, stories_counts *out, err_t *e)
{
    memset(out, 0, sizeof *out);
    writer w = {.who = who, .r = {cfg->seed * 0x9e3779b97f4a7c15ull + 11}, .n = out, .e = e};
    int64_t now = clock_now() - clock_now() % DAY, from = now - HISTORY_DAYS * DAY;
    int rc = sla_calendar(d, who, &w.cal, e), begun = 0;
    db_stmt *told = NULL;
    if (rc == 0)
        rc = db_exec(d, d->be->bulk_load_sql, e);
    for (int i = 0; i < W_COUNT && rc == 0; i++)
        rc = db_prepare(d, INSERTS[i], &w.s[i], e);
    if (rc == 0)
        rc = db_prepare(d, "UPDATE clients SET custom = ? WHERE id = ?", &told, e);
    for (; begun < W_COUNT && rc == 0; begun++)
        rc = d->be->bulk_begin(d, TABLES[begun], e);
    if (rc == 0)
        rc = db_begin(d, e);
    for (long i = 0; i < cfg->clients && rc == 0; i++) {
        story st;
        cast(&w.r, now, &st);
        char cid[ID_MAX], name[80], tags[40];
        snprintf(name, sizeof name, "Story %s %ld", story_kind_names[st.kind], i + 1);
        snprintf(tags, sizeof tags, "[\"story-%s\"]", story_kind_names[st.kind]);
        seed_make_id(&w.r, "cli", st.started, cid);
        db_stmt *s = w.s[W_CLIENT];
        int b = seed_bind_system(s, cid, who, st.started);
        db_bind_text(s, b++, name);
        db_bind_text(s, b++, st.kind == STORY_LEAVER ? "past" : "active");
        db_bind_text(s, b++, who->user_id);
        put_time(s, b++, st.started);
        if (st.kind == STORY_LEAVER)
            put_time(s, b++, st.end);
        else
            db_bind_null(s, b++);
        db_bind_text(s, b++, st.cadence);
        db_bind_int(s, b++, st.promise);
        db_bind_text(s, b++, tags);
        rc = seed_run(s, e);
        out->clients[st.kind]++;
        int64_t first = st.started > from ? st.started : from;
        if (rc == 0)
            rc = conversation(&w, &st, cid, first);
        if (rc == 0)
            rc = surveys(&w, &st, cid, first);
        if (rc == 0)
            rc = tickets(&w, &st, cid, first);
        if (rc == 0)
            rc = work(&w, &st, cid, first);
        if (rc == 0 && st.kind == STORY_LEAVER)
            rc = tell(told, &st, cid, e);
        if (rc == 0 && (i + 1) % 2000 == 0 && (rc = db_commit(d, e)) == 0) /* bounded transactions */
            rc = db_begin(d, e);
    }
    if (rc < 0)
        db_rollback(d);
    else
        rc = db_commit(d, e);
    for (int i = 0; i < begun; i++) { /* even after a failure: the triggers must come back */
        err_t be;
        int brc = d->be->bulk_end(d, TABLES[i], &be);
        if (brc < 0 && rc == 0) {
            *e = be;
            rc = brc;
        }
    }
    for (int i = 0; i < W_COUNT; i++)
        db_finalize(w.s[i]);
    db_finalize(told);
    bizcal_release(&w.cal);
    return rc;
}
