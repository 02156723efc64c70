/* The permission matrix, generated from the route table: every route (each {entity} expanded to every
 * entity offering that operation) × every role (owner, admin, member, viewer, none) × own workspace
 * and another's, driven through the real pipeline (http_dispatch: route, authenticate, parse, handler)
 * against a real database. A cell passes when:
 *   - no credentials: 401 (public routes: answered, never 401/403);
 *   - a role below what the route needs: 403;
 *   - a record of another workspace: 404, and a DELETE leaves it in place; a list never shows it;
 *   - otherwise the request passes the gate: not 401, 403 or 5xx (validation may still refuse the
 *     deliberately empty bodies, so no cell changes data it should not).
 * What a route needs comes from the entity table (read_role, write_role); routes beyond the generic
 * ones name their entity and operation in NEEDS below, and a route missing there fails the test: a
 * new route cannot ship unchecked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/access/auth.h"
#include "core/bulk/demo.h"
#include "core/bulk/import.h"
#include "core/engine/record.h"
#include "http/http.h"
#include "unit_db.h"

/* The entity and operation whose role a non-generic route needs (entity NULL: any signed-in role). */
static const struct need {
    const char *pattern, *method, *entity;
    int op;
    const char *body; /* a body that passes validation, so the cell reaches the access checks; "{template}"
                       * stands for an onboarding template of the caller's workspace */
} NEEDS[] = {
    {"/api/v1/charts/health-bands", "GET", "clients", OP_LIST, NULL},
    {"/api/v1/charts/response-times", "GET", "tickets", OP_LIST, NULL},
    {"/api/v1/charts/retention", "GET", "clients", OP_LIST, NULL},
    {"/api/v1/charts/revenue", "GET", "invoices", OP_LIST, NULL},
    {"/api/v1/check-ins/due", "GET", "clients", OP_LIST, NULL},
    {"/api/v1/clients/{id}/health", "GET", "clients", OP_GET, NULL},
    {"/api/v1/clients/{id}/latency", "GET", "interactions", OP_LIST, NULL},
    {"/api/v1/clients/{id}/onboarding", "GET", "clients", OP_GET, NULL},
    {"/api/v1/clients/{id}/onboarding", "POST", "tasks", OP_CREATE, "{\"template_id\":\"{template}\"}"},
    {"/api/v1/clients/{id}/revenue", "GET", "invoices", OP_LIST, NULL},
    {"/api/v1/clients/{id}/timeline", "GET", "clients", OP_GET, NULL},
    {"/api/v1/duplicates", "GET", "clients", OP_LIST, NULL},
    {"/api/v1/feedback/{id}/acted-on", "POST", "feedback", OP_UPDATE, "{\"action_note\":\"called them\"}"},
    {"/api/v1/health/at-risk", "GET", "clients", OP_LIST, NULL},
    {"/api/v1/imports", "GET", "clients", OP_LIST, NULL},
    {"/api/v1/imports/{id}", "DELETE", "clients", OP_CREATE, NULL},
    {"/api/v1/imports/{id}", "GET", "clients", OP_LIST, NULL},
    {"/api/v1/interactions/{id}/follow-up", "POST", "interactions", OP_GET, NULL},
    {"/api/v1/logout", "POST", NULL, 0, NULL},
    {"/api/v1/me", "GET", NULL, 0, NULL},
    {"/api/v1/merges", "POST", "clients", OP_DELETE, "{\"keep_id\":\"cli_00000000000000000000000000\",\"other_id\":\"cli_00000000000000000000000001\"}"},
    {"/api/v1/merges/{id}/undo", "POST", "clients", OP_DELETE, NULL},
    {"/api/v1/metrics", "GET", "clients", OP_LIST, NULL},
    {"/api/v1/onboarding", "GET", "tasks", OP_LIST, NULL},
    {"/api/v1/openapi.json", "GET", NULL, 0, NULL},
    {"/api/v1/outbox", "GET", "interactions", OP_LIST, NULL},
    {"/api/v1/outbox/{id}/approve", "POST", "interactions", OP_CREATE, NULL},
    {"/api/v1/pipeline", "GET", "deals", OP_LIST, NULL},
    {"/api/v1/projects/{id}/scope", "GET", "projects", OP_GET, NULL},
    {"/api/v1/revenue", "GET", "invoices", OP_LIST, NULL},
    {"/api/v1/search", "GET", NULL, 0, NULL},
    {"/api/v1/settings/email", "GET", "workspaces", OP_GET, NULL},
    {"/api/v1/settings/email", "PATCH", "workspaces", OP_UPDATE, NULL},
    {"/api/v1/settings/health", "GET", "workspaces", OP_GET, NULL},
    {"/api/v1/sla/breaches", "GET", "tickets", OP_LIST, NULL},
    {"/api/v1/templates/{id}/preview", "POST", "templates", OP_GET, NULL},
    {"/api/v1/today", "GET", "tasks", OP_LIST, NULL},
    {"/api/v1/webhooks/{id}/rotate-secret", "POST", "webhooks", OP_UPDATE, NULL},
    {"/api/v1/webhooks/{id}/test", "POST", "webhooks", OP_UPDATE, NULL},
};

static const char *const ROLE_NAMES[] = {"none", "viewer", "member", "admin", "owner"};

static char path_db[] = "/tmp/rapport-matrix-XXXXXX";
static db *d;
static actor owner_a, owner_b;
static char tokens[5][120]; /* workspace A's, by role */
static int cells, failures;

static void make_user(const char *email, const char *role)
{
    err_t e;
    strbuf out = STRBUF_INIT;
    json_t *body = json_pack("{s:s,s:s}", "email", email, "role", role);
    if (record_create(d, &owner_a, entity_by_name("users"), body, &out, &e) < 0)
        fail_msg("user %s: %s", email, e.message);
    json_decref(body);
    strbuf_release(&out);
}

static void make_token(const char *email, int role)
{
    err_t e;
    actor who;
    strbuf out = STRBUF_INIT;
    json_t *body = json_pack("{s:s}", "name", "matrix");
    if (auth_actor_by_email(d, email, &who, &e) < 0 || record_create(d, &who, entity_by_name("tokens"), body, &out, &e) < 0)
        fail_msg("token for %s: %s", email, e.message);
    json_t *rec = json_loads(out.buf, 0, NULL);
    snprintf(tokens[role], sizeof tokens[role], "Bearer %s", json_string_value(json_object_get(rec, "token")));
    json_decref(rec);
    json_decref(body);
    strbuf_release(&out);
}

static int setup(void **state)
{
    (void)state;
    err_t e;
    if (unit_db_open(path_db, "Firm A", &d, &owner_a) < 0 ||
        workspace_create(d, "Firm B", "owner-b@example.com", "owner-b-password-1", &owner_b, &e) < 0 ||
        demo_seed(d, &owner_a, &e) < 0 || demo_seed(d, &owner_b, &e) < 0)
        return -1;
    make_user("admin@example.com", "admin");
    make_user("member@example.com", "member");
    make_user("viewer@example.com", "viewer");
    make_token("owner@example.com", ROLE_OWNER);
    make_token("admin@example.com", ROLE_ADMIN);
    make_token("member@example.com", ROLE_MEMBER);
    make_token("viewer@example.com", ROLE_VIEWER);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unit_db_remove(d, path_db);
    return 0;
}

/* The id of one record of en in the workspace (into out, "" when it has none). */
static void some_id(const entity *en, const char *workspace, char out[ID_MAX])
{
    out[0] = '\0';
    char sql[200];
    /* not an owner: only an owner changes an owner (t2410 covers that), which is not the role gate; nor
     * someone's saved view (the demo's): only its owner or an admin changes it (rules_views.c) */
    int own = strcmp(workspace, owner_b.workspace_id) != 0;
    snprintf(sql, sizeof sql, "SELECT id FROM \"%s\" WHERE %s = ? %s ORDER BY id LIMIT 1", en->name,
             (en->flags & ENT_WORKSPACE_ROOT) ? "id" : "workspace_id",
             en == entity_by_name("users") && own   ? "AND role <> 'owner'"
             : en == entity_by_name("views") && own ? "AND user_id IS NULL"
                                                    : "");
    db_stmt *s;
    err_t e;
    const char *args[] = {workspace};
    if (db_query_row(d, &s, &e, sql, 1, args) == DB_ROW) {
        snprintf(out, ID_MAX, "%s", db_col_text(s, 0, NULL));
        db_finalize(s);
    }
}

static int still_there(const entity *en, const char *id)
{
    char sql[120];
    snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" WHERE id = ?", en->name);
    db_stmt *s;
    err_t e;
    const char *args[] = {id};
    int rc = db_query_row(d, &s, &e, sql, 1, args);
    if (rc == DB_ROW)
        db_finalize(s);
    return rc == DB_ROW;
}

static int op_of(const api_route *rt)
{
    int has_id = strstr(rt->pattern, "{id}") != NULL;
    if (!strcmp(rt->method, "GET"))
        return has_id ? OP_GET : OP_LIST;
    if (!strcmp(rt->method, "POST"))
        return OP_CREATE;
    return !strcmp(rt->method, "PATCH") ? OP_UPDATE : OP_DELETE;
}

static int importable(const entity *en) { return import_allowed_entity(en); }

/* Runs one cell and checks it. */
static void cell(const api_route *rt, const struct need *n, const entity *en, int need, int role, int other)
{
    const entity *id_en = en; /* whose record {id} names */
    if (!id_en && strstr(rt->pattern, "{id}")) {
        char seg[40];
        sscanf(rt->pattern, "/api/v1/%39[^/]", seg);
        id_en = entity_by_path(seg);
    }
    char id[ID_MAX] = "", path[300], fake[ID_MAX];
    int real = 0;
    if (id_en) {
        some_id(id_en, other ? owner_b.workspace_id : owner_a.workspace_id, id);
        snprintf(fake, sizeof fake, "%s_00000000000000000000000000", id_en->id_prefix);
        if (!id[0] || (!other && !strcmp(rt->method, "DELETE"))) /* own DELETEs never remove a real record */
            snprintf(id, sizeof id, "%s", fake);
        real = strcmp(id, fake) != 0;
    } else if (strstr(rt->pattern, "{id}")) { /* an id of no entity (an outbox message): one that exists nowhere */
        snprintf(id, sizeof id, "mail_00000000000000000000000000");
    }
    if (other && !strstr(rt->pattern, "{id}") && strcmp(rt->method, "GET"))
        return; /* a create or action without an id has no other workspace to reach */
    strbuf p = STRBUF_INIT;
    for (const char *s = rt->pattern; *s;) {
        if (!strncmp(s, "{entity}", 8))
            strbuf_adds(&p, en->path), s += 8;
        else if (!strncmp(s, "{id}", 4))
            strbuf_adds(&p, id), s += 4;
        else
            strbuf_addc(&p, *s++);
    }
    snprintf(path, sizeof path, "%s", p.buf);
    strbuf_release(&p);

    http_request r;
    http_request_init(&r);
    r.method = rt->method;
    r.path = path;
    r.db = d;
    r.client_addr = "192.0.2.1";
    if (role != ROLE_NONE)
        r.authorization = tokens[role];
    if (rt->flags & R_BODY)
        r.body = "{}", r.body_len = 2, r.content_type = "application/json";
    if (rt->flags & R_CSV)
        r.body = "name\n", r.body_len = 5, r.content_type = "text/csv", r.query = "dry_run=true";
    if (!strcmp(rt->method, "PATCH"))
        r.body = "{\"version\":999999}", r.body_len = strlen(r.body);
    char body[200];
    if (n && n->body) {
        char tpl[ID_MAX];
        some_id(entity_by_path("onboarding-templates"), owner_a.workspace_id, tpl);
        const char *at = strstr(n->body, "{template}");
        if (at)
            snprintf(body, sizeof body, "%.*s%s%s", (int)(at - n->body), n->body, tpl, at + 10);
        else
            snprintf(body, sizeof body, "%s", n->body);
        r.body = body, r.body_len = strlen(body);
    }
    http_dispatch(&r);
    int st = r.status, ok;
    const char *want;
    if (rt->flags & R_PUBLIC)
        ok = st != 401 && st != 403 && st < 500, want = "answered";
    else if (role == ROLE_NONE)
        ok = st == 401, want = "401";
    else if (role < need)
        ok = st == 403, want = "403";
    else if (other && strstr(rt->pattern, "{id}"))
        ok = st == 404, want = "404";
    else
        ok = st != 401 && st != 403 && st < 500, want = "past the gate";
    if (ok && other && !strcmp(rt->method, "DELETE") && real && !still_there(id_en, id))
        ok = 0, want = "the other workspace's record left in place";
    if (ok && !other && st == 200 && op_of(rt) == OP_LIST && en) { /* a list never shows another workspace */
        char theirs[ID_MAX];
        some_id(en, owner_b.workspace_id, theirs);
        if (theirs[0] && strstr(r.out.buf, theirs))
            ok = 0, want = "a list without the other workspace's records";
    }
    cells++;
    if (!ok) {
        failures++;
        print_message("cell %s %s as %s (%s workspace): got %d, want %s: %.200s\n", rt->method, path,
                      ROLE_NAMES[role], other ? "another" : "own", st, want, r.out.buf);
    }
    http_request_release(&r);
}

static const struct need *need_of(const api_route *rt)
{
    for (size_t i = 0; i < sizeof NEEDS / sizeof NEEDS[0]; i++)
        if (!strcmp(NEEDS[i].pattern, rt->pattern) && !strcmp(NEEDS[i].method, rt->method))
            return &NEEDS[i];
    return NULL;
}

static void every_route_every_role_both_workspaces(void **state)
{
    (void)state;
    for (int i = 0; i < api_route_count; i++) {
        const api_route *rt = &api_routes[i];
        int generic = strstr(rt->pattern, "{entity}") != NULL;
        const struct need *n = (rt->flags & R_PUBLIC) || generic ? NULL : need_of(rt);
        if (!(rt->flags & R_PUBLIC) && !generic && !n) {
            print_message("route %s %s is not in the permission matrix: add what it needs to NEEDS\n", rt->method,
                          rt->pattern);
            failures++;
            continue;
        }
        for (int k = 0; k < (generic ? entity_count : 1); k++) {
            const entity *en = generic ? entity_table[k] : NULL;
            int need = ROLE_VIEWER;
            if (generic) {
                int op = op_of(rt);
                if (!(en->ops & op) || (strstr(rt->pattern, "/import") && !importable(en)))
                    continue;
                need = (op == OP_LIST || op == OP_GET) ? en->read_role : en->write_role;
            } else if (n && n->entity) {
                const entity *ne = entity_by_name(n->entity);
                need = (n->op == OP_LIST || n->op == OP_GET) ? ne->read_role : ne->write_role;
            }
            for (int role = ROLE_NONE; role <= ROLE_OWNER; role++)
                for (int other = 0; other <= 1; other++)
                    cell(rt, n, en, need, role, other);
        }
    }
    print_message("%d cells checked, %d wrong\n", cells, failures);
    assert_int_equal(failures, 0);
    assert_true(cells > 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_route_every_role_both_workspaces),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
