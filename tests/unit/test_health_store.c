/* test_health_store: the stored health scores (core/insight/health_store.c) on a real SQLite file — a
 * refresh stores every active client's score and band, writes nothing when nothing changed, rescoring
 * only what the audit log shows written; a band that drops keeps the band before it and when, which is
 * what health_dropped_since answers (Today's "dropped a band this week"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "util/clock.h"
#include "core/engine/record.h"
#include "core/insight/health_store.h"
#include "unit_db.h"

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

/* the stored band of a client, as text ("" for NULL) */
static void stored(db *d, const char *id, char band[16], char before[16])
{
    db_stmt *s;
    err_t e;
    const char *args[] = {id};
    assert_int_equal(db_query_row(d, &s, &e, "SELECT health_band, health_band_before FROM clients WHERE id = ?", 1, args),
                     DB_ROW);
    snprintf(band, 16, "%s", db_col_type(s, 0) == DB_NULL ? "" : db_col_text(s, 0, NULL));
    snprintf(before, 16, "%s", db_col_type(s, 1) == DB_NULL ? "" : db_col_text(s, 1, NULL));
    db_finalize(s);
}

static void bands_stored_and_drops_found(void **state)
{
    (void)state;
    setenv("RAPPORT_NOW", "2026-11-20T12:00:00Z", 1);
    assert_int_equal(clock_init(), 0);
    char path[] = "/tmp/rapport-test-health-store-XXXXXX";
    db *d;
    actor owner;
    assert_int_equal(unit_db_open(path, "Northwind", &d, &owner), 0);
    /* Fern: monthly, updated on 10 November: healthy. Gale: weekly, never updated since 1 June: at risk
     * (24 cadences, twice the 3 that flag). A lead: never scored. */
    char *fern = create(d, &owner, "clients",
                        "{\"name\":\"Fern\",\"stage\":\"active\",\"cadence\":\"monthly\",\"response_time_hours\":4,"
                        "\"started_at\":\"2026-09-01T09:00:00Z\"}");
    char *gale = create(d, &owner, "clients",
                        "{\"name\":\"Gale\",\"stage\":\"active\",\"cadence\":\"weekly\",\"started_at\":\"2026-06-01T09:00:00Z\"}");
    char *lead = create(d, &owner, "clients", "{\"name\":\"Lead\",\"stage\":\"lead\"}");
    char body[256];
    snprintf(body, sizeof body,
             "{\"client_id\":\"%s\",\"type\":\"email\",\"direction\":\"outbound\",\"occurred_at\":\"2026-11-10T10:00:00Z\","
             "\"summary\":\"update\"}", fern);
    free(create(d, &owner, "interactions", body));

    long written = -1;
    err_t e;
    assert_int_equal(health_store_refresh(d, &owner, 0, &written, &e), 0);
    assert_int_equal(written, 2); /* the first refresh is a full one: both active clients */
    char band[16], before[16];
    stored(d, fern, band, before);
    assert_string_equal(band, "healthy");
    assert_string_equal(before, "");
    stored(d, gale, band, before);
    assert_string_equal(band, "at_risk");
    stored(d, lead, band, before);
    assert_string_equal(band, "");

    /* nothing written since: nothing to rescore */
    assert_int_equal(health_store_refresh(d, &owner, 0, &written, &e), 0);
    assert_int_equal(written, 0);
    health_drop *drops;
    size_t n;
    assert_int_equal(health_dropped_since(d, &owner, clock_now() - 7 * 86400, NULL, &drops, &n, &e), 0);
    assert_int_equal(n, 0); /* a first score is no drop */
    health_drops_free(drops, n);

    /* Fern's complaint of 2 November, unanswered 28 times its 4 promised hours: at risk, found through
     * the audit log without a full refresh */
    snprintf(body, sizeof body,
             "{\"client_id\":\"%s\",\"kind\":\"complaint\",\"subject\":\"Wrong filing\",\"opened_at\":\"2026-11-02T09:00:00Z\"}",
             fern);
    free(create(d, &owner, "tickets", body));
    assert_int_equal(health_store_refresh(d, &owner, 0, &written, &e), 0);
    assert_int_equal(written, 1);
    stored(d, fern, band, before);
    assert_string_equal(band, "at_risk");
    assert_string_equal(before, "healthy");
    assert_int_equal(health_dropped_since(d, &owner, clock_now() - 7 * 86400, NULL, &drops, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_string_equal(drops[0].client_id, fern);
    assert_string_equal(drops[0].name, "Fern");
    assert_int_equal(drops[0].band, HEALTH_AT_RISK);
    assert_int_equal(drops[0].band_before, HEALTH_HEALTHY);
    assert_int_equal(drops[0].changed_at, clock_now());
    health_drops_free(drops, n);
    /* since after the change: none; another owner's: none */
    assert_int_equal(health_dropped_since(d, &owner, clock_now() + 1, NULL, &drops, &n, &e), 0);
    assert_int_equal(n, 0);
    health_drops_free(drops, n);
    assert_int_equal(health_dropped_since(d, &owner, 0, "usr_nobody", &drops, &n, &e), 0);
    assert_int_equal(n, 0);
    health_drops_free(drops, n);

    free(fern);
    free(gale);
    free(lead);
    unit_db_remove(d, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bands_stored_and_drops_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
