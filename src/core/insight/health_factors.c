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
    char *ev; /* HEALTH_EVIDENCE_LEN */
} factor_out;

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

static void reply_latency(const health_set *s, const health_view *w, factor_out *f)
{
    const double *t = s->cfg.threshold;
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
}

static void interaction_frequency(const health_set *s, const health_view *w, factor_out *f)
{
    const double *t = s->cfg.threshold;
    double monthly = w->lat.baseline_count / (LATENCY_BASELINE_DAYS / 30.0);
    char x[32];
    if (monthly < t[HT_FREQUENCY_MIN_MONTHLY] || monthly <= 0) {
        snprintf(f->ev, HEALTH_EVIDENCE_LEN,
                 "no data: %d interactions in the 180 days before the last 30 (%g a month needed to compare)",
                 w->lat.baseline_count, t[HT_FREQUENCY_MIN_MONTHLY]);
        return;
    }
    f->has_data = 1;
    double drop = 1 - w->lat.recent_count / monthly;
    f->fraction = ramp(drop, t[HT_FREQUENCY_DROP_START], 1);
    snprintf(f->ev, HEALTH_EVIDENCE_LEN, "%s%d interactions in the last 30 days vs %s a month before",
             f->fraction > 0 ? "fewer interactions: " : "", w->lat.recent_count, hours(monthly, x));
}

static void cadence_lapse(const health_set *s, const health_client *c, const health_view *w, int64_t as_of,
                          factor_out *f)
{
    (void)s;
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
    int64_t period = checkin_add_cadence(due, c->cadence) - due;
    f->fraction = clamp01((double)(as_of - due) / (double)period);
    if (w->last_update)
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "no update for %ld days; cadence is %s", days, c->cadence);
    else
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "no update since the relationship started %ld days ago; cadence is %s",
                 days, c->cadence);
}

static void overdue_deliverables(const health_set *s, const health_view *w, factor_out *f)
{
    if (!w->deliverables) {
        no_data(f, "no deliverables with a due date");
        return;
    }
    f->has_data = 1;
    f->fraction = clamp01(w->dlv_overdue / s->cfg.threshold[HT_DELIVERABLES_FULL]);
    if (w->dlv_overdue)
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "%d deliverable%s overdue (the oldest due %s)", w->dlv_overdue,
                 w->dlv_overdue > 1 ? "s" : "", w->dlv_oldest_due);
    else
        snprintf(f->ev, HEALTH_EVIDENCE_LEN, "none of %d deliverables overdue", w->deliverables);
}

static void satisfaction(const health_set *s, const health_view *w, factor_out *f)
{
    if (!w->has_feedback) {
        no_data(f, "no scored feedback (CSAT, NPS or pulse)");
        return;
    }
    const double *t = s->cfg.threshold;
    f->has_data = 1;
    int nps = !strcmp(w->fb_kind, "nps"), csat = !strcmp(w->fb_kind, "csat");
    double good = t[nps ? HT_NPS_GOOD : csat ? HT_CSAT_GOOD : HT_PULSE_GOOD],
           bad = t[nps ? HT_NPS_BAD : csat ? HT_CSAT_BAD : HT_PULSE_BAD];
    f->fraction = 1 - ramp(w->fb_score, bad, good);
    snprintf(f->ev, HEALTH_EVIDENCE_LEN, "%s %d/%d on %s", nps ? "NPS" : csat ? "CSAT" : "pulse", w->fb_score,
             nps ? 10 : 5, w->fb_on);
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
        int days_open = 0;
        for (int d = 0; d < 7; d++)
            days_open += s->cal.nopen[d] > 0;
        int64_t day_len = s->cal.week_seconds / (days_open ? days_open : 1);
        long open_days = (long)(bizhours_between(&s->cal, w->complaint_oldest, as_of) / (day_len ? day_len : 1));
        if (w->complaints_open == 1)
            snprintf(a, sizeof a, "complaint open for %ld business days", open_days);
        else
            snprintf(a, sizeof a, "%d complaints open, the oldest for %ld business days", w->complaints_open,
                     open_days);
    }
    snprintf(b, sizeof b, "%d late first response%s in the last %g days", w->breaches, w->breaches == 1 ? "" : "s",
             t[HT_BREACH_WINDOW_DAYS]);
    snprintf(f->ev, HEALTH_EVIDENCE_LEN, "%s; %s", a, b);
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

void health_evaluate(const health_set *s, size_t i, int view, health_result *out)
{
    memset(out, 0, sizeof *out);
    const health_client *c = &s->c[i];
    const health_view *w = &c->v[view];
    int64_t as_of = s->as_of[view];
    factor_out f[HF_COUNT];
    for (int k = 0; k < HF_COUNT; k++)
        f[k] = (factor_out){0, 0, out->evidence[k]};
    reply_latency(s, w, &f[HF_REPLY_LATENCY]);
    interaction_frequency(s, w, &f[HF_INTERACTION_FREQUENCY]);
    cadence_lapse(s, c, w, as_of, &f[HF_CADENCE_LAPSE]);
    overdue_deliverables(s, w, &f[HF_OVERDUE_DELIVERABLES]);
    satisfaction(s, w, &f[HF_SATISFACTION]);
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
        lost += out->lost[k];
    }
    long score = lround(100 - lost);
    out->score = (int)(score < 0 ? 0 : score > 100 ? 100 : score);
    out->band = out->score >= s->cfg.healthy ? HEALTH_HEALTHY : out->score >= s->cfg.watch ? HEALTH_WATCH : HEALTH_AT_RISK;
}
