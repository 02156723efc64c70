/* health: an explainable 0-100 health score per client, and the at-risk list (docs/health.md).
 *
 * Each factor has a weight and yields a penalty fraction 0..1 with evidence in words and numbers; the
 * points it loses are weight x fraction, scaled so the weights sum to 100; score = 100 - points lost;
 * band healthy / watch / at_risk by the workspace's thresholds. A factor without data loses nothing and
 * says so. Every computation takes its "as of" instant explicitly, so the score 30 days ago is the same
 * code run on the past. All clients are scored from a handful of set-based queries, not per client. */
#ifndef RAPPORT_HEALTH_H
#define RAPPORT_HEALTH_H
#include <stdio.h>

#include "core/model/entity.h"

enum { HEALTH_HEALTHY, HEALTH_WATCH, HEALTH_AT_RISK, HEALTH_NBANDS };

enum {
    HF_REPLY_LATENCY,
    HF_INTERACTION_FREQUENCY,
    HF_CADENCE_LAPSE,
    HF_OVERDUE_DELIVERABLES,
    HF_SATISFACTION,
    HF_COMPLAINTS_SLA,
    HF_INVOICES_OVERDUE,
    HF_SCOPE_GROWTH,
    HF_COUNT
};

enum {
    HT_LATENCY_MIN_REPLIES,
    HT_LATENCY_MIN_HOURS,
    HT_LATENCY_SLOWDOWN_START,
    HT_LATENCY_SLOWDOWN_FULL,
    HT_FREQUENCY_MIN_MONTHLY,
    HT_FREQUENCY_DROP_START,
    HT_DELIVERABLES_FULL,
    HT_CSAT_GOOD,
    HT_CSAT_BAD,
    HT_NPS_GOOD,
    HT_NPS_BAD,
    HT_PULSE_GOOD,
    HT_PULSE_BAD,
    HT_COMPLAINTS_FULL,
    HT_BREACHES_FULL,
    HT_BREACH_WINDOW_DAYS,
    HT_INVOICE_FULL_DAYS,
    HT_SCOPE_GROWTH_START,
    HT_SCOPE_GROWTH_FULL,
    /* red flags: one factor at its worst (docs/health.md, "Red flags") */
    HT_FLAG_CADENCE_LAPSES,
    HT_FLAG_COMPLAINT_TIMES,
    HT_FLAG_DELIVERABLE_DAYS,
    HT_FLAG_NPS,
    HT_FLAG_CSAT,
    HT_FLAG_FEEDBACK_DAYS,
    HT_FLAG_LATENCY_SLOWDOWN,
    HT_FLAG_FREQUENCY_DROP,
    /* "nothing for too long", as against "no data yet" */
    HT_SILENCE_DAYS,
    HT_FEEDBACK_STALE_DAYS,
    /* how much a flag counts, what corroborates it, persistence and hysteresis */
    HT_COMPLAINT_FLAG_COUNTS,
    HT_DELIVERABLE_FLAG_COUNTS,
    HT_FLAG_NPS_TWICE,
    HT_FLAG_CSAT_TWICE,
    HT_BEHAVIOUR_CORROBORATES,
    HT_SUSTAINED_WEEKS,
    HT_RECOVER_POINTS,
    /* what an update is, and the client's behaviour tested against its own past */
    HT_UPDATE_ANSWER_HOURS,
    HT_BEHAVIOUR_WINDOW_DAYS,
    HT_LATENCY_TEST_P,
    HT_LATENCY_TEST_MIN_REPLIES,
    HT_FREQUENCY_TEST_P,
    HT_CADENCE_FULL_LAPSES,
    HT_BEHAVIOUR_TWICE_P,
    HT_FLAG_FELT_DAYS,
    HT_COUNT
};
/* the weekly looks the score keeps behind each instant allow a flag held this many weeks back */
#define HEALTH_SUSTAINED_WEEKS_MAX 2

typedef struct health_settings {
    double weight[HF_COUNT];
    double healthy, watch; /* score >= healthy: healthy; >= watch: watch; else at risk */
    double threshold[HT_COUNT];
} health_settings;

extern const char *const health_factor_names[HF_COUNT];
extern const char *const health_band_names[HEALTH_NBANDS];

/* Checks a health_settings value before it is stored: an object of weights (factor: 0..100), bands
 * (healthy, watch: 0..100, watch <= healthy) and thresholds (name: number >= 0); anything unknown is
 * E_INVALID_VALUE on the field health_settings, naming it. */
int health_settings_check(json_t *settings, err_t *e);
/* The workspace's settings: the defaults with its overrides applied. */
int health_settings_load(db *d, const actor *who, health_settings *out, err_t *e);
/* GET /settings/health: every factor with its weight in force and default, the bands, and every
 * threshold (red flags marked "flag") with its value and default — what a settings page needs with no
 * client to read them from. */
void health_settings_describe(const health_settings *s, strbuf *out);

/* GET /clients/{id}/health: {"client_id", "client_name", "as_of", "score", "band", "score_30_days_ago",
 * "change_30_days", "factors": [{"factor", "weight", "max_points", "fraction", "points_lost", "has_data",
 * "evidence"}]} */
int health_score(db *d, const actor *who, const char *client_id, int64_t as_of, strbuf *out, err_t *e);

typedef struct health_query {
    int64_t as_of;
    const char *owner_id; /* NULL: everyone's */
    int band;             /* -1: all */
    int limit;
    int stored;           /* as_of is now: the stored scores may narrow who is scored (health_store.c) */
} health_query;

/* The active clients, lowest score first, each with its top reasons and its change over 30 days:
 * {"as_of", "data": [{"client_id", "client_name", "owner_id", "score", "band", "score_30_days_ago",
 * "change_30_days", "reasons": [{"factor", "points_lost", "evidence"}]}], "total"} */
int health_at_risk(db *d, const actor *who, const health_query *q, strbuf *out, err_t *e);

/* The same entries for every client of a scope (latency.h's client_scope), riskiest first. */
struct client_scope;
int health_list_scope(db *d, const actor *who, const struct client_scope *scope, int64_t as_of, strbuf *out,
                      err_t *e);

/* How many active clients are in each band as of an instant (for reports). */
int health_band_counts(db *d, const actor *who, int64_t as_of, int counts[HEALTH_NBANDS], err_t *e);

/* SVG bars of health_band_counts (health_chart.c). */
int health_chart_bands(db *d, const actor *who, int64_t as_of, strbuf *svg, err_t *e);

/* How well the score warns, on the workspace's history (health_calibrate.c): the score as of each of the
 * last `weeks` weeks against who left in the last 180 days and who stayed. {"as_of", "weeks", "leavers":
 * {"count", "flagged", "flagged_early", "share_flagged", "share_flagged_early", "lead_days_median",
 * "lead_days_p10"}, "stayers": {"count", "flagged", "share_flagged"}, "by_story": {...},
 * "leavers_by_first_sign": {"never_or_under_30_days" | "30_to_59_days" | "60_days_or_more": {"count",
 * "flagged_early"}} (from the stories' custom.story_first_sign_days), "targets"}. With `looks` (else NULL),
 * every look inside a client's outcome window as a CSV row there: what the score saw and how it ended. */
int health_calibrate(db *d, const actor *who, int weeks, FILE *looks, strbuf *out, err_t *e);

/* "healthy", "watch", "at_risk" → the band, or -1. */
int health_band_parse(const char *s);

#endif
