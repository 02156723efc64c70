/* db: backend selection and the thin dispatch layer over the vtable (see db.h). */
#include "db/db.h"

#include <stdio.h>
#include <string.h>

struct db_stmt_head { db *d; };

const db_backend *db_backend_for(const char *target)
{
    if (target && (!strncmp(target, "postgres://", 11) || !strncmp(target, "postgresql://", 13)))
        return &db_postgres_backend;
    return &db_sqlite_backend;
}

int db_open(const char *target, db **out, err_t *e)
{
    if (!target || !*target)
        return err_set(e, E_USAGE, "db", "no database given (use --db PATH or RAPPORT_DB)");
    return db_backend_for(target)->open(target, out, e);
}

void db_close(db *d)
{
    if (d)
        d->be->close(d);
}

/* Every backend's statement starts with a pointer to its db, so the dispatch needs no lookup. */
#define BE(s) (((struct db_stmt_head *)(s))->d->be)

int db_prepare(db *d, const char *sql, db_stmt **out, err_t *e) { return d->be->prepare(d, sql, out, e); }
void db_finalize(db_stmt *s) { if (s) BE(s)->finalize(s); }
void db_reset(db_stmt *s) { BE(s)->reset(s); }
void db_bind_null(db_stmt *s, int i) { BE(s)->bind_null(s, i); }
void db_bind_int(db_stmt *s, int i, int64_t v) { BE(s)->bind_int(s, i, v); }
void db_bind_textn(db_stmt *s, int i, const char *v, size_t n) { BE(s)->bind_text(s, i, v, n); }
void db_bind_text(db_stmt *s, int i, const char *v)
{
    if (v)
        BE(s)->bind_text(s, i, v, strlen(v));
    else
        BE(s)->bind_null(s, i);
}
int db_step(db_stmt *s, err_t *e) { return BE(s)->step(s, e); }
int db_col_type(db_stmt *s, int i) { return BE(s)->col_type(s, i); }
int64_t db_col_int(db_stmt *s, int i) { return BE(s)->col_int(s, i); }
const char *db_col_text(db_stmt *s, int i, size_t *len) { return BE(s)->col_text(s, i, len); }
int64_t db_changes(db *d) { return d->be->changes(d); }

int db_read_begin(db *d)
{
    err_t ignored;
    if (d->in_tx || d->in_read || d->be->exec(d, d->be->snapshot_sql, &ignored) < 0)
        return 0;
    d->in_read = 1;
    return 1;
}

void db_read_end(db *d)
{
    if (!d->in_read)
        return;
    d->in_read = 0;
    err_t ignored;
    d->be->exec(d, "ROLLBACK", &ignored); /* it changed nothing: ending it either way is the same */
}

/* Inner levels are savepoints: a failure inside rolls back just that level, and the outer transaction
 * goes on (a batch of writes in one transaction loses only the write that failed). */
int db_begin(db *d, err_t *e)
{
    if (d->in_tx == 0) {
        db_read_end(d);
        int rc = d->be->begin(d, e);
        if (rc == 0)
            d->in_tx = 1;
        return rc;
    }
    char sql[32];
    snprintf(sql, sizeof sql, "SAVEPOINT sp%d", d->in_tx);
    int rc = d->be->exec(d, sql, e);
    if (rc == 0)
        d->in_tx++;
    return rc;
}

int db_commit(db *d, err_t *e)
{
    if (d->in_tx <= 0)
        return err_set(e, E_INTERNAL, NULL, "commit without a transaction");
    if (d->in_tx == 1) {
        d->in_tx = 0;
        return d->be->commit(d, e);
    }
    char sql[32];
    snprintf(sql, sizeof sql, "RELEASE sp%d", --d->in_tx);
    int rc = d->be->exec(d, sql, e);
    return rc;
}

void db_rollback(db *d)
{
    if (d->in_tx <= 0)
        return;
    if (d->in_tx == 1) {
        d->in_tx = 0;
        d->be->rollback(d);
        return;
    }
    char sql[64];
    d->in_tx--;
    snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d", d->in_tx, d->in_tx);
    d->be->exec(d, sql, NULL);
}

static int prepare_bound(db *d, db_stmt **s, err_t *e, const char *sql, int n, const char *const *texts)
{
    int rc = db_prepare(d, sql, s, e);
    for (int i = 0; rc >= 0 && i < n; i++)
        db_bind_text(*s, i + 1, texts[i]);
    return rc;
}

int db_query_each(db *d, err_t *e, const char *sql, int n, const char *const *texts,
                  void (*row)(void *ctx, db_stmt *s), void *ctx)
{
    db_stmt *s;
    int rc = prepare_bound(d, &s, e, sql, n, texts);
    if (rc < 0)
        return rc;
    while ((rc = db_step(s, e)) == DB_ROW)
        row(ctx, s);
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

int db_query_row(db *d, db_stmt **out, err_t *e, const char *sql, int n, const char *const *texts)
{
    db_stmt *s;
    int rc = prepare_bound(d, &s, e, sql, n, texts);
    if (rc < 0)
        return rc;
    rc = db_step(s, e);
    if (rc == DB_ROW) {
        *out = s;
        return DB_ROW;
    }
    db_finalize(s);
    return rc;
}

int db_is_unavailable(const err_t *e) { return e && e->code == E_UNAVAILABLE; }

const char *db_display(const char *target, char *buf, size_t n)
{
    const char *scheme = target ? strstr(target, "://") : NULL;
    const char *at = scheme ? strrchr(target, '@') : NULL;
    const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
    if (!colon) {
        snprintf(buf, n, "%s", target ? target : "");
        return buf;
    }
    snprintf(buf, n, "%.*s:***%s", (int)(colon - target), target, at);
    return buf;
}

unsigned db_hash_sql(const char *s)
{
    /* the statement caches' slot, looked up on every query: eight bytes a step, since statements run to
     * kilobytes (byte-at-a-time FNV-1a took 3 % of a loaded server) */
    size_t n = strlen(s);
    uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h ^= w; /* then mixed in full, so the last bytes reach the low bits the slot is taken from */
    h = (h ^ h >> 33) * 0xff51afd7ed558ccdu;
    h = (h ^ h >> 33) * 0xc4ceb9fe1a85ec53u;
    return (unsigned)(h ^ h >> 33);
}

int db_next_word(const char **p, const char **start, size_t *len)
{
    const char *s = *p;
    while (*s && (unsigned char)*s <= ' ')
        s++;
    *start = s;
    while (*s && (unsigned char)*s > ' ')
        s++;
    *len = (size_t)(s - *start);
    *p = s;
    return *len > 0;
}
