/* tz: time zones read from the system's compiled TZif files (RFC 8536; Debian's tzdata package).
 *
 * Why not localtime_r with setenv("TZ")? The time zone is process-global state in libc, and a server
 * answering for many workspaces on many threads would have them changing it under each other. So we read
 * the files ourselves: a zone is loaded once (from $TZDIR, else /usr/share/zoneinfo), kept for the life
 * of the process, immutable, and safe to read from any thread.
 *
 * Instants are Unix seconds (UTC). A "local" time is the wall-clock reading counted as if it were UTC:
 * 2026-03-29 02:30 local is 1774751400 whatever the zone. Instants are clamped to +-2^48 seconds
 * (millions of years), which keeps every computation inside int64. */
#ifndef RAPPORT_TZ_H
#define RAPPORT_TZ_H
#include <stdint.h>

#include "util/err.h"

#define TZ_NAME_MAX 64

typedef struct tz tz;

/* The zone named e.g. "Europe/Berlin", loaded and cached on first use; never freed before tz_cleanup.
 * "UTC" and "Etc/UTC" are built in and need no file. Names are checked before any file is opened: only
 * letters, digits and "_+-/", no "..", no leading '/', at most TZ_NAME_MAX bytes. An unknown or bad name,
 * or an unreadable file, fills e (E_INVALID_VALUE, field "time_zone") and returns NULL. Thread-safe. */
const tz *tz_get(const char *name, err_t *e);
/* Frees every cached zone; for the end of the process (and tests), when no zone is in use. */
void tz_cleanup(void);

/* Seconds east of UTC at instant t. Past the file's last transition, its POSIX TZ rule applies. */
int tz_offset(const tz *z, int64_t t);
/* The first instant after t at which the offset differs from t's; INT64_MAX if it never changes. */
int64_t tz_next_change(const tz *z, int64_t t);

/* The instant at which the wall clock reads `local`.
 * In a gap (spring forward: 02:30 does not exist in Berlin on 2026-03-29), the offset from before the
 * change applies, so the time maps forward: 02:30 becomes 01:30 UTC, which the clock shows as 03:30.
 * In an overlap (fall back: 01:30 happens twice in New York on 2026-11-01), the earlier instant. */
int64_t tz_local_to_utc(const tz *z, int64_t local);
/* The first instant at which the wall clock reads `local` or later. The same as tz_local_to_utc except
 * in a gap, where it is the change itself (02:30 in that Berlin gap: 01:00 UTC, when the clock jumps from
 * 02:00 to 03:00). Unlike tz_local_to_utc it never decreases as `local` grows, which is what business
 * hours need: an opening or closing time in a gap happens when the clock jumps past it. */
int64_t tz_local_reached(const tz *z, int64_t local);

/* The ISO 3166 country of zone by the tz database's zone.tab ("Europe/London" → "GB"), into out (at
 * least 3 bytes); -1 (out "") for a zone it does not list, such as "UTC" (tz_country.c). */
int tz_country(const char *zone, char *out, size_t n);

#endif
