/* db_sqlite: the embedded SQLite backend.
 *
 * One connection per thread, WAL mode (readers never block the writer), foreign keys on, a busy timeout
 * so concurrent writers queue instead of failing. Prepared statements are cached per connection keyed by
 * their SQL text: the generated SQL for an entity is the same on every request, so a lookup costs a
 * hash probe instead of a parse. Full-text search is FTS5 with external content, kept in step by
 * triggers, so even rows removed by ON DELETE CASCADE leave the index. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/sqlite_fts.h"

#define CACHE_SLOTS 128

typedef struct sq_stmt {
    db *d; /* must be first: see db.c */
    sqlite3_stmt *st;
    char *sql;
    int cached, in_use;
} sq_stmt;

typedef struct sq_db {
    db base;
    sqlite3 *h;
    sq_stmt *cache[CACHE_SLOTS];
    sqlite_fts *terms; /* the full-text vocabulary this connection keeps (NULL: none, searches use FTS5's prefixes) */
    int merge_idle;           /* the last merge slice found nothing to merge ... */
    int64_t merge_seen;       /* ... at this data_version (other connections' commits) ... */
    int64_t merge_own;        /* ... and this count of the connection's own changes */
    struct {
        char table[64];
        strbuf triggers; /* CREATE TRIGGER and CREATE INDEX statements dropped by bulk_begin, re-run by bulk_end */
    } suspended[16];
} sq_db;

static int map_error(sq_db *d, int rc, err_t *e)
{
    const char *msg = sqlite3_errmsg(d->h);
    int ext = sqlite3_extended_errcode(d->h);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        /* "UNIQUE constraint failed: users.email" names the column the caller must change */
        const char *dot = strrchr(msg, '.');
        return err_set(e, E_CONFLICT, dot ? dot + 1 : NULL, "a record with this %s already exists",
                       dot ? dot + 1 : "value");
    }
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
        return err_set(e, E_INVALID_REFERENCE, NULL, "a referenced record does not exist");
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return err_set(e, E_UNAVAILABLE, NULL, "the database is busy; try again");
    return err_set(e, E_INTERNAL, NULL, "database error: %s", msg);
}

/* SQLite counts every allocation in global statistics under one mutex by default: with a connection per
 * thread, the loops then queued on that mutex for each malloc (a search makes hundreds), 18 % of a
 * loaded server's time in futex calls. Nothing reads the statistics, so they are off, before SQLite
 * initialises (the first open). */
static pthread_once_t configured = PTHREAD_ONCE_INIT;
static void configure(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

static int sq_open(const char *target, db **out, err_t *e)
{
    pthread_once(&configured, configure);
    sq_db *d = calloc(1, sizeof *d);
    if (!d)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    d->base.be = &db_sqlite_backend;
    int rc = sqlite3_open_v2(target, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        err_set(e, E_UNAVAILABLE, "db", "cannot open %s: %s", target, d->h ? sqlite3_errmsg(d->h) : "no memory");
        sqlite3_close(d->h);
        free(d);
        return e ? e->code : E_UNAVAILABLE;
    }
    sqlite3_busy_timeout(d->h, 5000);
    rc = d->base.be->exec(&d->base,
                          /* WAL: readers never wait for the writer. synchronous=FULL: a commit survives a power
                           * cut, not only a crash of the process (NORMAL syncs only at checkpoints); the server's
                           * writes share one sync per group-committed batch. mmap: reads are memory loads
                           * instead of a pread each (the largest cost of a write was the kernel). */
                          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                          "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=1073741824; PRAGMA cache_size=-16384;",
                          e);
    if (rc < 0) {
        sqlite3_close(d->h);
        free(d);
        return rc;
    }
    d->terms = sqlite_fts_open(d->h);
    *out = &d->base;
    return 0;
}

static void sq_close(db *base)
{
    sq_db *d = (sq_db *)base;
    sqlite_fts_flush(d->terms); /* rows written outside a transaction */
    sqlite_fts_close(d->terms);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (d->cache[i]) {
            sqlite3_finalize(d->cache[i]->st);
            free(d->cache[i]->sql);
            free(d->cache[i]);
        }
    }
    sqlite3_close(d->h);
    for (int i = 0; i < 16; i++)
        strbuf_release(&d->suspended[i].triggers);
    free(d);
}

static int sq_exec(db *base, const char *sql, err_t *e)
{
    sq_db *d = (sq_db *)base;
    int rc = sqlite3_exec(d->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : map_error(d, rc, e);
}

/* SQLite has one writer at a time. Threads of this process queue for it on a mutex instead of meeting
 * SQLITE_BUSY, whose handler sleeps in steps of milliseconds; other processes on the same file still
 * wait through the busy timeout. */
static pthread_mutex_t writer = PTHREAD_MUTEX_INITIALIZER;

static int sq_begin(db *base, err_t *e)
{
    pthread_mutex_lock(&writer);
    sq_db *d = (sq_db *)base;
    /* the terms of rows written outside a transaction go in on their own, so that this transaction's
     * rollback cannot take them along */
    int rc = sq_exec(base, "BEGIN IMMEDIATE", e); /* the write lock at once: no upgrade deadlock */
    if (rc == 0 && sqlite_fts_pending(d->terms)) {
        int frc = sqlite_fts_flush(d->terms);
        rc = frc == SQLITE_OK ? sq_exec(base, "COMMIT", e) : map_error(d, frc, e);
        if (rc < 0)
            sq_exec(base, "ROLLBACK", NULL);
        else
            rc = sq_exec(base, "BEGIN IMMEDIATE", e);
    }
    if (rc < 0)
        pthread_mutex_unlock(&writer);
    return rc;
}

/* The vocabulary of the rows written goes in with them, in the same transaction. */
static int sq_commit(db *base, err_t *e)
{
    sq_db *d = (sq_db *)base;
    int rc = sqlite_fts_flush(d->terms);
    rc = rc == SQLITE_OK ? sq_exec(base, "COMMIT", e) : map_error(d, rc, e);
    if (rc < 0) {
        sq_exec(base, "ROLLBACK", NULL);
        sqlite_fts_discard(d->terms);
    }
    pthread_mutex_unlock(&writer);
    return rc;
}

static void sq_rollback(db *base)
{
    sq_exec(base, "ROLLBACK", NULL);
    sqlite_fts_discard(((sq_db *)base)->terms);
    pthread_mutex_unlock(&writer);
}

static int sq_prepare(db *base, const char *sql, db_stmt **out, err_t *e)
{
    sq_db *d = (sq_db *)base;
    unsigned slot = db_hash_sql(sql) % CACHE_SLOTS;
    sq_stmt *c = d->cache[slot];
    if (c && !c->in_use && !strcmp(c->sql, sql)) {
        c->in_use = 1;
        *out = (db_stmt *)c;
        return 0;
    }
    sq_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    int rc = sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
    if (rc != SQLITE_OK) {
        free(s);
        return map_error(d, rc, e);
    }
    s->d = base;
    s->in_use = 1;
    if (!c) { /* an empty slot keeps this statement for next time */
        s->sql = strdup(sql);
        if (s->sql) {
            s->cached = 1;
            d->cache[slot] = s;
        }
    }
    *out = (db_stmt *)s;
    return 0;
}

static void sq_finalize(db_stmt *base)
{
    sq_stmt *s = (sq_stmt *)base;
    if (s->cached) {
        sqlite3_reset(s->st);
        sqlite3_clear_bindings(s->st);
        s->in_use = 0;
        return;
    }
    sqlite3_finalize(s->st);
    free(s);
}

static void sq_reset(db_stmt *base) { sqlite3_reset(((sq_stmt *)base)->st); }

static void sq_bind_null(db_stmt *s, int i) { sqlite3_bind_null(((sq_stmt *)s)->st, i); }
static void sq_bind_int(db_stmt *s, int i, int64_t v) { sqlite3_bind_int64(((sq_stmt *)s)->st, i, v); }
static void sq_bind_real(db_stmt *s, int i, double v) { sqlite3_bind_double(((sq_stmt *)s)->st, i, v); }
static void sq_bind_text(db_stmt *s, int i, const char *v, size_t n)
{
    sqlite3_bind_text(((sq_stmt *)s)->st, i, v, (int)n, SQLITE_TRANSIENT);
}

static int sq_step(db_stmt *base, err_t *e)
{
    sq_stmt *s = (sq_stmt *)base;
    /* a write inside a read snapshot would upgrade it, past the writer mutex and into SQLITE_BUSY_SNAPSHOT
     * when the snapshot is stale: it runs after the snapshot instead */
    if (s->d->in_read && !sqlite3_stmt_readonly(s->st))
        db_read_end(s->d);
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    return map_error((sq_db *)s->d, rc, e);
}

static int sq_col_type(db_stmt *s, int i)
{
    switch (sqlite3_column_type(((sq_stmt *)s)->st, i)) {
    case SQLITE_INTEGER: return DB_INT;
    case SQLITE_FLOAT: return DB_REAL;
    case SQLITE_NULL: return DB_NULL;
    default: return DB_TEXT;
    }
}
static int64_t sq_col_int(db_stmt *s, int i) { return sqlite3_column_int64(((sq_stmt *)s)->st, i); }
static double sq_col_real(db_stmt *s, int i) { return sqlite3_column_double(((sq_stmt *)s)->st, i); }
static const char *sq_col_text(db_stmt *s, int i, size_t *len)
{
    sqlite3_stmt *st = ((sq_stmt *)s)->st;
    const char *t = (const char *)sqlite3_column_text(st, i);
    if (len)
        *len = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    return t;
}
static int64_t sq_changes(db *base) { return sqlite3_changes64(((sq_db *)base)->h); }

/* Per-row FTS5 upkeep costs several times the insert itself, and each secondary index a random B-tree
 * insert per row; a bulk load drops the table's FTS triggers and its non-unique indexes (keeping their
 * SQL), and bulk_end rebuilds the full-text index in one pass and re-creates the indexes by sorting,
 * which is several times faster than growing them row by row. Unique indexes stay: they are checks. */
static int sq_bulk_begin(db *base, const char *table, err_t *e)
{
    sq_db *d = (sq_db *)base;
    int slot = -1;
    for (int i = 0; i < 16 && slot < 0; i++)
        if (!d->suspended[i].table[0])
            slot = i;
    if (slot < 0)
        return err_set(e, E_INTERNAL, NULL, "too many bulk loads at once");
    db_stmt *s;
    int rc = sq_prepare(base,
                        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL AND "
                        "((type = 'trigger' AND name LIKE '%\\_fts\\_%' ESCAPE '\\') OR "
                        "(type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%'))",
                        &s, e);
    if (rc < 0)
        return rc;
    strbuf drops = STRBUF_INIT, *keep = &d->suspended[slot].triggers;
    strbuf_reset(keep);
    sq_bind_text(s, 1, table, strlen(table));
    while ((rc = sq_step(s, e)) == DB_ROW) {
        strbuf_addf(&drops, "DROP %s \"%s\";", sq_col_text(s, 0, NULL), sq_col_text(s, 1, NULL));
        strbuf_addf(keep, "%s;\n", sq_col_text(s, 2, NULL));
    }
    sq_finalize(s);
    if (rc >= 0 && keep->len) {
        snprintf(d->suspended[slot].table, sizeof d->suspended[slot].table, "%s", table);
        rc = sq_exec(base, drops.buf, e);
    }
    strbuf_release(&drops);
    return rc < 0 ? rc : 0;
}

static int sq_bulk_end(db *base, const char *table, err_t *e)
{
    sq_db *d = (sq_db *)base;
    for (int i = 0; i < 16; i++) {
        if (strcmp(d->suspended[i].table, table))
            continue;
        strbuf sql = STRBUF_INIT;
        int indexed = strstr(d->suspended[i].triggers.buf, "CREATE TRIGGER") != NULL; /* has a full-text index */
        if (indexed)
            sqlite_fts_rebuild(&sql, table);
        /* the index sorts may use a helper thread; statistics from a sample are as good to the planner */
        strbuf_addf(&sql, "PRAGMA threads = 2;\n%sPRAGMA analysis_limit = 1000;\nANALYZE \"%s\";\n"
                          "PRAGMA analysis_limit = 0;\nPRAGMA threads = 0;\n",
                    d->suspended[i].triggers.buf, table);
        int rc = sq_exec(base, sql.buf, e);
        if (rc == 0 && indexed && (rc = sqlite_fts_refill(d->terms, table)) != SQLITE_OK)
            rc = map_error(d, rc, e);
        strbuf_release(&sql);
        strbuf_reset(&d->suspended[i].triggers);
        d->suspended[i].table[0] = '\0';
        return rc;
    }
    return 0;
}

static const char *sq_type_name(int kind)
{
    switch (kind) {
    case DB_KIND_INT:
    case DB_KIND_BOOL: return "INTEGER";
    case DB_KIND_REAL: return "REAL";
    default: return "TEXT";
    }
}

static void sq_fts_ddl(strbuf *sql, const char *table, const char *const *cols, int n)
{
    strbuf_addf(sql, "CREATE VIRTUAL TABLE \"%s_fts\" USING fts5(", table);
    for (int i = 0; i < n; i++)
        strbuf_addf(sql, "%s\"%s\"", i ? ", " : "", cols[i]);
    strbuf_addf(sql, ", content='%s', content_rowid='rowid', tokenize='" SQLITE_FTS_TOKENIZER "');\n", table);
    sqlite_fts_merge_settings(sql, table); /* merged by the worker, not inside a write */
    /* triggers keep the index in step with every insert, update and delete, cascades included */
    static const char *const kinds[] = {"ai", "ad", "au"};
    for (int k = 0; k < 3; k++) {
        strbuf_addf(sql, "CREATE TRIGGER \"%s_fts_%s\" AFTER %s ON \"%s\" BEGIN\n", table, kinds[k],
                    k == 0 ? "INSERT" : k == 1 ? "DELETE" : "UPDATE", table);
        for (int pass = (k == 0); pass < (k == 1 ? 1 : 2); pass++) {
            /* pass 0 removes the old row's terms, pass 1 adds the new row's */
            const char *row = pass ? "new" : "old";
            if (pass)
                strbuf_addf(sql, "  INSERT INTO \"%s_fts\"(rowid", table);
            else
                strbuf_addf(sql, "  INSERT INTO \"%s_fts\"(\"%s_fts\", rowid", table, table);
            for (int i = 0; i < n; i++)
                strbuf_addf(sql, ", \"%s\"", cols[i]);
            strbuf_addf(sql, ") VALUES (%s%s.rowid", pass ? "" : "'delete', ", row);
            for (int i = 0; i < n; i++)
                strbuf_addf(sql, ", %s.\"%s\"", row, cols[i]);
            strbuf_adds(sql, ");\n");
        }
        strbuf_adds(sql, "END;\n");
    }
}

/* CROSS JOIN fixes the join order in SQLite: the index first, each match then fetched by rowid. */
static void sq_fts_from(strbuf *sql, const char *table, const char *alias)
{
    strbuf_addf(sql, "\"%s_fts\" CROSS JOIN \"%s\" %s ON %s.rowid = \"%s_fts\".rowid", table, table, alias, alias,
                table);
}

/* rowids grow as rows are added, and FTS5 walks its doclists in rowid order either way */
static void sq_fts_newest(strbuf *sql, const char *table, const char *alias)
{
    (void)alias;
    strbuf_addf(sql, "\"%s_fts\".rowid DESC", table);
}

static void sq_fts_where(strbuf *sql, const char *table, const char *alias)
{
    (void)alias;
    strbuf_addf(sql, "\"%s_fts\" MATCH ?", table);
}

/* Each word is a prefix: expanded into the exact terms it stands for where the vocabulary allows (a lazy
 * walk that a LIMIT stops), else a quoted FTS5 prefix term; either way user text is never FTS5 syntax. */
static void sq_fts_query(db *base, strbuf *out, const char *words)
{
    sqlite_fts_query(((sq_db *)base)->terms, out, words);
}

static int sq_fts_migrate(db *base, err_t *e)
{
    sq_db *d = (sq_db *)base;
    if (!d->terms)
        return err_set(e, E_INTERNAL, NULL, "this SQLite has no FTS5 tokenizer to keep the search vocabulary with");
    int rc = sqlite_fts_migrate(d->terms);
    return rc == SQLITE_OK ? 0 : map_error(d, rc, e);
}

/* A slice of 64 pages (256 KiB) of merging, ten times a second: it holds the write lock briefly, and
 * keeps up with thousands of writes a second (measured at 5M interactions; 256 pages twice a second
 * held it up to 70 ms). */
static int sq_fts_merge(db *base, err_t *e)
{
    sq_db *d = (sq_db *)base;
    if (!d->terms)
        return 0;
    /* an idle server takes no write lock: after a slice with nothing to merge, the next waits until a
     * connection has written (PRAGMA data_version counts the others' commits, total_changes its own) */
    db_stmt *s;
    int64_t version = -1;
    if (db_query_row(base, &s, e, "PRAGMA data_version", 0, NULL) == DB_ROW) {
        version = db_col_int(s, 0);
        db_finalize(s);
    }
    if (d->merge_idle && version >= 0 && version == d->merge_seen && sqlite3_total_changes64(d->h) == d->merge_own)
        return 0;
    int rc = sq_begin(base, e), merged = 0;
    if (rc < 0)
        return rc;
    if ((rc = sqlite_fts_merge(d->terms, 64, &merged)) != SQLITE_OK) {
        rc = map_error(d, rc, e);
        sq_rollback(base);
        return rc;
    }
    rc = sq_commit(base, e);
    d->merge_idle = !merged;
    d->merge_seen = version;
    d->merge_own = sqlite3_total_changes64(d->h);
    return rc;
}

static void sq_json_array_contains(strbuf *sql, const char *col)
{
    strbuf_addf(sql, "EXISTS (SELECT 1 FROM json_each(%s) WHERE json_each.value = ?)", col);
}

/* SQLite's online backup: every page copied in one step, so the copy is one consistent state (the step
 * holds a read snapshot; WAL lets the server go on writing meanwhile). The copy then leaves WAL mode, so
 * the backup is one self-contained file, and must pass quick_check. */
static int sq_backup(db *base, const char *path, err_t *e)
{
    sq_db *d = (sq_db *)base;
    sqlite3 *to = NULL;
    int rc = sqlite3_open_v2(path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        err_set(e, E_INTERNAL, "to", "cannot create %s: %s", path, to ? sqlite3_errmsg(to) : "no memory");
        sqlite3_close(to);
        return e ? e->code : E_INTERNAL;
    }
    sqlite3_busy_timeout(to, 5000);
    sqlite3_backup *b = sqlite3_backup_init(to, "main", d->h, "main");
    if (!b) {
        err_set(e, E_INTERNAL, NULL, "cannot start the backup: %s", sqlite3_errmsg(to));
        sqlite3_close(to);
        return e ? e->code : E_INTERNAL;
    }
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    int done = rc == SQLITE_DONE;
    sqlite3_backup_finish(b);
    if (!done) {
        err_set(e, E_UNAVAILABLE, NULL, "the backup did not complete: %s", sqlite3_errstr(rc));
        sqlite3_close(to);
        return e ? e->code : E_UNAVAILABLE;
    }
    sqlite3_stmt *st = NULL;
    rc = sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(to, "PRAGMA quick_check", -1, &st, NULL);
    int ok = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
             !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(to);
    if (!ok)
        return err_set(e, E_INTERNAL, NULL, "the backup written to %s failed SQLite's check", path);
    return 0;
}

static void sq_json_member_text(strbuf *sql, const char *col)
{
    /* keys are slugs (custom.c), quoted in the path all the same */
    strbuf_addf(sql, "CAST(json_extract(%s, '$.\"' || ? || '\"') AS TEXT)", col);
}

const db_backend db_sqlite_backend = {
    .name = "sqlite",
    .one_writer = 1,
    .import_sql = "PRAGMA cache_size = -1048576",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_null = sq_bind_null,
    .bind_int = sq_bind_int,
    .bind_real = sq_bind_real,
    .bind_text = sq_bind_text,
    .step = sq_step,
    .col_type = sq_col_type,
    .col_int = sq_col_int,
    .col_real = sq_col_real,
    .col_text = sq_col_text,
    .changes = sq_changes,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .snapshot_sql = "BEGIN", /* a read transaction in WAL mode sees one snapshot */
    .snapshot_per_request = 1,
    .migration_lock = NULL,         /* BEGIN IMMEDIATE already serialises writers */
    .fk_suffix = "",
    .defer_fks = "PRAGMA defer_foreign_keys = ON",
    .skip_locked = "", /* one writer at a time: nothing to skip */
    /* 2 GiB of cache so the indexes being filled stay in memory; no fsync until the load is done (a crash
     * mid-load loses the load, which is then simply run again) */
    .bulk_load_sql = "PRAGMA cache_size = -2097152; PRAGMA synchronous = OFF",
    /* planner statistics: without them a workspace_id index looks selective and full-text matches are
     * checked against every row of the workspace instead of looked up by rowid */
    .maintain_sql = "PRAGMA optimize",
    /* the worker's passive checkpoints copy the WAL back beside the writer; the writer's own, past
     * SQLite's default 1,000 pages, then has little left to copy and starts the WAL over, which a
     * checkpoint beside a steady stream of writes never does (with the writer's own only as a backstop,
     * the WAL grew to hundreds of MiB, and then one commit copied it all) */
    .writer_sql = "PRAGMA wal_autocheckpoint = 1000",
    .checkpoint_sql = "PRAGMA wal_checkpoint(PASSIVE)",
    .bulk_begin = sq_bulk_begin,
    .bulk_end = sq_bulk_end,
    .inline_forward_refs = 1,
    .type_name = sq_type_name,
    .fts_ddl = sq_fts_ddl,
    .fts_from = sq_fts_from,
    .fts_newest = sq_fts_newest,
    .fts_where = sq_fts_where,
    .fts_query = sq_fts_query,
    .fts_migrate = sq_fts_migrate,
    .fts_merge = sq_fts_merge,
    .json_array_contains = sq_json_array_contains,
    .json_member_text = sq_json_member_text,
    .backup = sq_backup,
};
