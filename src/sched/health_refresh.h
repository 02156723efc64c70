/* health_refresh: the worker's part in keeping each client's stored health score current
 * (core/insight/health_store.h): all of them when the worker starts and on each new UTC day, and in
 * between, about once a second, the clients whose inputs were written. */
#ifndef RAPPORT_HEALTH_REFRESH_H
#define RAPPORT_HEALTH_REFRESH_H
#include "db/db.h"

typedef struct health_refresher {
    int64_t last_ms; /* when it last ran (real time, ms) */
    int started;     /* the first run is a full one */
} health_refresher;

/* One turn of the worker's loop: refreshes when a second has passed since the last run. */
int health_refresh_tick(db *d, health_refresher *h, err_t *e);

#endif
