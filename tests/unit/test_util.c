/* Unit tests of src/util: strbuf, clock, utf8, ids, idmap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/engine/snippet.h"
#include "util/civil.h"
#include "util/clock.h"
#include "util/idmap.h"
#include "util/log.h"
#include "util/ids.h"
#include "util/strbuf.h"
#include "util/utf8.h"

static void strbuf_appends_and_caps(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb, 8);
    assert_string_equal(sb.buf, "");
    strbuf_adds(&sb, "abcd");
    strbuf_addf(&sb, "%d", 123);
    assert_string_equal(sb.buf, "abcd123");
    assert_int_equal(sb.overflow, 0);
    strbuf_adds(&sb, "xy"); /* 9 bytes would pass the cap of 8: nothing appended */
    assert_int_equal(sb.overflow, 1);
    assert_string_equal(sb.buf, "abcd123");
    strbuf_addc(&sb, 'z'); /* once overflowed, stays refused */
    assert_string_equal(sb.buf, "abcd123");
    strbuf_release(&sb);
}

static void strbuf_escapes_json(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    strbuf_add_json_str(&sb, "a\"b\\c\n\x01 é");
    assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\n\\u0001 é\"");
    strbuf_reset(&sb);
    strbuf_add_json_str(&sb, NULL);
    assert_string_equal(sb.buf, "null");
    strbuf_reset(&sb);
    strbuf_add_csv(&sb, "plain");
    strbuf_addc(&sb, ',');
    strbuf_add_csv(&sb, "with, \"quote\"");
    assert_string_equal(sb.buf, "plain,\"with, \"\"quote\"\"\"");
    /* formulas in text cells get a leading '; numbers and money keep their sign */
    strbuf_reset(&sb);
    static const char *const cells[] = {"=SUM(A1)", "+1 555 0100", "-x", "@cmd", "\tTab", "-12.50", "+3", "1e5", "-", NULL};
    for (int i = 0; cells[i]; i++) {
        strbuf_add_csv(&sb, cells[i]);
        strbuf_addc(&sb, '|');
    }
    assert_string_equal(sb.buf, "'=SUM(A1)|'+1 555 0100|'-x|'@cmd|'\tTab|-12.50|+3|1e5|'-|");
    strbuf_reset(&sb);
    strbuf_add_csv(&sb, "=1,2");
    assert_string_equal(sb.buf, "\"'=1,2\"");
    char *s = strbuf_detach(&sb, NULL);
    assert_string_equal(sb.buf, "");
    free(s);
}

static void clock_parses_rfc3339(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"2026-01-31T09:00:00Z", "2026-01-31T09:00:00Z"},
        {"2026-01-31T09:00:00.123Z", "2026-01-31T09:00:00Z"},
        {"2026-01-31T10:30:00+01:30", "2026-01-31T09:00:00Z"},
        {"2026-03-01T00:30:00+02:00", "2026-02-28T22:30:00Z"},
        {"2024-02-29T23:59:59-00:00", "2024-02-29T23:59:59Z"},
        {"2026-12-31T23:00:00-02:00", "2027-01-01T01:00:00Z"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t t;
        char buf[CLOCK_RFC3339_LEN];
        assert_int_equal(clock_parse(ok[i].in, &t), 0);
        clock_format(t, buf);
        assert_string_equal(buf, ok[i].out);
    }
    static const char *const bad[] = {"", "2026-01-31", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                                      "2026-01-31T24:00:00Z", "2026-01-31T09:00:00", "2026-01-31T09:00:00Zjunk",
                                      "2026-1-31T09:00:00Z", "2026-01-31T09:00:00+0100", "yesterday"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t;
        assert_int_equal(clock_parse(bad[i], &t), -1);
    }
    assert_int_equal(clock_parse_date("2024-02-29", NULL), 0);
    assert_int_equal(clock_parse_date("2025-02-29", NULL), -1);
    assert_int_equal(clock_parse_date("2025-04-31", NULL), -1);
}

static void clock_is_fixed_by_env(void **state)
{
    (void)state;
    setenv("RAPPORT_NOW", "2026-01-31T09:00:00Z", 1);
    assert_int_equal(clock_init(), 0);
    char buf[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), buf);
    assert_string_equal(buf, "2026-01-31T09:00:00Z");
    setenv("RAPPORT_NOW", "not a time", 1);
    assert_int_equal(clock_init(), -1);
    unsetenv("RAPPORT_NOW");
}

static void utf8_is_strict(void **state)
{
    (void)state;
    assert_true(utf8_valid("plain", 5));
    assert_true(utf8_valid("é日本🎉", strlen("é日本🎉")));
    assert_false(utf8_valid("\xff", 1));
    assert_false(utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    assert_false(utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
    assert_false(utf8_valid("\xe6\x97", 2));         /* truncated */
}

static void ids_are_valid_unique_and_ordered(void **state)
{
    (void)state;
    char a[ID_MAX], b[ID_MAX];
    id_new("cli", a);
    id_new("cli", b);
    assert_true(id_valid(a));
    assert_int_equal(strlen(a), 4 + 26);
    assert_string_not_equal(a, b);
    assert_false(id_valid("cli_"));
    assert_false(id_valid("../etc/passwd"));
    assert_false(id_valid("cli_01m83m7b85f4556snv4k2knf1'"));
    char h1[65], h2[65];
    id_hash_secret("secret", h1);
    id_hash_secret("secret", h2);
    assert_string_equal(h1, h2);
    assert_int_equal(strlen(h1), 64);
}

static void snippets_mark_matches_in_a_window(void **state)
{
    (void)state;
    static const struct {
        const char *text, *words, *want;
    } cases[] = {
        {"Talked with Noah about the pricing page.", "pricing", "Talked with Noah about the [pricing] page."},
        {"Talked with Noah about the pricing page.", "PRIC noah", "Talked with [Noah] about the [pricing] page."},
        {"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen twenty",
         "twelve", "...eight nine ten eleven [twelve] thirteen fourteen fifteen sixteen seventeen eighteen nineteen "
                   "twenty"},
        {"a b c d e f g h i j k l m n o p q", "zzz", "a b c d e f g h i j k l m n..."},
        {"Café   crème,\n  s'il vous plaît", "crème", "Café [crème], s'il vous plaît"},
        {"", "x", ""},
        {"*** !!! ???", "x", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        strbuf sb = STRBUF_INIT;
        snippet_make(cases[i].text, cases[i].words, &sb);
        if (strcmp(sb.buf, cases[i].want))
            fail_msg("snippet of \"%s\" for \"%s\": got \"%s\", want \"%s\"", cases[i].text, cases[i].words, sb.buf,
                     cases[i].want);
        strbuf_release(&sb);
    }
}

/* Every id is found at its own position, through collisions and wrap-around (far more ids than the
 * smallest table), and what is not in the set is not found. */
static void idmap_finds_each_id_and_nothing_else(void **state)
{
    (void)state;
    enum { N = 3000 };
    static char buf[N][ID_MAX];
    const char *ids[N];
    for (int i = 0; i < N; i++) {
        snprintf(buf[i], ID_MAX, "cli_%05d", i * 7);
        ids[i] = buf[i];
    }
    idmap m;
    assert_int_equal(idmap_build(&m, ids, N), 0);
    for (int i = 0; i < N; i++) {
        char probe[ID_MAX];
        snprintf(probe, sizeof probe, "cli_%05d", i * 7); /* a copy: found by content, not by pointer */
        assert_int_equal(idmap_find(&m, probe), i);
        snprintf(probe, sizeof probe, "cli_%05d", i * 7 + 1);
        assert_int_equal(idmap_find(&m, probe), -1);
    }
    assert_int_equal(idmap_find(&m, NULL), -1);
    assert_int_equal(idmap_find(&m, ""), -1);
    idmap_release(&m);
    assert_int_equal(idmap_build(&m, ids, 0), 0); /* an empty set finds nothing */
    assert_int_equal(idmap_find(&m, "cli_00000"), -1);
    idmap_release(&m);
}

/* One calendar for clock, tz_rule and bizhours: day numbers against known dates, a walk day by day
 * through four centuries (leap years, century rules), and division that rounds down before 1970. */
static void civil_days_count_the_calendar(void **state)
{
    (void)state;
    assert_int_equal(civil_days(1970, 1, 1), 0);
    assert_int_equal(civil_days(2000, 3, 1), 11017);
    assert_int_equal(civil_days(1969, 12, 31), -1);
    assert_int_equal(civil_days(1, 1, 1), -719162);
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t day = civil_days(1800, 1, 1);
    for (int64_t y = 1800; y < 2200; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= month_days[m - 1] + (m == 2 && civil_is_leap(y)); d++) {
                if (civil_days(y, m, d) != day)
                    fail_msg("%lld-%02d-%02d is day %lld, not %lld", (long long)y, m, d,
                             (long long)civil_days(y, m, d), (long long)day);
                if (civil_year_of_day(day) != y)
                    fail_msg("day %lld falls in %lld, not %lld", (long long)day, (long long)civil_year_of_day(day),
                             (long long)y);
                day++;
            }
    assert_false(civil_is_leap(1900));
    assert_true(civil_is_leap(2000));
    assert_int_equal(civil_floor_div(-1, 86400), -1);
    assert_int_equal(civil_floor_div(-86400, 86400), -1);
    assert_int_equal(civil_floor_div(86399, 86400), 0);
    assert_int_equal(civil_floor_div(-86401, 86400), -2);
}

/* The line log_error writes to stderr, captured through a pipe. */
static void logged(char *line, size_t n, const char *msg)
{
    int fds[2], saved = dup(2);
    assert_int_equal(pipe(fds), 0);
    dup2(fds[1], 2);
    log_error("%s", msg);
    dup2(saved, 2);
    close(saved);
    close(fds[1]);
    ssize_t got = read(fds[0], line, n - 1);
    line[got > 0 ? got : 0] = '\0';
    close(fds[0]);
}

static void log_lines_carry_the_request_id(void **state)
{
    (void)state;
    char line[512];
    log_set_request_id("req_01abc");
    logged(line, sizeof line, "the database went away");
    assert_non_null(strstr(line, " error req=req_01abc the database went away"));
    log_set_request_id(NULL);
    logged(line, sizeof line, "between requests");
    assert_null(strstr(line, "req="));
    assert_non_null(strstr(line, " error between requests"));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strbuf_appends_and_caps), cmocka_unit_test(strbuf_escapes_json),
        cmocka_unit_test(clock_parses_rfc3339),    cmocka_unit_test(clock_is_fixed_by_env),
        cmocka_unit_test(utf8_is_strict),          cmocka_unit_test(ids_are_valid_unique_and_ordered),
        cmocka_unit_test(snippets_mark_matches_in_a_window), cmocka_unit_test(idmap_finds_each_id_and_nothing_else),
        cmocka_unit_test(log_lines_carry_the_request_id),
        cmocka_unit_test(civil_days_count_the_calendar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
