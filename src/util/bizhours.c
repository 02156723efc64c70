/* bizhours: business seconds between instants, and deadlines (see bizhours.h). bizcal.c builds calendars.
 *
 * Both functions walk local days, turning each day's open intervals into instants. Over a long span most
 * weeks are alike, so a run of whole weeks is counted at once when it is provably the same as walking
 * it: no holiday in it and one UTC offset throughout (see plain_weeks). */
#include "util/bizhours.h"

#include "util/civil.h"

#define DAY 86400
#define WEEK (7 * DAY)
#define T_MIN INT64_C(-62135596800) /* 0001-01-01T00:00:00Z */
#define T_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

static int64_t clamp(int64_t t)
{
    return t < T_MIN ? T_MIN : t > T_MAX ? T_MAX : t;
}

/* The local date on which instant t falls. Any open interval of an earlier day ends by t: a day ends
 * when the clock first reads the next midnight, which it did by t. */
static int64_t local_day(const bizcal *c, int64_t t)
{
    return civil_floor_div(t + tz_offset(c->zone, t), DAY);
}

/* 0 = Monday; 1970-01-01 was a Thursday. */
static int weekday(int64_t day)
{
    return (int)(((day + 3) % 7 + 7) % 7);
}

/* The index of the first holiday on or after day. */
static size_t holiday_from(const bizcal *c, int64_t day)
{
    size_t lo = 0, hi = c->nholidays;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->holidays[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The open windows of local day `day` as [start, end) instants, in order (some may be empty where the
 * clock jumped over them); returns how many. */
static int day_windows(const bizcal *c, int64_t day, int64_t w[BIZCAL_MAX_INTERVALS][2])
{
    size_t h = holiday_from(c, day);
    if (h < c->nholidays && c->holidays[h] == day)
        return 0;
    int wd = weekday(day), n = c->nopen[wd];
    for (int i = 0; i < n; i++) {
        w[i][0] = tz_local_reached(c->zone, day * DAY + c->open[wd][i].start * 60);
        w[i][1] = tz_local_reached(c->zone, day * DAY + c->open[wd][i].end * 60);
    }
    return n;
}

/* How many whole weeks from local day `day` (which begins at instant `start`) may be counted as
 * week_seconds each without walking their days: none of them a holiday, and one UTC offset o from three
 * days before start to three days after the last of them. tz_local_reached samples offsets a day either
 * side of a local time (+-1 day plus the offset, under 3 days), so there it is exactly local - o, and each
 * interval lasts exactly its wall-clock length. Near a change of offset this returns 0 and the caller
 * walks day by day. */
static int64_t plain_weeks(const bizcal *c, int64_t day, int64_t start)
{
    const int64_t margin = 3 * DAY;
    int o = tz_offset(c->zone, start - margin);
    if (start + o != day * DAY)
        return 0;
    int64_t change = tz_next_change(c->zone, start - margin);
    int64_t weeks = change == INT64_MAX ? INT64_MAX : (change - 1 - margin - start) / WEEK;
    size_t h = holiday_from(c, day);
    if (h < c->nholidays && (c->holidays[h] - day) / 7 < weeks)
        weeks = (c->holidays[h] - day) / 7;
    return weeks > 0 ? weeks : 0;
}

int64_t bizhours_between(const bizcal *c, int64_t from, int64_t to)
{
    from = clamp(from);
    to = clamp(to);
    if (to <= from)
        return 0;
    int64_t total = 0;
    for (int64_t day = local_day(c, from);; day++) {
        int64_t start = tz_local_reached(c->zone, day * DAY);
        if (start >= to)
            break;
        if (start >= from) {
            int64_t weeks = plain_weeks(c, day, start);
            if (weeks > (to - start) / WEEK)
                weeks = (to - start) / WEEK;
            if (weeks > 0) {
                total += weeks * c->week_seconds;
                day += 7 * weeks - 1;
                continue;
            }
        }
        int64_t w[BIZCAL_MAX_INTERVALS][2];
        int n = day_windows(c, day, w);
        for (int i = 0; i < n; i++) {
            int64_t lo = w[i][0] > from ? w[i][0] : from, hi = w[i][1] < to ? w[i][1] : to;
            if (hi > lo)
                total += hi - lo;
        }
    }
    return total;
}

int64_t bizhours_add(const bizcal *c, int64_t from, int64_t seconds)
{
    if (seconds <= 0)
        return from;
    from = clamp(from);
    int64_t limit = from + BIZHOURS_ADD_LIMIT, left = seconds;
    for (int64_t day = local_day(c, from);; day++) {
        int64_t start = tz_local_reached(c->zone, day * DAY);
        if (start > limit)
            return INT64_MAX;
        if (start >= from) {
            /* Whole weeks only while the deadline stays beyond them, so the walk finds it. */
            int64_t weeks = plain_weeks(c, day, start);
            if (weeks > (left - 1) / c->week_seconds)
                weeks = (left - 1) / c->week_seconds;
            if (weeks > (limit - start) / WEEK + 1) /* past the limit is far enough */
                weeks = (limit - start) / WEEK + 1;
            if (weeks > 0) {
                left -= weeks * c->week_seconds;
                day += 7 * weeks - 1;
                continue;
            }
        }
        int64_t w[BIZCAL_MAX_INTERVALS][2];
        int n = day_windows(c, day, w);
        for (int i = 0; i < n; i++) {
            int64_t lo = w[i][0] > from ? w[i][0] : from;
            if (w[i][1] <= lo)
                continue;
            if (w[i][1] - lo >= left) /* uses this window up at most: a deadline at closing is the close */
                return lo + left > limit ? INT64_MAX : lo + left;
            left -= w[i][1] - lo;
        }
    }
}
