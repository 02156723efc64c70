/* backup: an online, consistent copy of a whole database into one SQLite file, and restoring one.
 *
 * A backup is always a SQLite file, whatever the store: from SQLite it is SQLite's online backup API (a
 * page-for-page copy under one read snapshot, while the server goes on writing); from PostgreSQL it is
 * the table-by-table copy of copy.h, read in one REPEATABLE READ snapshot and checked by checksums. The
 * file is written beside its final name and renamed into place only when complete and verified, so a
 * failed or interrupted backup never leaves a file that looks like one. */
#ifndef RAPPORT_BACKUP_H
#define RAPPORT_BACKUP_H
#include <stdint.h>

#include "db/db.h"

typedef struct backup_info {
    int64_t bytes;      /* size of the file written */
    int schema_version; /* the schema version inside it */
    int64_t rows;       /* rows copied (the PostgreSQL path; 0 for a page copy) */
} backup_info;

/* Writes a backup of d to path. Refuses (E_CONFLICT) when path exists unless overwrite. */
int backup_write(db *d, const char *path, int overwrite, backup_info *info, err_t *e);

/* Restores the backup file `path` into `to` (already opened and migrated). A target holding any record
 * is refused (E_CONFLICT) unless overwrite, which replaces its contents. The backup file itself is
 * never changed: an older backup is brought up to the current schema in a temporary copy. */
int backup_restore(const char *path, db *to, int overwrite, err_t *e);

/* Scheduled backups into dir: when the newest `rapport-*.db` there is older than every_seconds (or there
 * is none), writes a new one named by the time, then keeps only the newest `keep`. Returns 1 when it
 * wrote one, 0 when none was due, <0 on failure. */
int backup_scheduled(db *d, const char *dir, int64_t every_seconds, int keep, err_t *e);

#endif
