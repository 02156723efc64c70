/* backups: the server's scheduled backups, on a thread of their own so a long copy delays no job and no
 * request. Configured by `rapport serve --backup-dir DIR [--backup-every HOURS] [--backup-keep N]`. */
#ifndef RAPPORT_BACKUPS_H
#define RAPPORT_BACKUPS_H
#include <pthread.h>
#include <signal.h>
#include <stdint.h>

typedef struct backup_schedule {
    const char *db_target;
    const char *dir;               /* NULL: no scheduled backups */
    int64_t every_seconds;
    int keep;
    volatile sig_atomic_t *stop;   /* set when the server stops */
} backup_schedule;

/* Starts the thread when s->dir is set; returns 1 when started (join it), 0 when there is nothing to do. */
int backups_start(backup_schedule *s, pthread_t *thread);

#endif
