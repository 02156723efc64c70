/* test_health_rule: the health score's rule on facts set by hand (core/insight/health_factors.c) — how
 * much a red flag counts (a complaint left waiting and a late deliverable count two, a low NPS twice
 * over), that reply times and the client's own messages do not corroborate each other (a busy month),
 * persistence (a flag raised a whole window before too counts one more) and hysteresis (at risk a week
 * ago, still at risk while a flag remains). Each with its setting switched back, to show it is the
 * setting that moves the band. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "util/clock.h"
#include "core/insight/health_impl.h"
#include "unit_db.h"

#define DAY 86400

typedef struct fixture {
    char path[64];
    db *d;
    actor owner;
    health_set s;
    health_client c;
} fixture;

static int setup(void **state)
{
    setenv("RAPPORT_NOW", "2026-11-20T12:00:00Z", 1);
    assert_int_equal(clock_init(), 0);
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/rapport-test-health-rule-XXXXXX");
    assert_int_equal(unit_db_open(f->path, "Northwind", &f->d, &f->owner), 0);
    err_t e;
    assert_int_equal(health_settings_load(f->d, &f->owner, &f->s.cfg, &e), 0); /* the defaults */
    /* the behaviour facts below are the 30-day ratios (latency_test_p and frequency_test_p 0; the tests that
     * replace them by default are test_health_behaviour's) */
    f->s.cfg.threshold[HT_LATENCY_TEST_P] = 0;
    f->s.cfg.threshold[HT_FREQUENCY_TEST_P] = 0;
    assert_int_equal(bizcal_init(&f->s.cal, NULL, NULL, NULL, &e), 0);
    f->s.has_cal = 1;
    int64_t now = clock_now();
    f->s.as_of[0] = now;
    f->s.as_of[1] = now - HEALTH_CHANGE_DAYS * DAY;
    for (int v = 0; v < HEALTH_INSTANTS; v++)
        for (int j = 1; j <= HEALTH_LOOKS; j++)
            f->s.as_of[health_look_view(v, j)] = f->s.as_of[v] - (int64_t)health_look_days[j] * DAY;
    /* a client for 200 days, no cadence agreed, who wrote two days before each look */
    f->c.id = "cli_1";
    f->c.name = "Kestrel";
    f->c.since = now - 200 * DAY;
    for (int v = 0; v < HEALTH_VIEWS; v++)
        f->c.v[v].lat.last_inbound = f->s.as_of[v] - 2 * DAY;
    f->s.c = &f->c;
    f->s.n = 1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bizcal_release(&f->s.cal);
    unit_db_remove(f->d, f->path);
    free(f);
    return 0;
}

static int band(fixture *f, health_result *r)
{
    health_evaluate(&f->s, 0, 0, r);
    return r->band;
}

/* replies six times slower (a flag) and the client's messages down by two thirds (half its weight) */
static void slower_and_fewer(health_view *w)
{
    w->lat.theirs_recent = (latency_side){30, 3};
    w->lat.theirs_baseline = (latency_side){5, 6};
    w->lat.baseline_inbound = 36;
    w->lat.recent_inbound = 2;
}

static void complaint_waiting_counts_two(void **state)
{
    fixture *f = *state;
    health_view *w = &f->c.v[0];
    w->tickets = 1;
    w->complaints_open = 1;
    w->complaint_oldest = f->s.as_of[0] - 3 * DAY;
    w->complaint_wait_ratio = 4; /* 4 times its promise: over 3, under the 6 of twice over */
    w->complaint_waited_hours = 16;
    w->complaint_promised_hours = 4;
    health_result r;
    assert_int_equal(band(f, &r), HEALTH_AT_RISK);
    assert_int_equal(r.flags, 2);
    assert_non_null(strstr(r.flag_rule[HF_COMPLAINTS_SLA], "counts as 2 (complaint_flag_counts)"));
    f->s.cfg.threshold[HT_COMPLAINT_FLAG_COUNTS] = 1;
    assert_int_equal(band(f, &r), HEALTH_WATCH);
    assert_int_equal(r.flags, 1);
}

static void late_deliverable_counts_two(void **state)
{
    fixture *f = *state;
    health_view *w = &f->c.v[0];
    w->deliverables = 2;
    w->dlv_overdue = 1;
    snprintf(w->dlv_oldest_due, sizeof w->dlv_oldest_due, "2026-11-02"); /* 13 business days late */
    health_result r;
    assert_int_equal(band(f, &r), HEALTH_AT_RISK);
    assert_non_null(strstr(r.flag_rule[HF_OVERDUE_DELIVERABLES], "deliverable_flag_counts"));
    f->s.cfg.threshold[HT_DELIVERABLE_FLAG_COUNTS] = 1;
    assert_int_equal(band(f, &r), HEALTH_WATCH);
}

/* A complaint answered after waiting four times its promise, within flag_felt_days: the client felt it,
 * and the flag stays raised after the answer (gathered by health_data.c; here as its facts). */
static void complaint_answered_late_still_flags(void **state)
{
    fixture *f = *state;
    health_view *w = &f->c.v[0];
    w->tickets = 1;
    w->breaches = 1;
    w->felt_complaint_ratio = 4;
    w->felt_complaint_hours = 16;
    w->felt_complaint_promised = 4;
    snprintf(w->felt_complaint_on, sizeof w->felt_complaint_on, "2026-11-02");
    health_result r;
    assert_int_equal(band(f, &r), HEALTH_AT_RISK);
    assert_int_equal(r.flags, 2);
    assert_string_equal(r.flag_rule[HF_COMPLAINTS_SLA],
                        "a complaint answered after 16 business hours on 2026-11-02, 3 times or more the 4 promised "
                        "(flag_complaint_response_times, flag_felt_days); it counts as 2 (complaint_flag_counts)");
    w->felt_complaint_ratio = 2.5; /* answered late, but not three times late: points only */
    assert_int_equal(band(f, &r), HEALTH_HEALTHY);
    assert_false(r.flagged[HF_COMPLAINTS_SLA]);
    assert_true(r.lost[HF_COMPLAINTS_SLA] > 0);
}

/* A deliverable delivered 12 business days late, within flag_felt_days: flagged as if still late, and it
 * loses the points of one overdue deliverable. */
static void deliverable_delivered_late_still_flags(void **state)
{
    fixture *f = *state;
    health_view *w = &f->c.v[0];
    w->deliverables = 3;
    assert_int_equal(clock_parse_date("2026-10-01", &w->felt_dlv_due), 0);
    assert_int_equal(clock_parse("2026-10-20T10:00:00Z", &w->felt_dlv_delivered), 0); /* 12 business days (2 to 19 October, and an hour) */
    health_result r;
    assert_int_equal(band(f, &r), HEALTH_AT_RISK);
    assert_non_null(strstr(r.evidence[HF_OVERDUE_DELIVERABLES], "one delivered 12 business days late on 2026-10-20"));
    assert_non_null(strstr(r.flag_rule[HF_OVERDUE_DELIVERABLES], "delivered in the last flag_felt_days"));
    assert_true(r.fraction[HF_OVERDUE_DELIVERABLES] > 0.33 && r.fraction[HF_OVERDUE_DELIVERABLES] < 0.34);
    assert_int_equal(clock_parse("2026-10-09T10:00:00Z", &w->felt_dlv_delivered), 0); /* 6 business days */
    assert_int_equal(band(f, &r), HEALTH_HEALTHY);
    assert_false(r.flagged[HF_OVERDUE_DELIVERABLES]);
}

static void low_nps_twice_over(void **state)
{
    fixture *f = *state;
    health_view *w = &f->c.v[0];
    w->has_feedback = 1;
    snprintf(w->fb_kind, sizeof w->fb_kind, "nps");
    snprintf(w->fb_on, sizeof w->fb_on, "2026-11-10");
    w->fb_score = 6; /* a passive at the flag's edge: one flag */
    health_result r;
    assert_int_equal(band(f, &r), HEALTH_WATCH);
    w->fb_score = 4; /* near the bottom of the scale: twice over */
    assert_int_equal(band(f, &r), HEALTH_AT_RISK);
    assert_non_null(strstr(r.flag_rule[HF_SATISFACTION], "below 5 it counts as two (flag_nps_twice_below)"));
    f->s.cfg.threshold[HT_FLAG_NPS_TWICE] = 4;
    assert_int_equal(band(f, &r), HEALTH_WATCH);
}

static void busy_month_is_one_signal(void **state)
{
    fixture *f = *state;
    slower_and_fewer(&f->c.v[0]);
    health_result r;
    assert_int_equal(band(f, &r), HEALTH_WATCH);
    assert_true(r.flagged[HF_REPLY_LATENCY]);
    assert_true(r.fraction[HF_INTERACTION_FREQUENCY] >= 0.5);
    assert_false(r.corroborated);
    f->s.cfg.threshold[HT_BEHAVIOUR_CORROBORATES] = 1; /* the rule before: the second one corroborates */
    assert_int_equal(band(f, &r), HEALTH_AT_RISK);
    assert_true(r.corroborated);
}

static void flag_held_a_window_back_counts_more(void **state)
{
    fixture *f = *state;
    f->s.cfg.threshold[HT_SUSTAINED_WEEKS] = 2;
    slower_and_fewer(&f->c.v[0]);
    health_result r;
    assert_int_equal(band(f, &r), HEALTH_WATCH); /* not raised 30 days before */
    slower_and_fewer(&f->c.v[health_look_view(0, 1)]); /* a week before: the same replies, it adds nothing */
    assert_int_equal(band(f, &r), HEALTH_WATCH);
    slower_and_fewer(&f->c.v[health_look_view(0, 3)]); /* a whole window before: a drift, not a busy month */
    assert_int_equal(band(f, &r), HEALTH_AT_RISK);
    assert_true(r.sustained[HF_REPLY_LATENCY]);
    assert_non_null(strstr(r.flag_rule[HF_REPLY_LATENCY], "flag_sustained_weeks"));
    f->s.cfg.threshold[HT_SUSTAINED_WEEKS] = 0;
    assert_int_equal(band(f, &r), HEALTH_WATCH);
}

static void at_risk_a_week_ago_holds(void **state)
{
    fixture *f = *state;
    /* a week ago: replies slower and a complaint waiting (at risk); now the complaint is answered and
     * only the replies remain slow */
    health_view *before = &f->c.v[health_look_view(0, 1)];
    slower_and_fewer(before);
    before->tickets = 1;
    before->complaints_open = 1;
    before->complaint_oldest = f->s.as_of[0] - 10 * DAY;
    before->complaint_wait_ratio = 4;
    slower_and_fewer(&f->c.v[0]);
    f->c.v[0].tickets = 1;
    health_result r;
    assert_int_equal(band(f, &r), HEALTH_AT_RISK);
    assert_true(r.held);
    f->s.cfg.threshold[HT_RECOVER_POINTS] = 0;
    assert_int_equal(band(f, &r), HEALTH_WATCH);
    assert_false(r.held);
    /* with hysteresis, no flag left and the points well above watch: it leaves */
    f->s.cfg.threshold[HT_RECOVER_POINTS] = 5;
    memset(&f->c.v[0].lat.theirs_recent, 0, sizeof f->c.v[0].lat.theirs_recent);
    assert_int_not_equal(band(f, &r), HEALTH_AT_RISK);
    assert_false(r.held);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(complaint_waiting_counts_two, setup, teardown),
        cmocka_unit_test_setup_teardown(late_deliverable_counts_two, setup, teardown),
        cmocka_unit_test_setup_teardown(complaint_answered_late_still_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(deliverable_delivered_late_still_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(low_nps_twice_over, setup, teardown),
        cmocka_unit_test_setup_teardown(busy_month_is_one_signal, setup, teardown),
        cmocka_unit_test_setup_teardown(flag_held_a_window_back_counts_more, setup, teardown),
        cmocka_unit_test_setup_teardown(at_risk_a_week_ago_holds, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
