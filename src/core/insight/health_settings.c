/* health_settings: the health score's weights, bands and thresholds — the defaults, a workspace's
 * overrides (workspaces.health_settings), and the check that refuses a setting the score would not
 * understand before it is stored (see docs/health.md for what each one means). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/insight/health.h"
#include "core/insight/latency.h"

const char *const health_factor_names[HF_COUNT] = {
    "reply_latency",   "interaction_frequency", "cadence_lapse",     "overdue_deliverables",
    "satisfaction",    "complaints_sla",        "invoices_overdue",  "scope_growth"};
const char *const health_band_names[HEALTH_NBANDS] = {"healthy", "watch", "at_risk"};

static const double DEFAULT_WEIGHTS[HF_COUNT] = {15, 10, 15, 15, 15, 10, 10, 10};

static const struct threshold {
    const char *name;
    double def;
} THRESHOLDS[HT_COUNT] = {
    [HT_LATENCY_MIN_REPLIES] = {"latency_min_replies", 2},     /* replies needed in each window to compare */
    [HT_LATENCY_MIN_HOURS] = {"latency_min_hours", 4},         /* a recent median under this is never slow */
    [HT_LATENCY_SLOWDOWN_START] = {"latency_slowdown_start", 1.5}, /* recent / baseline where loss starts */
    [HT_LATENCY_SLOWDOWN_FULL] = {"latency_slowdown_full", 4},     /* ... and where it is whole */
    [HT_FREQUENCY_MIN_MONTHLY] = {"frequency_min_monthly", 1}, /* baseline monthly average needed to compare */
    [HT_FREQUENCY_DROP_START] = {"frequency_drop_start", 0.25}, /* a drop up to this share is normal */
    [HT_DELIVERABLES_FULL] = {"deliverables_overdue_full", 3},
    [HT_CSAT_GOOD] = {"csat_good", 4},
    [HT_CSAT_BAD] = {"csat_bad", 2},
    [HT_NPS_GOOD] = {"nps_good", 7},
    [HT_NPS_BAD] = {"nps_bad", 3},
    [HT_PULSE_GOOD] = {"pulse_good", 4},
    [HT_PULSE_BAD] = {"pulse_bad", 2},
    [HT_COMPLAINTS_FULL] = {"complaints_full", 2},
    [HT_BREACHES_FULL] = {"breaches_full", 4},
    [HT_BREACH_WINDOW_DAYS] = {"breach_window_days", 90},
    [HT_INVOICE_FULL_DAYS] = {"invoice_overdue_full_days", 60},
    [HT_SCOPE_GROWTH_START] = {"scope_growth_start", 0.10},
    [HT_SCOPE_GROWTH_FULL] = {"scope_growth_full", 0.50},
    /* red flags (0 switches one off): one moves a client to watch at best, two to at risk */
    [HT_FLAG_CADENCE_LAPSES] = {"flag_cadence_lapses", 3},           /* cadences without an update */
    [HT_FLAG_COMPLAINT_TIMES] = {"flag_complaint_response_times", 3}, /* x the promised response, unanswered */
    [HT_FLAG_DELIVERABLE_DAYS] = {"flag_deliverable_business_days", 10},
    [HT_FLAG_NPS] = {"flag_nps_at_most", 6},
    [HT_FLAG_CSAT] = {"flag_csat_at_most", 2},                     /* CSAT and pulse, both 1-5 */
    [HT_FLAG_FEEDBACK_DAYS] = {"flag_feedback_days", 90},           /* how recent a low score must be */
    [HT_FLAG_LATENCY_SLOWDOWN] = {"flag_latency_slowdown", 3},      /* replies this many times slower */
    [HT_FLAG_FREQUENCY_DROP] = {"flag_frequency_drop", 0.75},       /* the client's messages down by this share */
    /* nothing for too long, from a client with us longer than that (0: never) */
    [HT_SILENCE_DAYS] = {"silence_days", 120},          /* nothing from the client (at most 210 is seen) */
    [HT_FEEDBACK_STALE_DAYS] = {"feedback_stale_days", 365}, /* no scored feedback */
    /* how much a flag counts (docs/health.md "Calibration" says why) */
    [HT_COMPLAINT_FLAG_COUNTS] = {"complaint_flag_counts", 2},     /* the complaint flag counts as this many */
    [HT_DELIVERABLE_FLAG_COUNTS] = {"deliverable_flag_counts", 2}, /* the late deliverable's flag likewise */
    [HT_FLAG_NPS_TWICE] = {"flag_nps_twice_below", 5},  /* a flagged NPS below this counts as two (0: never) */
    [HT_FLAG_CSAT_TWICE] = {"flag_csat_twice_below", 2}, /* a flagged CSAT or pulse likewise */
    /* 1: reply latency and interaction frequency corroborate each other's flag (the rule before) */
    [HT_BEHAVIOUR_CORROBORATES] = {"behaviour_corroborates_behaviour", 0},
    /* across weekly looks (0 switches one off) */
    [HT_SUSTAINED_WEEKS] = {"flag_sustained_weeks", 0},   /* a flag held this many weekly looks back counts one more */
    [HT_RECOVER_POINTS] = {"recover_points", 5},          /* at risk a week ago: until watch + this, and no flag left */
    /* an outbound message this many business hours or less after a message the client raised answers it:
     * not an update (0: every outbound message is an update, the check-ins' rule) */
    [HT_UPDATE_ANSWER_HOURS] = {"update_answer_hours", 24},
    /* the client's replies and messages in the last this many days against the rest of the 210 before */
    [HT_BEHAVIOUR_WINDOW_DAYS] = {"behaviour_window_days", 60},
    /* flag replies when so many slow ones would come by chance less often than this (0: flag_latency_slowdown) */
    [HT_LATENCY_TEST_P] = {"latency_test_p", 0.02},
    [HT_LATENCY_TEST_MIN_REPLIES] = {"latency_test_min_replies", 5}, /* replies before the window to compare */
    /* flag the client's messages when so few would come by chance less often than this (0: flag_frequency_drop) */
    [HT_FREQUENCY_TEST_P] = {"frequency_test_p", 0.05},
    /* cadences without an update where the cadence factor loses its whole weight (due at one) */
    [HT_CADENCE_FULL_LAPSES] = {"cadence_full_lapses", 3},
    /* a behaviour test's flag counts as two below this chance (0: never) */
    [HT_BEHAVIOUR_TWICE_P] = {"behaviour_twice_p", 0.001},
    /* a complaint that waited flag_complaint_response_times its promise, or a deliverable delivered
     * flag_deliverable_business_days late, still raises its flag this many days after it was answered or
     * delivered: the client felt it (0: only while it waits) */
    [HT_FLAG_FELT_DAYS] = {"flag_felt_days", 60},
};

static int find(const char *const *names, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], key))
            return i;
    return -1;
}

static int threshold_index(const char *key)
{
    for (int i = 0; i < HT_COUNT; i++)
        if (!strcmp(THRESHOLDS[i].name, key))
            return i;
    return -1;
}

int health_band_parse(const char *s)
{
    return s ? find(health_band_names, HEALTH_NBANDS, s) : -1;
}

/* Every refusal names the whole setting; each call's format is a literal the compiler checks. */
#define bad(e, ...) err_set((e), E_INVALID_VALUE, "health_settings", __VA_ARGS__)

/* "(a, b, c)": the names a key may take, from their table. */
static int bad_key(err_t *e, const char *where, const char *what, const char *key, const char *const *names, int n)
{
    strbuf known = STRBUF_INIT;
    strbuf_add_joined(&known, names, n, ", ");
    int rc = bad(e, "health_settings.%s: unknown %s %.40s (%s)", where, what, key, known.buf);
    strbuf_release(&known);
    return rc;
}

/* Applies src over out; with check set, refuses what it does not know instead. */
static int apply(json_t *src, health_settings *out, err_t *e)
{
    if (!json_is_object(src))
        return err_set(e, E_INVALID_VALUE, "health_settings",
                       "health_settings must be an object like {\"weights\": {\"reply_latency\": 15}}");
    const char *key, *k;
    json_t *v, *x;
    json_object_foreach(src, key, v) {
        int weights = !strcmp(key, "weights"), bands = !strcmp(key, "bands"), th = !strcmp(key, "thresholds");
        if (!weights && !bands && !th)
            return bad(e, "health_settings: unknown key %.40s (weights, bands, thresholds)", key);
        if (!json_is_object(v))
            return bad(e, "health_settings.%s must be an object", key);
        json_object_foreach(v, k, x) {
            if (!json_is_number(x))
                return bad(e, "health_settings: %.40s must be a number", k);
            double n = json_number_value(x);
            if (!isfinite(n) || n < 0)
                return bad(e, "health_settings: %.40s must not be negative", k);
            if (weights) {
                int f = find(health_factor_names, HF_COUNT, k);
                if (f < 0)
                    return bad_key(e, "weights", "factor", k, health_factor_names, HF_COUNT);
                if (n > 100)
                    return bad(e, "health_settings.weights.%.40s must be 0 to 100", k);
                out->weight[f] = n;
            } else if (bands) {
                if (strcmp(k, health_band_names[HEALTH_HEALTHY]) && strcmp(k, health_band_names[HEALTH_WATCH]))
                    return bad_key(e, "bands", "band", k, health_band_names, HEALTH_AT_RISK); /* at_risk is the rest */
                if (n > 100)
                    return bad(e, "health_settings.bands.%.40s must be 0 to 100", k);
                *(!strcmp(k, health_band_names[HEALTH_HEALTHY]) ? &out->healthy : &out->watch) = n;
            } else {
                int t = threshold_index(k);
                if (t < 0)
                    return bad(e, "health_settings.thresholds: unknown threshold %.40s (see docs/health.md)", k);
                out->threshold[t] = n;
            }
        }
    }
    double total = 0;
    for (int f = 0; f < HF_COUNT; f++)
        total += out->weight[f];
    if (total <= 0)
        return bad(e, "health_settings.weights: at least one factor needs a weight");
    if (out->watch > out->healthy)
        return bad(e, "health_settings.bands: watch must not be above healthy");
    /* pairs whose "full" must lie beyond their "start" for the penalty to grow between them */
    if (out->threshold[HT_CADENCE_FULL_LAPSES] <= 1)
        return bad(e, "health_settings.thresholds: %s must be above 1 (an update falls due at one)",
                   "cadence_full_lapses");
    static const int pairs[][2] = {{HT_LATENCY_SLOWDOWN_START, HT_LATENCY_SLOWDOWN_FULL},
                                   {HT_SCOPE_GROWTH_START, HT_SCOPE_GROWTH_FULL},
                                   {HT_CSAT_BAD, HT_CSAT_GOOD},
                                   {HT_NPS_BAD, HT_NPS_GOOD},
                                   {HT_PULSE_BAD, HT_PULSE_GOOD}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (out->threshold[pairs[i][1]] <= out->threshold[pairs[i][0]])
            return err_set(e, E_INVALID_VALUE, "health_settings", "health_settings.thresholds: %s must be above %s",
                           THRESHOLDS[pairs[i][1]].name, THRESHOLDS[pairs[i][0]].name);
    if (out->threshold[HT_FREQUENCY_DROP_START] >= 1)
        return bad(e, "health_settings.thresholds: %s must be below 1", "frequency_drop_start");
    if (out->threshold[HT_SILENCE_DAYS] > LATENCY_RECENT_DAYS + LATENCY_BASELINE_DAYS)
        return bad(e, "health_settings.thresholds: %s must be 210 or less (the interactions the score reads)",
                   "silence_days");
    static const int counts[] = {HT_COMPLAINT_FLAG_COUNTS, HT_DELIVERABLE_FLAG_COUNTS};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if (out->threshold[counts[i]] != 1 && out->threshold[counts[i]] != 2)
            return bad(e, "health_settings.thresholds: %s must be 1 or 2", THRESHOLDS[counts[i]].name);
    if (out->threshold[HT_BEHAVIOUR_CORROBORATES] != 0 && out->threshold[HT_BEHAVIOUR_CORROBORATES] != 1)
        return bad(e, "health_settings.thresholds: %s must be 0 or 1", "behaviour_corroborates_behaviour");
    double weeks = out->threshold[HT_SUSTAINED_WEEKS];
    if (weeks != floor(weeks) || weeks > HEALTH_SUSTAINED_WEEKS_MAX)
        return bad(e, "health_settings.thresholds: %s must be a whole number of weeks, %d or less",
                   "flag_sustained_weeks", HEALTH_SUSTAINED_WEEKS_MAX);
    double window = out->threshold[HT_BEHAVIOUR_WINDOW_DAYS];
    if (window != floor(window) || window < 14 || window > 120)
        return bad(e, "health_settings.thresholds: %s must be a whole number of days from 14 to 120",
                   "behaviour_window_days");
    if (out->threshold[HT_FLAG_FELT_DAYS] > 365)
        return bad(e, "health_settings.thresholds: %s must be 365 or less", "flag_felt_days");
    static const int chances[] = {HT_LATENCY_TEST_P, HT_FREQUENCY_TEST_P, HT_BEHAVIOUR_TWICE_P};
    for (size_t i = 0; i < sizeof chances / sizeof chances[0]; i++)
        if (out->threshold[chances[i]] >= 0.5)
            return bad(e, "health_settings.thresholds: %s must be below 0.5 (a chance, 0: off)",
                       THRESHOLDS[chances[i]].name);
    static const int positive[] = {HT_DELIVERABLES_FULL, HT_COMPLAINTS_FULL, HT_BREACHES_FULL, HT_INVOICE_FULL_DAYS};
    for (size_t i = 0; i < sizeof positive / sizeof positive[0]; i++)
        if (out->threshold[positive[i]] <= 0)
            return bad(e, "health_settings.thresholds: %s must be above 0", THRESHOLDS[positive[i]].name);
    return 0;
}

static void defaults(health_settings *out)
{
    memcpy(out->weight, DEFAULT_WEIGHTS, sizeof DEFAULT_WEIGHTS);
    out->healthy = 70;
    out->watch = 40;
    for (int i = 0; i < HT_COUNT; i++)
        out->threshold[i] = THRESHOLDS[i].def;
}

int health_settings_check(json_t *settings, err_t *e)
{
    health_settings s;
    defaults(&s);
    return apply(settings, &s, e);
}

int health_settings_load(db *d, const actor *who, health_settings *out, err_t *e)
{
    defaults(out);
    db_stmt *s;
    const char *args[] = {who->workspace_id};
    int rc = db_query_row(d, &s, e, "SELECT health_settings FROM workspaces WHERE id = ?", 1, args);
    if (rc < 0)
        return rc;
    if (rc == DB_DONE)
        return err_set(e, E_INTERNAL, NULL, "workspace %.60s not found", who->workspace_id);
    json_t *j = json_loads(db_col_text(s, 0, NULL), 0, NULL);
    db_finalize(s);
    health_settings tried = *out;
    /* stored settings were checked on the way in; should one not apply, the defaults still score */
    err_t ignored;
    if (j && apply(j, &tried, &ignored) == 0)
        *out = tried;
    json_decref(j);
    return 0;
}

void health_settings_describe(const health_settings *s, strbuf *out)
{
    health_settings def;
    defaults(&def);
    strbuf_adds(out, "{\"factors\":[");
    for (int f = 0; f < HF_COUNT; f++)
        strbuf_addf(out, "%s{\"factor\":\"%s\",\"weight\":%g,\"default\":%g}", f ? "," : "", health_factor_names[f],
                    s->weight[f], def.weight[f]);
    strbuf_addf(out, "],\"bands\":{\"healthy\":%g,\"watch\":%g,\"default_healthy\":%g,\"default_watch\":%g}",
                s->healthy, s->watch, def.healthy, def.watch);
    strbuf_adds(out, ",\"thresholds\":[");
    for (int t = 0; t < HT_COUNT; t++)
        strbuf_addf(out, "%s{\"name\":\"%s\",\"value\":%g,\"default\":%g,\"flag\":%s}", t ? "," : "",
                    THRESHOLDS[t].name, s->threshold[t], THRESHOLDS[t].def,
                    strncmp(THRESHOLDS[t].name, "flag_", 5) ? "false" : "true");
    strbuf_adds(out, "]}");
}
