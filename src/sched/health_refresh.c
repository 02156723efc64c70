/* health_refresh: see health_refresh.h. */
#include "sched/health_refresh.h"

#include "util/clock.h"
#include "util/log.h"
#include "core/insight/health_store.h"

#define EVERY_MS 1000

int health_refresh_tick(db *d, health_refresher *h, err_t *e)
{
    int64_t now = clock_real_ms();
    if (h->started && now - h->last_ms < EVERY_MS)
        return 0;
    h->last_ms = now;
    long written = 0;
    int rc = health_store_refresh_all(d, !h->started, &written, e);
    if (rc == 0) {
        if (!h->started)
            log_info("health: scored every active client (%ld stored scores changed)", written);
        h->started = 1;
    }
    return rc;
}
