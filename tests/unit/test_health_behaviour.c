/* test_health_behaviour: how the health score reads the client's behaviour from the interaction log
 * (core/insight/latency.c, health_factors.c) on a real SQLite file — our answers to a client's questions
 * are not updates (update_answer_hours), so a lapsing cadence shows while we answer; the cadence factor's
 * loss grows to whole at cadence_full_lapses; replies to our updates and the client's messages in the
 * last 60 days are tested against the client's own 150 days before (latency_test_p, frequency_test_p),
 * so a sustained change flags (far beyond chance it counts two, behaviour_twice_p) and a slow month does
 * not. Each with its setting switched back. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "util/clock.h"
#include "core/engine/record.h"
#include "core/insight/health_impl.h"
#include "unit_db.h"

#define DAY 86400

typedef struct fixture {
    char path[64];
    db *d;
    actor owner;
    char *client;
} fixture;

static char *create(db *d, const actor *who, const char *kind, const char *json)
{
    strbuf out = STRBUF_INIT;
    err_t e;
    json_t *body = json_loads(json, 0, NULL);
    assert_non_null(body);
    int rc = record_create(d, who, entity_by_name(kind), body, &out, &e);
    json_decref(body);
    if (rc < 0)
        fail_msg("create %s: %s", kind, e.message);
    json_t *j = json_loads(out.buf, 0, NULL);
    char *id = strdup(json_string_value(json_object_get(j, "id")));
    json_decref(j);
    strbuf_release(&out);
    return id;
}

static void say(fixture *f, const char *at, const char *direction)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"client_id\":\"%s\",\"type\":\"email\",\"direction\":\"%s\",\"occurred_at\":\"%s\",\"summary\":\"-\"}",
             f->client, direction, at);
    free(create(f->d, &f->owner, "interactions", body));
}

static int setup(void **state)
{
    setenv("RAPPORT_NOW", "2026-11-20T12:00:00Z", 1);
    assert_int_equal(clock_init(), 0);
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/rapport-test-health-behaviour-XXXXXX");
    assert_int_equal(unit_db_open(f->path, "Northwind", &f->d, &f->owner), 0);
    f->client = create(f->d, &f->owner, "clients",
                       "{\"name\":\"Kestrel\",\"stage\":\"active\",\"cadence\":\"weekly\","
                       "\"started_at\":\"2026-06-01T09:00:00Z\"}");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->client);
    unit_db_remove(f->d, f->path);
    free(f);
    return 0;
}

/* Scores the client now with the workspace's settings changed by `thresholds` (a JSON object). */
static void score(fixture *f, const char *thresholds, health_set *hs, health_result *r)
{
    char sql[300];
    snprintf(sql, sizeof sql, "UPDATE workspaces SET health_settings = '{\"thresholds\": %s}'", thresholds);
    err_t e;
    assert_int_equal(db_exec(f->d, sql, &e), 0);
    assert_int_equal(health_gather(f->d, &f->owner, f->client, NULL, clock_now(), hs, &e), 0);
    health_evaluate(hs, 0, 0, r);
}

static void answers_are_not_updates(void **state)
{
    fixture *f = *state;
    /* our last update on 1 October, answered by the client; then the client asks twice and we answer
     * each within a few hours: weekly updates have lapsed for seven weeks while we answered */
    say(f, "2026-10-01T10:00:00Z", "outbound");
    say(f, "2026-10-01T14:00:00Z", "inbound");
    say(f, "2026-10-28T10:00:00Z", "inbound");
    say(f, "2026-10-28T15:00:00Z", "outbound");
    say(f, "2026-11-16T10:00:00Z", "inbound");
    say(f, "2026-11-16T12:00:00Z", "outbound");
    health_set hs;
    health_result r;
    score(f, "{}", &hs, &r);
    int64_t update;
    assert_int_equal(clock_parse("2026-10-01T10:00:00Z", &update), 0);
    assert_int_equal(hs.c[0].v[0].last_update, update);
    assert_true(r.flagged[HF_CADENCE_LAPSE]); /* 7 weeks: more than 3 cadences */
    assert_non_null(strstr(r.evidence[HF_CADENCE_LAPSE], "no update for 50 days (only answers to the client since, "
                                                          "the last 4 days ago)"));
    health_set_release(&hs);
    /* every outbound message an update, as the check-ins count them: updated 4 days ago */
    score(f, "{\"update_answer_hours\": 0}", &hs, &r);
    assert_false(r.flagged[HF_CADENCE_LAPSE]);
    assert_non_null(strstr(r.evidence[HF_CADENCE_LAPSE], "last update 4 days ago"));
    health_set_release(&hs);
    /* an answer that comes later than update_answer_hours (24 business hours) is an update again */
    score(f, "{\"update_answer_hours\": 1}", &hs, &r);
    assert_false(r.flagged[HF_CADENCE_LAPSE]);
    health_set_release(&hs);
}

static void a_reply_to_our_update_is_not_a_question(void **state)
{
    fixture *f = *state;
    /* the client replies to our update; what we send next is an update, however soon */
    say(f, "2026-11-16T10:00:00Z", "outbound");
    say(f, "2026-11-16T11:00:00Z", "inbound");
    say(f, "2026-11-16T12:00:00Z", "outbound");
    health_set hs;
    health_result r;
    score(f, "{}", &hs, &r);
    int64_t update;
    assert_int_equal(clock_parse("2026-11-16T12:00:00Z", &update), 0);
    assert_int_equal(hs.c[0].v[0].last_update, update);
    health_set_release(&hs);
}

static void cadence_loss_grows_to_full_lapses(void **state)
{
    fixture *f = *state;
    /* updated 14 days ago, weekly: one cadence late, two since the update */
    say(f, "2026-11-06T12:00:00Z", "outbound");
    health_set hs;
    health_result r;
    score(f, "{}", &hs, &r);
    assert_true(fabs(r.fraction[HF_CADENCE_LAPSE] - 0.5) < 1e-6); /* halfway from one cadence to three */
    health_set_release(&hs);
    score(f, "{\"cadence_full_lapses\": 2}", &hs, &r); /* the rule before: whole one cadence late */
    assert_true(fabs(r.fraction[HF_CADENCE_LAPSE] - 1) < 1e-6);
    health_set_release(&hs);
}

/* Our updates every Monday at 10:00 from 27 April to 14 September (21), each answered by noon; then four
 * in the last 60 days, the last `late` of them answered four business days later. */
static void updates_and_replies(fixture *f, int late)
{
    static const char *const recent[][2] = {{"2026-09-28", "2026-10-02"}, {"2026-10-12", "2026-10-16"},
                                            {"2026-10-26", "2026-10-30"}, {"2026-11-09", "2026-11-13"}};
    char at[CLOCK_RFC3339_LEN];
    int64_t monday;
    assert_int_equal(clock_parse("2026-04-27T10:00:00Z", &monday), 0);
    for (int i = 0; i < 21; i++, monday += 7 * DAY) {
        clock_format(monday, at);
        say(f, at, "outbound");
        clock_format(monday + 2 * 3600, at);
        say(f, at, "inbound");
    }
    for (int i = 0; i < 4; i++) {
        snprintf(at, sizeof at, "%sT10:00:00Z", recent[i][0]);
        say(f, at, "outbound");
        snprintf(at, sizeof at, i >= 4 - late ? "%sT10:00:00Z" : "%sT12:00:00Z", i >= 4 - late ? recent[i][1] : recent[i][0]);
        say(f, at, "inbound");
    }
}

static void slower_replies_sustained_flag(void **state)
{
    fixture *f = *state;
    updates_and_replies(f, 4);
    health_set hs;
    health_result r;
    score(f, "{}", &hs, &r);
    const latency_stats *l = &hs.c[0].v[0].lat;
    assert_int_equal(l->before_replies, 21);
    assert_true(fabs(l->before_p90 - 2) < 1e-6);
    assert_int_equal(l->test_replies, 4);
    assert_int_equal(l->test_slow, 4);
    /* 4 of 4 slower than the 19th of 21 before, which a reply outdoes 3 times in 22: (3/22)^4, 1 in 2892 */
    assert_true(r.flagged[HF_REPLY_LATENCY]);
    assert_non_null(strstr(r.evidence[HF_REPLY_LATENCY], "4 of the last 4 in 60 days slower than 9 in 10 of the 150 "
                                                         "days before (2 h); by chance: 1 in 2892"));
    assert_non_null(strstr(r.flag_rule[HF_REPLY_LATENCY], "behaviour_twice_p"));
    assert_int_equal(r.band, HEALTH_AT_RISK); /* far beyond chance: it counts two */
    health_set_release(&hs);
    score(f, "{\"behaviour_twice_p\": 0}", &hs, &r);
    assert_true(r.flagged[HF_REPLY_LATENCY]);
    assert_int_not_equal(r.band, HEALTH_AT_RISK);
    health_set_release(&hs);
}

static void a_slow_month_is_not_enough(void **state)
{
    fixture *f = *state;
    updates_and_replies(f, 2); /* the two of the last 30 days slow, as in a busy month */
    health_set hs;
    health_result r;
    score(f, "{}", &hs, &r);
    assert_int_equal(hs.c[0].v[0].lat.test_slow, 2); /* 2 of 4: 1 in 11 by chance, not under 1 in 50 */
    assert_false(r.flagged[HF_REPLY_LATENCY]);
    health_set_release(&hs);
    /* the ratio of the last 30 days' median to the 180 before (the rule before) flags it */
    score(f, "{\"latency_test_p\": 0}", &hs, &r);
    assert_true(r.flagged[HF_REPLY_LATENCY]);
    health_set_release(&hs);
}

static void fewer_messages_tested(void **state)
{
    fixture *f = *state;
    health_set hs;
    health_result r;
    score(f, "{}", &hs, &r);
    /* 30 messages in the 150 days before: 12 expected in 60 days */
    health_view *w = &hs.c[0].v[0];
    w->lat.last_inbound = hs.as_of[0] - 2 * DAY; /* not silent */
    w->lat.before_inbound = 30;
    w->lat.test_inbound = 9;
    health_evaluate(&hs, 0, 0, &r);
    assert_false(r.flagged[HF_INTERACTION_FREQUENCY]); /* 9 where 12 were expected: 1 in 4 by chance */
    w->lat.test_inbound = 2;
    health_evaluate(&hs, 0, 0, &r);
    assert_true(r.flagged[HF_INTERACTION_FREQUENCY]);
    assert_non_null(strstr(r.evidence[HF_INTERACTION_FREQUENCY], "fewer words: 2 messages from the client in the last "
                                                                 "60 days, 12 expected from the 150 days before; by "
                                                                 "chance: 1 in 1915"));
    assert_non_null(strstr(r.flag_rule[HF_INTERACTION_FREQUENCY], "behaviour_twice_p"));
    hs.cfg.threshold[HT_FREQUENCY_TEST_P] = 0; /* the rule before: the last 30 days' count against the usual */
    health_evaluate(&hs, 0, 0, &r);
    assert_null(strstr(r.evidence[HF_INTERACTION_FREQUENCY], "expected from"));
    health_set_release(&hs);
}

static void settings_checked(void **state)
{
    (void)state;
    static const char *const refused[] = {"{\"behaviour_window_days\": 200}", "{\"behaviour_window_days\": 45.5}",
                                          "{\"latency_test_p\": 0.5}", "{\"frequency_test_p\": 2}",
                                          "{\"cadence_full_lapses\": 1}"};
    char text[128];
    err_t e;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        snprintf(text, sizeof text, "{\"thresholds\": %s}", refused[i]);
        json_t *j = json_loads(text, 0, NULL);
        assert_int_equal(health_settings_check(j, &e), E_INVALID_VALUE);
        assert_string_equal(e.field, "health_settings");
        json_decref(j);
    }
    json_t *j = json_loads("{\"thresholds\": {\"behaviour_window_days\": 90, \"latency_test_p\": 0, "
                           "\"update_answer_hours\": 0, \"cadence_full_lapses\": 2}}", 0, NULL);
    assert_int_equal(health_settings_check(j, &e), 0);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(answers_are_not_updates, setup, teardown),
        cmocka_unit_test_setup_teardown(a_reply_to_our_update_is_not_a_question, setup, teardown),
        cmocka_unit_test_setup_teardown(cadence_loss_grows_to_full_lapses, setup, teardown),
        cmocka_unit_test_setup_teardown(slower_replies_sustained_flag, setup, teardown),
        cmocka_unit_test_setup_teardown(a_slow_month_is_not_enough, setup, teardown),
        cmocka_unit_test_setup_teardown(fewer_messages_tested, setup, teardown),
        cmocka_unit_test(settings_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
