/* Unit tests of src/util/bizhours and bizcal: hand-computed spans and deadlines, DST days, long spans
 * against slow references, the add/between contract on random inputs, and the settings' errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/bizhours.h"
#include "util/clock.h"

#define LUNCH                                                                                                          \
    "{\"mon\":[\"09:00-12:30\",\"13:30-17:00\"],\"tue\":[\"09:00-12:30\",\"13:30-17:00\"],"                         \
    "\"wed\":[\"09:00-12:30\",\"13:30-17:00\"],\"thu\":[\"09:00-12:30\",\"13:30-17:00\"],"                          \
    "\"fri\":[\"09:00-12:30\",\"13:30-17:00\"]}"
#define SUNDAY24 "{\"sun\":[\"00:00-24:00\"]}"
#define WEEKDAYS_AND_SUNDAY24                                                                                          \
    "{\"mon\":[\"09:00-17:00\"],\"tue\":[\"09:00-17:00\"],\"wed\":[\"09:00-17:00\"],\"thu\":[\"09:00-17:00\"],"    \
    "\"fri\":[\"09:00-17:00\"],\"sun\":[\"00:00-24:00\"]}"
#define NIGHT "{\"sun\":[\"01:00-04:00\"]}"
#define GAP_WINDOW "{\"sun\":[\"02:30-03:30\"]}"
#define IN_GAP "{\"sun\":[\"02:15-02:45\"]}"
#define OVERNIGHT "{\"mon\":[\"22:00-24:00\"],\"tue\":[\"00:00-06:00\"]}"
#define HOLIDAYS_DE                                                                                                    \
    "[\"2024-01-01\",\"2024-03-29\",\"2024-04-01\",\"2024-05-01\",\"2024-12-25\",\"2024-12-26\",\"2025-01-01\","  \
    "\"2025-04-18\",\"2025-04-21\",\"2025-05-01\",\"2025-10-03\",\"2025-12-25\",\"2025-12-26\",\"2026-01-01\","     \
    "\"2026-04-03\",\"2026-04-06\",\"2026-05-01\",\"2026-10-03\",\"2026-12-25\",\"2026-12-26\",\"2027-01-01\"]"

static int64_t at(const char *s)
{
    int64_t t;
    if (clock_parse(s, &t))
        fail_msg("bad time in test: %s", s);
    return t;
}

static void make_cal(bizcal *c, const char *zone, const char *hours, const char *holidays)
{
    err_t e;
    if (bizcal_init(c, zone, hours, holidays, &e))
        fail_msg("bizcal_init(%s, %s, %s): %s: %s", zone, hours, holidays, e.field, e.message);
}

static void between_matches_hand_computed_spans(void **state)
{
    (void)state;
    static const struct {
        const char *zone, *hours, *holidays, *from, *to;
        int64_t want;
    } cases[] = {
        /* UTC, Monday to Friday 09:00-17:00; 2026-01-05 is a Monday. */
        {"UTC", NULL, NULL, "2026-01-05T10:00:00Z", "2026-01-05T12:00:00Z", 7200},
        {"UTC", NULL, NULL, "2026-01-05T08:00:00Z", "2026-01-05T18:00:00Z", 28800},
        {"UTC", NULL, NULL, "2026-01-05T16:00:00Z", "2026-01-06T10:00:00Z", 7200},       /* overnight */
        {"UTC", NULL, NULL, "2026-01-09T16:00:00Z", "2026-01-12T10:00:00Z", 7200},       /* Fri -> Mon */
        {"UTC", NULL, NULL, "2026-01-10T10:00:00Z", "2026-01-11T20:00:00Z", 0},          /* weekend */
        {"UTC", NULL, NULL, "2026-01-05T09:00:00Z", "2026-01-12T09:00:00Z", 144000},     /* a week */
        {"UTC", NULL, NULL, "2026-01-05T09:00:00Z", "2027-01-04T09:00:00Z", 52 * 144000}, /* 52 weeks */
        {"UTC", NULL, NULL, "2026-01-05T12:00:00Z", "2026-01-05T12:00:00Z", 0},
        {"UTC", NULL, NULL, "2026-01-05T12:00:00Z", "2026-01-05T11:00:00Z", 0},
        {"UTC", NULL, NULL, "2026-01-05T16:59:59Z", "2026-01-05T17:00:01Z", 1},
        {"UTC", NULL, NULL, "2026-01-05T08:59:59Z", "2026-01-05T09:00:01Z", 1},
        /* Holidays: a Monday off; a weekend holiday changes nothing; a holiday at the start. */
        {"UTC", NULL, "[\"2026-01-12\"]", "2026-01-09T16:00:00Z", "2026-01-13T10:00:00Z", 7200},
        {"UTC", NULL, "[\"2026-01-10\",\"2026-01-11\"]", "2026-01-09T16:00:00Z", "2026-01-12T10:00:00Z", 7200},
        {"UTC", NULL, "[\"2026-01-05\"]", "2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", 4 * 28800},
        {"UTC", NULL, HOLIDAYS_DE, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", (261 - 5) * 28800},
        /* A lunch break. */
        {"UTC", LUNCH, NULL, "2026-01-05T12:00:00Z", "2026-01-05T14:00:00Z", 3600},
        {"UTC", LUNCH, NULL, "2026-01-05T12:30:00Z", "2026-01-05T13:30:00Z", 0},
        {"UTC", LUNCH, NULL, "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z", 25200},
        /* Hours across midnight, as two intervals. */
        {"UTC", OVERNIGHT, NULL, "2026-01-05T23:00:00Z", "2026-01-06T05:00:00Z", 21600},
        {"UTC", OVERNIGHT, NULL, "2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", 28800},
        /* New York: 09:00-17:00 EST is 14:00-22:00 UTC; EDT 13:00-21:00. */
        {"America/New_York", NULL, NULL, "2026-01-05T14:00:00Z", "2026-01-05T22:00:00Z", 28800},
        {"America/New_York", NULL, NULL, "2026-01-05T13:00:00Z", "2026-01-05T15:00:00Z", 3600},
        {"America/New_York", NULL, NULL, "2026-07-06T13:00:00Z", "2026-07-06T21:00:00Z", 28800},
        {"America/New_York", NULL, NULL, "2026-07-06T12:00:00Z", "2026-07-06T14:00:00Z", 3600},
        {"America/New_York", NULL, NULL, "2026-07-06T21:00:00Z", "2026-07-06T22:00:00Z", 0},
        {"America/New_York", NULL, NULL, "2026-03-06T21:00:00Z", "2026-03-09T14:00:00Z", 7200}, /* over DST */
        /* Berlin, CET. */
        {"Europe/Berlin", NULL, NULL, "2026-01-05T08:00:00Z", "2026-01-05T16:00:00Z", 28800},
        {"Europe/Berlin", NULL, NULL, "2026-01-05T07:00:00Z", "2026-01-05T09:00:00Z", 3600},
        /* Berlin's DST Sundays: the whole day lasts 23 and 25 hours, 01:00-04:00 lasts 2 and 4. */
        {"Europe/Berlin", SUNDAY24, NULL, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z", 23 * 3600},
        {"Europe/Berlin", SUNDAY24, NULL, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", 25 * 3600},
        {"Europe/Berlin", SUNDAY24, NULL, "2026-03-21T00:00:00Z", "2026-03-23T00:00:00Z", 24 * 3600},
        {"Europe/Berlin", NIGHT, NULL, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", 2 * 3600},
        {"Europe/Berlin", NIGHT, NULL, "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", 4 * 3600},
        {"Europe/Berlin", NIGHT, NULL, "2026-03-21T12:00:00Z", "2026-03-22T12:00:00Z", 3 * 3600},
        /* Opening in the gap: when the clock jumps to 03:00. In the overlap: at the first 02:30. */
        {"Europe/Berlin", GAP_WINDOW, NULL, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", 1800},
        {"Europe/Berlin", GAP_WINDOW, NULL, "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", 7200},
        {"Europe/Berlin", IN_GAP, NULL, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", 0},
        {"Europe/Berlin", IN_GAP, NULL, "2026-03-21T12:00:00Z", "2026-03-22T12:00:00Z", 1800},
        /* Lord Howe springs forward half an hour on Sunday 2026-10-04. */
        {"Australia/Lord_Howe", SUNDAY24, NULL, "2026-10-03T00:00:00Z", "2026-10-05T00:00:00Z", 84600},
        /* Half- and three-quarter-hour offsets. */
        {"Asia/Kolkata", NULL, NULL, "2026-01-05T03:30:00Z", "2026-01-05T11:30:00Z", 28800},
        {"Pacific/Chatham", NULL, NULL, "2026-01-04T19:15:00Z", "2026-01-05T03:15:00Z", 28800},
        {"Pacific/Chatham", NULL, NULL, "2026-01-04T19:00:00Z", "2026-01-04T19:30:00Z", 900},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bizcal c;
        make_cal(&c, cases[i].zone, cases[i].hours, cases[i].holidays);
        int64_t got = bizhours_between(&c, at(cases[i].from), at(cases[i].to));
        if (got != cases[i].want)
            fail_msg("case %zu, %s %s -> %s: %lld business seconds, want %lld", i, cases[i].zone, cases[i].from,
                     cases[i].to, (long long)got, (long long)cases[i].want);
        bizcal_release(&c);
    }
}

static void add_matches_hand_computed_deadlines(void **state)
{
    (void)state;
    static const struct {
        const char *zone, *hours, *holidays, *from;
        int64_t seconds;
        const char *want; /* NULL: INT64_MAX */
    } cases[] = {
        /* A deadline that uses the day up is its close, not the next opening. */
        {"UTC", NULL, NULL, "2026-01-05T09:00:00Z", 8 * 3600, "2026-01-05T17:00:00Z"},
        {"UTC", NULL, NULL, "2026-01-05T09:00:00Z", 8 * 3600 + 1, "2026-01-06T09:00:01Z"},
        {"UTC", NULL, NULL, "2026-01-05T16:00:00Z", 3600, "2026-01-05T17:00:00Z"},
        {"UTC", NULL, NULL, "2026-01-09T16:00:00Z", 7200, "2026-01-12T10:00:00Z"},
        /* From a closed period. */
        {"UTC", NULL, NULL, "2026-01-10T12:00:00Z", 3600, "2026-01-12T10:00:00Z"},
        {"UTC", NULL, NULL, "2026-01-05T18:00:00Z", 1, "2026-01-06T09:00:01Z"},
        {"UTC", NULL, NULL, "2026-01-05T07:00:00Z", 1, "2026-01-05T09:00:01Z"},
        /* Zero and less: from itself, open or not. */
        {"UTC", NULL, NULL, "2026-01-05T17:00:00Z", 0, "2026-01-05T17:00:00Z"},
        {"UTC", NULL, NULL, "2026-01-10T12:00:00Z", 0, "2026-01-10T12:00:00Z"},
        {"UTC", NULL, NULL, "2026-01-10T12:00:00Z", -5, "2026-01-10T12:00:00Z"},
        /* "Within 24 business hours", with and without a holiday on the way. */
        {"UTC", NULL, NULL, "2026-01-05T10:00:00Z", 24 * 3600, "2026-01-08T10:00:00Z"},
        {"UTC", NULL, "[\"2026-01-07\"]", "2026-01-05T10:00:00Z", 24 * 3600, "2026-01-09T10:00:00Z"},
        /* Whole weeks: exactly one and ten end on a Friday at 17:00. */
        {"UTC", NULL, NULL, "2026-01-05T09:00:00Z", 144000, "2026-01-09T17:00:00Z"},
        {"UTC", NULL, NULL, "2026-01-05T09:00:00Z", 10 * 144000, "2026-03-13T17:00:00Z"},
        {"UTC", NULL, NULL, "2026-01-05T09:00:00Z", 988 * (int64_t)144000, "2044-12-09T17:00:00Z"},
        /* More than 20 years away: given up. */
        {"UTC", NULL, NULL, "2026-01-05T09:00:00Z", 21 * 52 * (int64_t)144000, NULL},
        {"UTC", NULL, NULL, "2026-01-05T09:00:00Z", INT64_MAX, NULL},
        {"Europe/Berlin", NULL, HOLIDAYS_DE, "2026-01-05T09:00:00Z", INT64_MAX / 2, NULL},
        /* Lunch: half an hour before it ends at 12:30, not at 13:30. */
        {"UTC", LUNCH, NULL, "2026-01-05T12:00:00Z", 1800, "2026-01-05T12:30:00Z"},
        {"UTC", LUNCH, NULL, "2026-01-05T12:00:00Z", 3600, "2026-01-05T14:00:00Z"},
        {"UTC", LUNCH, NULL, "2026-01-05T12:45:00Z", 1, "2026-01-05T13:30:01Z"},
        /* New York, over the weekend and over its DST change. */
        {"America/New_York", NULL, NULL, "2026-01-09T21:00:00Z", 7200, "2026-01-12T15:00:00Z"},
        {"America/New_York", NULL, NULL, "2026-03-06T21:00:00Z", 7200, "2026-03-09T14:00:00Z"},
        {"America/New_York", NULL, NULL, "2026-01-05T14:00:00Z", 28800, "2026-01-05T22:00:00Z"},
        /* Berlin's DST nights: 01:00-04:00 ends at 02:00 UTC in spring, at 03:00 UTC in autumn. */
        {"Europe/Berlin", NIGHT, NULL, "2026-03-29T00:00:00Z", 7200, "2026-03-29T02:00:00Z"},
        {"Europe/Berlin", NIGHT, NULL, "2026-10-24T23:00:00Z", 14400, "2026-10-25T03:00:00Z"},
        {"Europe/Berlin", NIGHT, NULL, "2026-10-24T23:00:00Z", 14401, "2026-11-01T00:00:01Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bizcal c;
        make_cal(&c, cases[i].zone, cases[i].hours, cases[i].holidays);
        int64_t got = bizhours_add(&c, at(cases[i].from), cases[i].seconds);
        int64_t want = cases[i].want ? at(cases[i].want) : INT64_MAX;
        if (got != want) {
            char buf[CLOCK_RFC3339_LEN] = "never";
            if (got != INT64_MAX)
                clock_format(got, buf);
            fail_msg("case %zu, %s %s + %lld s: %s, want %s", i, cases[i].zone, cases[i].from,
                     (long long)cases[i].seconds, buf, cases[i].want ? cases[i].want : "never");
        }
        bizcal_release(&c);
    }
}

/* --- long spans against slow references -------------------------------------------------------------- */

static const struct {
    const char *zone, *hours, *holidays;
} long_cals[] = {
    {"Europe/Berlin", NULL, HOLIDAYS_DE},
    {"Europe/Berlin", WEEKDAYS_AND_SUNDAY24, HOLIDAYS_DE},
    {"America/New_York", LUNCH, "[\"2025-07-04\",\"2025-11-27\",\"2026-07-03\",\"2026-11-26\"]"},
    {"Australia/Lord_Howe", WEEKDAYS_AND_SUNDAY24, NULL},
    {"Pacific/Chatham", NULL, NULL},
    {"Asia/Kolkata", LUNCH, NULL},
    {"America/Sao_Paulo", WEEKDAYS_AND_SUNDAY24, NULL}, /* changed at midnight until 2019 */
    {"Europe/Dublin", NIGHT, NULL},
    {"UTC", NULL, "[\"2025-12-25\"]"},
};

static void glibc_zone(const char *name)
{
    if (name)
        setenv("TZ", name, 1);
    else
        unsetenv("TZ");
    tzset();
}

/* Business seconds by looking at the wall clock every 15 minutes through glibc: exact when from, to and
 * every opening and closing instant are whole quarter hours, true of all the calendars above. */
static int64_t slow_between(const bizcal *c, const char *zone, int64_t from, int64_t to)
{
    int64_t total = 0;
    glibc_zone(zone);
    for (int64_t t = from; t < to; t += 900) {
        time_t tt = (time_t)t;
        struct tm tm;
        localtime_r(&tt, &tm);
        struct tm date = {.tm_year = tm.tm_year, .tm_mon = tm.tm_mon, .tm_mday = tm.tm_mday};
        int64_t day = (int64_t)timegm(&date) / 86400;
        int holiday = 0;
        for (size_t i = 0; i < c->nholidays; i++)
            holiday |= c->holidays[i] == day;
        int wd = (tm.tm_wday + 6) % 7, minute = tm.tm_hour * 60 + tm.tm_min;
        for (int i = 0; i < c->nopen[wd] && !holiday; i++)
            if (minute >= c->open[wd][i].start && minute < c->open[wd][i].end)
                total += 900;
    }
    glibc_zone(NULL);
    return total;
}

static void between_matches_slow_references_over_years(void **state)
{
    (void)state;
    static const char *const spans[][2] = {
        {"2024-02-01T07:15:00Z", "2027-03-15T18:45:00Z"},
        {"2015-06-30T23:45:00Z", "2018-11-04T02:00:00Z"},
        {"2026-03-28T00:00:00Z", "2026-11-02T00:00:00Z"},
    };
    for (size_t i = 0; i < sizeof long_cals / sizeof long_cals[0]; i++) {
        bizcal c;
        make_cal(&c, long_cals[i].zone, long_cals[i].hours, long_cals[i].holidays);
        for (size_t k = 0; k < sizeof spans / sizeof spans[0]; k++) {
            int64_t from = at(spans[k][0]), to = at(spans[k][1]);
            int64_t got = bizhours_between(&c, from, to), want = slow_between(&c, long_cals[i].zone, from, to);
            if (got != want)
                fail_msg("%s %s -> %s: %lld, the 15-minute walk says %lld", long_cals[i].zone, spans[k][0],
                         spans[k][1], (long long)got, (long long)want);
            /* The same span as a sum of one-day pieces (too short to skip weeks), from an odd second. */
            int64_t sum = 0, odd = from + 1234;
            for (int64_t t = odd; t < to; t += 86400)
                sum += bizhours_between(&c, t, t + 86400 < to ? t + 86400 : to);
            assert_int_equal(bizhours_between(&c, odd, to), sum);
        }
        bizcal_release(&c);
    }
}

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* For any from and s > 0, t = add(from, s) has between(from, t) == s and between(from, t - 1) == s - 1;
 * and between adds up over any split of a span. */
static void add_and_between_agree_on_random_inputs(void **state)
{
    (void)state;
    const int64_t lo = at("2015-01-01T00:00:00Z"), hi = at("2035-01-01T00:00:00Z");
    for (size_t i = 0; i < sizeof long_cals / sizeof long_cals[0]; i++) {
        bizcal c;
        make_cal(&c, long_cals[i].zone, long_cals[i].hours, long_cals[i].holidays);
        for (int k = 0; k < 300; k++) {
            int64_t from = lo + (int64_t)(next_random() % (uint64_t)(hi - lo)), s;
            switch (k % 4) {
            case 0: s = 1 + (int64_t)(next_random() % (40 * 3600)); break;          /* up to a week */
            case 1: s = 1800 * (1 + (int64_t)(next_random() % 200)); break;          /* on the half hour */
            case 2: s = 1 + (int64_t)(next_random() % (2000 * 3600)); break;        /* up to a year */
            default: s = 1 + (int64_t)(next_random() % (5 * c.week_seconds * 52)); /* up to five years */
            }
            int64_t t = bizhours_add(&c, from, s);
            assert_true(t > from && t != INT64_MAX);
            int64_t got = bizhours_between(&c, from, t), before = bizhours_between(&c, from, t - 1);
            if (got != s || before != s - 1)
                fail_msg("%s: from %lld + %lld s = %lld, between gives %lld and %lld just before", long_cals[i].zone,
                         (long long)from, (long long)s, (long long)t, (long long)got, (long long)before);
            int64_t mid = from + (int64_t)(next_random() % (uint64_t)(t - from + 1));
            assert_int_equal(bizhours_between(&c, from, mid) + bizhours_between(&c, mid, t), s);
        }
        bizcal_release(&c);
    }
}

/* --- settings ----------------------------------------------------------------------------------------- */

static void bizcal_reads_settings(void **state)
{
    (void)state;
    bizcal c;
    make_cal(&c, NULL, NULL, NULL);
    assert_int_equal(c.week_seconds, 5 * 8 * 3600);
    assert_int_equal(c.nopen[0], 1);
    assert_int_equal(c.nopen[5], 0);
    assert_int_equal(c.open[4][0].start, 9 * 60);
    assert_int_equal(c.open[4][0].end, 17 * 60);
    assert_int_equal(c.nholidays, 0);
    bizcal_release(&c);

    make_cal(&c, "Europe/Berlin", "{\"mon\":[\"09:00-12:00\",\"12:00-24:00\"],\"tue\":[],\"sun\":[\"00:00-00:01\"]}",
             "[\"2026-12-25\",\"2026-01-01\",\"2026-12-25\",\"1969-12-31\"]");
    assert_int_equal(c.nopen[0], 2);
    assert_int_equal(c.open[0][1].end, 1440);
    assert_int_equal(c.nopen[1], 0);
    assert_int_equal(c.week_seconds, 15 * 3600 + 60);
    assert_int_equal(c.nholidays, 3);
    assert_int_equal(c.holidays[0], -1);
    assert_int_equal(c.holidays[1], at("2026-01-01T00:00:00Z") / 86400);
    assert_int_equal(c.holidays[2], at("2026-12-25T00:00:00Z") / 86400);
    bizcal_release(&c);

    make_cal(&c, "UTC", LUNCH, "[]");
    assert_int_equal(c.week_seconds, 5 * 7 * 3600);
    bizcal_release(&c);
}

static void bizcal_refuses_bad_settings(void **state)
{
    (void)state;
    static const struct {
        const char *zone, *hours, *holidays, *field, *message; /* message: a part of it */
    } cases[] = {
        {"Mars/Olympus", NULL, NULL, "time_zone", "unknown time zone: Mars/Olympus"},
        {"../etc/passwd", NULL, NULL, "time_zone", "unknown time zone"},
        {"UTC", "{", NULL, "business_hours", "not valid JSON"},
        {"UTC", "[]", NULL, "business_hours", "must be an object"},
        {"UTC", "{\"mon\":[\"25:00-26:00\"]}", NULL, "business_hours", "mon: bad interval \"25:00-26:00\""},
        {"UTC", "{\"mon\":[\"09:00-24:01\"]}", NULL, "business_hours", "bad interval \"09:00-24:01\""},
        {"UTC", "{\"tue\":[\"09:60-10:00\"]}", NULL, "business_hours", "tue: bad interval"},
        {"UTC", "{\"mon\":[\"9:00-17:00\"]}", NULL, "business_hours", "bad interval \"9:00-17:00\""},
        {"UTC", "{\"mon\":[\"12:00-10:00\"]}", NULL, "business_hours", "bad interval \"12:00-10:00\""},
        {"UTC", "{\"mon\":[\"10:00-10:00\"]}", NULL, "business_hours", "bad interval"},
        {"UTC", "{\"mon\":[\"09:00-17:00 \"]}", NULL, "business_hours", "bad interval"},
        {"UTC", "{\"fri\":[\"09:00-17:00\",\"16:00-18:00\"]}", NULL, "business_hours",
         "fri: interval \"16:00-18:00\" overlaps"},
        {"UTC", "{\"mon\":[\"09:00-10:00\",\"08:00-09:00\"]}", NULL, "business_hours", "overlaps or precedes"},
        {"UTC", "{\"mon\":\"09:00-17:00\"}", NULL, "business_hours", "mon: want an array"},
        {"UTC", "{\"mon\":[9]}", NULL, "business_hours", "interval 1 is not"},
        {"UTC",
         "{\"mon\":[\"01:00-02:00\",\"03:00-04:00\",\"05:00-06:00\",\"07:00-08:00\",\"09:00-10:00\"]}",
         NULL, "business_hours", "at most 4 intervals"},
        {"UTC", "{\"funday\":[]}", NULL, "business_hours", "unknown day \"funday\""},
        {"UTC", "{\"Mon\":[\"09:00-17:00\"]}", NULL, "business_hours", "unknown day"},
        {"UTC", "{\"mon\":[\"09:00-17:00\"],\"mon\":[\"09:00-17:00\"]}", NULL, "business_hours", "not valid JSON"},
        {"UTC", "{}", NULL, "business_hours", "no business hours in the week"},
        {"UTC", "{\"mon\":[],\"sat\":[]}", NULL, "business_hours", "no business hours in the week"},
        {"UTC", NULL, "[\"2026-02-30\"]", "holidays", "bad holiday \"2026-02-30\""},
        {"UTC", NULL, "[\"2026-01-01\",\"2026-1-2\"]", "holidays", "bad holiday \"2026-1-2\""},
        {"UTC", NULL, "[\"2026-01-01T00:00:00Z\"]", "holidays", "bad holiday"},
        {"UTC", NULL, "[20260101]", "holidays", "holiday 1 is not"},
        {"UTC", NULL, "{", "holidays", "not valid JSON"},
        {"UTC", NULL, "\"2026-01-01\"", "holidays", "must be an array"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bizcal c;
        err_t e;
        err_clear(&e);
        int rc = bizcal_init(&c, cases[i].zone, cases[i].hours, cases[i].holidays, &e);
        if (rc != E_INVALID_VALUE || strcmp(e.field, cases[i].field) || !strstr(e.message, cases[i].message))
            fail_msg("case %zu: rc %d, field \"%s\", message \"%s\"; want \"%s\" and \"%s\"", i, rc, e.field,
                     e.message, cases[i].field, cases[i].message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(between_matches_hand_computed_spans),
        cmocka_unit_test(add_matches_hand_computed_deadlines),
        cmocka_unit_test(between_matches_slow_references_over_years),
        cmocka_unit_test(add_and_between_agree_on_random_inputs),
        cmocka_unit_test(bizcal_reads_settings),
        cmocka_unit_test(bizcal_refuses_bad_settings),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tz_cleanup();
    return rc;
}
