/* db: the store interface. Core code talks to a database only through these calls; each backend
 * (db_sqlite.c now, db_postgres.c next) is one vtable chosen by the target's scheme, like curl's protocol
 * handlers. SQL is written with `?` placeholders and values are always bound, never spliced in; a backend
 * rewrites placeholders to its own style. Dialect differences (column types, full-text search, upserts)
 * are backend methods, so core never branches on the backend's name. */
#ifndef RAPPORT_DB_H
#define RAPPORT_DB_H
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/strbuf.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

enum db_row { DB_DONE = 0, DB_ROW = 1 };
enum db_col_type { DB_NULL, DB_INT, DB_REAL, DB_TEXT };
/* Portable column kinds a field type asks for; the backend names them. */
enum db_kind { DB_KIND_TEXT, DB_KIND_INT, DB_KIND_BOOL, DB_KIND_REAL };

typedef struct db_backend {
    const char *name; /* for messages only: code asks the facts below, never the name */
    /* One writer at a time (SQLite): `serve` hands writes to one thread that commits them in batches
     * (group commit); 0 where writers run concurrently on their own connections (PostgreSQL). */
    int one_writer;
    /* Run by a process about to import a large file (SQLite: a page cache of up to 1 GiB, so the indexes
     * being filled stay in memory), or NULL where the server sizes its own buffers. */
    const char *import_sql;
    int (*open)(const char *target, db **out, err_t *e);
    void (*close)(db *d);
    /* Runs SQL without parameters (one or more statements): migrations, pragmas. */
    int (*exec)(db *d, const char *sql, err_t *e);
    int (*prepare)(db *d, const char *sql, db_stmt **out, err_t *e);
    void (*bind_null)(db_stmt *s, int i);
    void (*bind_int)(db_stmt *s, int i, int64_t v);
    void (*bind_real)(db_stmt *s, int i, double v);
    void (*bind_text)(db_stmt *s, int i, const char *v, size_t n);
    /* DB_ROW, DB_DONE, or a negative err_code (constraint → E_CONFLICT naming the column). */
    int (*step)(db_stmt *s, err_t *e);
    int (*col_type)(db_stmt *s, int i);
    int64_t (*col_int)(db_stmt *s, int i);
    double (*col_real)(db_stmt *s, int i);
    const char *(*col_text)(db_stmt *s, int i, size_t *len);
    /* Rows changed by the last finished statement. */
    int64_t (*changes)(db *d);
    void (*finalize)(db_stmt *s);
    /* Makes a stepped statement ready to bind and run again (one prepared INSERT for many rows). */
    void (*reset)(db_stmt *s);
    /* Dialect. */
    /* The outermost transaction of a connection (db_begin/db_commit/db_rollback nest on top). */
    int (*begin)(db *d, err_t *e);
    int (*commit)(db *d, err_t *e);
    void (*rollback)(db *d);
    const char *snapshot_sql;   /* how a read-only transaction with one consistent view starts */
    /* Should the server read each GET request in one snapshot (db_read_begin)? On SQLite that is one
     * lock of a WAL read mark per request instead of one per statement (each a system call or three);
     * on PostgreSQL it would be two more round trips. */
    int snapshot_per_request;
    const char *migration_lock; /* run first in a migration's transaction so servers migrate one at a time */
    const char *fk_suffix;      /* after REFERENCES ... ON DELETE ...: PostgreSQL makes them DEFERRABLE */
    const char *defer_fks;      /* defers foreign key checks to commit (copying tables with cycles) */
    const char *skip_locked;    /* after a claiming sub-select: rows another server holds are skipped */
    const char *bulk_load_sql;  /* settings for a connection about to write millions of rows */
    const char *maintain_sql;   /* periodic upkeep (fresh planner statistics), or NULL */
    const char *writer_sql;     /* settings for the group-commit writer's connection, or NULL */
    const char *checkpoint_sql; /* run about twice a second by the worker thread, or NULL */
    /* Around a bulk load into table: the backend may suspend per-row index upkeep (SQLite's full-text
     * triggers) and rebuild once at the end, many times faster. bulk_end must follow bulk_begin. */
    int (*bulk_begin)(db *d, const char *table, err_t *e);
    int (*bulk_end)(db *d, const char *table, err_t *e);
    int inline_forward_refs;    /* may CREATE TABLE reference a table created later? */
    const char *(*type_name)(int kind);
    /* Full-text search over `table`'s `columns` (n of them), kept in step with the table. */
    void (*fts_ddl)(strbuf *sql, const char *table, const char *const *columns, int n);
    /* A full-text query over `table` (rows aliased `alias`): fts_from appends what stands in FROM in
     * place of `"table" alias` (SQLite starts from the index, so matches are looked up by rowid rather
     * than every row of the workspace checked), fts_where the condition, with one `?` for the query;
     * fts_query turns user words into the backend's query syntax. */
    void (*fts_from)(strbuf *sql, const char *table, const char *alias);
    /* Appends an ORDER BY key putting the newest matches first that the index can produce in order, so a
     * LIMIT stops early instead of sorting every match (SQLite: the index's rowid, descending). */
    void (*fts_newest)(strbuf *sql, const char *table, const char *alias);
    void (*fts_where)(strbuf *sql, const char *table, const char *alias);
    void (*fts_query)(db *d, strbuf *out, const char *words);
    /* Brings what the backend keeps beside its full-text indexes up to date, for a migration (SQLite: the
     * vocabulary prefix searches expand through, and the indexes' merge settings); NULL when nothing. */
    int (*fts_migrate)(db *d, err_t *e);
    /* A bounded slice of index upkeep taken off the write path (SQLite: merging FTS5 segments), run by the
     * worker thread ten times a second in its own transaction, or not at all while nothing was written
     * since a slice found no work; NULL when nothing. */
    int (*fts_merge)(db *d, err_t *e);
    /* Writes a complete, checked copy of the whole database to a new SQLite file at path while others go
     * on writing (SQLite: its online backup API under one read snapshot); NULL when the store has no page
     * copy (core/bulk/backup.c then copies table by table). */
    int (*backup)(db *d, const char *path, err_t *e);
    /* Appends a condition: JSON array column `col` contains the bound text (one `?`). */
    void (*json_array_contains)(strbuf *sql, const char *col);
} db_backend;

struct db {
    const db_backend *be;
    int in_tx;   /* depth of db_begin calls: 1 is the transaction, deeper levels are savepoints */
    int in_read; /* a read-only snapshot of db_read_begin is open */
};

/* The backend for target, by its scheme: `postgres://` or `postgresql://` URLs are PostgreSQL, anything else
 * a SQLite file path (a file named postgres.db included). The one place a target's text is read. */
const db_backend *db_backend_for(const char *target);
/* Opens target: a `postgres://` URL or a SQLite file path. */
int db_open(const char *target, db **out, err_t *e);
void db_close(db *d);

static inline int db_exec(db *d, const char *sql, err_t *e) { return d->be->exec(d, sql, e); }
/* The most `?` placeholders one statement may have (the PostgreSQL backend keeps their values in arrays of
 * this size); a record's INSERT binds one per field plus six (record.c checks it against
 * ENTITY_MAX_FIELDS at compile time). */
#define DB_MAX_PARAMS 128
int db_prepare(db *d, const char *sql, db_stmt **out, err_t *e);
void db_finalize(db_stmt *s);
void db_reset(db_stmt *s);
void db_bind_null(db_stmt *s, int i);
void db_bind_int(db_stmt *s, int i, int64_t v);
void db_bind_text(db_stmt *s, int i, const char *v);
void db_bind_textn(db_stmt *s, int i, const char *v, size_t n);
int db_step(db_stmt *s, err_t *e);
int db_col_type(db_stmt *s, int i);
int64_t db_col_int(db_stmt *s, int i);
const char *db_col_text(db_stmt *s, int i, size_t *len);
int64_t db_changes(db *d);
/* A read-only snapshot: the statements until db_read_end see one state of the database. Returns 1 when
 * it opened one, which the caller then ends; 0 when a transaction or snapshot was already open (the
 * statements are inside that one) or none could start. db_begin ends an open snapshot first, so a write
 * always starts from the newest state. */
int db_read_begin(db *d);
void db_read_end(db *d);
/* Transactions nest: the outermost level is the transaction, inner levels are savepoints, so a failure
 * rolls back only its own level. */
int db_begin(db *d, err_t *e);
int db_commit(db *d, err_t *e);
void db_rollback(db *d);

/* One-shot helpers for single-row lookups: binds the texts (NULL binds NULL), steps once.
 * Returns DB_ROW with *out left prepared for reading (caller finalizes), DB_DONE (finalized), or <0. */
int db_query_row(db *d, db_stmt **out, err_t *e, const char *sql, int n, const char *const *texts);
/* Binds the texts and calls row(ctx, s) for every row; returns 0 or <0. */
int db_query_each(db *d, err_t *e, const char *sql, int n, const char *const *texts,
                  void (*row)(void *ctx, db_stmt *s), void *ctx);

/* Helpers the backends share: the statement caches' hash, and the next whitespace-separated word of a
 * search (returns 0 when there is none). */
unsigned db_hash_sql(const char *s);
int db_next_word(const char **p, const char **start, size_t *len);

/* The target for messages and logs, with any password in a URL masked: postgres://user:***@host/db. */
const char *db_display(const char *target, char *buf, size_t n);
/* True when the failure means the database went away (restart, network): the request can be retried. */
int db_is_unavailable(const err_t *e);

extern const db_backend db_sqlite_backend;
extern const db_backend db_postgres_backend;

#endif
