/* Unit tests of src/util/tz: the TZif reader and its POSIX rules against glibc, gaps and overlaps, names.
 *
 * glibc's localtime_r under setenv("TZ") is the oracle: process-global, which is why tz.c exists, but
 * this test has one thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/tz.h"

static int64_t at(const char *s)
{
    int64_t t;
    if (clock_parse(s, &t))
        fail_msg("bad time in test: %s", s);
    return t;
}

static void glibc_zone(const char *name)
{
    if (name)
        setenv("TZ", name, 1);
    else
        unsetenv("TZ");
    tzset();
}

static int glibc_offset(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        fail_msg("localtime_r failed at %lld", (long long)t);
    return (int)tm.tm_gmtoff;
}

static const tz *zone(const char *name)
{
    err_t e;
    const tz *z = tz_get(name, &e);
    if (!z)
        fail_msg("tz_get(%s): %s", name, e.message);
    return z;
}

static void check_offset(const char *name, const tz *z, int64_t t)
{
    int want = glibc_offset(t), got = tz_offset(z, t);
    if (got != want) {
        char buf[CLOCK_RFC3339_LEN];
        clock_format(t, buf);
        fail_msg("%s at %s (%lld): offset %d, glibc says %d", name, buf, (long long)t, got, want);
    }
}

/* Zones with every kind of rule: northern and southern DST, a 30-minute DST (Lord Howe), 45-minute
 * offsets (Chatham), DST abolished (Sao Paulo), none (Kolkata), negative DST (Dublin: winter is the
 * "daylight" time), negative rule times (Nuuk), changes at 24:00 (Santiago), and Casablanca, whose
 * file lists transitions decades ahead. */
static const char *const oracle_zones[] = {
    "Europe/Berlin",  "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",      "America/Sao_Paulo",
    "Pacific/Chatham", "Europe/Dublin",   "UTC",                 "America/Nuuk",      "America/Santiago",
    "Africa/Casablanca",
};

static void tz_offsets_match_glibc(void **state)
{
    (void)state;
    uint64_t seed = 12345;
    for (size_t i = 0; i < sizeof oracle_zones / sizeof oracle_zones[0]; i++) {
        const char *name = oracle_zones[i];
        const tz *z = zone(name);
        glibc_zone(name);
        /* 1970 to 2100 in steps of 6h 7m 13s, so the time of day drifts through every hour. */
        for (int64_t t = 0; t < at("2100-01-01T00:00:00Z"); t += 6 * 3600 + 7 * 60 + 13)
            check_offset(name, z, t);
        /* A fixed-seed sample from 1900 to 2400: before 1970, and far past every file's last transition,
         * where only the POSIX rule answers. */
        for (int k = 0; k < 5000; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            int64_t span = at("2400-01-01T00:00:00Z") - at("1900-01-01T00:00:00Z");
            check_offset(name, z, at("1900-01-01T00:00:00Z") + (int64_t)((seed >> 11) % (uint64_t)span));
        }
        /* 2090: only the rule. */
        for (int64_t t = at("2090-01-01T00:00:00Z"); t < at("2091-01-01T00:00:00Z"); t += 3600)
            check_offset(name, z, t);
    }
    glibc_zone(NULL);
}

/* glibc's transitions between from and to, found hourly and narrowed to the second. */
static size_t glibc_transitions(int64_t from, int64_t to, int64_t *out, size_t max)
{
    size_t n = 0;
    for (int64_t t = from; t < to; t += 3600) {
        if (glibc_offset(t) == glibc_offset(t + 3600))
            continue;
        int64_t lo = t, hi = t + 3600; /* offset(lo) != offset(hi); find the first second like hi */
        while (hi - lo > 1) {
            int64_t mid = lo + (hi - lo) / 2;
            if (glibc_offset(mid) == glibc_offset(lo))
                lo = mid;
            else
                hi = mid;
        }
        if (n < max)
            out[n++] = hi;
    }
    return n;
}

static void tz_transitions_match_glibc(void **state)
{
    (void)state;
    const int64_t from = at("2020-01-01T00:00:00Z"), to = at("2031-01-01T00:00:00Z");
    const int64_t late = at("2088-01-01T00:00:00Z"), late_to = at("2092-01-01T00:00:00Z");
    for (size_t i = 0; i < sizeof oracle_zones / sizeof oracle_zones[0]; i++) {
        const char *name = oracle_zones[i];
        const tz *z = zone(name);
        glibc_zone(name);
        int64_t want[128], got[128];
        for (int pass = 0; pass < 2; pass++) {
            int64_t a = pass ? late : from, b = pass ? late_to : to;
            size_t nw = glibc_transitions(a, b, want, 128), ng = 0;
            for (int64_t t = tz_next_change(z, a); t < b && ng < 128; t = tz_next_change(z, t))
                got[ng++] = t;
            if (ng != nw)
                fail_msg("%s: %zu transitions from %lld, glibc has %zu", name, ng, (long long)a, nw);
            for (size_t k = 0; k < nw; k++) {
                assert_int_equal(got[k], want[k]);
                check_offset(name, z, want[k] - 1); /* each side of it */
                check_offset(name, z, want[k]);
            }
        }
    }
    glibc_zone(NULL);
    /* Sao Paulo has not changed since 2019; UTC never does. */
    assert_int_equal(tz_next_change(zone("America/Sao_Paulo"), at("2020-01-01T00:00:00Z")), INT64_MAX);
    assert_int_equal(tz_next_change(zone("UTC"), 0), INT64_MAX);
}

static void tz_converts_local_times(void **state)
{
    (void)state;
    static const struct {
        const char *zone, *local, *utc, *reached;
    } cases[] = {
        /* Berlin springs forward at 02:00 -> 03:00 on 2026-03-29: 02:30 does not exist. */
        {"Europe/Berlin", "2026-03-29T02:30:00Z", "2026-03-29T01:30:00Z", "2026-03-29T01:00:00Z"},
        {"Europe/Berlin", "2026-03-29T02:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:00:00Z"},
        {"Europe/Berlin", "2026-03-29T01:59:59Z", "2026-03-29T00:59:59Z", "2026-03-29T00:59:59Z"},
        {"Europe/Berlin", "2026-03-29T03:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:00:00Z"},
        /* ... and falls back 03:00 -> 02:00 on 2026-10-25: 02:30 happens twice; the earlier wins. */
        {"Europe/Berlin", "2026-10-25T02:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T00:30:00Z"},
        {"Europe/Berlin", "2026-10-25T03:00:00Z", "2026-10-25T02:00:00Z", "2026-10-25T02:00:00Z"},
        {"Europe/Berlin", "2026-07-01T12:00:00Z", "2026-07-01T10:00:00Z", "2026-07-01T10:00:00Z"},
        {"Europe/Berlin", "2026-01-15T00:00:00Z", "2026-01-14T23:00:00Z", "2026-01-14T23:00:00Z"},
        /* New York: 2026-03-08 02:00 -> 03:00; 2026-11-01 02:00 -> 01:00. */
        {"America/New_York", "2026-03-08T02:30:00Z", "2026-03-08T07:30:00Z", "2026-03-08T07:00:00Z"},
        {"America/New_York", "2026-11-01T01:30:00Z", "2026-11-01T05:30:00Z", "2026-11-01T05:30:00Z"},
        {"America/New_York", "2026-11-01T02:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T07:00:00Z"},
        {"America/New_York", "2026-01-15T09:00:00Z", "2026-01-15T14:00:00Z", "2026-01-15T14:00:00Z"},
        /* Lord Howe springs forward half an hour, 02:00 -> 02:30, on 2026-10-04. */
        {"Australia/Lord_Howe", "2026-10-04T02:15:00Z", "2026-10-03T15:45:00Z", "2026-10-03T15:30:00Z"},
        {"Australia/Lord_Howe", "2026-10-04T02:30:00Z", "2026-10-03T15:30:00Z", "2026-10-03T15:30:00Z"},
        /* Dublin's "negative DST": 02:00 IST -> 01:00 GMT on 2026-10-25; 01:30 is first IST. */
        {"Europe/Dublin", "2026-10-25T01:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T00:30:00Z"},
        {"Europe/Dublin", "2026-03-29T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-29T01:00:00Z"},
        /* Chatham: 02:45 -> 03:45 on 2026-09-27, in a rule past the file's transitions in 2090. */
        {"Pacific/Chatham", "2090-09-24T03:00:00Z", "2090-09-23T14:15:00Z", "2090-09-23T14:00:00Z"},
        {"UTC", "2026-03-29T02:30:00Z", "2026-03-29T02:30:00Z", "2026-03-29T02:30:00Z"},
        {"Etc/UTC", "1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const tz *z = zone(cases[i].zone);
        int64_t local = at(cases[i].local);
        char got[CLOCK_RFC3339_LEN], got_reached[CLOCK_RFC3339_LEN];
        clock_format(tz_local_to_utc(z, local), got);
        clock_format(tz_local_reached(z, local), got_reached);
        if (strcmp(got, cases[i].utc) || strcmp(got_reached, cases[i].reached))
            fail_msg("%s %s: to_utc %s (want %s), reached %s (want %s)", cases[i].zone, cases[i].local, got,
                     cases[i].utc, got_reached, cases[i].reached);
    }
}

/* Outside gaps and overlaps, local -> UTC -> local is the identity, and tz_local_reached never goes back. */
static void tz_local_round_trips(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof oracle_zones / sizeof oracle_zones[0]; i++) {
        const tz *z = zone(oracle_zones[i]);
        int64_t prev = INT64_MIN;
        for (int64_t local = at("2024-01-01T00:00:00Z"); local < at("2028-01-01T00:00:00Z"); local += 900) {
            int64_t u = tz_local_to_utc(z, local), r = tz_local_reached(z, local);
            assert_true(r >= prev);
            prev = r;
            if (u + tz_offset(z, u) != local) { /* only in a gap, where the clock skipped `local` */
                assert_true(r <= u);
                assert_true(r + tz_offset(z, r) > local);
                assert_true(r - 1 + tz_offset(z, r - 1) < local);
            } else {
                assert_int_equal(r, u);
            }
        }
    }
}

/* --- files of our own in a TZDIR of our own --------------------------------------------------------- */

static char tzdir[64];

static void put32(FILE *f, uint32_t v)
{
    fputc((int)(v >> 24) & 0xff, f);
    fputc((int)(v >> 16) & 0xff, f);
    fputc((int)(v >> 8) & 0xff, f);
    fputc((int)v & 0xff, f);
}

/* A version 2 file without transitions: one time type (offset std_off) and the footer. */
static void write_rule_zone(const char *name, int32_t std_off, const char *footer)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tzdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int block = 0; block < 2; block++) {
        fwrite("TZif2", 1, 5, f);
        for (int i = 0; i < 15; i++)
            fputc(0, f);
        uint32_t counts[6] = {0, 0, 0, 0, 1, 4}; /* isut, isstd, leap, time, type, char */
        for (int i = 0; i < 6; i++)
            put32(f, counts[i]);
        put32(f, (uint32_t)std_off);
        fputc(0, f);
        fputc(0, f);
        fwrite("ZZZ", 1, 4, f);
    }
    fprintf(f, "\n%s\n", footer);
    fclose(f);
}

static void write_bytes(const char *name, const void *data, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tzdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(data, 1, n, f);
    fclose(f);
}

static int setup_tzdir(void **state)
{
    (void)state;
    snprintf(tzdir, sizeof tzdir, "/tmp/rapport-tz-XXXXXX");
    if (!mkdtemp(tzdir))
        return -1;
    char sub[128];
    snprintf(sub, sizeof sub, "%s/Test", tzdir);
    return mkdir(sub, 0700);
}

static int teardown_tzdir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tzdir);
    unsetenv("TZDIR");
    return system(cmd) == 0 ? 0 : -1;
}

/* The rule forms real files rarely use, each against glibc reading the same string from TZ. */
static void tz_rules_match_glibc(void **state)
{
    (void)state;
    static const struct {
        const char *name, *rule;
        int32_t std_off;
    } cases[] = {
        {"Test/Julian", "AAA3BBB,J60/26,J300/-1", -3 * 3600},          /* Jn, over 24 h, negative */
        {"Test/ZeroBased", "<+0330>-3:30<+0430>,59/0,300/23:59:59", 12600}, /* n counts Feb 29 */
        {"Test/Week5", "CCC-10DDD-11:30,M10.5.0/-2:30,M4.1.0/3", 36000},    /* southern, last Sunday */
        {"Test/Late", "EEE5FFF4,M3.2.0/167,M11.1.0/-167", -5 * 3600},       /* the extremes allowed */
        {"Test/NoRule", "GGG-2HHH", 7200},                                 /* POSIX default: US rule */
        {"Test/Plain", "<-0130>1:30", -5400},
    };
    setenv("TZDIR", tzdir, 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_rule_zone(cases[i].name, cases[i].std_off, cases[i].rule);
        const tz *z = zone(cases[i].name);
        glibc_zone(cases[i].rule);
        for (int64_t t = at("2023-06-01T00:00:00Z"); t < at("2033-06-01T00:00:00Z"); t += 3600 + 61)
            check_offset(cases[i].name, z, t);
        int64_t want[64], got[64];
        size_t nw = glibc_transitions(at("2024-01-01T00:00:00Z"), at("2030-01-01T00:00:00Z"), want, 64), ng = 0;
        for (int64_t t = tz_next_change(z, at("2024-01-01T00:00:00Z")); t < at("2030-01-01T00:00:00Z") && ng < 64;
             t = tz_next_change(z, t))
            got[ng++] = t;
        assert_int_equal(ng, nw);
        for (size_t k = 0; k < nw; k++)
            assert_int_equal(got[k], want[k]);
    }
    glibc_zone(NULL);

    /* Daylight time all year (RFC 8536 3.3.1): it ends on December 31 at 25:00 daylight time, the
     * instant it starts again, so it never ends. */
    write_rule_zone("Test/AllYear", -5 * 3600, "EST5EDT,0/0,J365/25");
    const tz *z = zone("Test/AllYear");
    static const char *const times[] = {"2030-01-01T04:59:59Z", "2030-01-01T05:00:00Z", "2030-07-01T00:00:00Z",
                                        "2030-12-31T23:59:59Z", "2031-01-01T03:59:59Z", "2031-01-01T04:00:00Z"};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
        assert_int_equal(tz_offset(z, at(times[i])), -4 * 3600);
    assert_int_equal(tz_next_change(z, at("2030-06-01T00:00:00Z")), INT64_MAX);
    unsetenv("TZDIR");
}

static void expect_unknown(const char *name, const char *message)
{
    err_t e;
    err_clear(&e);
    if (tz_get(name, &e))
        fail_msg("tz_get(\"%s\") should have failed", name);
    assert_int_equal(e.code, E_INVALID_VALUE);
    assert_string_equal(e.field, "time_zone");
    if (message)
        assert_string_equal(e.message, message);
}

static void tz_refuses_bad_names_and_files(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "/etc/localtime", "../../etc/passwd", "Europe/../UTC", "Europe/Berlin\n", "Europe/Berlin ",
        "Europe\\Berlin", "Europe/Berlin;rm", "Éurope/Berlin", "Europe", "Nowhere/City", "right/UTC",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* 65 bytes */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_unknown(bad[i], NULL);
    expect_unknown("Nowhere/City", "unknown time zone: Nowhere/City");
    expect_unknown(NULL, NULL);

    /* Broken files, in our own TZDIR. */
    setenv("TZDIR", tzdir, 1);
    write_bytes("Test/Garbage", "not a time zone file at all, not at all, no, not at all, really", 64);
    FILE *f = fopen("/usr/share/zoneinfo/Europe/Berlin", "rb");
    assert_non_null(f);
    unsigned char buf[8192];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 100);
    write_bytes("Test/Truncated", buf, n - 30);
    write_bytes("Test/NoFooterEnd", buf, n - 1);
    write_bytes("Test/Whole", buf, n);
    assert_int_equal(tz_offset(zone("Test/Whole"), at("2026-07-01T00:00:00Z")), 7200);
    write_rule_zone("Test/BadRule", 0, "CET-1CEST,M3.5.0,M13.5.0/3");
    write_rule_zone("Test/BadRule2", 0, "CET-1CEST,M3.5.0/168,M10.5.0/3");
    static const char *const broken[] = {"Test/Garbage", "Test/Truncated", "Test/NoFooterEnd", "Test/BadRule",
                                         "Test/BadRule2", "Test/Missing"};
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++)
        expect_unknown(broken[i], NULL);

    /* UTC needs no file, even where there is none. */
    setenv("TZDIR", "/nonexistent", 1);
    expect_unknown("Europe/Paris", NULL);
    assert_int_equal(tz_offset(zone("UTC"), at("2026-07-01T00:00:00Z")), 0);
    assert_int_equal(tz_offset(zone("Etc/UTC"), at("2026-07-01T00:00:00Z")), 0);
    unsetenv("TZDIR");
    assert_int_equal(tz_offset(zone("Europe/Paris"), at("2026-07-01T00:00:00Z")), 7200);
}

static void *get_zones(void *arg)
{
    const tz **out = arg;
    static const char *const names[] = {"Asia/Tokyo", "America/Chicago", "Europe/Madrid"};
    for (int round = 0; round < 50; round++)
        for (int i = 0; i < 3; i++) {
            const tz *z = tz_get(names[i], NULL);
            if (!z || (out[i] && out[i] != z))
                return (void *)1;
            out[i] = z;
        }
    return NULL;
}

/* Threads asking for the same zones at once all get the one cached copy. */
static void tz_cache_is_shared_between_threads(void **state)
{
    (void)state;
    pthread_t th[4];
    const tz *seen[4][3] = {{0}};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, get_zones, seen[i]), 0);
    for (int i = 0; i < 4; i++) {
        void *rc;
        pthread_join(th[i], &rc);
        assert_null(rc);
    }
    for (int i = 1; i < 4; i++)
        for (int k = 0; k < 3; k++)
            assert_ptr_equal(seen[i][k], seen[0][k]);
    assert_int_equal(tz_offset(seen[0][0], at("2026-07-01T00:00:00Z")), 9 * 3600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tz_offsets_match_glibc),
        cmocka_unit_test(tz_transitions_match_glibc),
        cmocka_unit_test(tz_converts_local_times),
        cmocka_unit_test(tz_local_round_trips),
        cmocka_unit_test_setup_teardown(tz_rules_match_glibc, setup_tzdir, teardown_tzdir),
        cmocka_unit_test_setup_teardown(tz_refuses_bad_names_and_files, setup_tzdir, teardown_tzdir),
        cmocka_unit_test(tz_cache_is_shared_between_threads),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tz_cleanup();
    return rc;
}
