/* clock: the one clock every time-based rule reads, and RFC 3339 / date conversions.
 *
 * RAPPORT_NOW=2026-01-31T09:00:00Z fixes the clock (tests, replaying a past day); clock_init reads it
 * once at start. Times are stored as fixed-width UTC text, "YYYY-MM-DDTHH:MM:SSZ", which sorts like the
 * instant it names on every backend. */
#ifndef RAPPORT_CLOCK_H
#define RAPPORT_CLOCK_H
#include <stdint.h>

#define CLOCK_RFC3339_LEN 21 /* with the NUL */

/* Returns 0, or -1 when RAPPORT_NOW is set but not a valid RFC 3339 time. */
int clock_init(void);
int64_t clock_now(void);
/* Milliseconds of the real clock, for ids and durations; never fixed. */
int64_t clock_real_ms(void);
void clock_format(int64_t t, char out[CLOCK_RFC3339_LEN]);
/* Parses RFC 3339 ("2026-11-20T10:00:00Z", "...T10:00:00.5+02:00"); returns 0 or -1. */
int clock_parse(const char *s, int64_t *t);
/* Checks a calendar date "YYYY-MM-DD"; returns 0 or -1. */
int clock_parse_date(const char *s, int64_t *day_start);

#endif
