/* Unit tests of api/openapi: the document written from the route and entity tables is whole — every
 * reference resolves, every operation has its own operationId, path parameters and a 4xx answer, no path
 * is generic — and fields have their real shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/openapi.h"
#include "core/bulk/import.h"
#include "core/model/entity.h"

static json_t *doc;

static int load(void **state)
{
    (void)state;
    entity_init();
    strbuf out = STRBUF_INIT;
    if (openapi_write(&out, "http://127.0.0.1:8080", 0) < 0)
        return -1;
    doc = json_loads(out.buf, 0, NULL);
    strbuf_release(&out);
    return doc ? 0 : -1;
}

static int unload(void **state)
{
    (void)state;
    json_decref(doc);
    return 0;
}

/* "#/components/schemas/Client" → the node, or NULL */
static json_t *resolve(const char *ref)
{
    if (strncmp(ref, "#/", 2))
        return NULL;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", ref + 2);
    json_t *node = doc;
    for (char *save = NULL, *part = strtok_r(buf, "/", &save); part && node; part = strtok_r(NULL, "/", &save))
        node = json_object_get(node, part);
    return node;
}

static void check_refs(json_t *node, int *count)
{
    if (json_is_object(node)) {
        const char *key;
        json_t *v;
        json_object_foreach(node, key, v)
        {
            if (!strcmp(key, "$ref")) {
                (*count)++;
                if (!resolve(json_string_value(v)))
                    fail_msg("$ref %s does not resolve", json_string_value(v));
            } else {
                check_refs(v, count);
            }
        }
    } else if (json_is_array(node)) {
        size_t i;
        json_t *v;
        json_array_foreach(node, i, v) check_refs(v, count);
    }
}

static void every_reference_resolves(void **state)
{
    (void)state;
    int count = 0;
    check_refs(doc, &count);
    assert_true(count > 100);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(doc, "servers"), 0), "url")),
                        "http://127.0.0.1:8080");
}

static void every_operation_is_whole(void **state)
{
    (void)state;
    json_t *paths = json_object_get(doc, "paths"), *ids = json_object();
    const char *path, *method;
    json_t *item, *op;
    int ops = 0;
    json_object_foreach(paths, path, item)
    {
        if (strstr(path, "{entity}"))
            fail_msg("%s: generic paths are written out per entity", path);
        json_object_foreach(item, method, op)
        {
            ops++;
            const char *id = json_string_value(json_object_get(op, "operationId"));
            if (!id)
                fail_msg("%s %s has no operationId", method, path);
            if (json_object_get(ids, id))
                fail_msg("operationId %s is used twice", id);
            json_object_set_new(ids, id, json_true());
            const char *code;
            json_t *answer;
            int has_4xx = 0;
            json_object_foreach(json_object_get(op, "responses"), code, answer) has_4xx |= code[0] == '4';
            if (!has_4xx)
                fail_msg("%s %s has no 4xx answer", method, path);
            /* each {name} in the path is declared as a path parameter */
            for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
                size_t n = (size_t)(strchr(p, '}') - p - 1), i;
                json_t *prm;
                int found = 0;
                json_array_foreach(json_object_get(op, "parameters"), i, prm)
                {
                    const char *name = json_string_value(json_object_get(prm, "name"));
                    found |= !strcmp(json_string_value(json_object_get(prm, "in")), "path") && strlen(name) == n &&
                             !strncmp(name, p + 1, n);
                }
                if (!found)
                    fail_msg("%s %s does not declare its path parameter %.*s", method, path, (int)n, p + 1);
            }
        }
    }
    /* the expansion: one operation per documented route and entity that offers it */
    int want = 0;
    for (int i = 0; i < api_route_count; i++) {
        if (api_routes[i].flags & R_UNDOCUMENTED)
            continue;
        if (!strstr(api_routes[i].pattern, "{entity}")) {
            want++;
            continue;
        }
        for (int k = 0; k < entity_count; k++)
            want += (api_routes[i].flags & R_CSV) ? import_allowed_entity(entity_table[k])
                                                  : (entity_table[k]->ops & api_routes[i].entity_op) != 0;
    }
    json_t *clients = json_object_get(paths, "/api/v1/clients");
    assert_string_equal(json_string_value(json_object_get(json_object_get(clients, "get"), "operationId")),
                        "listClients");
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(json_object_get(paths, "/api/v1/change-requests/{id}"), "get"), "operationId")),
        "getChangeRequest");
    assert_int_equal(ops, want);
    json_decref(ids);
}

static json_t *property(const char *schema, const char *name)
{
    json_t *s = json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"), schema);
    json_t *p = json_object_get(json_object_get(s, "properties"), name);
    if (!p)
        fail_msg("%s has no property %s", schema, name);
    return p;
}

static const char *type_of(json_t *schema) { return json_string_value(json_object_get(schema, "type")); }

static void fields_have_their_real_shape(void **state)
{
    (void)state;
    assert_string_equal(type_of(property("Client", "tags")), "array");
    assert_string_equal(type_of(json_object_get(property("Client", "tags"), "items")), "string");
    assert_string_equal(type_of(property("Workspace", "holidays")), "array");
    assert_string_equal(type_of(property("Workspace", "business_hours")), "object");
    assert_string_equal(type_of(property("OnboardingTemplate", "steps")), "array");
    /* and inside them, from answers.json's <Entity>Extras, in answers and inputs alike */
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(property("Workspace", "holidays"), "items"), "format")),
        "date");
    assert_string_equal(type_of(json_object_get(property("OnboardingTemplateCreate", "steps"), "items")), "object");
    assert_null(json_object_get(
        json_object_get(json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"), "ClientCreate"),
                        "properties"),
        "attention"));
    assert_string_equal(type_of(property("Client", "channels")), "object");
    json_t *value = property("Deal", "value");
    assert_string_equal(type_of(value), "string");
    assert_non_null(json_object_get(value, "pattern"));
    assert_string_equal(json_string_value(json_object_get(property("Interaction", "occurred_at"), "format")),
                        "date-time");
    assert_string_equal(json_string_value(json_object_get(property("Project", "due_date"), "format")), "date");
    /* labels and flags, for forms */
    json_t *name = property("Client", "name");
    assert_string_equal(json_string_value(json_object_get(name, "x-label")), "Name");
    assert_true(json_is_true(json_object_get(name, "x-required-on-create")));
    assert_true(json_is_true(json_object_get(name, "x-listed")));
    assert_true(json_is_true(json_object_get(name, "x-searchable")));
    assert_true(json_is_true(json_object_get(property("Client", "stage"), "x-filterable")));
    assert_string_equal(json_string_value(json_object_get(property("Client", "owner_id"), "x-references")), "users");
    /* keys the rules add beyond the fields */
    assert_string_equal(type_of(property("Client", "attention")), "object");
    assert_true(json_is_true(json_object_get(property("Token", "token"), "readOnly")));
    /* what a POST and a PATCH take */
    json_t *create = json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"), "ClientCreate");
    assert_non_null(create);
    assert_int_equal(json_array_size(json_object_get(create, "required")), 1);
    assert_null(json_object_get(json_object_get(create, "properties"), "created_at"));
    assert_non_null(property("ClientUpdate", "version"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_reference_resolves),
        cmocka_unit_test(every_operation_is_whole),
        cmocka_unit_test(fields_have_their_real_shape),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
