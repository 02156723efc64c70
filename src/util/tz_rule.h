/* tz_rule: the POSIX TZ string that ends a TZif file (RFC 8536 section 3.3), parsed and evaluated.
 *
 * A TZif file lists transitions up to some year and leaves every later instant to this one rule, such
 * as "CET-1CEST,M3.5.0,M10.5.0/3": standard name and offset, daylight name and offset, and the local
 * times at which daylight time starts and ends each year. Supported: quoted names ("<+1030>"), the Jn,
 * n and Mm.w.d date forms, and rule times from -167 to 167 hours (RFC 8536's extension of POSIX).
 * Offsets here are seconds east of UTC, the opposite sign of the string's. Pure functions, no state. */
#ifndef RAPPORT_TZ_RULE_H
#define RAPPORT_TZ_RULE_H
#include <stddef.h>
#include <stdint.h>

typedef struct tz_rule_date {
    char form;    /* 'J' (day 1..365, February 29 never counted), 'D' (day 0..365, counted), 'M' */
    int n;        /* day for J and D */
    int m, w, d;  /* for M: month 1..12, week 1..5 (5 = last), weekday 0..6 (0 = Sunday) */
    int32_t time; /* seconds after local midnight when the change happens; may be negative or > 24h */
} tz_rule_date;

typedef struct tz_rule {
    int32_t std_off;
    int32_t dst_off;
    int has_dst; /* 0: std_off all year, start and end unused */
    tz_rule_date start, end;
} tz_rule;

/* Parses the n bytes at s (no NUL needed); returns 0, or -1 when they are not a valid TZ string. */
int tz_rule_parse(const char *s, size_t n, tz_rule *r);
/* Seconds east of UTC at instant t (|t| well under 2^60). */
int32_t tz_rule_offset(const tz_rule *r, int64_t t);
/* The first instant after t whose offset differs from t's; INT64_MAX when the offset never changes. */
int64_t tz_rule_next_change(const tz_rule *r, int64_t t);

#endif
