/* backups: the scheduled-backup thread (see backups.h). It looks once a minute whether a backup is due,
 * so a server that was down past the interval makes one soon after it starts again. */
#include "sched/backups.h"

#include <unistd.h>

#include "core/bulk/backup.h"
#include "util/log.h"

static void *run_backups(void *arg)
{
    backup_schedule *s = arg;
    db *d = NULL;
    while (!*s->stop) {
        err_t e;
        err_clear(&e);
        if (!d && db_open(s->db_target, &d, &e) < 0) {
            log_warn("backup: %s", e.message);
            d = NULL;
        }
        int rc = d ? backup_scheduled(d, s->dir, s->every_seconds, s->keep, &e) : 0;
        if (rc < 0)
            log_error("backup into %s failed: %s", s->dir, e.message);
        else if (rc > 0)
            log_info("backup written into %s", s->dir);
        for (int i = 0; i < 600 && !*s->stop; i++)
            usleep(100 * 1000);
    }
    db_close(d);
    return NULL;
}

int backups_start(backup_schedule *s, pthread_t *thread)
{
    if (!s->dir)
        return 0;
    return pthread_create(thread, NULL, run_backups, s) == 0;
}
