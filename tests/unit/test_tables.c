/* Unit tests of the tables that drive the program: routes (their description and their handlers),
 * commands, entities. Each must be sorted where
 * it is searched, free of duplicates, and internally consistent (every reference names an entity). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <ctype.h>
#include <jansson.h>

#include "api/api.h"
#include "cmd/cmd.h"
#include "http/http.h"

static void routes_are_sorted_and_unique(void **state)
{
    (void)state;
    for (int i = 1; i < api_route_count; i++) {
        int c = strcmp(api_routes[i - 1].pattern, api_routes[i].pattern);
        if (c == 0)
            c = strcmp(api_routes[i - 1].method, api_routes[i].method);
        if (c >= 0)
            fail_msg("route %s %s is out of order or repeated", api_routes[i].method, api_routes[i].pattern);
    }
}

/* Every route of the description has a handler and every handler a description: the document and the
 * server cannot drift apart. */
static void every_route_is_described_and_bound(void **state)
{
    (void)state;
    for (int i = 1; i < http_binding_count; i++)
        if (strcmp(http_bindings[i - 1].operation_id, http_bindings[i].operation_id) >= 0)
            fail_msg("binding %s is out of order or repeated", http_bindings[i].operation_id);
    for (int i = 0; i < api_route_count; i++)
        if (!http_handler_for(&api_routes[i]))
            fail_msg("route %s %s (%s) has no handler in http/routes.c", api_routes[i].method, api_routes[i].pattern,
                     api_routes[i].operation_id);
    for (int i = 0; i < http_binding_count; i++)
        if (!api_route_by_id(http_bindings[i].operation_id))
            fail_msg("handler bound to %s, which api/routes.c does not describe", http_bindings[i].operation_id);
}

/* Each description is complete: an operationId in camelCase (unique), a summary, a tag unless the entity
 * names it, an answer; an {entity} route says which entity operation it needs, and only it does. */
static void route_descriptions_are_complete(void **state)
{
    (void)state;
    for (int i = 0; i < api_route_count; i++) {
        const api_route *rt = &api_routes[i];
        const char *id = rt->operation_id;
        int generic = strstr(rt->pattern, "{entity}") != NULL;
        if (!id || !islower((unsigned char)id[0]))
            fail_msg("route %s %s: operationId must start in lower case", rt->method, rt->pattern);
        for (const char *p = id; *p; p++)
            if (!isalnum((unsigned char)*p) && !strchr("{}", *p))
                fail_msg("route %s: operationId is camelCase, not %c", id, *p);
        for (int k = 0; k < i; k++)
            if (!strcmp(api_routes[k].operation_id, id))
                fail_msg("operationId %s is used twice", id);
        if (!rt->summary || !rt->answer_description || !rt->status)
            fail_msg("route %s needs a summary, a success status and its description", id);
        if (!generic && !rt->tag)
            fail_msg("route %s needs a tag", id);
        if (generic != (rt->entity_op != 0) || generic != (strchr(id, '{') != NULL))
            fail_msg("route %s: {entity} in the path, an entity_op and {Entity} in the id go together", id);
        if (rt->body && !(rt->flags & R_BODY))
            fail_msg("route %s describes a body it does not take (R_BODY)", id);
        if ((rt->flags & R_BODY) && !rt->body && !generic)
            fail_msg("route %s takes a body: name its schema", id);
        for (int q = 0; q < API_PARAMS_MAX && rt->query[q].name; q++)
            if (!rt->query[q].type || !rt->query[q].description)
                fail_msg("route %s: parameter %s needs a type and a description", id, rt->query[q].name);
    }
}

static void commands_are_sorted_and_unique(void **state)
{
    (void)state;
    for (int i = 1; i < cli_command_count; i++) {
        const command *a = &cli_commands[i - 1], *b = &cli_commands[i];
        int c = strcmp(a->name, b->name);
        if (c == 0)
            c = strcmp(a->sub ? a->sub : "", b->sub ? b->sub : "");
        if (c >= 0)
            fail_msg("command %s %s is out of order or repeated", b->name, b->sub ? b->sub : "");
    }
    /* an entity noun must not shadow a command; a command may add its own subcommand beside the entity
     * verbs (rapport project scope), as long as it takes none of them */
    static const char *const verbs[] = {"add", "list", "show", "edit", "rm", NULL};
    for (int i = 0; i < entity_count; i++)
        for (int k = 0; k < cli_command_count; k++) {
            const command *cmd = &cli_commands[k];
            int takes_verb = !cmd->sub;
            for (const char *const *v = verbs; *v && !takes_verb; v++)
                takes_verb = !strcmp(cmd->sub, *v);
            if (!strcmp(entity_table[i]->singular, cmd->name) && entity_table[i]->ops & OP_CREATE && takes_verb &&
                strcmp(cmd->name, "token") && strcmp(cmd->name, "workspace"))
                fail_msg("entity %s shadows a command", entity_table[i]->singular);
        }
}

/* "did you mean": a typo finds its command, a word far from every command finds nothing */
static void suggestions_find_near_commands(void **state)
{
    (void)state;
    char out[160];
    cli_suggest_command("clinet", "list", out, sizeof out);
    assert_string_equal(out, "client list");
    cli_suggest_command("tody", NULL, out, sizeof out);
    assert_string_equal(out, "today");
    cli_suggest_command("project", "scoep", out, sizeof out);
    assert_string_equal(out, "project scope");
    cli_suggest_command("xyzzy", NULL, out, sizeof out);
    assert_string_equal(out, "");
    cli c = {.usage = "rapport at-risk [--band healthy|watch|at_risk] [--owner-id ID | --mine]"};
    cli_suggest_option(&c, "ownr_id", out, sizeof out);
    assert_string_equal(out, "owner-id");
    c.en = entity_by_name("clients");
    cli_suggest_option(&c, "cadense", out, sizeof out);
    assert_string_equal(out, "cadence");
    cli_suggest_option(&c, "frobnicate", out, sizeof out);
    assert_string_equal(out, "");
}

static void entities_are_consistent(void **state)
{
    (void)state;
    for (int i = 0; i < entity_count; i++) {
        const entity *en = entity_table[i];
        assert_non_null(en->summary);
        assert_non_null(en->title_sql);
        for (int k = 0; k < i; k++) {
            assert_string_not_equal(en->name, entity_table[k]->name);
            assert_string_not_equal(en->path, entity_table[k]->path);
            assert_string_not_equal(en->singular, entity_table[k]->singular);
            assert_string_not_equal(en->id_prefix, entity_table[k]->id_prefix);
        }
        for (int f = 0; f < en->nfields; f++) {
            const field *fd = &en->fields[f];
            for (int g = 0; g < f; g++)
                assert_string_not_equal(fd->name, en->fields[g].name);
            if (fd->type == &FT_ENUM && !fd->values)
                fail_msg("%s.%s is an enum without values", en->name, fd->name);
            if ((fd->type == &FT_REF) != (fd->ref != NULL))
                fail_msg("%s.%s: a ref needs a target and only a ref has one", en->name, fd->name);
            if (fd->ref && !entity_by_name(fd->ref))
                fail_msg("%s.%s references unknown entity %s", en->name, fd->name, fd->ref);
            /* the document describes a JSON field by its type's shape: its default must have that shape */
            json_t *def = fd->def ? json_loads(fd->def, JSON_DECODE_ANY, NULL) : NULL;
            if (fd->def && !def)
                fail_msg("%s.%s: the default is not JSON", en->name, fd->name);
            if ((fd->type == &FT_JSON && def && !json_is_object(def)) ||
                ((fd->type == &FT_JSON_ARRAY || fd->type == &FT_TAGS) && def && !json_is_array(def)))
                fail_msg("%s.%s: its default %s is not the %s its type says", en->name, fd->name, fd->def,
                         fd->type->json_type);
            json_decref(def);
        }
        if (en->self_field && !entity_field(en, en->self_field))
            fail_msg("%s: self_field %s is not a field", en->name, en->self_field);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(routes_are_sorted_and_unique),
        cmocka_unit_test(every_route_is_described_and_bound),
        cmocka_unit_test(route_descriptions_are_complete),
        cmocka_unit_test(commands_are_sorted_and_unique),
        cmocka_unit_test(suggestions_find_near_commands),
        cmocka_unit_test(entities_are_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
