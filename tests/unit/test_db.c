/* Unit tests of db: the read snapshot of a GET request (db_read_begin/db_read_end) on a real SQLite file,
 * with a second connection writing beside it as the writer thread does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "unit_db.h"
#include "core/practice/lifecycle.h"
#include "core/bulk/seed.h"

static char path[] = "/tmp/rapport-unit-db-XXXXXX";
static db *d, *other;
static actor owner;

static int setup(void **state)
{
    (void)state;
    err_t e;
    if (unit_db_open(path, "Test firm", &d, &owner) < 0 || db_open(path, &other, &e) < 0)
        return -1;
    return db_exec(d, "CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (1)", &e);
}

static int teardown(void **state)
{
    (void)state;
    db_close(other);
    unit_db_remove(d, path);
    return 0;
}

static int64_t count(db *c)
{
    err_t e;
    db_stmt *s;
    assert_int_equal(db_query_row(c, &s, &e, "SELECT n FROM counter", 0, NULL), DB_ROW);
    int64_t n = db_col_int(s, 0);
    db_finalize(s);
    return n;
}

static void bump(db *c)
{
    err_t e;
    db_stmt *s;
    assert_int_equal(db_begin(c, &e), 0);
    assert_int_equal(db_query_row(c, &s, &e, "UPDATE counter SET n = n + 1", 0, NULL), DB_DONE);
    assert_int_equal(db_commit(c, &e), 0);
}

/* Inside a snapshot every read sees the state of its first read; after it, the newest. */
static void a_snapshot_sees_one_state(void **state)
{
    (void)state;
    int64_t before = count(d);
    assert_int_equal(db_read_begin(d), 1);
    assert_int_equal(count(d), before);
    bump(other);
    assert_int_equal(count(d), before);
    assert_int_equal(count(other), before + 1);
    db_read_end(d);
    assert_int_equal(d->in_read, 0);
    assert_int_equal(count(d), before + 1);
}

/* A snapshot inside an open snapshot or transaction is the outer one: the caller must not end it. */
static void snapshots_do_not_nest(void **state)
{
    (void)state;
    err_t e;
    assert_int_equal(db_read_begin(d), 1);
    assert_int_equal(db_read_begin(d), 0);
    db_read_end(d);
    assert_int_equal(db_begin(d, &e), 0);
    assert_int_equal(db_read_begin(d), 0);
    assert_int_equal(d->in_read, 0);
    db_rollback(d);
}

/* A write while a snapshot is open, in a transaction or on its own, starts from the newest state: even
 * after another connection wrote, it neither fails with SQLITE_BUSY_SNAPSHOT nor loses that write. */
static void writes_end_the_snapshot_first(void **state)
{
    (void)state;
    err_t e;
    db_stmt *s;
    int64_t before = count(d);
    assert_int_equal(db_read_begin(d), 1);
    assert_int_equal(count(d), before);
    bump(other);
    bump(d); /* db_begin inside the snapshot */
    assert_int_equal(d->in_read, 0);
    assert_int_equal(count(other), before + 2);

    assert_int_equal(db_read_begin(d), 1);
    assert_int_equal(count(d), before + 2);
    bump(other);
    assert_int_equal(db_query_row(d, &s, &e, "UPDATE counter SET n = n + 10", 0, NULL), DB_DONE); /* autocommit */
    assert_int_equal(d->in_read, 0);
    assert_int_equal(count(other), before + 13);
    db_read_end(d); /* already ended: nothing to do */
    assert_int_equal(count(d), before + 13);
}

/* Every connection makes an answered write durable: the WAL synced at each commit (FULL), not only at
 * checkpoints (NORMAL), in WAL mode; the writer's settings keep both. */
static void every_commit_is_synced(void **state)
{
    (void)state;
    err_t e;
    db_stmt *s;
    for (int round = 0; round < 2; round++) {
        if (round == 1) {
            assert_non_null(other->be->writer_sql);
            assert_int_equal(db_exec(other, other->be->writer_sql, &e), 0);
        }
        assert_int_equal(db_query_row(other, &s, &e, "PRAGMA synchronous", 0, NULL), DB_ROW);
        assert_int_equal(db_col_int(s, 0), 2);
        db_finalize(s);
        assert_int_equal(db_query_row(other, &s, &e, "PRAGMA journal_mode", 0, NULL), DB_ROW);
        assert_string_equal(db_col_text(s, 0, NULL), "wal");
        db_finalize(s);
    }
}

/* The statement caches take their slot from the hash's low bits: statements that differ only in their
 * last characters (LIMIT 1, LIMIT 2, ...) must not share one, or they evict each other on every use. */
static void statements_differing_at_the_end_get_their_own_slots(void **state)
{
    (void)state;
    for (int len = 0; len < 8; len++) { /* every remainder of the length by eight */
        int seen[128] = {0}, distinct = 0;
        for (int i = 0; i < 100; i++) {
            char sql[64];
            snprintf(sql, sizeof sql, "SELECT * FROM t%.*s LIMIT %d", len, "xxxxxxx", i);
            unsigned slot = db_hash_sql(sql) % 128;
            distinct += !seen[slot]++;
        }
        assert_true(distinct >= 45); /* 100 random draws from 128 slots give about 70 */
    }
}

/* A client's last update (its page, check-ins, health's cadence) is one seek on migration 7's partial
 * index, not a walk back through every newer note of the client, with the statistics of seeded data. */
static void the_last_update_uses_its_partial_index(void **state)
{
    (void)state;
    err_t e;
    db_stmt *s;
    seed_config cfg = {.clients = 100, .interactions = 20000, .seed = 1};
    seed_counts counts;
    assert_int_equal(seed_workspace(d, &owner, &cfg, &counts, &e), 0);
    int rc = db_query_row(d, &s, &e,
                          "EXPLAIN QUERY PLAN SELECT MAX(i.occurred_at) FROM interactions i WHERE i.client_id = ? AND "
                          CHECKIN_UPDATE_SQL, 0, NULL);
    int found = 0;
    for (; rc == DB_ROW; rc = db_step(s, &e))
        found |= strstr(db_col_text(s, 3, NULL), "interactions_client_updates") != NULL;
    assert_int_equal(rc, DB_DONE);
    db_finalize(s);
    assert_true(found);
}

/* The backend is chosen by the target's scheme alone, and its facts are flags: a SQLite file named
 * postgres.db is SQLite, with one writer (so `serve` group-commits) and the import cache. */
static void backend_facts_follow_the_scheme_not_the_name(void **state)
{
    (void)state;
    static const char *const sqlite_targets[] = {"postgres.db", "postgres", "/tmp/postgres.db", "postgresql.db",
                                                 "./postgres://x"};
    for (size_t i = 0; i < sizeof sqlite_targets / sizeof *sqlite_targets; i++) {
        const db_backend *be = db_backend_for(sqlite_targets[i]);
        assert_ptr_equal(be, &db_sqlite_backend);
        assert_int_equal(be->one_writer, 1);
        assert_non_null(be->import_sql);
    }
    static const char *const pg_targets[] = {"postgres://u@h/db", "postgresql://h/db"};
    for (size_t i = 0; i < 2; i++) {
        const db_backend *be = db_backend_for(pg_targets[i]);
        assert_ptr_equal(be, &db_postgres_backend);
        assert_int_equal(be->one_writer, 0);
        assert_null(be->import_sql);
    }
    assert_ptr_equal(d->be, &db_sqlite_backend); /* the file opened for these tests */
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_snapshot_sees_one_state),
        cmocka_unit_test(snapshots_do_not_nest),
        cmocka_unit_test(writes_end_the_snapshot_first),
        cmocka_unit_test(every_commit_is_synced),
        cmocka_unit_test(statements_differing_at_the_end_get_their_own_slots),
        cmocka_unit_test(the_last_update_uses_its_partial_index),
        cmocka_unit_test(backend_facts_follow_the_scheme_not_the_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
