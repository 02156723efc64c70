/* health_factors: one client's score from its gathered facts — each factor's penalty fraction and its
 * evidence in plain words and numbers (docs/health.md lists the rules and defaults). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "util/money.h"
#include "core/insight/health_impl.h"
#include "core/practice/lifecycle.h"

#define DAY 86400

typedef struct factor_out {
    double fraction;
    int has_data;
    int stale;   /* nothing for too long: scored, and said so */
    char *ev;    /* HEALTH_EVIDENCE_LEN */
    char *flag;  /* the red flag's rule when the factor is at its worst, else "" (HEALTH_EVIDENCE_LEN) */
    int twice;   /* the flag's measure is twice its threshold or more: it counts as two */
    int counts;  /* more than one: the flag counts this many by its kind's setting (a flag counts one) */
} factor_out;

/* A kind of flag that counts more than one (complaint_flag_counts, deliverable_flag_counts): a service
 * failure the client has felt. Notes it in the flag's rule. */
static void counts_as(factor_out *f, double counts, const char *setting)
{
    if (counts > 1) {
        f->counts = (int)counts;
        size_t k = strlen(f->flag);
        snprintf(f->flag + k, HEALTH_EVIDENCE_LEN - k, "; it counts as %g (%s)", counts, setting);
    }
}

/* A flag met twice over counts as two: a cadence lapsed six times, a complaint waiting six times its
 * promise, a deliverable twenty business days late is as grave as two flags. Notes it in the flag's rule.
 * Only for what is counted exactly (days, cadences, hours against a promise). */
static void twice_over(factor_out *f, double measure, double threshold)
{
    if (threshold > 0 && measure >= 2 * threshold) {
        f->twice = 1;
        size_t k = strlen(f->flag);
        snprintf(f->flag + k, HEALTH_EVIDENCE_LEN - k, "; twice over, it counts as two");
    }
}

const char *const health_data_names[3] = {"none", "current", "stale"};

/* The seconds of an average open day in the calendar (8 hours for Monday to Friday, 9 to 5). */
static int64_t business_day(const bizcal *cal)
{
    int days_open = 0;
    for (int d = 0; d < 7; d++)
        days_open += cal->nopen[d] > 0;
    int64_t len = cal->week_seconds / (days_open ? days_open : 1);
    return len > 0 ? len : 1;
}

/* A client long enough to have given us the data (client since at least `days` before as_of). */
static int established(const health_client *c, int64_t as_of, double days)
{
    return (double)(as_of - c->since) >= days * DAY;
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* The share of the way from start to full that x has gone. */
static double ramp(double x, double start, double full)
{
    return full > start ? clamp01((x - start) / (full - start)) : x >= start;
}

/* "31" or "2.5": hours as people say them */
static const char *hours(double h, char buf[32])
{
    if (fabs(h - round(h)) < 0.05)
        snprintf(buf, 32, "%.0f", h);
    else
        snprintf(buf, 32, "%.1f", h);
    return buf;
}

static void no_data(factor_out *f, const char *what)
{
    f->has_data = 0;
    f->fraction = 0;
    snprintf(f->ev, HEALTH_EVIDENCE_LEN, "no data: %s", what);
}

/* The chance of k or more of n when each comes with chance p (the binomial's upper tail). */
static double binomial_at_least(int k, int n, double p)
{
    if (k <= 0)
        return 1;
    double pmf = pow(1 - p, n), tail = 0;
    for (int i = 0; i <= n; i++) {
        if (i >= k)
            tail += pmf;
        pmf *= (double)(n - i) / (double)(i + 1) * p / (1 - p);
    }
    return tail < 1 ? tail : 1;
}

/* The chance of k or fewer when lambda are expected (the Poisson's lower tail). */
static double poisson_at_most(int k, double lambda)
{
    double pmf = exp(-lambda), sum = 0;
    for (int i = 0; i <= k; i++) {
        sum += pmf;
        pmf *= lambda / (i + 1);
    }
    return sum < 1 ? sum : 1;
}

/* "1 in 340": a chance as people say it */
static const char *one_in(double p, char buf[32])
{
    double n = p > 0 ? 1 / p : 1e9;
    snprintf(buf, 32, n >= 1e6 ? "1 in a million or less" : "1 in %.0f", n);
    return buf;
}

/* How unusual a chance is, as a penalty: nothing at 1 in 10 (an ordinary month), whole at the flag's chance
 * (or 1 in 1000 with the test's flag off). */
static double surprise(double chance, double flag_chance)
{
    double full = flag_chance > 0 ? -log10(flag_chance) : 3;
    return ramp(-log10(chance > 1e-300 ? chance : 1e-300), 1, full > 1 ? full : 2);
}

/* A behaviour test far beyond chance (behaviour_twice_p, 0: never) counts as two: a change sustained over
 * the whole window, not a busy month. Notes it in the flag's rule. */
static void behaviour_twice(factor_out *f, double chance, double twice)
{
    if (twice > 0 && chance < twice) {
        f->twice = 1;
        size_t k = strlen(f->flag);
        snprintf(f->flag + k, HEALTH_EVIDENCE_LEN - k, "; less than 1 in %g, it counts as two (behaviour_twice_p)",
                 1 / twice);
    }
}

/* The chance that a reply like those before is slower than their 90th percentile (nearest rank r of n):
 * (n + 1 - r) / (n + 1), not a flat 1 in 10 — of 8 replies the 90th percentile is the slowest, which a
 * ninth outdoes one time in nine. */
static double usually_slower(int n)
{
    int rank = (9 * n + 9) / 10;
    return (double)(n + 1 - rank) / (double)(n + 1);
}

/* The client's replies to our updates in the behaviour window against its own before: how many were
 * slower than nine in ten of those before, and how likely so many would be by chance (latency_test_p). */
static void reply_latency_test(const health_set *s, const health_view *w, factor_out *f)
{
    const double *t = s->cfg.threshold;
    const latency_stats *l = &w->lat;
    int days = (int)t[HT_BEHAVIOUR_WINDOW_DAYS], before = LATENCY_RECENT_DAYS + LATENCY_BASELINE_DAYS - days;
    if (l->before_replies < t[HT_LATENCY_TEST_MIN_REPLIES] || !l->test_replies) {
        snprintf(f->ev, HEALTH_EVIDENCE_LEN,
                 "no data: %d replies to our updates in the last %d days and %d in the %d before (%g needed before)",
                 l->test_replies, days, l->before_replies, before, t[HT_LATENCY_TEST_MIN_REPLIES]);
        return;
    }
    f->has_data = 1;
    double chance = binomial_at_least(l->test_slow, l->test_replies, usually_slower(l->before_replies));
    f->fraction = surprise(chance, t[HT_LATENCY_TEST_P]);
    char x[32], y[32];
    snprintf(f->ev, HEALTH_EVIDENCE_LEN,
             "replies %s: %d of the last %d in %d days slower than 9 in 10 of the %d days before (%s h); by chance: %s",
             f->fraction > 0 ? "slower than usual" : "as usual", l->test_slow, l->test_replies, days, before,
             hours(l->before_p90, x), one_in(chance, y));
    if (chance < t[HT_LATENCY_TEST_P]) {
        snprintf(f->flag, HEALTH_EVIDENCE_LEN, "replies this slow by chance less than 1 in %g (latency_test_p)",
                 1 / t[HT_LATENCY_TEST_P]);
        behaviour_twice(f, chance, t[HT_BEHAVIOUR_TWICE_P]);
    }
}

static void reply_latency(const health_set *s, const health_view *w, factor_out *f)
{
    const double *t = s->cfg.threshold;
    if (t[HT_LATENCY_TEST_P] > 0) {
        reply_latency_test(s, w, f);
        return;
    }
    const latency_side *r = &w->lat.theirs_recent, *b = &w->lat.theirs_baseline;
    if (r->samples < t[HT_LATENCY_MIN_REPLIES] || b->samples < t[HT_LATENCY_MIN_REPLIES]) {
        snprintf(f->ev, HEALTH_EVIDENCE_LEN,
                 "no data: %d replies from the client in the last 30 days and %d in the 180 before (%g needed in each)",
                 r->samples, b->samples, t[HT_LATENCY_MIN_REPLIES]);
        return;
    }
    f->has_data = 1;
    /* a baseline under an hour (replies outside business hours count 0) is compared as one hour */
    double ratio = r->median_hours / (b->median_hours < 1 ? 1 : b->median_hours);
    f->fraction = r->median_hours < t[HT_LATENCY_MIN_HOURS]
                      ? 0
                      : ramp(ratio, t[HT_LATENCY_SLOWDOWN_START], t[HT_LATENCY_SLOWDOWN_FULL]);
    char x[32], y[32];
    snprintf(f->ev, HEALTH_EVIDENCE_LEN, "replies %s: median %s h over the last 30 days vs %s h before",
             f->fraction > 0 ? "slowed" : "steady", hours(r->median_hours, x), hours(b->median_hours, y));
    double flag = t[HT_FLAG_LATENCY_SLOWDOWN];
    if (flag > 0 && r->median_hours >= t[HT_LATENCY_MIN_HOURS] && ratio >= flag)
        /* never twice over: a ratio of two medians of a few replies each swings too far on its own */
        snprintf(f->flag, HEALTH_EVIDENCE_LEN, "replies %g times slower or more (flag_latency_slowdown)", flag);
}

/* The client's own messages in the behaviour window against the rate of the days before it: how likely
 * so few would be by chance (frequency_test_p). */
static void frequency_test(const health_set *s, const health_view *w, factor_out *f)
{
    const double *t = s->cfg.threshold;
    const latency_stats *l = &w->lat;
    int days = (int)t[HT_BEHAVIOUR_WINDOW_DAYS], before = LATENCY_RECENT_DAYS + LATENCY_BASELINE_DAYS - days;
    double monthly = l->before_inbound * 30.0 / before, expected = l->before_inbound * (double)days / before;
    char x[32], y[32];
    if (monthly < t[HT_FREQUENCY_MIN_MONTHLY] || monthly <= 0) {
        snprintf(f->ev, HEALTH_EVIDENCE_LEN,
                 "no data: %d messages from the client in the %d days before the last %d (%g a month needed to compare)",
                 l->before_inbound, before, days, t[HT_FREQUENCY_MIN_MONTHLY]);
        return;
    }
    f->has_data = 1;
    double chance = l->test_inbound < expected ? poisson_at_most(l->test_inbound, expected) : 1;
    f->fraction = surprise(chance, t[HT_FREQUENCY_TEST_P]);
    snprintf(f->ev, HEALTH_EVIDENCE_LEN,
             "%s%d messages from the client in the last %d days, %s expected from the %d days before; by chance: %s",
             f->fraction > 0 ? "fewer words: " : "", l->test_inbound, days, hours(expected, x), before,
             one_in(chance, y));
    if (chance < t[HT_FREQUENCY_TEST_P]) {
        snprintf(f->flag, HEALTH_EVIDENCE_LEN, "so few messages by chance less than 1 in %g (frequency_test_p)",
                 1 / t[HT_FREQUENCY_TEST_P]);
        behaviour_twice(f, chance, t[HT_BEHAVIOUR_TWICE_P]);
    }
}

static void interaction_frequency(const health_set *s, const health_client *c, const health_view *w, int64_t as_of,
                                  factor_out *f)
{
    const double *t = s->cfg.threshold;
    /* the client's own messages (its replies and what it raises): ours go out on our cadence whatever the
     * client feels, and the cadence factor watches those */
    double monthly = w->lat.baseline_inbound / (LATENCY_BASELINE_DAYS / 30.0);
    char x[32];
    /* nothing heard for too long, from a client long enough with us to have said something: the window
     * sees 210 days back, so a silence longer than that reads as "more than 210 days" */
    double silence = t[HT_SILENCE_DAYS];
    /* a client we update quarterly may well say nothing for a quarter: silent means two cadences too */
    if (silence > 0 && c->cadence && strcmp(c->cadence, "none")) {
        double two = (double)(checkin_add_cadence(checkin_add_cadence(as_of, c->cadence), c->cadence) - as_of) / DAY;
        if (two > silence)
            silence = two < LATENCY_RECENT_DAYS + LATENCY_BASELINE_DAYS ? two : LATENCY_RECENT_DAYS + LATENCY_BASELINE_DAYS;
    }
    int64_t window = (int64_t)(LATENCY_RECENT_DAYS + LATENCY_BASELINE_DAYS) * DAY;
    /* heard from: its last message, or a ticket it opened or a survey it answered since */
    int64_t heard = w->lat.last_inbound > w->last_raised ? w->lat.last_inbound : w->last_raised;
    if (silence > 0 && as_of >= c->since && established(c, as_of, silence) &&
        (!heard || as_of - heard >= (int64_t)(silence * DAY))) {
        f->has_data = 1;
        f->stale = 1;
        f->fraction = 1;
        if (heard)
            snprintf(f->ev, HEALTH_EVIDENCE_LEN, "nothing for too long: nothing from the client for %ld days",
                     (long)((as_of - heard) / DAY));
        else
            snprintf(f->ev, HEALTH_EVIDENCE_LEN,
                     "nothing for too long: nothing from the client in the last %ld days, a client for %ld days",
                     (long)((as_of - c->since < window ? as_of - c->since : window) / DAY), (long)((as_of - c->since) / DAY));
        snprintf(f->flag, HEALTH_EVIDENCE_LEN, "nothing from the client for %.0f days or more (silence_days, or two cadences)",
                 silence);
        return;
    }
    if (t[HT_FREQUENCY_TEST_P] > 0) {
        frequency_test(s, w, f);
        return;
    }
    if (monthly < t[HT_FREQUENCY_MIN_MONTHLY] || monthly <= 0) {
        snprintf(f->ev, HEALTH_EVIDENCE_LEN,
                 "no data: %d messages from the client in the 180 days before the last 30 (%g a month needed to compare)",
                 w->lat.baseline_inbound, t[HT_FREQUENCY_MIN_MONTHLY]);
        return;
    }
    f->has_data = 1;
    double drop = 1 - w->lat.recent_inbound / monthly;
    f->fraction = ramp(drop, t[HT_FREQUENCY_DROP_START], 1);
    snprintf(f->ev, HEALTH_EVIDENCE_LEN, "%s%d messages from the client in the last 30 days vs %s a month before",
             f->fraction > 0 ? "fewer words: " : "", w->lat.recent_inbound, hours(monthly, x));
    double flag = t[HT_FLAG_FREQUENCY_DROP];
    if (flag > 0 && drop >= flag)
        snprintf(f->flag, HEALTH_EVIDENCE_LEN, "the client's messages down by %g %% or more (flag_frequency_drop)",
                 flag * 100);
}

static void cadence_lapse(const health_set *s, const health_client *c, const health_view *w, int64_t as_of,
                          factor_out *f)
{
    const double *t = s->cfg.threshold;
    if (!c->cadence || !strcmp(c->cadence, "none")) {
        no_data(f, "no update cadence agreed");
        return;
    }
    if (as_of < c->since) {
        no_data(f, "not a client yet");
        return;
    }
    f->has_data = 1;
    int64_t from = w->last_update ? w->last_update : c->since, due = checkin_add_cadence(from, c->cadence);
    long days = (long)((as_of - from) / DAY);
    if (due > as_of) {
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "last update %ld days ago; cadence is %s", days, c->cadence);
        return;
    }
    int64_t period = checkin_add_cadence(due, c->cadence) - due, first = due - from;
    double lapses = t[HT_FLAG_CADENCE_LAPSES];
    double cadences = (double)(as_of - from) / (double)(first > 0 ? first : period);
    /* from due (one cadence) the loss grows to whole at cadence_full_lapses cadences without an update */
    f->fraction = ramp(cadences, 1, t[HT_CADENCE_FULL_LAPSES]);
    if (lapses > 0 && cadences >= lapses) {
        snprintf(f->flag, HEALTH_EVIDENCE_LEN, "no update for %g cadences or more (flag_cadence_lapses)", lapses);
        twice_over(f, cadences, lapses);
    }
    /* our answers to the client's questions are not updates (update_answer_hours): say when we last wrote */
    long answered = w->lat.last_outbound > from ? (long)((as_of - w->lat.last_outbound) / DAY) : -1;
    if (w->last_update && answered >= 0)
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "no update for %ld days (only answers to the client since, the last %ld "
                 "days ago); cadence is %s", days, answered, c->cadence);
    else if (w->last_update)
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "no update for %ld days; cadence is %s", days, c->cadence);
    else
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "no update since the relationship started %ld days ago%s; cadence is %s",
                 days, answered >= 0 ? " (only answers to the client)" : "", c->cadence);
}

/* The late deliverable's flag: late business days against flag_deliverable_business_days; `felt` says when
 * it was delivered already. */
static void deliverable_flag(const health_set *s, factor_out *f, long late, double limit, const char *felt)
{
    snprintf(f->flag, HEALTH_EVIDENCE_LEN, "a deliverable %g business days late or more (flag_deliverable_business_days%s)",
             limit, felt);
    twice_over(f, (double)late, limit);
    if (!f->twice)
        counts_as(f, s->cfg.threshold[HT_DELIVERABLE_FLAG_COUNTS], "deliverable_flag_counts");
}

static void overdue_deliverables(const health_set *s, const health_view *w, int64_t as_of, factor_out *f)
{
    if (!w->deliverables) {
        no_data(f, "no deliverables with a due date");
        return;
    }
    f->has_data = 1;
    f->fraction = clamp01(w->dlv_overdue / s->cfg.threshold[HT_DELIVERABLES_FULL]);
    int64_t due = 0;
    if (w->dlv_overdue && !clock_parse_date(w->dlv_oldest_due, &due)) {
        /* late from the end of its due date, in business days of the workspace's calendar */
        long late = (long)(bizhours_between(&s->cal, due + DAY, as_of) / business_day(&s->cal));
        double limit = s->cfg.threshold[HT_FLAG_DELIVERABLE_DAYS];
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "%d deliverable%s overdue (the oldest due %s, %ld business days late)",
                 w->dlv_overdue, w->dlv_overdue > 1 ? "s" : "", w->dlv_oldest_due, late);
        if (limit > 0 && late >= limit)
            deliverable_flag(s, f, late, limit, "");
    } else
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "none of %d deliverables overdue", w->deliverables);
    /* one delivered that late not long ago: the client felt it, and still raises the flag (flag_felt_days) */
    if (!f->flag[0] && w->felt_dlv_delivered) {
        long late = (long)(bizhours_between(&s->cal, w->felt_dlv_due + DAY, w->felt_dlv_delivered) / business_day(&s->cal));
        double limit = s->cfg.threshold[HT_FLAG_DELIVERABLE_DAYS];
        if (limit > 0 && late >= limit) {
            char on[CLOCK_RFC3339_LEN];
            clock_format(w->felt_dlv_delivered, on);
            on[10] = '\0';
            size_t k = strlen(f->ev);
            snprintf(f->ev + k, HEALTH_EVIDENCE_LEN - k, "; one delivered %ld business days late on %s", late, on);
            deliverable_flag(s, f, late, limit, ", delivered in the last flag_felt_days");
            if (f->fraction < 1 / s->cfg.threshold[HT_DELIVERABLES_FULL])
                f->fraction = clamp01(1 / s->cfg.threshold[HT_DELIVERABLES_FULL]);
        }
    }
}

/* A client without a score for too long loses this share of the weight: not knowing is not bad news,
 * but it is not good news either (a half, so it alone never moves a band) */
#define STALE_FEEDBACK_FRACTION 0.5

static void satisfaction(const health_set *s, const health_client *c, const health_view *w, int64_t as_of,
                         factor_out *f)
{
    const double *t = s->cfg.threshold;
    double stale = t[HT_FEEDBACK_STALE_DAYS];
    int64_t on = 0;
    if (w->has_feedback)
        clock_parse_date(w->fb_on, &on);
    long age = (long)((as_of - on) / DAY);
    int too_long = stale > 0 && as_of >= c->since && established(c, as_of, stale) && (!w->has_feedback || age >= stale);
    if (!w->has_feedback && !too_long) {
        no_data(f, "no scored feedback (CSAT, NPS or pulse)");
        return;
    }
    f->has_data = 1;
    if (!w->has_feedback) {
        f->stale = 1;
        f->fraction = STALE_FEEDBACK_FRACTION;
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "nothing for too long: no scored feedback in %ld days as a client",
                 (long)((as_of - c->since) / DAY));
        return;
    }
    int nps = !strcmp(w->fb_kind, "nps"), csat = !strcmp(w->fb_kind, "csat");
    double good = t[nps ? HT_NPS_GOOD : csat ? HT_CSAT_GOOD : HT_PULSE_GOOD],
           bad = t[nps ? HT_NPS_BAD : csat ? HT_CSAT_BAD : HT_PULSE_BAD];
    f->fraction = 1 - ramp(w->fb_score, bad, good);
    const char *kind = nps ? "NPS" : csat ? "CSAT" : "pulse";
    if (too_long) {
        f->stale = 1;
        if (f->fraction < STALE_FEEDBACK_FRACTION)
            f->fraction = STALE_FEEDBACK_FRACTION;
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "nothing for too long: the latest score, %s %d/%d on %s, is %ld days old",
                 kind, w->fb_score, nps ? 10 : 5, w->fb_on, age);
    } else
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "%s %d/%d on %s", kind, w->fb_score, nps ? 10 : 5, w->fb_on);
    /* a detractor's NPS, or a CSAT or pulse at the bottom of the scale, not long ago */
    double within = t[HT_FLAG_FEEDBACK_DAYS], limit = t[nps ? HT_FLAG_NPS : HT_FLAG_CSAT];
    if (within > 0 && age < within && w->fb_score <= limit) {
        snprintf(f->flag, HEALTH_EVIDENCE_LEN, "%s %g or less within %g days (%s, flag_feedback_days)", kind, limit,
                 within, nps ? "flag_nps_at_most" : "flag_csat_at_most");
        /* a score near the bottom of its scale, not a passive's 6 or a CSAT of 2, is as grave as two flags */
        double severe = t[nps ? HT_FLAG_NPS_TWICE : HT_FLAG_CSAT_TWICE];
        if (w->fb_score < severe) {
            f->twice = 1;
            size_t k = strlen(f->flag);
            snprintf(f->flag + k, HEALTH_EVIDENCE_LEN - k, "; below %g it counts as two (%s)", severe,
                     nps ? "flag_nps_twice_below" : "flag_csat_twice_below");
        }
    }
}

static void complaints_sla(const health_set *s, const health_view *w, int64_t as_of, factor_out *f)
{
    const double *t = s->cfg.threshold;
    if (!w->tickets) {
        no_data(f, "no tickets");
        return;
    }
    f->has_data = 1;
    f->fraction = clamp01(w->complaints_open / t[HT_COMPLAINTS_FULL] + w->breaches / t[HT_BREACHES_FULL]);
    char a[96] = "no complaint open", b[96];
    if (w->complaints_open) {
        /* a business day is the calendar's average open day (8 h for Monday to Friday, 9 to 5) */
        long open_days = (long)(bizhours_between(&s->cal, w->complaint_oldest, as_of) / business_day(&s->cal));
        if (w->complaints_open == 1)
            snprintf(a, sizeof a, "complaint open for %ld business days", open_days);
        else
            snprintf(a, sizeof a, "%d complaints open, the oldest for %ld business days", w->complaints_open,
                     open_days);
    }
    snprintf(b, sizeof b, "%d late first response%s in the last %g days", w->breaches, w->breaches == 1 ? "" : "s",
             t[HT_BREACH_WINDOW_DAYS]);
    snprintf(f->ev, HEALTH_EVIDENCE_LEN, "%s; %s", a, b);
    double times = t[HT_FLAG_COMPLAINT_TIMES];
    char x[32], y[32];
    /* still waiting, or answered not long ago after waiting that long (flag_felt_days): the client felt it */
    if (times > 0 && w->complaint_wait_ratio >= times)
        snprintf(f->flag, HEALTH_EVIDENCE_LEN,
                 "a complaint unanswered for %s business hours, %g times or more the %s promised (flag_complaint_response_times)",
                 hours(w->complaint_waited_hours, x), times, hours(w->complaint_promised_hours, y));
    else if (times > 0 && w->felt_complaint_ratio >= times)
        snprintf(f->flag, HEALTH_EVIDENCE_LEN,
                 "a complaint answered after %s business hours on %s, %g times or more the %s promised "
                 "(flag_complaint_response_times, flag_felt_days)",
                 hours(w->felt_complaint_hours, x), w->felt_complaint_on, times, hours(w->felt_complaint_promised, y));
    else
        return;
    double ratio = w->complaint_wait_ratio >= times ? w->complaint_wait_ratio : w->felt_complaint_ratio;
    twice_over(f, ratio, times);
    if (!f->twice)
        counts_as(f, t[HT_COMPLAINT_FLAG_COUNTS], "complaint_flag_counts");
}

static void invoices_overdue(const health_set *s, const health_view *w, int64_t as_of, factor_out *f)
{
    if (!w->invoices) {
        no_data(f, "no invoices");
        return;
    }
    f->has_data = 1;
    if (!w->inv_overdue) {
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "none of %d invoices overdue", w->invoices);
        return;
    }
    int64_t due = 0;
    clock_parse_date(w->inv_oldest_due, &due);
    long days = (long)((as_of - as_of % DAY - due) / DAY);
    f->fraction = clamp01(days / s->cfg.threshold[HT_INVOICE_FULL_DAYS]);
    snprintf(f->ev, HEALTH_EVIDENCE_LEN, "%d invoice%s overdue, the oldest by %ld days (due %s)", w->inv_overdue,
             w->inv_overdue > 1 ? "s" : "", days, w->inv_oldest_due);
}

static void scope_growth(const health_set *s, const health_client *c, factor_out *f)
{
    if (!c->projects) {
        no_data(f, "no agreed project with a budget");
        return;
    }
    f->has_data = 1;
    f->fraction = ramp(c->scope_ratio, s->cfg.threshold[HT_SCOPE_GROWTH_START], s->cfg.threshold[HT_SCOPE_GROWTH_FULL]);
    char cost[MONEY_LEN], budget[MONEY_LEN];
    money_format(c->scope_cost, cost);
    money_format(c->scope_budget, budget);
    snprintf(f->ev, HEALTH_EVIDENCE_LEN, "%.60s: approved changes %s on a budget of %s (%+.0f%%)",
             c->scope_project ? c->scope_project : "project", cost, budget, c->scope_ratio * 100);
}

/* The highest score the flags allow, and the band: one flag keeps a client below healthy (watch at best);
 * two or more (a flag may count two), or one corroborated by a second factor at half its weight or
 * more, keep it below watch (at risk), whatever the other factors say; the weights still order clients
 * within a band. */
static void cap_and_band(const health_set *s, health_result *out)
{
    out->cap = 100;
    if (out->flags >= 2 || out->corroborated)
        out->cap = (int)ceil(s->cfg.watch) - 1;
    else if (out->flags == 1)
        out->cap = (int)ceil(s->cfg.healthy) - 1;
    if (out->cap < 0)
        out->cap = 0;
    out->score = out->points_score < out->cap ? out->points_score : out->cap;
    out->band = out->score >= s->cfg.healthy ? HEALTH_HEALTHY : out->score >= s->cfg.watch ? HEALTH_WATCH : HEALTH_AT_RISK;
}

/* A factor losing half its weight or more on current data ("nothing for too long" is not a signal of
 * its own): a moderate signal, which corroborates a flag. */
static int moderate(const health_result *r, int k)
{
    return r->max_points[k] > 0 && r->data[k] == HEALTH_DATA_CURRENT && r->fraction[k] >= 0.5;
}

/* Whether flag k is transient by nature: reply times and the client's own messages are measured over
 * the last 30 days against its own usual, and a busy month moves both at once for a few weeks. */
static int behaviour(int k) { return k == HF_REPLY_LATENCY || k == HF_INTERACTION_FREQUENCY; }

static void note(char *rule, const char *what)
{
    size_t k = strlen(rule);
    snprintf(rule + k, HEALTH_EVIDENCE_LEN - k, "%s", what);
}

/* The rule at one instant, without looking back. */
static void evaluate_look(const health_set *s, size_t i, int view, health_result *out)
{
    memset(out, 0, sizeof *out);
    const health_client *c = &s->c[i];
    const health_view *w = &c->v[view];
    int64_t as_of = s->as_of[view];
    factor_out f[HF_COUNT];
    for (int k = 0; k < HF_COUNT; k++)
        f[k] = (factor_out){0, 0, 0, out->evidence[k], out->flag_rule[k], 0, 0};
    reply_latency(s, w, &f[HF_REPLY_LATENCY]);
    interaction_frequency(s, c, w, as_of, &f[HF_INTERACTION_FREQUENCY]);
    cadence_lapse(s, c, w, as_of, &f[HF_CADENCE_LAPSE]);
    overdue_deliverables(s, w, as_of, &f[HF_OVERDUE_DELIVERABLES]);
    satisfaction(s, c, w, as_of, &f[HF_SATISFACTION]);
    complaints_sla(s, w, as_of, &f[HF_COMPLAINTS_SLA]);
    invoices_overdue(s, w, as_of, &f[HF_INVOICES_OVERDUE]);
    scope_growth(s, c, &f[HF_SCOPE_GROWTH]);
    /* weights are relative: scaled so they sum to 100 (at the defaults they already do) */
    double total = 0, lost = 0;
    for (int k = 0; k < HF_COUNT; k++)
        total += s->cfg.weight[k];
    for (int k = 0; k < HF_COUNT; k++) {
        out->max_points[k] = total > 0 ? s->cfg.weight[k] * 100 / total : 0;
        out->fraction[k] = f[k].fraction;
        out->lost[k] = out->max_points[k] * f[k].fraction;
        out->has_data[k] = f[k].has_data;
        out->data[k] = f[k].stale ? HEALTH_DATA_STALE : f[k].has_data ? HEALTH_DATA_CURRENT : HEALTH_DATA_NONE;
        /* a factor switched off raises no flag */
        out->flagged[k] = s->cfg.weight[k] > 0 && f[k].flag[0];
        if (!out->flagged[k])
            f[k].flag[0] = '\0';
        int counts = 1 + f[k].twice;
        out->flags += out->flagged[k] ? (f[k].counts > counts ? f[k].counts : counts) : 0;
        lost += out->lost[k];
    }
    long score = lround(100 - lost);
    out->points_score = (int)(score < 0 ? 0 : score > 100 ? 100 : score);
    /* A flag is corroborated by a second factor losing half its weight or more, but reply times and the
     * client's own messages do not corroborate each other unless behaviour_corroborates_behaviour: a
     * busy month slows replies and thins messages together, one cause seen twice. */
    int behaviour_flag = 0, corroborated = 0;
    for (int k = 0; k < HF_COUNT; k++)
        behaviour_flag |= out->flagged[k] && behaviour(k);
    for (int k = 0; k < HF_COUNT; k++)
        corroborated |= !out->flagged[k] && moderate(out, k) &&
                        !(behaviour(k) && behaviour_flag && !s->cfg.threshold[HT_BEHAVIOUR_CORROBORATES]);
    out->corroborated = out->flags == 1 && corroborated;
    cap_and_band(s, out);
}

/* Whether flag k has held: raised at this look and at each of the last flag_sustained_weeks weekly
 * looks; for reply times and the client's messages, measured over the last 30 days, at the look a whole
 * window back (the weekly looks would see mostly the same replies again). Silence is a measure of time
 * already. back[j] is look j + 1; nback how many there are. */
static int held(const health_result *out, const health_result *back, int nback, int weeks, int k)
{
    if (!out->flagged[k] || out->data[k] == HEALTH_DATA_STALE)
        return 0;
    if (behaviour(k))
        return nback >= HEALTH_LOOKS && back[HEALTH_LOOKS - 1].flagged[k];
    for (int j = 0; j < weeks; j++)
        if (j >= nback || !back[j].flagged[k])
            return 0;
    return 1;
}

/* Persistence (flag_sustained_weeks, 0: off): a flag that has held counts one more. */
static void sustain(const health_set *s, health_result *out, const health_result *back, int nback)
{
    int weeks = (int)s->cfg.threshold[HT_SUSTAINED_WEEKS];
    if (weeks <= 0)
        return;
    for (int k = 0; k < HF_COUNT; k++)
        if (held(out, back, nback, weeks, k)) {
            out->sustained[k] = 1;
            out->flags++;
            char what[100];
            if (behaviour(k))
                snprintf(what, sizeof what, "; raised 30 days before too, it counts one more (flag_sustained_weeks)");
            else
                snprintf(what, sizeof what, "; held %d weekly looks, it counts one more (flag_sustained_weeks)",
                         weeks + 1);
            note(out->flag_rule[k], what);
        }
    out->corroborated = out->corroborated && out->flags == 1;
    cap_and_band(s, out);
}

void health_evaluate(const health_set *s, size_t i, int view, health_result *out)
{
    evaluate_look(s, i, view, out);
    if (view >= HEALTH_INSTANTS)
        return;
    /* only the looks the settings use: all of them for persistence, the week before for hysteresis */
    double margin = s->cfg.threshold[HT_RECOVER_POINTS];
    int looks = s->cfg.threshold[HT_SUSTAINED_WEEKS] > 0 ? HEALTH_LOOKS : margin > 0;
    if (!looks)
        return;
    health_result back[HEALTH_LOOKS], before;
    for (int j = 1; j <= looks; j++)
        evaluate_look(s, i, health_look_view(view, j), &back[j - 1]);
    before = back[0];
    sustain(s, &before, back + 1, looks - 1);
    sustain(s, out, back, looks);
    /* Hysteresis: a client at risk a week ago stays at risk while a red flag remains or its score is
     * below watch + recover_points: one good week does not make it safe. */
    if (margin > 0 && before.band == HEALTH_AT_RISK && out->band == HEALTH_WATCH &&
        (out->flags > 0 || out->score < s->cfg.watch + margin)) {
        out->held = 1;
        int cap = (int)ceil(s->cfg.watch) - 1;
        out->cap = cap < 0 ? 0 : cap;
        out->score = out->points_score < out->cap ? out->points_score : out->cap;
        out->band = HEALTH_AT_RISK;
    }
}
