/* bizhours: a workspace's business calendar, and time measured in it ("within 24 business hours").
 *
 * A calendar is a time zone, up to BIZCAL_MAX_INTERVALS open intervals per weekday in wall-clock minutes,
 * and holidays as local dates. Intervals are wall-clock times, turned into instants day by day with
 * tz_local_reached, so an interval is as long as it really is that day: 01:00-04:00 lasts two hours on
 * the night the clocks spring forward and four when they fall back. An opening or closing time that falls
 * in a gap happens when the clock jumps past it; one in an overlap, at its first occurrence.
 *
 * All instants are Unix seconds (UTC), clamped to the years 1..9999. */
#ifndef RAPPORT_BIZHOURS_H
#define RAPPORT_BIZHOURS_H
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/tz.h"

#define BIZCAL_MAX_INTERVALS 4
#define BIZCAL_MAX_HOLIDAYS 10000
/* bizhours_add gives up on deadlines further than this (20 years of 365.25 days). */
#define BIZHOURS_ADD_LIMIT ((int64_t)20 * 36525 * 864)

typedef struct bizcal_interval {
    int start, end; /* minutes since local midnight, 0 <= start < end <= 1440 */
} bizcal_interval;

typedef struct bizcal {
    const tz *zone;                                /* cached by tz_get, not owned */
    int nopen[7];                                  /* intervals per weekday, Monday first */
    bizcal_interval open[7][BIZCAL_MAX_INTERVALS]; /* in order, not overlapping */
    int64_t *holidays;                             /* local dates (days since 1970-01-01), sorted, unique */
    size_t nholidays;
    int64_t week_seconds;                          /* open seconds in a week without holidays, > 0 */
} bizcal;

/* Builds a calendar. tz_name NULL means "UTC". hours_json NULL means Monday to Friday 09:00-17:00;
 * otherwise a JSON object whose keys are "mon".."sun", each an array of "HH:MM-HH:MM" strings in order,
 * not overlapping (touching is fine), start before end, "24:00" allowed as an end; a missing day or an
 * empty array is closed. holidays_json NULL means none; otherwise a JSON array of "YYYY-MM-DD" strings.
 * Returns 0, or E_INVALID_VALUE with e's field "time_zone", "business_hours" or "holidays" and a message
 * naming the bad entry; a week without any open minute is refused too. On success release with
 * bizcal_release; on failure there is nothing to release. */
int bizcal_init(bizcal *c, const char *tz_name, const char *hours_json, const char *holidays_json, err_t *e);
void bizcal_release(bizcal *c);

/* Business seconds in [from, to); 0 when to <= from. */
int64_t bizhours_between(const bizcal *c, int64_t from, int64_t to);
/* The deadline `seconds` business seconds after from: the earliest t >= from with
 * bizhours_between(c, from, t) == seconds. A deadline that uses up an interval exactly is its closing
 * instant (8 business hours from Monday 09:00 is Monday 17:00, not Tuesday 09:00). seconds <= 0 returns
 * from; a deadline more than BIZHOURS_ADD_LIMIT after from returns INT64_MAX. */
int64_t bizhours_add(const bizcal *c, int64_t from, int64_t seconds);

#endif
