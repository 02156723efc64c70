/* Unit tests of the search vocabulary (db/sqlite_fts): writes keep it, rollbacks leave nothing, bulk
 * writes refill it from the index, a migration fills an older database's, prefixes expand into exactly
 * the terms FTS5's own prefix query finds, and words it cannot expand fall back to that query. On a real
 * SQLite file with the whole schema, through the same calls the server makes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/engine/record.h"
#include "core/engine/search.h"
#include "unit_db.h"

static char path[] = "/tmp/rapport-search-XXXXXX";
static db *d;
static actor owner;
static char client_id[ID_MAX];

static int setup(void **state)
{
    (void)state;
    if (unit_db_open(path, "Search firm", &d, &owner) < 0)
        return -1;
    err_t e;
    strbuf out = STRBUF_INIT;
    json_t *body = json_pack("{s:s}", "name", "Zephyr Holdings");
    int rc = record_create(d, &owner, entity_by_name("clients"), body, &out, &e);
    json_decref(body);
    json_t *j = json_loads(out.buf, 0, NULL);
    snprintf(client_id, sizeof client_id, "%s", rc < 0 ? "" : json_string_value(json_object_get(j, "id")));
    json_decref(j);
    strbuf_release(&out);
    return rc < 0 ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    unit_db_remove(d, path);
    return 0;
}

static int note(const char *summary)
{
    err_t e;
    strbuf out = STRBUF_INIT;
    json_t *body = json_pack("{s:s,s:s,s:s}", "client_id", client_id, "type", "note", "summary", summary);
    int rc = record_create(d, &owner, entity_by_name("interactions"), body, &out, &e);
    json_decref(body);
    strbuf_release(&out);
    return rc;
}

static int has_term(const char *term)
{
    db_stmt *s;
    err_t e;
    const char *args[] = {term};
    int rc = db_query_row(d, &s, &e, "SELECT 1 FROM fts_terms WHERE term = ?", 1, args);
    if (rc == DB_ROW)
        db_finalize(s);
    return rc == DB_ROW;
}

static void query_of(const char *words, strbuf *q)
{
    strbuf_reset(q);
    d->be->fts_query(d, q, words);
}

/* The rowids a full-text query over interactions matches, newest first, as "r1,r2,...". */
static void matches(const char *fts_query, strbuf *out)
{
    strbuf_reset(out);
    db_stmt *s;
    err_t e;
    assert_int_equal(db_prepare(d,
                                "SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ? "
                                "ORDER BY rowid DESC",
                                &s, &e),
                     0);
    db_bind_text(s, 1, fts_query);
    while (db_step(s, &e) == DB_ROW)
        strbuf_addf(out, "%lld,", (long long)db_col_int(s, 0));
    db_finalize(s);
}

/* How many interactions the user's words find, through the backend's query for them. */
static int count_matches(const char *words)
{
    strbuf q = STRBUF_INIT, rows = STRBUF_INIT;
    query_of(words, &q);
    matches(q.buf, &rows);
    int n = 0;
    for (const char *p = rows.buf; *p; p++)
        n += *p == ',';
    strbuf_release(&q);
    strbuf_release(&rows);
    return n;
}

/* Inserts n notes in one statement, behind the record layer's back (as a bulk load does): ids and
 * summaries are SQL expressions of i, 1..n. */
static void insert_notes(int n, const char *id_sql, const char *summary_sql)
{
    err_t e;
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
                "INSERT INTO interactions (id, workspace_id, created_at, updated_at, version, client_id, type, "
                "direction, occurred_at, summary, needs_summary, custom) "
                "SELECT %s, '%s', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1, '%s', 'note', 'inbound', "
                "'2026-01-01T00:00:00Z', %s, 0, '{}' FROM n",
                n, id_sql, owner.workspace_id, client_id, summary_sql);
    assert_int_equal(db_exec(d, sql.buf, &e), 0);
    strbuf_release(&sql);
}

static void writes_keep_the_vocabulary(void **state)
{
    (void)state;
    assert_int_equal(note("Zygomorphic flowers, the zygote stage, and a café in Zürich"), 0);
    assert_true(has_term("zygomorphic"));
    assert_true(has_term("zygote"));
    assert_true(has_term("cafe"));   /* as the index cuts it: diacritics removed, */
    assert_true(has_term("zurich")); /* lower case */
    assert_true(has_term("zephyr")); /* the client's name, from its own index */
    assert_false(has_term("café"));
}

static void a_prefix_expands_into_its_terms(void **state)
{
    (void)state;
    strbuf q = STRBUF_INIT;
    query_of("zyg", &q);
    assert_string_equal(q.buf, "(\"zyg\" OR \"zygomorphic\" OR \"zygote\")");
    query_of("ZYGOTE Zür", &q); /* case and diacritics as the index has them; the word itself stays a term */
    assert_string_equal(q.buf, "(\"zygote\") AND (\"zur\" OR \"zurich\")");
    strbuf_release(&q);
}

static void words_it_cannot_expand_fall_back(void **state)
{
    (void)state;
    strbuf q = STRBUF_INIT, text = STRBUF_INIT;
    query_of("o'brien", &q); /* two tokens: FTS5's phrase prefix */
    assert_string_equal(q.buf, "\"o'brien\"*");
    query_of("\"*:", &q); /* no token at all: quoted, never syntax */
    assert_string_equal(q.buf, "\"\"\"*:\"*");
    for (int i = 0; i < 70; i++) /* more terms than an expansion holds */
        strbuf_addf(&text, "qx%03d ", i);
    assert_int_equal(note(text.buf), 0);
    query_of("qx", &q);
    assert_string_equal(q.buf, "\"qx\"*");
    query_of("qx06", &q);
    assert_string_equal(q.buf, "(\"qx06\" OR \"qx060\" OR \"qx061\" OR \"qx062\" OR \"qx063\" OR \"qx064\" OR "
                               "\"qx065\" OR \"qx066\" OR \"qx067\" OR \"qx068\" OR \"qx069\")");
    strbuf_release(&q);
    strbuf_release(&text);
}

static void expansion_finds_what_fts5_prefixes_find(void **state)
{
    (void)state;
    assert_int_equal(note("Pricing page review with Noah; prices and the pricelist"), 0);
    assert_int_equal(note("Noah's notes on priorities, nothing on pricing"), 0);
    assert_int_equal(note("A call about invoices"), 0);
    static const char *const words[] = {"pric", "pricing", "no", "noah", "n", "pri no", "qx0", "zyg café",
                                        "invoice", "absent", "o'brien", "Noah's"};
    strbuf expanded = STRBUF_INIT, native = STRBUF_INIT, q = STRBUF_INIT, prefix = STRBUF_INIT;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        query_of(words[i], &q);
        matches(q.buf, &expanded);
        /* FTS5's own answer: every word a quoted prefix */
        strbuf_reset(&prefix);
        const char *p = words[i], *w;
        size_t n;
        while (db_next_word(&p, &w, &n)) {
            strbuf_adds(&prefix, prefix.len ? " " : "");
            strbuf_add_quoted(&prefix, w, n, '"');
            strbuf_addc(&prefix, '*');
        }
        matches(prefix.buf, &native);
        if (strcmp(expanded.buf, native.buf))
            fail_msg("'%s': expanded %s found [%s], FTS5's prefixes [%s]", words[i], q.buf, expanded.buf, native.buf);
    }
    matches("\"pricing\"*", &native);
    assert_true(strchr(native.buf, ',') != strrchr(native.buf, ',')); /* the check above had rows to compare */
    strbuf_release(&expanded);
    strbuf_release(&native);
    strbuf_release(&q);
    strbuf_release(&prefix);
}

static void a_rolled_back_write_leaves_no_term(void **state)
{
    (void)state;
    err_t e;
    assert_int_equal(db_begin(d, &e), 0);
    assert_int_equal(note("Quixotically worded"), 0); /* a savepoint inside the transaction */
    db_rollback(d);
    assert_false(has_term("quixotically"));
    /* a failed create (its reference does not exist) rolls back its own savepoint inside a batch */
    assert_int_equal(db_begin(d, &e), 0);
    strbuf out = STRBUF_INIT;
    json_t *body = json_pack("{s:s,s:s,s:s}", "client_id", "cli_00000000000000000000000000", "type", "note",
                             "summary", "Xylophonic");
    assert_true(record_create(d, &owner, entity_by_name("interactions"), body, &out, &e) < 0);
    json_decref(body);
    strbuf_release(&out);
    assert_int_equal(note("Yodelling kept"), 0);
    assert_int_equal(db_commit(d, &e), 0);
    assert_false(has_term("xylophonic"));
    assert_true(has_term("yodelling"));
}

static void a_bulk_write_refills_from_the_index(void **state)
{
    (void)state;
    err_t e;
    /* more rows in one transaction than are noted one by one: the table's whole vocabulary is added */
    assert_int_equal(db_begin(d, &e), 0);
    insert_notes(12000, "printf('int_bulk%05d', i)", "'bulkword' || i");
    assert_int_equal(db_commit(d, &e), 0);
    assert_true(has_term("bulkword1"));
    assert_true(has_term("bulkword12000"));
    /* and notes one by one again afterwards */
    assert_int_equal(note("Afterwards noted"), 0);
    assert_true(has_term("afterwards"));
}

static void a_bulk_load_leaves_a_complete_vocabulary(void **state)
{
    (void)state;
    err_t e;
    /* as rapport seed does: the index's triggers set aside, rows committed in batches, the index rebuilt
     * after the last commit, outside any transaction */
    assert_int_equal(d->be->bulk_begin(d, "interactions", &e), 0);
    for (int batch = 0; batch < 2; batch++) {
        assert_int_equal(db_begin(d, &e), 0);
        char id_sql[64], summary_sql[64];
        snprintf(id_sql, sizeof id_sql, "printf('int_seed%d_%%05d', i)", batch);
        snprintf(summary_sql, sizeof summary_sql, "printf('sw%d%%05d', i)", batch);
        insert_notes(11000, id_sql, summary_sql);
        assert_int_equal(db_commit(d, &e), 0);
    }
    assert_int_equal(d->be->bulk_end(d, "interactions", &e), 0);
    assert_true(has_term("sw000001"));
    assert_true(has_term("sw110999")); /* written while the index was set aside */
    assert_int_equal(count_matches("sw10109"), 10); /* sw101090..sw101099, as FTS5's own prefix finds them */
}

static void a_migration_fills_an_older_database(void **state)
{
    (void)state;
    err_t e;
    /* back to before migration 6 for what it made; the later ones stay applied (they cannot run twice) */
    assert_int_equal(db_exec(d, "DROP TABLE fts_terms; DELETE FROM schema_migrations WHERE version = 6", &e), 0);
    db_close(d);
    assert_int_equal(db_open(path, &d, &e), 0);
    strbuf q = STRBUF_INIT;
    query_of("zyg", &q); /* without the table: FTS5's prefix query, still correct */
    assert_string_equal(q.buf, "\"zyg\"*");
    assert_int_equal(schema_apply_again(d, 6, &e), 1);
    assert_true(has_term("zygomorphic"));
    assert_true(has_term("bulkword777"));
    assert_true(has_term("zephyr"));
    query_of("zyg", &q);
    assert_string_equal(q.buf, "(\"zyg\" OR \"zygomorphic\" OR \"zygote\")");
    strbuf_release(&q);
}

static int64_t scalar(const char *sql)
{
    db_stmt *s;
    err_t e;
    int64_t v = -1;
    if (db_query_row(d, &s, &e, sql, 0, NULL) == DB_ROW) {
        v = db_col_int(s, 0);
        db_finalize(s);
    }
    return v;
}

static void merges_wait_for_the_worker(void **state)
{
    (void)state;
    /* every index is made (or migrated) with automerge off and a crisis merge only at 64 segments */
    assert_int_equal(scalar("SELECT v FROM interactions_fts_config WHERE k = 'automerge'"), 0);
    assert_int_equal(scalar("SELECT v FROM clients_fts_config WHERE k = 'crisismerge'"), 64);
    err_t e;
    char text[64];
    for (int i = 0; i < 30; i++) { /* a transaction each: a segment each, none merged while writing */
        snprintf(text, sizeof text, "segment note %d", i);
        assert_int_equal(note(text), 0);
    }
    int64_t before = scalar("SELECT COUNT(DISTINCT segid) FROM interactions_fts_idx");
    assert_true(before >= 30);
    for (int i = 0; i < 8; i++) /* the worker's slices */
        assert_int_equal(d->be->fts_merge(d, &e), 0);
    int64_t after = scalar("SELECT COUNT(DISTINCT segid) FROM interactions_fts_idx");
    assert_true(after < before / 4);
    assert_int_equal(count_matches("segment"), 30); /* merged, nothing lost */
}

static int64_t segments(void) { return scalar("SELECT COUNT(DISTINCT segid) FROM interactions_fts_idx"); }

/* Merges slice until a slice finds nothing to do; returns how many slices that took. */
static int merge_until_idle(void)
{
    err_t e;
    int n = 0;
    for (int64_t last = -1; n < 50 && segments() != last; n++) {
        last = segments();
        assert_int_equal(d->be->fts_merge(d, &e), 0);
    }
    return n;
}

/* Once a slice found nothing to merge, the next ones take no write lock until something is written,
 * by another connection (the writer thread's) or by this one (the worker's own jobs). */
static void an_idle_merge_takes_no_lock(void **state)
{
    (void)state;
    err_t e;
    db *other;
    assert_int_equal(db_open(path, &other, &e), 0);
    merge_until_idle();
    assert_int_equal(d->be->fts_merge(d, &e), 0); /* finds nothing: idle from here */
    assert_int_equal(db_exec(other, "BEGIN IMMEDIATE", &e), 0);
    assert_int_equal(d->be->fts_merge(d, &e), 0); /* would wait out the busy timeout, then fail */
    assert_int_equal(db_exec(other, "ROLLBACK", &e), 0);

    char text[64];
    int64_t idle = segments();
    for (int i = 0; i < 30; i++) { /* another connection writes */
        snprintf(text, sizeof text, "elsewhere note %d", i);
        strbuf out = STRBUF_INIT;
        json_t *body = json_pack("{s:s,s:s,s:s}", "client_id", client_id, "type", "note", "summary", text);
        assert_int_equal(record_create(other, &owner, entity_by_name("interactions"), body, &out, &e), 0);
        json_decref(body);
        strbuf_release(&out);
    }
    assert_true(segments() >= idle + 30);
    merge_until_idle();
    assert_true(segments() < idle + 8);

    idle = segments();
    for (int i = 0; i < 30; i++) { /* this connection writes */
        snprintf(text, sizeof text, "own note %d", i);
        assert_int_equal(note(text), 0);
    }
    assert_true(segments() >= idle + 30);
    merge_until_idle();
    assert_true(segments() < idle + 8);
    assert_int_equal(count_matches("elsewhere"), 30);
    assert_int_equal(count_matches("own"), 30);
    db_close(other);
}

/* A merge too large for one slice goes on over the next slices until it is done: a slice that merged
 * something is never taken for an idle one. */
static void a_large_merge_goes_on_until_done(void **state)
{
    (void)state;
    err_t e;
    merge_until_idle();
    int64_t before = segments();
    strbuf text = STRBUF_INIT;
    for (int i = 0; i < 20; i++) { /* 20 segments of ~25 KB of distinct words each */
        strbuf_reset(&text);
        for (int w = 0; w < 2000; w++)
            strbuf_addf(&text, "bulk%dw%d ", i, w);
        assert_int_equal(note(text.buf), 0);
    }
    strbuf_release(&text);
    assert_true(segments() >= before + 20);
    assert_int_equal(d->be->fts_merge(d, &e), 0);
    assert_true(segments() > before + 5); /* the premise: one slice of 64 pages cannot merge 16 of them */
    for (int i = 0; i < 30; i++)
        assert_int_equal(d->be->fts_merge(d, &e), 0);
    assert_true(segments() <= before + 5); /* 16 merged into one, 4 left for a later level */
    assert_int_equal(count_matches("bulk7w1999"), 1);
}

static void search_answers_from_the_expansion(void **state)
{
    (void)state;
    err_t e;
    strbuf out = STRBUF_INIT;
    assert_int_equal(search_all(d, &owner, "pric noa", 10, &out, &e), 0);
    json_t *j = json_loads(out.buf, 0, NULL);
    json_t *data = json_object_get(j, "data");
    assert_int_equal(json_array_size(data), 2); /* both notes naming Noah and a price word */
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(data, 0), "snippet")), "[Noah"));
    json_decref(j);
    strbuf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_keep_the_vocabulary),
        cmocka_unit_test(a_prefix_expands_into_its_terms),
        cmocka_unit_test(words_it_cannot_expand_fall_back),
        cmocka_unit_test(expansion_finds_what_fts5_prefixes_find),
        cmocka_unit_test(a_rolled_back_write_leaves_no_term),
        cmocka_unit_test(a_bulk_write_refills_from_the_index),
        cmocka_unit_test(a_bulk_load_leaves_a_complete_vocabulary),
        cmocka_unit_test(a_migration_fills_an_older_database),
        cmocka_unit_test(merges_wait_for_the_worker),
        cmocka_unit_test(an_idle_merge_takes_no_lock),
        cmocka_unit_test(a_large_merge_goes_on_until_done),
        cmocka_unit_test(search_answers_from_the_expansion),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
