/* Unit tests of core/record: a table-driven round trip of every entity through create, get, list with
 * each filter, update (with a stale version too) and delete, on a real SQLite file; plus the rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/engine/record.h"
#include "unit_db.h"
#include "util/clock.h"

static char path[] = "/tmp/rapport-unit-XXXXXX";
static db *d;
static actor owner;

static int setup(void **state)
{
    (void)state;
    return unit_db_open(path, "Test firm", &d, &owner);
}

static int teardown(void **state)
{
    (void)state;
    unit_db_remove(d, path);
    return 0;
}

static char last_id[64][ID_MAX]; /* by entity index: the last record made, for references */

static int index_of(const entity *en)
{
    for (int i = 0; i < entity_count; i++)
        if (entity_table[i] == en)
            return i;
    return -1;
}

/* A valid sample value for a field, or NULL to leave it out. */
static json_t *sample(const field *f, int n)
{
    char buf[64];
    const field_type *t = f->type;
    if (t == &FT_TEXT || t == &FT_LONGTEXT) {
        snprintf(buf, sizeof buf, "sample %s %d", f->name, n);
        return json_string(buf);
    }
    if (t == &FT_EMAIL) {
        snprintf(buf, sizeof buf, "p%d.%s@example.com", n, f->name);
        return json_string(buf);
    }
    if (t == &FT_URL)
        return json_string("https://example.com/x");
    if (t == &FT_PHONE)
        return json_string("+1 (555) 010-0100");
    if (t == &FT_SLUG) {
        snprintf(buf, sizeof buf, "key_%d", n);
        return json_string(buf);
    }
    if (t == &FT_ENUM)
        return json_string(f->values[1] ? f->values[1] : f->values[0]);
    if (t == &FT_INT)
        return json_integer(f->max ? f->max : 7);
    if (t == &FT_BOOL)
        return json_true();
    if (t == &FT_DATE)
        return json_string("2026-01-31");
    if (t == &FT_DATETIME)
        return json_string("2026-01-31T09:00:00Z");
    if (t == &FT_TAGS && f->values) /* a closed list (a webhook's events) */
        return json_pack("[s,s]", f->values[0], f->values[1]);
    if (t == &FT_TAGS)
        return json_pack("[s,s]", "alpha", "beta");
    if (t == &FT_PASSWORD)
        return json_string("a-long-password");
    if (t == &FT_JSON_ARRAY && !strcmp(f->name, "steps"))
        return json_pack("[{s:s,s:s,s:i}]", "title", "Kickoff call", "kind", "call", "offset_days", 2);
    if (t == &FT_JSON || t == &FT_JSON_ARRAY)
        return f->def ? json_loads(f->def, JSON_DECODE_ANY, NULL) : t == &FT_JSON ? json_object() : json_array();
    if (t == &FT_MONEY)
        return json_string("1250.50");
    if (t == &FT_CURRENCY)
        return json_string("EUR");
    if (t == &FT_REF) {
        int k = index_of(entity_by_name(f->ref));
        if (!strcmp(f->ref, "users"))
            return json_string(owner.user_id);
        return last_id[k][0] ? json_string(last_id[k]) : NULL;
    }
    return NULL;
}

static void every_entity_round_trips(void **state)
{
    (void)state;
    for (int i = 0; i < entity_count; i++) {
        const entity *en = entity_table[i];
        if (!(en->ops & OP_CREATE))
            continue;
        err_t e;
        json_t *body = json_object();
        for (int f = 0; f < en->nfields; f++) {
            const field *fd = &en->fields[f];
            if (fd->flags & (F_READONLY | F_HIDDEN))
                continue;
            if (en == entity_by_name("custom_fields") && !strcmp(fd->name, "options"))
                continue; /* the sampled type is not select */
            if (en == entity_by_name("tickets") && !strcmp(fd->name, "resolved_at"))
                continue; /* the sampled status is answered, and only a resolved ticket has a resolved time */
            json_t *v = sample(fd, i);
            if (en == entity_by_name("deals") && !strcmp(fd->name, "stage")) { /* one of the workspace's stages */
                json_decref(v);
                v = sample(fd, index_of(entity_by_name("deal_stages")));
            }
            if (en == entity_by_name("tokens") && !strcmp(fd->name, "expires_at")) { /* only a future expiry */
                json_decref(v);
                v = json_string("2099-01-31T09:00:00Z");
            }
            if (en == entity_by_name("invoices") && !strcmp(fd->name, "paid_on")) { /* it would pay the invoice */
                json_decref(v);
                v = NULL;
            }
            if (v)
                json_object_set_new(body, fd->name, v);
        }
        strbuf out = STRBUF_INIT;
        if (record_create(d, &owner, en, body, &out, &e) < 0)
            fail_msg("create %s: %s (%s)", en->name, e.message, e.field);
        json_t *rec = json_loads(out.buf, 0, NULL);
        assert_non_null(rec);
        const char *id = json_string_value(json_object_get(rec, "id"));
        snprintf(last_id[i], ID_MAX, "%s", id);
        assert_int_equal(json_integer_value(json_object_get(rec, "version")), 1);

        /* every field sent comes back as sent; write-only ones never come back */
        const char *key;
        json_t *v;
        json_object_foreach(body, key, v) {
            const field *fd = entity_field(en, key);
            if (fd->flags & F_WRITEONLY) {
                assert_null(json_object_get(rec, key));
                continue;
            }
            if (!json_equal(v, json_object_get(rec, key)))
                fail_msg("%s.%s did not round-trip", en->name, key);
        }
        /* get returns the same JSON as create */
        strbuf got = STRBUF_INIT;
        assert_int_equal(record_get(d, &owner, en, id, &got, &e), 0);
        json_t *rec2 = json_loads(got.buf, 0, NULL);
        json_object_del(rec, "token"); /* shown once, on create */
        json_object_del(rec, "secret"); /* a webhook's signing secret: shown once too */
        assert_true(json_equal(rec, rec2));

        /* each filter finds it */
        for (int f = 0; f < en->nfields; f++) {
            const field *fd = &en->fields[f];
            json_t *fv = json_object_get(body, fd->name);
            if (!(fd->flags & F_FILTER) || !fv)
                continue;
            list_query q;
            list_query_init(&q);
            const char *text = json_is_string(fv) ? json_string_value(fv)
                               : json_is_array(fv) ? json_string_value(json_array_get(fv, 0))
                               : json_is_true(fv)  ? "true"
                                                   : "7";
            assert_int_equal(list_query_set(en, &q, fd->name, text, &e), 0);
            strbuf page = STRBUF_INIT;
            assert_int_equal(record_list(d, &owner, en, &q, &page, &e), 0);
            if (!strstr(page.buf, id))
                fail_msg("filter %s.%s=%s does not find the record", en->name, fd->name, text);
            strbuf_release(&page);
            list_query_clear(&q);
        }

        if (en->ops & OP_UPDATE) {
            /* a stale version changes nothing; the right one bumps it */
            json_t *patch = json_pack("{s:i}", "version", 99);
            strbuf upd = STRBUF_INIT;
            assert_int_equal(record_update(d, &owner, en, id, patch, &upd, &e), E_VERSION_CONFLICT);
            json_object_set_new(patch, "version", json_integer(1));
            assert_int_equal(record_update(d, &owner, en, id, patch, &upd, &e), 0);
            json_t *after = json_loads(upd.buf, 0, NULL);
            assert_int_equal(json_integer_value(json_object_get(after, "version")), 2);
            json_decref(after);
            json_decref(patch);
            strbuf_release(&upd);
        }
        json_decref(rec);
        json_decref(rec2);
        json_decref(body);
        strbuf_release(&out);
        strbuf_release(&got);
    }
    /* delete in reverse, so references go before their targets */
    for (int i = entity_count - 1; i >= 0; i--) {
        const entity *en = entity_table[i];
        if (!(en->ops & OP_DELETE) || !last_id[i][0] || en == entity_by_name("users"))
            continue;
        err_t e;
        if (record_delete(d, &owner, en, last_id[i], &e) < 0)
            fail_msg("delete %s: %s", en->name, e.message);
        strbuf got = STRBUF_INIT;
        assert_int_equal(record_get(d, &owner, en, last_id[i], &got, &e), E_NOT_FOUND);
        strbuf_release(&got);
    }
}

static int create_json(const entity *en, const actor *who, const char *json, strbuf *out, err_t *e)
{
    json_t *body = json_loads(json, 0, NULL);
    int rc = record_create(d, who, en, body, out, e);
    json_decref(body);
    return rc;
}

static void validation_names_the_field(void **state)
{
    (void)state;
    const entity *clients = entity_by_name("clients");
    static const struct {
        const char *body;
        int code;
        const char *field;
    } cases[] = {
        {"{}", E_REQUIRED, "name"},
        {"{\"name\": null}", E_REQUIRED, "name"},
        {"{\"name\": \"\"}", E_REQUIRED, "name"},
        {"{\"name\": 5}", E_INVALID_TYPE, "name"},
        {"{\"name\": \"A\", \"stage\": \"gone\"}", E_INVALID_VALUE, "stage"},
        {"{\"name\": \"A\", \"colour\": \"red\"}", E_UNKNOWN_FIELD, "colour"},
        {"{\"name\": \"A\", \"id\": \"cli_x\"}", E_READ_ONLY, "id"},
        {"{\"name\": \"A\", \"version\": 3}", E_READ_ONLY, "version"},
        {"{\"name\": \"A\", \"email\": \"not-an-email\"}", E_INVALID_VALUE, "email"},
        {"{\"name\": \"A\", \"started_at\": \"yesterday\"}", E_INVALID_VALUE, "started_at"},
        {"{\"name\": \"A\", \"response_time_hours\": -1}", E_INVALID_VALUE, "response_time_hours"},
        {"{\"name\": \"A\", \"response_time_hours\": 1.5}", E_INVALID_TYPE, "response_time_hours"},
        {"{\"name\": \"A\", \"referred_by_id\": \"cli_01m83m7b85f4556snv4k2knf1g\"}", E_INVALID_REFERENCE,
         "referred_by_id"},
        {"{\"name\": \"A\", \"referred_by_id\": \"x'; DROP TABLE clients; --\"}", E_INVALID_REFERENCE, "referred_by_id"},
        {"{\"name\": \"A\", \"tags\": \"vip\"}", E_INVALID_TYPE, "tags"},
        {"{\"name\": \"A\", \"tags\": [\"\"]}", E_INVALID_VALUE, "tags"},
        {"{\"name\": \"A\", \"custom\": {\"nope\": 1}}", E_UNKNOWN_FIELD, "custom.nope"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err_t e;
        err_clear(&e);
        strbuf out = STRBUF_INIT;
        int rc = create_json(clients, &owner, cases[i].body, &out, &e);
        if (rc != cases[i].code || strcmp(e.field, cases[i].field))
            fail_msg("%s: got %d (%s: %s), want %d (%s)", cases[i].body, rc, e.field, e.message, cases[i].code,
                     cases[i].field);
        assert_int_equal(out.len, 0);
        strbuf_release(&out);
    }
}

static void stage_moves_set_the_dates(void **state)
{
    (void)state;
    setenv("RAPPORT_NOW", "2026-03-02T10:00:00Z", 1);
    clock_init();
    const entity *clients = entity_by_name("clients");
    err_t e;
    strbuf out = STRBUF_INIT;
    assert_int_equal(create_json(clients, &owner, "{\"name\": \"Lead Co\"}", &out, &e), 0);
    json_t *rec = json_loads(out.buf, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(rec, "stage")), "lead");
    assert_true(json_is_null(json_object_get(rec, "started_at")));
    char id[ID_MAX];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(rec, "id")));
    json_decref(rec);

    strbuf_reset(&out);
    json_t *patch = json_pack("{s:s,s:i}", "stage", "active", "version", 1);
    assert_int_equal(record_update(d, &owner, clients, id, patch, &out, &e), 0);
    rec = json_loads(out.buf, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(rec, "started_at")), "2026-03-02T10:00:00Z");
    json_decref(rec);
    json_decref(patch);

    setenv("RAPPORT_NOW", "2026-09-30T16:00:00Z", 1);
    clock_init();
    strbuf_reset(&out);
    patch = json_pack("{s:s,s:i}", "stage", "past", "version", 2);
    assert_int_equal(record_update(d, &owner, clients, id, patch, &out, &e), 0);
    rec = json_loads(out.buf, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(rec, "started_at")), "2026-03-02T10:00:00Z");
    assert_string_equal(json_string_value(json_object_get(rec, "ended_at")), "2026-09-30T16:00:00Z");
    json_decref(rec);
    json_decref(patch);
    strbuf_release(&out);
    unsetenv("RAPPORT_NOW");
    clock_init();
}

static void roles_and_workspaces_are_enforced(void **state)
{
    (void)state;
    const entity *clients = entity_by_name("clients");
    err_t e;
    strbuf out = STRBUF_INIT;
    actor viewer = owner;
    viewer.role = ROLE_VIEWER;
    assert_int_equal(create_json(clients, &viewer, "{\"name\": \"V\"}", &out, &e), E_FORBIDDEN);
    actor member = owner;
    member.role = ROLE_MEMBER;
    assert_int_equal(create_json(entity_by_name("users"), &member, "{\"email\": \"m@example.com\"}", &out, &e),
                     E_FORBIDDEN);
    actor admin = owner;
    admin.role = ROLE_ADMIN;
    assert_int_equal(
        create_json(entity_by_name("users"), &admin, "{\"email\": \"o2@example.com\", \"role\": \"owner\"}", &out, &e),
        E_FORBIDDEN);
    assert_string_equal(e.field, "role");

    actor other;
    assert_int_equal(workspace_create(d, "Other firm", "other@example.com", "other-password-1", &other, &e), 0);
    assert_int_equal(create_json(clients, &owner, "{\"name\": \"Mine\"}", &out, &e), 0);
    json_t *rec = json_loads(out.buf, 0, NULL);
    const char *id = json_string_value(json_object_get(rec, "id"));
    strbuf got = STRBUF_INIT;
    assert_int_equal(record_get(d, &other, clients, id, &got, &e), E_NOT_FOUND);
    assert_int_equal(record_delete(d, &other, clients, id, &e), E_NOT_FOUND);
    char body[200];
    snprintf(body, sizeof body, "{\"client_id\": \"%s\"}", id);
    assert_int_equal(create_json(entity_by_name("contacts"), &other, body, &got, &e), E_INVALID_REFERENCE);
    assert_string_equal(e.field, "client_id");
    json_decref(rec);
    strbuf_release(&out);
    strbuf_release(&got);
}

static void pages_cover_everything_once(void **state)
{
    (void)state;
    const entity *tags = entity_by_name("tags");
    err_t e;
    for (int i = 0; i < 23; i++) {
        char body[64];
        strbuf out = STRBUF_INIT;
        snprintf(body, sizeof body, "{\"name\": \"page-%02d\", \"color\": \"c%d\"}", i, i % 3);
        assert_int_equal(create_json(tags, &owner, body, &out, &e), 0);
        strbuf_release(&out);
    }
    static const char *const sorts[] = {"name", "-name", "color", "-created_at", "id"};
    for (size_t s = 0; s < sizeof sorts / sizeof sorts[0]; s++) {
        int seen = 0, pages = 0;
        char *cursor = NULL;
        char prev[64] = "";
        do {
            list_query q;
            list_query_init(&q);
            list_query_set(tags, &q, "limit", "5", &e);
            list_query_set(tags, &q, "sort", sorts[s], &e);
            if (cursor)
                assert_int_equal(list_query_set(tags, &q, "cursor", cursor, &e), 0);
            strbuf page = STRBUF_INIT;
            if (record_list(d, &owner, tags, &q, &page, &e) < 0)
                fail_msg("sort %s: %s", sorts[s], e.message);
            json_t *p = json_loads(page.buf, 0, NULL), *r;
            size_t i;
            json_array_foreach(json_object_get(p, "data"), i, r) {
                const char *name = json_string_value(json_object_get(r, "name"));
                if (!strncmp(name, "page-", 5)) {
                    seen++;
                    if (!strcmp(sorts[s], "name"))
                        assert_true(strcmp(prev, name) < 0);
                    snprintf(prev, sizeof prev, "%s", name);
                }
            }
            free(cursor);
            const char *next = json_string_value(json_object_get(p, "next_cursor"));
            cursor = next ? strdup(next) : NULL;
            json_decref(p);
            strbuf_release(&page);
            list_query_clear(&q);
            pages++;
        } while (cursor && pages < 100);
        if (seen != 23)
            fail_msg("sort %s: saw %d of 23 across %d pages", sorts[s], seen, pages);
    }
    list_query q;
    list_query_init(&q);
    assert_int_equal(list_query_set(tags, &q, "limit", "501", &e), E_INVALID_PARAMETER);
    assert_int_equal(list_query_set(tags, &q, "limit", "0", &e), E_INVALID_PARAMETER);
    assert_int_equal(list_query_set(tags, &q, "sort", "secret", &e), E_INVALID_PARAMETER);
    assert_int_equal(list_query_set(tags, &q, "nope", "1", &e), E_INVALID_PARAMETER);
    assert_string_equal(e.field, "nope");
    list_query_set(tags, &q, "cursor", "bm90IGEgY3Vyc29y", &e);
    strbuf page = STRBUF_INIT;
    assert_int_equal(record_list(d, &owner, tags, &q, &page, &e), E_INVALID_PARAMETER);
    assert_string_equal(e.field, "cursor");
    strbuf_release(&page);
    list_query_clear(&q);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_entity_round_trips),
        cmocka_unit_test(validation_names_the_field),
        cmocka_unit_test(stage_moves_set_the_dates),
        cmocka_unit_test(roles_and_workspaces_are_enforced),
        cmocka_unit_test(pages_cover_everything_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
