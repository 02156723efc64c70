/* civil: proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), after Howard
 * Hinnant's algorithms, exact for any year an int64_t day can hold. One copy for clock.c, tz_rule.c and
 * bizhours.c; inline, since reports convert times by the hundred thousand. */
#ifndef RAPPORT_CIVIL_H
#define RAPPORT_CIVIL_H
#include <stdint.h>

/* a / b rounded toward minus infinity (C's / rounds toward zero): the day of an instant before 1970 */
static inline int64_t civil_floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The day number of y-m-d (m 1-12, d 1-31, not checked). */
static inline int64_t civil_days(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The year in which day number z falls. */
static inline int64_t civil_year_of_day(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    return yoe + era * 400 + (mp >= 10); /* months 11 and 12 of the March-based year are January, February */
}

static inline int civil_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

#endif
