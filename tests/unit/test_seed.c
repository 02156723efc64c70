/* Unit tests of the seed's bulk path: whatever fails, the full-text triggers and indexes it suspended come
 * back, so the workspace stays searchable (and the rows it committed are found). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "core/bulk/seed.h"
#include "core/engine/record.h"
#include "core/engine/search.h"
#include "unit_db.h"

static char path[] = "/tmp/rapport-unit-seed-XXXXXX";
static db *d;
static actor owner;

static int setup(void **state)
{
    (void)state;
    return unit_db_open(path, "Seed Co", &d, &owner);
}

static int teardown(void **state)
{
    (void)state;
    unit_db_remove(d, path);
    return 0;
}

/* Triggers and indexes of the tables the seed writes (what a bulk load drops and must restore). */
static int64_t schema_objects(void)
{
    db_stmt *s;
    err_t e;
    assert_int_equal(db_query_row(d, &s, &e, "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('trigger', 'index')",
                                  0, NULL),
                     DB_ROW);
    int64_t n = db_col_int(s, 0);
    db_finalize(s);
    return n;
}

/* A client written after the failure is found by a word of its name: the triggers index it. */
static void search_finds_a_new_client(const char *name)
{
    err_t e;
    strbuf out = STRBUF_INIT;
    json_t *body = json_pack("{s:s}", "name", name);
    assert_int_equal(record_create(d, &owner, entity_by_name("clients"), body, &out, &e), 0);
    json_decref(body);
    strbuf_reset(&out);
    assert_int_equal(search_all(d, &owner, name, 5, &out, &e), 0);
    if (!strstr(out.buf, name))
        fail_msg("search for %s found: %s", name, out.buf);
    strbuf_release(&out);
}

static void a_seed_failing_mid_load_restores_search(void **state)
{
    (void)state;
    int64_t before = schema_objects();
    seed_config cfg = {.clients = 20, .interactions = 400, .seed = 3, .fail_after_rows = 150};
    seed_counts n;
    err_t e;
    assert_int_equal(seed_workspace(d, &owner, &cfg, &n, &e), E_INTERNAL);
    assert_non_null(strstr(e.message, "injected"));
    assert_int_equal(schema_objects(), before);
    search_finds_a_new_client("Quillfeather");
    /* and a seed that succeeds afterwards leaves the same schema */
    cfg.fail_after_rows = 0;
    assert_int_equal(seed_workspace(d, &owner, &cfg, &n, &e), 0);
    assert_int_equal(n.interactions, 400);
    assert_int_equal(schema_objects(), before);
    search_finds_a_new_client("Marrowbrook");
}

/* The lifecycle writer reads the workspace's calendar; a zone the system no longer has fails the seed
 * before it has dropped anything (it used to fail after, leaving the database without search). */
static void a_seed_failing_before_its_rows_leaves_search_alone(void **state)
{
    (void)state;
    int64_t before = schema_objects();
    err_t e;
    const char *args[] = {"Nowhere/Atlantis", owner.workspace_id};
    db_stmt *s;
    assert_true(db_query_row(d, &s, &e, "UPDATE workspaces SET time_zone = ? WHERE id = ?", 2, args) >= 0);
    seed_config cfg = {.clients = 5, .interactions = 10, .seed = 4};
    seed_counts n;
    assert_true(seed_workspace(d, &owner, &cfg, &n, &e) < 0);
    assert_int_equal(schema_objects(), before);
    search_finds_a_new_client("Tidewater");
    args[0] = "UTC";
    assert_true(db_query_row(d, &s, &e, "UPDATE workspaces SET time_zone = ? WHERE id = ?", 2, args) >= 0);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_seed_failing_mid_load_restores_search),
        cmocka_unit_test(a_seed_failing_before_its_rows_leaves_search_alone),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
