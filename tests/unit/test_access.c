/* Unit tests of core/access: the one check, every role × operation × entity of the table; self-scoped
 * rows (tokens); a client-scoped actor reading and writing only its client's rows, through the generic
 * record calls and the views across entities; and the check's two forms (on a JSON row, as SQL) agreeing
 * row by row. On a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "core/engine/record.h"
#include "core/engine/search.h"
#include "core/practice/lifecycle.h"
#include "unit_db.h"

static char path[] = "/tmp/rapport-access-XXXXXX";
static db *d;
static actor owner, member, admin, scoped, portal;
static char client_a[ID_MAX], client_b[ID_MAX], contact_a[ID_MAX], contact_b[ID_MAX];

/* Creates a record as the owner from JSON text; its id into id_out (when given). */
static void make(const char *entity_name, const char *json, char *id_out)
{
    json_t *body = json_loads(json, 0, NULL);
    assert_non_null(body);
    strbuf out = STRBUF_INIT;
    err_t e;
    int rc = record_create(d, &owner, entity_by_name(entity_name), body, &out, &e);
    if (rc)
        fail_msg("create %s: %s", entity_name, e.message);
    json_t *rec = json_loads(out.buf, 0, NULL);
    if (id_out)
        snprintf(id_out, ID_MAX, "%s", json_string_value(json_object_get(rec, "id")));
    json_decref(rec);
    json_decref(body);
    strbuf_release(&out);
}

static void make_user(const char *email, const char *role, actor *out)
{
    char buf[256], id[ID_MAX];
    snprintf(buf, sizeof buf, "{\"email\":\"%s\",\"role\":\"%s\",\"password\":\"long-enough-pass-1\"}", email, role);
    make("users", buf, id);
    *out = owner;
    snprintf(out->user_id, sizeof out->user_id, "%s", id);
    out->role = role_parse(role);
}

static int setup(void **state)
{
    (void)state;
    if (unit_db_open(path, "Access firm", &d, &owner) < 0)
        return -1;
    make_user("member@example.com", "member", &member);
    make_user("admin@example.com", "admin", &admin);
    char buf[512];
    make("clients", "{\"name\":\"Alpha Quokka\",\"stage\":\"active\"}", client_a);
    make("clients", "{\"name\":\"Beta Quokka\",\"stage\":\"active\"}", client_b);
    const char *clients[] = {client_a, client_b};
    char *contacts[] = {contact_a, contact_b};
    for (int i = 0; i < 2; i++) {
        snprintf(buf, sizeof buf, "{\"client_id\":\"%s\",\"first_name\":\"Quokka%d\"}", clients[i], i);
        make("contacts", buf, contacts[i]);
        snprintf(buf, sizeof buf, "{\"client_id\":\"%s\",\"type\":\"note\",\"summary\":\"quokka talk %d\"}", clients[i], i);
        make("interactions", buf, NULL);
        snprintf(buf, sizeof buf, "{\"client_id\":\"%s\",\"title\":\"quokka task %d\"}", clients[i], i);
        make("tasks", buf, NULL);
    }
    snprintf(buf, sizeof buf, "{\"name\":\"member-tok\",\"user_id\":\"%s\"}", member.user_id);
    make("tokens", buf, NULL);
    snprintf(buf, sizeof buf, "{\"name\":\"admin-tok\",\"user_id\":\"%s\"}", admin.user_id);
    make("tokens", buf, NULL);
    /* a member of the firm limited to client A, and a client's contact on the portal */
    scoped = member;
    snprintf(scoped.client_id, sizeof scoped.client_id, "%s", client_a);
    portal = owner;
    portal.role = ROLE_VIEWER;
    portal.kind = PRINCIPAL_CLIENT_CONTACT;
    snprintf(portal.user_id, sizeof portal.user_id, "%s", contact_a);
    snprintf(portal.client_id, sizeof portal.client_id, "%s", client_a);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unit_db_remove(d, path);
    return 0;
}

/* Every role × operation × entity of the table: what the check says is what the table says. */
static void every_role_op_entity_follows_the_table(void **state)
{
    (void)state;
    static const int roles[] = {ROLE_NONE, ROLE_VIEWER, ROLE_MEMBER, ROLE_ADMIN, ROLE_OWNER};
    static const int ops[] = {OP_LIST, OP_GET, OP_CREATE, OP_UPDATE, OP_DELETE};
    for (int i = 0; i < entity_count; i++) {
        const entity *en = entity_table[i];
        for (int r = 0; r < 5; r++) {
            for (int o = 0; o < 5; o++) {
                actor who = owner;
                who.role = roles[r];
                int read = ops[o] == OP_LIST || ops[o] == OP_GET;
                int want = !(en->ops & ops[o]) ? E_METHOD_NOT_ALLOWED
                           : roles[r] < (read ? en->read_role : en->write_role) ? E_FORBIDDEN
                                                                               : 0;
                err_t e;
                int got = access_check(&who, en, ops[o], NULL, &e);
                if (got != want)
                    fail_msg("%s, role %d, op %d: %d, want %d", en->name, roles[r], ops[o], got, want);
                assert_int_equal(access_may(&who, en, ops[o]), want == 0);
                who.role = ROLE_SYSTEM; /* the program itself passes every check */
                assert_int_equal(access_check(&who, en, ops[o], NULL, &e), 0);
            }
        }
    }
    /* and a few facts the table states, written out so a changed table is noticed here too */
    err_t e;
    actor viewer = owner;
    viewer.role = ROLE_VIEWER;
    assert_int_equal(access_check(&viewer, entity_by_name("clients"), OP_CREATE, NULL, &e), E_FORBIDDEN);
    assert_int_equal(access_check(&viewer, entity_by_name("tokens"), OP_CREATE, NULL, &e), 0);
    assert_int_equal(access_check(&member, entity_by_name("users"), OP_CREATE, NULL, &e), E_FORBIDDEN);
    assert_int_equal(access_check(&member, entity_by_name("audit"), OP_LIST, NULL, &e), E_FORBIDDEN);
    assert_int_equal(access_check(&admin, entity_by_name("audit"), OP_LIST, NULL, &e), 0);
    assert_int_equal(access_check(&admin, entity_by_name("workspaces"), OP_UPDATE, NULL, &e), E_FORBIDDEN);
    assert_int_equal(access_check(&owner, entity_by_name("audit"), OP_DELETE, NULL, &e), E_METHOD_NOT_ALLOWED);
}

static json_t *row_of(const char *json)
{
    json_t *j = json_loads(json, 0, NULL);
    assert_non_null(j);
    return j;
}

/* Tokens show roles below admin their own rows only; writing another's is refused naming the field. */
static void self_scoped_rows(void **state)
{
    (void)state;
    const entity *tokens = entity_by_name("tokens");
    char buf[256];
    err_t e;
    snprintf(buf, sizeof buf, "{\"user_id\":\"%s\"}", admin.user_id);
    json_t *others = row_of(buf);
    snprintf(buf, sizeof buf, "{\"user_id\":\"%s\"}", member.user_id);
    json_t *own = row_of(buf);
    assert_int_equal(access_check(&member, tokens, OP_GET, others, &e), E_NOT_FOUND);
    assert_int_equal(access_check(&member, tokens, OP_DELETE, others, &e), E_NOT_FOUND);
    assert_int_equal(access_check(&member, tokens, OP_CREATE, others, &e), E_FORBIDDEN);
    assert_string_equal(e.field, "user_id");
    assert_int_equal(access_check(&member, tokens, OP_GET, own, &e), 0);
    assert_int_equal(access_check(&admin, tokens, OP_GET, own, &e), 0);
    json_decref(others);
    json_decref(own);

    strbuf out = STRBUF_INIT;
    list_query q;
    list_query_init(&q);
    q.limit = 100;
    assert_int_equal(record_list(d, &member, tokens, &q, &out, &e), 0);
    json_t *list = json_loads(out.buf, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(list, "data")), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(list, "data"), 0), "name")),
                        "member-tok");
    json_decref(list);
    strbuf_reset(&out);
    assert_int_equal(record_list(d, &admin, tokens, &q, &out, &e), 0);
    list = json_loads(out.buf, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(list, "data")), 2);
    json_decref(list);
    strbuf_release(&out);
    list_query_clear(&q);
}

/* ids of en's rows in the list answer (up to 500) */
static json_t *list_ids(const actor *who, const entity *en, int *rc)
{
    strbuf out = STRBUF_INIT;
    list_query q;
    list_query_init(&q);
    q.limit = 500;
    err_t e;
    *rc = record_list(d, who, en, &q, &out, &e);
    json_t *ids = json_object();
    if (*rc == 0) {
        json_t *list = json_loads(out.buf, 0, NULL), *r;
        size_t i;
        json_array_foreach(json_object_get(list, "data"), i, r) {
            json_object_set_new(ids, json_string_value(json_object_get(r, "id")), json_true());
        }
        json_decref(list);
    }
    strbuf_release(&out);
    list_query_clear(&q);
    return ids;
}

/* A client-scoped actor reads and writes only its client's rows, whatever the entry point. */
static void client_scope_reads_only_its_client(void **state)
{
    (void)state;
    err_t e;
    int rc;
    const entity *clients = entity_by_name("clients"), *contacts = entity_by_name("contacts");
    const actor *both[] = {&scoped, &portal};
    for (int k = 0; k < 2; k++) {
        const actor *who = both[k];
        json_t *ids = list_ids(who, clients, &rc);
        assert_int_equal(rc, 0);
        assert_int_equal(json_object_size(ids), 1);
        assert_non_null(json_object_get(ids, client_a));
        json_decref(ids);
        ids = list_ids(who, contacts, &rc);
        assert_int_equal(json_object_size(ids), 1);
        assert_non_null(json_object_get(ids, contact_a));
        json_decref(ids);
        strbuf out = STRBUF_INIT;
        assert_int_equal(record_get(d, who, contacts, contact_a, &out, &e), 0);
        assert_int_equal(record_get(d, who, contacts, contact_b, &out, &e), E_NOT_FOUND);
        assert_int_equal(record_get(d, who, clients, client_b, &out, &e), E_NOT_FOUND);
        /* entities that belong to no client are the firm's alone */
        assert_int_equal(access_check(who, entity_by_name("users"), OP_LIST, NULL, &e), E_FORBIDDEN);
        assert_int_equal(access_check(who, entity_by_name("deal_stages"), OP_GET, NULL, &e), E_FORBIDDEN);
        /* no totals over every client */
        assert_int_equal(access_whole(who, clients, OP_LIST, &e), E_FORBIDDEN);
        /* the views across entities: the other client's timeline does not exist, its own holds only its rows */
        strbuf_reset(&out);
        assert_int_equal(timeline_page(d, who, client_b, 50, NULL, NULL, &out, &e), E_NOT_FOUND);
        strbuf_reset(&out);
        assert_int_equal(timeline_page(d, who, client_a, 50, NULL, NULL, &out, &e), 0);
        json_t *tl = json_loads(out.buf, 0, NULL), *it;
        size_t i;
        assert_true(json_array_size(json_object_get(tl, "data")) >= 2);
        json_array_foreach(json_object_get(tl, "data"), i, it) {
            assert_string_equal(json_string_value(json_object_get(json_object_get(it, "record"), "client_id")), client_a);
        }
        json_decref(tl);
        strbuf_reset(&out);
        assert_int_equal(search_all(d, who, "quokka", 50, &out, &e), 0);
        json_t *found = json_loads(out.buf, 0, NULL);
        assert_true(json_array_size(json_object_get(found, "data")) >= 2);
        assert_null(strstr(out.buf, "Beta") ? "Beta" : NULL);
        assert_null(strstr(out.buf, contact_b));
        json_decref(found);
        strbuf_reset(&out);
        assert_int_equal(checkins_due(d, who, NULL, 100, &out, &e), 0);
        assert_null(strstr(out.buf, client_b));
        strbuf_release(&out);
    }
    /* writes: the member limited to A adds to A, not to B; it cannot make clients */
    char buf[256];
    strbuf out = STRBUF_INIT;
    snprintf(buf, sizeof buf, "{\"client_id\":\"%s\",\"first_name\":\"Into B\"}", client_b);
    json_t *body = json_loads(buf, 0, NULL);
    assert_int_equal(record_create(d, &scoped, contacts, body, &out, &e), E_FORBIDDEN);
    assert_string_equal(e.field, "client_id");
    json_decref(body);
    snprintf(buf, sizeof buf, "{\"client_id\":\"%s\",\"first_name\":\"Into A\"}", client_a);
    body = json_loads(buf, 0, NULL);
    assert_int_equal(record_create(d, &scoped, contacts, body, &out, &e), 0);
    json_decref(body);
    body = json_loads("{\"name\":\"New Co\"}", 0, NULL);
    assert_int_equal(record_create(d, &scoped, clients, body, &out, &e), E_FORBIDDEN);
    json_decref(body);
    /* moving A's contact to B is a write outside the scope */
    snprintf(buf, sizeof buf, "{\"version\":1,\"client_id\":\"%s\"}", client_b);
    body = json_loads(buf, 0, NULL);
    assert_int_equal(record_update(d, &scoped, contacts, contact_a, body, &out, &e), E_FORBIDDEN);
    json_decref(body);
    assert_int_equal(record_delete(d, &scoped, contacts, contact_b, &e), E_NOT_FOUND);
    /* the portal's contact is a viewer: it writes nothing */
    snprintf(buf, sizeof buf, "{\"client_id\":\"%s\",\"first_name\":\"Portal\"}", client_a);
    body = json_loads(buf, 0, NULL);
    assert_int_equal(record_create(d, &portal, contacts, body, &out, &e), E_FORBIDDEN);
    json_decref(body);
    /* a portal principal without its client sees nothing at all */
    actor lost = portal;
    lost.client_id[0] = '\0';
    assert_int_equal(access_check(&lost, contacts, OP_LIST, NULL, &e), E_FORBIDDEN);
    strbuf sql = STRBUF_INIT;
    const char *args[ACCESS_SCOPE_MAX];
    access_scope_sql(&lost, contacts, "r", &sql, args);
    assert_non_null(strstr(sql.buf, "1 = 0"));
    strbuf_release(&sql);
    strbuf_release(&out);
}

/* The check on a row and the SQL scope are one rule: for every row of every entity, the row passes
 * access_check exactly when the actor's list (scoped by SQL) holds it. */
static void row_check_and_sql_scope_agree(void **state)
{
    (void)state;
    const actor *actors[] = {&owner, &member, &admin, &scoped, &portal};
    actor sys = owner;
    sys.role = ROLE_SYSTEM;
    for (int i = 0; i < entity_count; i++) {
        const entity *en = entity_table[i];
        if (!(en->ops & OP_LIST))
            continue;
        strbuf out = STRBUF_INIT;
        list_query q;
        list_query_init(&q);
        q.limit = 500;
        err_t e;
        assert_int_equal(record_list(d, &sys, en, &q, &out, &e), 0);
        json_t *all = json_loads(out.buf, 0, NULL), *row;
        for (int a = 0; a < 5; a++) {
            if (!access_may(actors[a], en, OP_LIST))
                continue;
            int rc;
            json_t *seen = list_ids(actors[a], en, &rc);
            assert_int_equal(rc, 0);
            size_t k;
            json_array_foreach(json_object_get(all, "data"), k, row) {
                const char *id = json_string_value(json_object_get(row, "id"));
                int by_row = access_check(actors[a], en, OP_GET, row, &e) == 0;
                int by_sql = json_object_get(seen, id) != NULL;
                if (by_row != by_sql)
                    fail_msg("%s %s, actor %d: row check %d, SQL scope %d", en->name, id, a, by_row, by_sql);
            }
            json_decref(seen);
        }
        json_decref(all);
        strbuf_release(&out);
        list_query_clear(&q);
    }
}

/* The views across entities decide access in core, so every caller (the CLI too) is refused alike. */
static void views_refuse_in_core(void **state)
{
    (void)state;
    actor none = owner;
    none.role = ROLE_NONE;
    strbuf out = STRBUF_INIT;
    err_t e;
    assert_int_equal(timeline_page(d, &none, client_a, 50, NULL, NULL, &out, &e), E_FORBIDDEN);
    assert_int_equal(checkins_due(d, &none, NULL, 100, &out, &e), E_FORBIDDEN);
    assert_int_equal(today_report(d, &none, 1, &out, &e), E_FORBIDDEN);
    assert_int_equal(search_all(d, &none, "quokka", 50, &out, &e), 0);
    assert_string_equal(out.buf + strlen(out.buf) - 10, "\"data\":[]}");
    strbuf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_role_op_entity_follows_the_table),
        cmocka_unit_test(self_scoped_rows),
        cmocka_unit_test(client_scope_reads_only_its_client),
        cmocka_unit_test(row_check_and_sql_scope_agree),
        cmocka_unit_test(views_refuse_in_core),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
