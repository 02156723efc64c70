/* health_store: each active client's health score and band stored on its row (clients.health_score,
 * health_band, health_band_before, health_band_changed_at, health_scored_at), refreshed by the worker;
 * see health_store.c. */
#ifndef RAPPORT_HEALTH_STORE_H
#define RAPPORT_HEALTH_STORE_H
#include "util/clock.h"
#include "core/insight/health.h"

/* Brings the workspace's stored scores up to date: every active client when `full`, when none was ever
 * stored or on a new UTC day; else only the clients written since the last refresh. *written counts
 * the rows whose score or band changed. */
int health_store_refresh(db *d, const actor *who, int full, long *written, err_t *e);
/* The same for every workspace, as the program itself (the worker). */
int health_store_refresh_all(db *d, int full, long *written, err_t *e);

/* A client whose band dropped (healthy to watch, watch to at risk, healthy to at risk). */
typedef struct health_drop {
    char client_id[ID_MAX];
    char *name, *owner_id;
    int score, band, band_before;
    int64_t changed_at;
} health_drop;

/* The active clients (only owner_id's when set) whose stored band dropped at or after `since` and has
 * not changed again since: Today's "dropped a band this week". Free with health_drops_free. */
int health_dropped_since(db *d, const actor *who, int64_t since, const char *owner_id, health_drop **out, size_t *n,
                         err_t *e);
void health_drops_free(health_drop *v, size_t n);

/* How far the stored scores were refreshed (health_marks). */
typedef struct health_mark {
    int found;
    char audit_id[ID_MAX], audit_at[CLOCK_RFC3339_LEN];
    int64_t full_at;
} health_mark;
int health_mark_read(db *d, const actor *who, health_mark *m, err_t *e);

/* The clients written since a mark, from the audit log; overflow when more than HEALTH_DIRTY_MAX or
 * when the workspace itself changed (its settings): then everyone. */
#define HEALTH_DIRTY_MAX 100
typedef struct health_dirty {
    char *ids[HEALTH_DIRTY_MAX];
    size_t n;
    int overflow;
} health_dirty;
int health_dirty_since(db *d, const actor *who, const health_mark *m, health_dirty *out, err_t *e);
void health_dirty_release(health_dirty *dt);

#endif
