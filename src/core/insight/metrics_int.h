/* metrics_int: what the metrics files share (not for callers outside src/core/metrics*.c). */
#ifndef RAPPORT_METRICS_INT_H
#define RAPPORT_METRICS_INT_H
#include "core/insight/metrics.h"

#include "util/clock.h"

/* One period within one scope, with its bounds as dates and as times (UTC midnight). */
typedef struct mctx {
    db *d;
    const actor *who;
    err_t *e;
    const char *owner_id, *client_id;
    char from[11], to[11], from_t[CLOCK_RFC3339_LEN], to_t[CLOCK_RFC3339_LEN];
    char now[CLOCK_RFC3339_LEN], today[11];
} mctx;

void metrics_ctx(mctx *m, db *d, const actor *who, const char *from, const char *to, err_t *e);
/* Adds every metric key (and "basis") of m's period and scope to out. */
int metrics_compute(const mctx *m, json_t *out);
/* Runs head + the scope's conditions + tail with the texts bound, calling row for each row. */
int metrics_rows(const mctx *m, int on_clients, const char *head, const char *tail, int n, const char *const *args,
                 void (*row)(void *ctx, db_stmt *s), void *ctx);
int metrics_ticket_minutes(const mctx *m, int64_t **out, int *n);
/* v rounded to places decimals, as a JSON number. */
json_t *metrics_num(double v, int places);

#endif
