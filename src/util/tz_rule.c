/* tz_rule: POSIX TZ strings, parsed and evaluated (see tz_rule.h). */
#include "util/tz_rule.h"

#include <stdint.h>

#include "util/civil.h"

#define DAY 86400


/* --- parsing ------------------------------------------------------------------------------------------ */

typedef struct cursor {
    const char *p, *end;
} cursor;

static int peek(const cursor *c)
{
    return c->p < c->end ? (unsigned char)*c->p : -1;
}

static int is_alpha(int ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* A zone abbreviation: three or more letters, or <...> holding letters, digits, '+' and '-'. Only its
 * well-formedness matters; the abbreviation itself is not kept. */
static int parse_name(cursor *c)
{
    int n = 0;
    if (peek(c) == '<') {
        c->p++;
        while (is_alpha(peek(c)) || is_digit(peek(c)) || peek(c) == '+' || peek(c) == '-') {
            c->p++;
            n++;
        }
        if (peek(c) != '>')
            return -1;
        c->p++;
    } else {
        while (is_alpha(peek(c))) {
            c->p++;
            n++;
        }
    }
    return n >= 3 ? 0 : -1;
}

static int parse_number(cursor *c, int max_digits, int *out)
{
    int v = 0, n = 0;
    while (n < max_digits && is_digit(peek(c))) {
        v = v * 10 + (*c->p++ - '0');
        n++;
    }
    if (n == 0)
        return -1;
    *out = v;
    return 0;
}

/* [+-]hh[:mm[:ss]] with hh at most max_hours; returns seconds (sign applied). */
static int parse_hms(cursor *c, int max_hours, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (peek(c) == '+' || peek(c) == '-')
        sign = *c->p++ == '-' ? -1 : 1;
    if (parse_number(c, 3, &h) || h > max_hours)
        return -1;
    if (peek(c) == ':') {
        c->p++;
        if (parse_number(c, 2, &m) || m > 59)
            return -1;
        if (peek(c) == ':') {
            c->p++;
            if (parse_number(c, 2, &s) || s > 59)
                return -1;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return 0;
}

static int parse_date(cursor *c, tz_rule_date *d)
{
    d->time = 2 * 3600; /* POSIX default */
    if (peek(c) == 'J') {
        c->p++;
        d->form = 'J';
        if (parse_number(c, 3, &d->n) || d->n < 1 || d->n > 365)
            return -1;
    } else if (peek(c) == 'M') {
        c->p++;
        d->form = 'M';
        if (parse_number(c, 2, &d->m) || d->m < 1 || d->m > 12 || peek(c) != '.')
            return -1;
        c->p++;
        if (parse_number(c, 1, &d->w) || d->w < 1 || d->w > 5 || peek(c) != '.')
            return -1;
        c->p++;
        if (parse_number(c, 1, &d->d) || d->d > 6)
            return -1;
    } else {
        d->form = 'D';
        if (parse_number(c, 3, &d->n) || d->n > 365)
            return -1;
    }
    if (peek(c) == '/') {
        c->p++;
        if (parse_hms(c, 167, &d->time)) /* RFC 8536 3.3.1: -167..167 hours */
            return -1;
    }
    return 0;
}

int tz_rule_parse(const char *s, size_t n, tz_rule *r)
{
    cursor c = {s, s + n};
    int32_t west;
    *r = (tz_rule){0};
    if (parse_name(&c) || parse_hms(&c, 24, &west))
        return -1;
    r->std_off = -west; /* POSIX offsets count hours west of Greenwich */
    if (peek(&c) == -1)
        return 0;
    if (parse_name(&c))
        return -1;
    r->has_dst = 1;
    r->dst_off = r->std_off + 3600;
    if (peek(&c) != ',' && peek(&c) != -1) {
        if (parse_hms(&c, 24, &west))
            return -1;
        r->dst_off = -west;
    }
    if (peek(&c) == -1) {
        /* No rule: POSIX leaves it to the implementation; glibc and tzcode use the US rule. */
        r->start = (tz_rule_date){.form = 'M', .m = 3, .w = 2, .d = 0, .time = 2 * 3600};
        r->end = (tz_rule_date){.form = 'M', .m = 11, .w = 1, .d = 0, .time = 2 * 3600};
        return 0;
    }
    if (peek(&c) != ',')
        return -1;
    c.p++;
    if (parse_date(&c, &r->start) || peek(&c) != ',')
        return -1;
    c.p++;
    if (parse_date(&c, &r->end) || peek(&c) != -1)
        return -1;
    return 0;
}

/* --- evaluation --------------------------------------------------------------------------------------- */

/* The local day (days since 1970-01-01) on which date d falls in year y. */
static int64_t rule_day(const tz_rule_date *d, int64_t y)
{
    int64_t jan1 = civil_days(y, 1, 1);
    if (d->form == 'J')
        return jan1 + d->n - 1 + (civil_is_leap(y) && d->n >= 60);
    if (d->form == 'D')
        return jan1 + d->n;
    int64_t first = civil_days(y, d->m, 1);
    int64_t next = d->m == 12 ? civil_days(y + 1, 1, 1) : civil_days(y, d->m + 1, 1);
    int64_t wd = ((first + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday (4) */
    int64_t day = first + (d->d - wd + 7) % 7 + 7 * (d->w - 1);
    while (day >= next) /* week 5 means the last such weekday of the month */
        day -= 7;
    return day;
}

typedef struct event {
    int64_t at;
    int dst; /* the state from `at` on */
} event;

/* The start and end instants of years y0 .. y0+count-1, sorted. At equal instants an end sorts before a
 * start, so a rule that ends daylight time at the very moment it starts again (RFC 8536's all-year
 * daylight time, e.g. "EST5EDT,0/0,J365/25") stays in daylight time. */
static int year_events(const tz_rule *r, int64_t y0, int count, event *ev)
{
    int n = 0;
    for (int64_t y = y0; y < y0 + count; y++) {
        /* The start is given in standard local time, the end in daylight local time. */
        ev[n++] = (event){rule_day(&r->start, y) * DAY + r->start.time - r->std_off, 1};
        ev[n++] = (event){rule_day(&r->end, y) * DAY + r->end.time - r->dst_off, 0};
    }
    for (int i = 1; i < n; i++) { /* insertion sort of a dozen entries */
        event e = ev[i];
        int j = i;
        while (j > 0 && (ev[j - 1].at > e.at || (ev[j - 1].at == e.at && ev[j - 1].dst > e.dst))) {
            ev[j] = ev[j - 1];
            j--;
        }
        ev[j] = e;
    }
    return n;
}

static int64_t year_at(const tz_rule *r, int64_t t)
{
    return civil_year_of_day(civil_floor_div(t + r->std_off, DAY));
}

int32_t tz_rule_offset(const tz_rule *r, int64_t t)
{
    if (!r->has_dst)
        return r->std_off;
    /* A year's changes can stray a week or so into the next year (times up to 167 hours), so the last
     * change at or before t is looked for among two years before t's and one after. */
    event ev[8];
    int n = year_events(r, year_at(r, t) - 2, 4, ev);
    int dst = 0;
    for (int i = 0; i < n && ev[i].at <= t; i++)
        dst = ev[i].dst;
    return dst ? r->dst_off : r->std_off;
}

int64_t tz_rule_next_change(const tz_rule *r, int64_t t)
{
    if (!r->has_dst || r->std_off == r->dst_off)
        return INT64_MAX;
    int32_t now = tz_rule_offset(r, t);
    /* The rule repeats every year; if nothing changes over the next few years, nothing ever does. */
    event ev[12];
    int n = year_events(r, year_at(r, t) - 1, 6, ev);
    for (int i = 0; i < n; i++)
        if (ev[i].at > t && tz_rule_offset(r, ev[i].at) != now)
            return ev[i].at;
    return INT64_MAX;
}
