/* clock: injectable "now" and strict RFC 3339 parsing (see clock.h). */
#include "util/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/civil.h"

static int64_t fixed_now = -1;

int clock_init(void)
{
    const char *s = getenv("RAPPORT_NOW");
    if (!s || !*s)
        return 0;
    return clock_parse(s, &fixed_now);
}

int64_t clock_now(void)
{
    if (fixed_now >= 0)
        return fixed_now;
    return (int64_t)time(NULL);
}

int64_t clock_real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_format(int64_t t, char out[CLOCK_RFC3339_LEN])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, CLOCK_RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Reads exactly n digits. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static int parse_ymd(const char **p, struct tm *tm)
{
    int y, mo, d;
    if (digits(p, 4, &y) || *(*p)++ != '-' || digits(p, 2, &mo) || *(*p)++ != '-' || digits(p, 2, &d))
        return -1;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return -1;
    memset(tm, 0, sizeof *tm);
    tm->tm_year = y - 1900;
    tm->tm_mon = mo - 1;
    tm->tm_mday = d;
    return 0;
}

/* civil_days is timegm on a validated date, without its normalisation work. */
static int64_t tm_seconds(const struct tm *tm)
{
    return civil_days(tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday) * 86400 + tm->tm_hour * 3600 +
           tm->tm_min * 60 + tm->tm_sec;
}

int clock_parse_date(const char *s, int64_t *day_start)
{
    struct tm tm;
    if (!s || parse_ymd(&s, &tm) || *s)
        return -1;
    if (day_start) {
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        *day_start = tm_seconds(&tm);
    }
    return 0;
}

int clock_parse(const char *s, int64_t *t)
{
    struct tm tm;
    int h, mi, sec;
    if (!s || parse_ymd(&s, &tm))
        return -1;
    if (*s != 'T' && *s != 't' && *s != ' ')
        return -1;
    s++;
    if (digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi) || *s++ != ':' || digits(&s, 2, &sec))
        return -1;
    if (h > 23 || mi > 59 || sec > 60)
        return -1;
    if (*s == '.') { /* fractions of a second are accepted and dropped */
        s++;
        if (!isdigit((unsigned char)*s))
            return -1;
        while (isdigit((unsigned char)*s))
            s++;
    }
    int offset = 0;
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1, oh, om;
        if (digits(&s, 2, &oh) || *s++ != ':' || digits(&s, 2, &om) || oh > 23 || om > 59)
            return -1;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*s)
        return -1;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec > 59 ? 59 : sec;
    *t = tm_seconds(&tm) - offset;
    return 0;
}
