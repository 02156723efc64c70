/* db_postgres: the PostgreSQL backend, through libpq.
 *
 * One connection per server thread (the process's pool is its threads), statements prepared once per
 * connection and cached by SQL text like the SQLite backend's, values always sent as parameters. Text
 * columns use the "C" collation so ordering, and so paging, is byte for byte the one SQLite gives.
 * Full-text search is a generated tsvector column with a GIN index. A connection that drops (the
 * database restarted) fails the statements in flight with E_UNAVAILABLE (HTTP 503) and is re-opened on
 * its next use; prepared statements are re-prepared as they are met again. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"

#define CACHE_SLOTS 128

/* type OIDs (from PostgreSQL's catalog; stable across versions) */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_FLOAT4 = 700, OID_FLOAT8 = 701,
       OID_NUMERIC = 1700 };

typedef struct pg_stmt {
    db *d; /* must be first: see db.c */
    char *sql;
    char name[24];
    int epoch; /* the connection epoch it was prepared in; 0 = not yet */
    int nparams;
    char *values[DB_MAX_PARAMS];
    int lengths[DB_MAX_PARAMS];
    PGresult *res;
    int row, nrows, cached, in_use;
} pg_stmt;

typedef struct pg_db {
    db base;
    PGconn *conn;
    int epoch; /* grows on every (re)connection: statements prepared before it must be prepared again */
    int next_name;
    int64_t changes;
    pg_stmt *cache[CACHE_SLOTS];
} pg_db;

/* First line of libpq's message, without the trailing newline. */
static const char *first_line(const char *msg, char *buf, size_t n)
{
    snprintf(buf, n, "%s", msg ? msg : "");
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

/* A dropped connection is marked for re-opening; everything else maps like SQLite's errors do. */
static int map_error(pg_db *d, PGresult *res, err_t *e)
{
    char buf[300];
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (PQstatus(d->conn) != CONNECTION_OK || !state || !strncmp(state, "08", 2) || !strncmp(state, "57P", 3)) {
        d->epoch++; /* statements must be prepared again on the next connection */
        return err_set(e, E_UNAVAILABLE, NULL, "the database is unavailable; try again (%s)",
                       first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(d->conn), buf, sizeof buf));
    }
    if (!strcmp(state, "23505")) {
        /* our unique indexes are named TABLE__FIELD_unique: the field is what the caller must change */
        const char *c = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
        const char *start = c ? strstr(c, "__") : NULL, *end = c ? strstr(c, "_unique") : NULL;
        char field[96] = "";
        if (start && end && start + 2 < end)
            snprintf(field, sizeof field, "%.*s", (int)(end - start - 2), start + 2);
        return err_set(e, E_CONFLICT, field[0] ? field : NULL, "a record with this %s already exists",
                       field[0] ? field : "value");
    }
    if (!strcmp(state, "23503"))
        return err_set(e, E_INVALID_REFERENCE, NULL, "a referenced record does not exist");
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
        return err_set(e, E_UNAVAILABLE, NULL, "the database is busy; try again");
    return err_set(e, E_INTERNAL, NULL, "database error: %s", first_line(PQresultErrorMessage(res), buf, sizeof buf));
}

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "relation already exists, skipping" and the like are not for the user */
}

static int connect_db(pg_db *d, const char *target, err_t *e)
{
    d->conn = PQconnectdb(target);
    if (PQstatus(d->conn) != CONNECTION_OK) {
        char buf[300];
        err_set(e, E_UNAVAILABLE, "db", "cannot connect to PostgreSQL: %s",
                first_line(PQerrorMessage(d->conn), buf, sizeof buf));
        return E_UNAVAILABLE;
    }
    PQsetNoticeProcessor(d->conn, quiet_notices, NULL);
    PGresult *r = PQexec(d->conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
    PQclear(r);
    d->epoch++;
    return 0;
}

static int pg_open(const char *target, db **out, err_t *e)
{
    pg_db *d = calloc(1, sizeof *d);
    if (!d)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    d->base.be = &db_postgres_backend;
    int rc = connect_db(d, target, e);
    if (rc < 0) {
        PQfinish(d->conn);
        free(d);
        return rc;
    }
    *out = &d->base;
    return 0;
}

static void stmt_reset(pg_stmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
    }
    PQclear(s->res);
    s->res = NULL;
    s->row = s->nrows = 0;
}

static void stmt_free(pg_stmt *s)
{
    stmt_reset(s);
    free(s->sql);
    free(s);
}

static void pg_close(db *base)
{
    pg_db *d = (pg_db *)base;
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (d->cache[i])
            stmt_free(d->cache[i]);
    PQfinish(d->conn);
    free(d);
}

/* Re-opens a dropped connection before use; the statements in flight when it dropped have failed. */
static int ensure_connected(pg_db *d, err_t *e)
{
    if (PQstatus(d->conn) == CONNECTION_OK)
        return 0;
    PQreset(d->conn);
    if (PQstatus(d->conn) != CONNECTION_OK) {
        char buf[300];
        return err_set(e, E_UNAVAILABLE, NULL, "the database is unavailable; try again (%s)",
                       first_line(PQerrorMessage(d->conn), buf, sizeof buf));
    }
    PQsetNoticeProcessor(d->conn, quiet_notices, NULL);
    PGresult *r = PQexec(d->conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
    PQclear(r);
    d->epoch++;
    d->base.in_tx = d->base.in_read = 0; /* a transaction cannot outlive its connection */
    return 0;
}

static int pg_exec(db *base, const char *sql, err_t *e)
{
    pg_db *d = (pg_db *)base;
    int rc = ensure_connected(d, e);
    if (rc < 0)
        return rc;
    PGresult *r = PQexec(d->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    rc = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? 0 : map_error(d, r, e);
    PQclear(r);
    return rc;
}

/* `?` placeholders become $1, $2, ... (none of our SQL has a `?` inside a string literal, but quoted
 * text is skipped all the same). */
static char *convert_placeholders(const char *sql, int *n)
{
    strbuf out = STRBUF_INIT;
    char quote = 0;
    *n = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            strbuf_addc(&out, *p);
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            strbuf_addc(&out, *p);
        } else if (*p == '?') {
            strbuf_addf(&out, "$%d", ++*n);
        } else {
            strbuf_addc(&out, *p);
        }
    }
    return strbuf_detach(&out, NULL);
}

static int pg_begin(db *d, err_t *e) { return pg_exec(d, "BEGIN", e); }
static int pg_commit(db *d, err_t *e)
{
    int rc = pg_exec(d, "COMMIT", e);
    if (rc < 0)
        pg_exec(d, "ROLLBACK", NULL);
    return rc;
}
static void pg_rollback(db *d) { pg_exec(d, "ROLLBACK", NULL); }

static int pg_prepare(db *base, const char *sql, db_stmt **out, err_t *e)
{
    pg_db *d = (pg_db *)base;
    int rc = ensure_connected(d, e);
    if (rc < 0)
        return rc;
    unsigned slot = db_hash_sql(sql) % CACHE_SLOTS;
    pg_stmt *s = d->cache[slot];
    if (!s || s->in_use || strcmp(s->sql, sql)) {
        s = calloc(1, sizeof *s);
        if (!s)
            return err_set(e, E_INTERNAL, NULL, "out of memory");
        s->d = base;
        s->sql = strdup(sql);
        if (!d->cache[slot]) {
            s->cached = 1;
            d->cache[slot] = s;
        }
    }
    if (s->epoch != d->epoch) {
        int n;
        char *converted = convert_placeholders(sql, &n);
        if (n > DB_MAX_PARAMS) {
            free(converted);
            if (!s->cached)
                stmt_free(s);
            return err_set(e, E_INTERNAL, NULL, "too many parameters");
        }
        snprintf(s->name, sizeof s->name, "r%d", ++d->next_name);
        PGresult *r = PQprepare(d->conn, s->name, converted, 0, NULL);
        free(converted);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            rc = map_error(d, r, e);
            PQclear(r);
            if (!s->cached)
                stmt_free(s);
            return rc;
        }
        PQclear(r);
        s->nparams = n;
        s->epoch = d->epoch;
    }
    s->in_use = 1;
    *out = (db_stmt *)s;
    return 0;
}

static void pg_finalize(db_stmt *base)
{
    pg_stmt *s = (pg_stmt *)base;
    stmt_reset(s);
    if (s->cached) {
        s->in_use = 0;
        return;
    }
    /* not cached: the server-side statement is dropped with it */
    pg_db *d = (pg_db *)s->d;
    if (s->epoch == d->epoch && PQstatus(d->conn) == CONNECTION_OK) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
        PQclear(PQexec(d->conn, sql));
    }
    stmt_free(s);
}

static void pg_reset(db_stmt *base) { stmt_reset((pg_stmt *)base); }

static void set_param(db_stmt *base, int i, char *v, int len)
{
    pg_stmt *s = (pg_stmt *)base;
    if (i < 1 || i > s->nparams) {
        free(v);
        return;
    }
    free(s->values[i - 1]);
    s->values[i - 1] = v;
    s->lengths[i - 1] = len;
}

static void pg_bind_null(db_stmt *s, int i) { set_param(s, i, NULL, 0); }
static void pg_bind_int(db_stmt *s, int i, int64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
    set_param(s, i, strdup(buf), n);
}
static void pg_bind_real(db_stmt *s, int i, double v)
{
    char buf[40];
    int n = snprintf(buf, sizeof buf, "%.17g", v);
    set_param(s, i, strdup(buf), n);
}
static void pg_bind_text(db_stmt *s, int i, const char *v, size_t n) { set_param(s, i, strndup(v, n), (int)n); }

static int pg_step(db_stmt *base, err_t *e)
{
    pg_stmt *s = (pg_stmt *)base;
    pg_db *d = (pg_db *)s->d;
    if (!s->res) {
        if (s->epoch != d->epoch)
            return err_set(e, E_UNAVAILABLE, NULL, "the database connection was reset; try again");
        s->res = PQexecPrepared(d->conn, s->name, s->nparams, (const char *const *)s->values, s->lengths, NULL, 0);
        ExecStatusType st = PQresultStatus(s->res);
        if (st == PGRES_COMMAND_OK) {
            const char *n = PQcmdTuples(s->res);
            d->changes = *n ? strtoll(n, NULL, 10) : 0;
            return DB_DONE;
        }
        if (st != PGRES_TUPLES_OK)
            return map_error(d, s->res, e);
        const char *n = PQcmdTuples(s->res);
        d->changes = *n ? strtoll(n, NULL, 10) : 0;
        s->nrows = PQntuples(s->res);
        s->row = -1;
    }
    if (s->row + 1 >= s->nrows) {
        s->row = s->nrows;
        return DB_DONE;
    }
    s->row++;
    return DB_ROW;
}

static int pg_col_type(db_stmt *base, int i)
{
    pg_stmt *s = (pg_stmt *)base;
    if (PQgetisnull(s->res, s->row, i))
        return DB_NULL;
    switch (PQftype(s->res, i)) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8: return DB_INT;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC: return DB_REAL;
    default: return DB_TEXT;
    }
}

static int64_t pg_col_int(db_stmt *base, int i)
{
    pg_stmt *s = (pg_stmt *)base;
    const char *v = PQgetvalue(s->res, s->row, i);
    if (PQftype(s->res, i) == OID_BOOL)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static double pg_col_real(db_stmt *base, int i)
{
    pg_stmt *s = (pg_stmt *)base;
    return strtod(PQgetvalue(s->res, s->row, i), NULL);
}

static const char *pg_col_text(db_stmt *base, int i, size_t *len)
{
    pg_stmt *s = (pg_stmt *)base;
    if (PQgetisnull(s->res, s->row, i)) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = (size_t)PQgetlength(s->res, s->row, i);
    return PQgetvalue(s->res, s->row, i);
}

static int64_t pg_changes(db *base) { return ((pg_db *)base)->changes; }

static const char *pg_type_name(int kind)
{
    switch (kind) {
    case DB_KIND_INT: return "BIGINT";
    case DB_KIND_BOOL: return "BOOLEAN";
    case DB_KIND_REAL: return "DOUBLE PRECISION";
    default: return "TEXT COLLATE \"C\""; /* byte order, as SQLite sorts */
    }
}

static void pg_fts_ddl(strbuf *sql, const char *table, const char *const *cols, int n)
{
    strbuf_addf(sql, "ALTER TABLE \"%s\" ADD COLUMN fts tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, ",
                table);
    for (int i = 0; i < n; i++)
        strbuf_addf(sql, "%scoalesce(\"%s\", '')", i ? " || ' ' || " : "", cols[i]);
    strbuf_addf(sql, ")) STORED;\nCREATE INDEX \"%s_fts\" ON \"%s\" USING GIN (fts);\n", table, table);
}

static void pg_fts_from(strbuf *sql, const char *table, const char *alias)
{
    strbuf_addf(sql, "\"%s\" %s", table, alias);
}

static void pg_fts_newest(strbuf *sql, const char *table, const char *alias)
{
    (void)table;
    strbuf_addf(sql, "%s.created_at DESC, %s.id DESC", alias, alias);
}

static void pg_fts_where(strbuf *sql, const char *table, const char *alias)
{
    (void)table;
    strbuf_addf(sql, "%s.fts @@ to_tsquery('simple'::regconfig, ?)", alias);
}

/* Each word becomes a quoted prefix lexeme ('word':*) joined by &, so user text is never tsquery syntax;
 * a word with no letters in it yields no lexeme and matches nothing, as in SQLite. */
static void pg_fts_query(db *d, strbuf *out, const char *words)
{
    (void)d;
    const char *p = words, *w;
    size_t n;
    while (db_next_word(&p, &w, &n)) {
        if (out->len)
            strbuf_adds(out, " & ");
        strbuf_addc(out, '\'');
        for (size_t i = 0; i < n; i++) {
            if (w[i] == '\'' || w[i] == '\\')
                strbuf_addc(out, w[i]);
            strbuf_addc(out, w[i]);
        }
        strbuf_adds(out, "':*");
    }
}

/* Generated tsvector columns keep themselves current; nothing to suspend. */
static int pg_bulk_begin(db *d, const char *table, err_t *e)
{
    (void)d;
    (void)table;
    (void)e;
    return 0;
}

/* Fresh statistics at once rather than when autovacuum next looks. */
static int pg_bulk_end(db *d, const char *table, err_t *e)
{
    char sql[128];
    snprintf(sql, sizeof sql, "ANALYZE \"%s\"", table);
    return pg_exec(d, sql, e);
}

static void pg_json_array_contains(strbuf *sql, const char *col)
{
    strbuf_addf(sql, "(%s)::jsonb @> jsonb_build_array(?::text)", col);
}

const db_backend db_postgres_backend = {
    .name = "postgres",
    .one_writer = 0,
    .import_sql = NULL,
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_null = pg_bind_null,
    .bind_int = pg_bind_int,
    .bind_real = pg_bind_real,
    .bind_text = pg_bind_text,
    .step = pg_step,
    .col_type = pg_col_type,
    .col_int = pg_col_int,
    .col_real = pg_col_real,
    .col_text = pg_col_text,
    .changes = pg_changes,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .snapshot_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    .migration_lock = "SELECT pg_advisory_xact_lock(7243001)",
    .fk_suffix = " DEFERRABLE INITIALLY IMMEDIATE",
    .defer_fks = "SET CONSTRAINTS ALL DEFERRED",
    .skip_locked = " FOR UPDATE SKIP LOCKED",
    .bulk_load_sql = "SET synchronous_commit = off",
    .maintain_sql = NULL, /* autovacuum keeps statistics */
    .writer_sql = NULL,
    .checkpoint_sql = NULL,
    .bulk_begin = pg_bulk_begin,
    .bulk_end = pg_bulk_end,
    .inline_forward_refs = 0,
    .type_name = pg_type_name,
    .fts_ddl = pg_fts_ddl,
    .fts_from = pg_fts_from,
    .fts_newest = pg_fts_newest,
    .fts_where = pg_fts_where,
    .fts_query = pg_fts_query,
    .json_array_contains = pg_json_array_contains,
};
