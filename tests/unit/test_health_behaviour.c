/* test_health_behaviour: how the health score reads the client's behaviour from the interaction log
 * (core/insight/latency.c, health_factors.c) on a real SQLite file — our answers to a client's questions
 * are not updates (update_answer_hours), so a lapsing cadence shows while we answer; the cadence factor's
 * loss grows to whole at cadence_full_lapses. Each with its setting switched back. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(answers_are_not_updates, setup, teardown),
        cmocka_unit_test_setup_teardown(a_reply_to_our_update_is_not_a_question, setup, teardown),
        cmocka_unit_test_setup_teardown(cadence_loss_grows_to_full_lapses, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
