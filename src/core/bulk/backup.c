/* backup: online copies of a whole database and their restore (see backup.h). */
#include "core/bulk/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/bulk/copy.h"
#include "core/engine/schema.h"
#include "util/clock.h"

#define BACKUP_PREFIX "rapport-"
#define BACKUP_SUFFIX ".db"

/* Removes a SQLite file with its WAL and shared-memory companions. */
static void remove_db_files(const char *path)
{
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);
}

/* fsync of a file, then of the folder holding it, so a rename that follows survives a power cut. */
static int sync_path(const char *path, err_t *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        return err_set(e, E_INTERNAL, NULL, "cannot sync %s: %s", path, strerror(saved));
    }
    close(fd);
    return 0;
}

static int sync_dir_of(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The schema version a database file holds, or <0. */
static int version_of(db *d, int *version, err_t *e)
{
    db_stmt *s;
    int rc = db_query_row(d, &s, e, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", 0, NULL);
    if (rc == DB_ROW) {
        *version = (int)db_col_int(s, 0);
        db_finalize(s);
        return 0;
    }
    return rc < 0 ? rc : err_set(e, E_INVALID_VALUE, "from", "not a Rapport database: it has no schema version");
}

/* The PostgreSQL path (and any store without a page copy): a fresh SQLite file, migrated, then every
 * table copied under one snapshot and checked by checksums. */
static int backup_by_copy(db *d, const char *tmp, backup_info *info, err_t *e)
{
    db *to = NULL;
    int rc = db_open(tmp, &to, e);
    if (rc == 0 && (rc = schema_migrate(to, e)) > 0)
        rc = 0;
    copy_report report;
    memset(&report, 0, sizeof report);
    if (rc == 0)
        rc = copy_database(d, to, 0, &report, e);
    for (int i = 0; i < report.ntables; i++)
        info->rows += report.tables[i].rows_to;
    db_close(to);
    return rc;
}

int backup_write(db *d, const char *path, int overwrite, backup_info *info, err_t *e)
{
    backup_info none;
    if (!info)
        info = &none;
    memset(info, 0, sizeof *info);
    if (!path || !*path)
        return err_set(e, E_USAGE, "to", "a backup needs a file to write");
    struct stat st;
    if (!overwrite && stat(path, &st) == 0)
        return err_set(e, E_CONFLICT, "to", "%s already exists; choose another name or pass --overwrite", path);
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.partial-%d", path, (int)getpid()) >= (int)sizeof tmp)
        return err_set(e, E_USAGE, "to", "the backup's path is too long");
    remove_db_files(tmp);
    int rc = d->be->backup ? d->be->backup(d, tmp, e) : backup_by_copy(d, tmp, info, e);
    if (rc == 0) {
        /* open what was written: a backup that does not open as a Rapport database is no backup */
        db *check = NULL;
        rc = db_open(tmp, &check, e);
        if (rc == 0)
            rc = version_of(check, &info->schema_version, e);
        db_close(check);
    }
    if (rc == 0)
        rc = sync_path(tmp, e);
    if (rc == 0 && rename(tmp, path) < 0)
        rc = err_set(e, E_INTERNAL, "to", "cannot move the backup into place at %s: %s", path, strerror(errno));
    if (rc < 0) {
        remove_db_files(tmp);
        return rc;
    }
    sync_dir_of(path);
    if (stat(path, &st) == 0)
        info->bytes = (int64_t)st.st_size;
    return 0;
}

/* Copies a file byte for byte (a backup into a temporary file that may be migrated). */
static int copy_file(const char *from, const char *to, err_t *e)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return err_set(e, E_NOT_FOUND, "from", "cannot read %s: %s", from, strerror(errno));
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return err_set(e, E_INTERNAL, NULL, "cannot write %s: %s", to, strerror(errno));
    }
    char buf[1 << 16];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (fwrite(buf, 1, n, out) != n) {
            rc = err_set(e, E_INTERNAL, NULL, "cannot write %s: %s", to, strerror(errno));
            break;
        }
    }
    if (rc == 0 && ferror(in))
        rc = err_set(e, E_INVALID_VALUE, "from", "cannot read %s: %s", from, strerror(errno));
    fclose(in);
    if (fclose(out) != 0 && rc == 0)
        rc = err_set(e, E_INTERNAL, NULL, "cannot write %s: %s", to, strerror(errno));
    return rc;
}

/* A SQLite file starts with these 16 bytes; anything else is refused before SQLite sees it. */
static int looks_like_sqlite(const char *path, err_t *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, E_NOT_FOUND, "from", "cannot read %s: %s", path, strerror(errno));
    char head[16] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (n != sizeof head || memcmp(head, "SQLite format 3", 16) != 0)
        return err_set(e, E_INVALID_VALUE, "from", "%s is not a Rapport backup (not a SQLite database file)", path);
    return 0;
}

int backup_restore(const char *path, db *to, int overwrite, err_t *e)
{
    int rc = looks_like_sqlite(path, e);
    if (rc < 0)
        return rc;
    char tmp[4096];
    const char *dir = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/rapport-restore-%d-%lld.db", dir && *dir ? dir : "/tmp", (int)getpid(),
             (long long)clock_real_ms());
    remove_db_files(tmp);
    if ((rc = copy_file(path, tmp, e)) < 0)
        return rc;
    db *from = NULL;
    int version = 0;
    rc = db_open(tmp, &from, e);
    if (rc == 0)
        rc = version_of(from, &version, e);
    if (rc == 0 && version > schema_latest())
        rc = err_set(e, E_INVALID_VALUE, "from",
                     "the backup is at schema version %d, newer than this rapport (%d): restore it with a newer rapport",
                     version, schema_latest());
    if (rc == 0 && (rc = schema_migrate(from, e)) > 0)
        rc = 0;
    copy_report report;
    memset(&report, 0, sizeof report);
    if (rc == 0)
        rc = copy_database(from, to, overwrite, &report, e);
    db_close(from);
    remove_db_files(tmp);
    return rc;
}

/* Is name one of ours: rapport-YYYYMMDDTHHMMSSZ.db? */
static int is_backup_name(const char *name)
{
    size_t n = strlen(name), p = strlen(BACKUP_PREFIX), s = strlen(BACKUP_SUFFIX);
    return n == p + 16 + s && !strncmp(name, BACKUP_PREFIX, p) && !strcmp(name + n - s, BACKUP_SUFFIX);
}

static int by_name_desc(const void *a, const void *b) { return strcmp(*(char *const *)b, *(char *const *)a); }

int backup_scheduled(db *d, const char *dir, int64_t every_seconds, int keep, err_t *e)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return err_set(e, E_UNAVAILABLE, "backup_dir", "cannot open the backup folder %s: %s", dir, strerror(errno));
    char **names = NULL;
    int n = 0, cap = 0;
    for (struct dirent *de; (de = readdir(dh));) {
        if (!is_backup_name(de->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = realloc(names, (size_t)cap * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        names[n++] = strdup(de->d_name);
    }
    closedir(dh);
    qsort(names, (size_t)n, sizeof *names, by_name_desc); /* the names sort like their times */
    /* the real clock: backups are the machine's business, not a rule replayed under RAPPORT_NOW */
    int64_t now = clock_real_ms() / 1000, newest = 0;
    if (n > 0) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[0]);
        if (stat(path, &st) == 0)
            newest = (int64_t)st.st_mtime;
    }
    int rc = 0, wrote = 0;
    if (n == 0 || now - newest >= every_seconds) {
        char stamp[CLOCK_RFC3339_LEN], name[64], path[4096];
        clock_format(now, stamp); /* 2026-12-03T09:00:00Z → 20261203T090000Z */
        int k = 0;
        for (const char *p = stamp; *p; p++)
            if (*p != '-' && *p != ':')
                name[k++] = *p;
        name[k] = '\0';
        snprintf(path, sizeof path, "%s/" BACKUP_PREFIX "%s" BACKUP_SUFFIX, dir, name);
        rc = backup_write(d, path, 0, NULL, e);
        if (rc == 0) {
            wrote = 1;
            /* the new file is now the newest: keep it and keep-1 of the others */
            for (int i = keep - 1; i < n; i++) {
                if (!strcmp(names[i], strrchr(path, '/') + 1))
                    continue;
                char old[4096];
                snprintf(old, sizeof old, "%s/%s", dir, names[i]);
                remove_db_files(old);
            }
        }
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc < 0 ? rc : wrote;
}
