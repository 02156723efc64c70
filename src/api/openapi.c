/* openapi: writes the OpenAPI document from the route table, the answers' schemas and the entity table
 * (see openapi.h). Built with jansson because it is small and rarely fetched; correctness beats speed.
 *
 * Each entity gets four schemas: Client (a record as answered, every field with its label and flags as
 * x- extensions, so forms and columns can be built from it), ClientCreate and ClientUpdate (what a POST
 * and a PATCH take) and ClientPage (a list's answer). The generic /api/v1/{entity} routes are written
 * out per entity, so every path is literal but {id} and every operation has its own operationId. */
#include "api/openapi.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/bulk/import.h"
#include "core/engine/record.h"
#include "core/model/entity.h"

struct embedded {
    const char *name, *text;
};
extern const struct embedded api_schema_files[];
extern const size_t api_schema_files_count;

/* money is a decimal string (a JSON real is refused); negative only where the field allows it */
static const char MONEY_PATTERN[] = "^-?[0-9]+(\\.[0-9]{1,2})?$", MONEY_PATTERN_POSITIVE[] = "^[0-9]+(\\.[0-9]{1,2})?$";
static const char *const SYSTEM_SORTS[] = {"created_at", "updated_at", "id", NULL};

/* "change-request" → "ChangeRequest"; "custom_fields" → "CustomFields" */
static void camel(const char *in, char *out, size_t n)
{
    size_t j = 0;
    int up = 1;
    for (const char *p = in; *p && j + 1 < n; p++) {
        if (*p == '-' || *p == '_') {
            up = 1;
            continue;
        }
        out[j++] = up ? (char)toupper((unsigned char)*p) : *p;
        up = 0;
    }
    out[j] = '\0';
}

static json_t *ref(const char *name)
{
    char buf[160];
    snprintf(buf, sizeof buf, "#/components/schemas/%s", name);
    return json_pack("{s:s}", "$ref", buf);
}

static json_t *entity_ref(const entity *en, const char *suffix)
{
    char name[96], full[128];
    camel(en->singular, name, sizeof name);
    snprintf(full, sizeof full, "%s%s", name, suffix);
    return ref(full);
}

static void set_flag(json_t *s, const char *key, int on)
{
    if (on)
        json_object_set_new(s, key, json_true());
}

/* The JSON Schema of a field's value, the same in answers and in what a POST or PATCH takes. */
static json_t *value_schema(const field *f)
{
    const field_type *t = f->type;
    json_t *s = json_pack("{s:s}", "type", t->json_type);
    if (t->json_format)
        json_object_set_new(s, "format", json_string(t->json_format));
    if (t == &FT_TAGS && f->values) { /* a closed list: each item one of the values */
        json_t *items = json_pack("{s:s}", "type", "string"), *en = json_array();
        for (const char *const *v = f->values; *v; v++)
            json_array_append_new(en, json_string(*v));
        json_object_set_new(items, "enum", en);
        json_object_set_new(s, "items", items);
    } else if (t == &FT_TAGS)
        json_object_set_new(s, "items", json_pack("{s:s,s:i,s:i}", "type", "string", "minLength", 1, "maxLength", 50));
    else if (t == &FT_JSON_ARRAY)
        json_object_set_new(s, "items", json_object());
    if (t == &FT_TAGS)
        json_object_set_new(s, "maxItems", json_integer(50));
    if (t == &FT_MONEY) {
        json_object_set_new(s, "pattern", json_string(f->min < 0 ? MONEY_PATTERN : MONEY_PATTERN_POSITIVE));
        json_object_set_new(s, "example", json_string("1250.00"));
    }
    if (t == &FT_CURRENCY) {
        json_object_set_new(s, "pattern", json_string("^[A-Z]{3}$"));
        json_object_set_new(s, "example", json_string("EUR"));
    }
    if (t == &FT_INT && f->max > f->min) {
        json_object_set_new(s, "minimum", json_integer(f->min));
        json_object_set_new(s, "maximum", json_integer(f->max));
    }
    if (!strcmp(t->json_type, "string") && t != &FT_MONEY && f->max > 0)
        json_object_set_new(s, "maxLength", json_integer(f->max));
    if (f->values && t != &FT_TAGS) {
        json_t *en = json_array();
        for (const char *const *v = f->values; *v; v++)
            json_array_append_new(en, json_string(*v));
        if (!(f->flags & (F_REQUIRED | F_NOTNULL)))
            json_array_append_new(en, json_null()); /* OpenAPI 3.0: a nullable enum lists null */
        json_object_set_new(s, "enum", en);
    }
    if (!(f->flags & (F_REQUIRED | F_NOTNULL)))
        json_object_set_new(s, "nullable", json_true());
    return s;
}

/* A field as the record schema describes it: its value, and its label and flags for forms. */
static json_t *field_schema(const field *f)
{
    json_t *s = value_schema(f);
    if (f->label) {
        json_object_set_new(s, "description", json_string(f->label));
        json_object_set_new(s, "x-label", json_string(f->label));
    }
    json_object_set_new(s, "x-field-type", json_string(f->type->name));
    set_flag(s, "readOnly", f->flags & F_READONLY);
    set_flag(s, "writeOnly", f->flags & F_WRITEONLY);
    set_flag(s, "x-required-on-create", f->flags & F_REQUIRED);
    set_flag(s, "x-listed", f->flags & F_LISTED);
    set_flag(s, "x-filterable", f->flags & F_FILTER);
    set_flag(s, "x-sortable", f->flags & F_SORT);
    set_flag(s, "x-searchable", f->flags & F_SEARCH);
    set_flag(s, "x-unique", f->flags & (F_UNIQUE | F_UNIQUE_ALL));
    set_flag(s, "x-personal", f->flags & F_PERSONAL);
    if (f->ref) {
        const entity *target = entity_by_name(f->ref);
        json_object_set_new(s, "x-references", json_string(target ? target->path : f->ref));
    }
    if (f->def) {
        json_t *d = json_loads(f->def, JSON_DECODE_ANY, NULL);
        if (d)
            json_object_set_new(s, "default", d);
    }
    return s;
}

static const char *role_or_null(int role) { return role > ROLE_NONE ? role_name(role) : NULL; }

/* Client: a record as every answer carries it. All its properties are always present (null when empty);
 * write-only ones never are. */
static json_t *record_schema(const entity *en)
{
    json_t *props = json_object(), *req = json_array();
    json_object_set_new(
        props, "id",
        json_pack("{s:s,s:b,s:s}", "type", "string", "readOnly", 1, "description", "opaque; sorts by creation"));
    json_array_append_new(req, json_string("id"));
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        if (f->flags & F_HIDDEN)
            continue;
        json_object_set_new(props, f->name, field_schema(f));
        if (!(f->flags & F_WRITEONLY))
            json_array_append_new(req, json_string(f->name));
    }
    if (en->flags & ENT_CUSTOM) {
        json_object_set_new(props, "custom",
                            json_pack("{s:s,s:s,s:b}", "type", "object", "description",
                                      "the workspace's custom fields by key (their definitions: /api/v1/custom-fields)",
                                      "additionalProperties", 1));
        json_array_append_new(req, json_string("custom"));
    }
    const char *times[] = {"created_at", "updated_at"};
    for (int i = 0; i < 2; i++) {
        json_object_set_new(props, times[i],
                            json_pack("{s:s,s:s,s:b}", "type", "string", "format", "date-time", "readOnly", 1));
        json_array_append_new(req, json_string(times[i]));
    }
    json_object_set_new(
        props, "created_by",
        json_pack("{s:s,s:b,s:b,s:s}", "type", "string", "nullable", 1, "readOnly", 1, "x-references", "users"));
    json_object_set_new(props, "version",
                        json_pack("{s:s,s:b,s:s}", "type", "integer", "readOnly", 1, "description",
                                  "increments on every change; send it back on PATCH"));
    json_array_append_new(req, json_string("created_by"));
    json_array_append_new(req, json_string("version"));
    json_t *ops = json_array();
    const char *op_names[] = {"list", "get", "create", "update", "delete"};
    for (int i = 0; i < 5; i++)
        if (en->ops & (1u << i))
            json_array_append_new(ops, json_string(op_names[i]));
    json_t *s = json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:o}", "type", "object", "description", en->summary, "properties",
                          props, "required", req, "x-path", en->path, "x-singular", en->singular, "x-operations", ops);
    if (role_or_null(en->read_role))
        json_object_set_new(s, "x-read-role", json_string(role_or_null(en->read_role)));
    if (role_or_null(en->write_role))
        json_object_set_new(s, "x-write-role", json_string(role_or_null(en->write_role)));
    set_flag(s, "x-custom-fields", en->flags & ENT_CUSTOM);
    set_flag(s, "x-audited", en->flags & ENT_AUDITED);
    return s;
}

/* ClientCreate / ClientUpdate: the fields a caller may send. Unknown and server-set keys are refused. */
static json_t *input_schema(const entity *en, int creating)
{
    json_t *props = json_object(), *req = json_array();
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        if (f->flags & (F_HIDDEN | F_READONLY))
            continue;
        json_t *s = value_schema(f);
        if (f->label)
            json_object_set_new(s, "description", json_string(f->label));
        set_flag(s, "writeOnly", f->flags & F_WRITEONLY);
        json_object_set_new(props, f->name, s);
        if (creating && (f->flags & F_REQUIRED))
            json_array_append_new(req, json_string(f->name));
    }
    if (en->flags & ENT_CUSTOM)
        json_object_set_new(props, "custom",
                            json_pack("{s:s,s:s,s:b}", "type", "object", "description",
                                      "custom field values by key; null removes one", "additionalProperties", 1));
    if (!creating) {
        json_object_set_new(props, "version",
                            json_pack("{s:s,s:s}", "type", "integer", "description",
                                      "the version you read; a newer one on the server is a 409"));
        json_array_append_new(req, json_string("version"));
    }
    json_t *s = json_pack("{s:s,s:o,s:b}", "type", "object", "properties", props, "additionalProperties", 0);
    if (json_array_size(req))
        json_object_set_new(s, "required", req);
    else
        json_decref(req);
    return s;
}

static json_t *page_schema(const entity *en)
{
    return json_pack("{s:s,s:[s,s],s:{s:{s:s,s:o},s:{s:s,s:b,s:s}}}", "type", "object", "required", "data",
                     "next_cursor", "properties", "data", "type", "array", "items", entity_ref(en, ""), "next_cursor",
                     "type", "string", "nullable", 1, "description",
                     "pass as ?cursor= for the next page; null at the end");
}

static json_t *param(const char *name, const char *in, int required, const char *description, json_t *schema)
{
    json_t *p = json_pack("{s:s,s:s,s:o}", "name", name, "in", in, "schema", schema);
    if (required)
        json_object_set_new(p, "required", json_true());
    if (description)
        json_object_set_new(p, "description", json_string(description));
    return p;
}

static json_t *query_param(const api_param *q)
{
    json_t *s;
    if (!strcmp(q->type, "date") || !strcmp(q->type, "date-time"))
        s = json_pack("{s:s,s:s}", "type", "string", "format", q->type);
    else
        s = json_pack("{s:s}", "type", q->type);
    if (q->max > 0) {
        json_object_set_new(s, "minimum", json_integer(q->min));
        json_object_set_new(s, "maximum", json_integer(q->max));
    }
    if (q->values && strcmp(q->type, "boolean")) {
        json_t *en = json_array();
        for (const char *const *v = q->values; *v; v++)
            json_array_append_new(en, json_string(*v));
        json_object_set_new(s, "enum", en);
    }
    return param(q->name, "query", q->required, q->description, s);
}

/* A list's parameters, from the entity: paging, sorting by its sortable fields, a filter per filterable
 * field (its value's schema), and q where it has searchable text. */
static void list_params(const entity *en, json_t *params)
{
    json_array_append_new(
        params, param("limit", "query", 0, "how many to return at most (default 50)",
                      json_pack("{s:s,s:i,s:i}", "type", "integer", "minimum", 1, "maximum", LIST_MAX_LIMIT)));
    json_array_append_new(params, param("cursor", "query", 0, "the next_cursor of the page before",
                                        json_pack("{s:s}", "type", "string")));
    char ids[120];
    snprintf(ids, sizeof ids, "only these records: their ids, comma-separated (at most %d)", LIST_MAX_IDS);
    json_array_append_new(params, param("id", "query", 0, ids, json_pack("{s:s}", "type", "string")));
    json_t *sorts = json_array();
    int search = 0;
    for (int i = 0; i < en->nfields; i++)
        if (en->fields[i].flags & F_SORT)
            json_array_append_new(sorts, json_string(en->fields[i].name));
    for (const char *const *s = SYSTEM_SORTS; *s; s++)
        json_array_append_new(sorts, json_string(*s));
    size_t n = json_array_size(sorts);
    for (size_t i = 0; i < n; i++) {
        char desc[80];
        snprintf(desc, sizeof desc, "-%s", json_string_value(json_array_get(sorts, i)));
        json_array_append_new(sorts, json_string(desc));
    }
    json_array_append_new(params, param("sort", "query", 0,
                                        "the order: a field, descending with a leading -"
                                        " (default -created_at)",
                                        json_pack("{s:s,s:o}", "type", "string", "enum", sorts)));
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        search |= (f->flags & F_SEARCH) != 0;
        if (f->flags & F_SET_FILTER) { /* acted_on_at → ?acted_on=true|false */
            char name[80], desc[160];
            snprintf(name, sizeof name, "%.*s", (int)(strlen(f->name) - 3), f->name);
            snprintf(desc, sizeof desc, "true: only records whose %s is set; false: only those whose is not", f->name);
            json_array_append_new(params, param(name, "query", 0, desc,
                                                json_pack("{s:s,s:[s,s]}", "type", "string", "enum", "true", "false")));
        }
        if (!(f->flags & F_FILTER))
            continue;
        char desc[160];
        json_t *s;
        if (f->type == &FT_TAGS) {
            s = json_pack("{s:s}", "type", "string");
            snprintf(desc, sizeof desc, "only records whose %s hold this value", f->name);
        } else {
            s = value_schema(f);
            json_object_del(s, "nullable");
            json_t *en_values = json_object_get(s, "enum");
            if (en_values && json_is_null(json_array_get(en_values, json_array_size(en_values) - 1)))
                json_array_remove(en_values, json_array_size(en_values) - 1);
            snprintf(desc, sizeof desc, "only records whose %s equals this", f->name);
        }
        json_array_append_new(params, param(f->name, "query", 0, desc, s));
    }
    if (search)
        json_array_append_new(params, param("q", "query", 0, "full-text search; the last word may be a prefix",
                                            json_pack("{s:s}", "type", "string")));
}

/* "/api/v1/{entity}/{id}" for clients → "/api/v1/clients/{id}" */
static void expand_path(const char *pattern, const entity *en, char *out, size_t n)
{
    const char *at = en ? strstr(pattern, "{entity}") : NULL;
    if (at)
        snprintf(out, n, "%.*s%s%s", (int)(at - pattern), pattern, en->path, at + 8);
    else
        snprintf(out, n, "%s", pattern);
}

/* "get{Entity}" for change requests → "getChangeRequest"; "list{Entities}" → "listChangeRequests" */
static void expand_id(const char *tpl, const entity *en, char *out, size_t n)
{
    char one[96], all[96];
    const char *a = en ? strstr(tpl, "{Entity}") : NULL, *b = en ? strstr(tpl, "{Entities}") : NULL;
    if (a) {
        camel(en->singular, one, sizeof one);
        snprintf(out, n, "%.*s%s%s", (int)(a - tpl), tpl, one, a + 8);
    } else if (b) {
        camel(en->name, all, sizeof all);
        snprintf(out, n, "%.*s%s%s", (int)(b - tpl), tpl, all, b + 10);
    } else {
        snprintf(out, n, "%s", tpl);
    }
}

static json_t *content(const char *media, json_t *schema) { return json_pack("{s:{s:o}}", media, "schema", schema); }

static void error_answer(json_t *responses, const char *status, const char *name)
{
    char buf[96];
    snprintf(buf, sizeof buf, "#/components/responses/%s", name);
    json_object_set_new(responses, status, json_pack("{s:s}", "$ref", buf));
}

static json_t *success_schema(const api_route *rt, const entity *en)
{
    if (rt->answer)
        return ref(rt->answer);
    if (!en || rt->status == 204)
        return NULL;
    return entity_ref(en, rt->entity_op == OP_LIST ? "Page" : "");
}

static json_t *responses(const api_route *rt, const entity *en, const char *path)
{
    json_t *r = json_object();
    int statuses[2] = {rt->status, rt->status2};
    for (int i = 0; i < 2 && statuses[i]; i++) {
        char code[8];
        snprintf(code, sizeof code, "%d", statuses[i]);
        json_t *a = json_pack("{s:s}", "description", rt->answer_description);
        json_t *schema = success_schema(rt, en);
        if (rt->flags & R_SVG)
            json_object_set_new(a, "content", content("image/svg+xml", json_pack("{s:s}", "type", "string")));
        else if (rt->flags & R_EXPORT) {
            json_t *c = content("text/csv", json_pack("{s:s}", "type", "string")),
                   *lines = content("application/x-ndjson", json_pack("{s:s}", "type", "string"));
            json_object_update(c, lines);
            json_decref(lines);
            json_decref(schema); /* the list's page schema: an export answers text */
            json_object_set_new(a, "content", c);
        }
        else if (rt->flags & R_HTML)
            json_object_set_new(a, "content", content("text/html", json_pack("{s:s}", "type", "string")));
        else if (schema)
            json_object_set_new(a, "content", content("application/json", schema));
        json_object_set_new(r, code, a);
    }
    int has_query = rt->query[0].name || rt->entity_op == OP_LIST || (rt->flags & R_FILTERED);
    int has_body = (rt->flags & (R_BODY | R_CSV)) != 0;
    if (has_query || has_body || (rt->flags & R_NO_QUERY))
        error_answer(r, "400", "BadRequest");
    if (!(rt->flags & R_PUBLIC) || has_body)
        error_answer(r, "401", "Unauthorized");
    if (!(rt->flags & R_PUBLIC))
        error_answer(r, "403", "Forbidden");
    if (strstr(path, "{id}"))
        error_answer(r, "404", "NotFound");
    if (en && (rt->entity_op & (OP_CREATE | OP_UPDATE | OP_DELETE)) && !(rt->flags & R_CSV))
        error_answer(r, "409", "Conflict");
    if (has_body) {
        error_answer(r, "413", "PayloadTooLarge");
        error_answer(r, "415", "UnsupportedMediaType");
        if (rt->flags & R_CSV)
            json_object_set_new(r, "422",
                                json_pack("{s:s,s:o}", "description",
                                          "invalid rows refused the file; every problem is in import", "content",
                                          content("application/json", ref("ImportRefused"))));
        else
            error_answer(r, "422", "Unprocessable");
    }
    return r;
}

static json_t *operation(const api_route *rt, const entity *en, const char *path)
{
    char id[128];
    expand_id(rt->operation_id, en, id, sizeof id);
    json_t *o =
        json_pack("{s:s,s:s,s:[s]}", "operationId", id, "summary", rt->summary, "tags", en ? en->path : rt->tag);
    if (en)
        json_object_set_new(o, "description", json_string(en->summary));
    json_t *params = json_array();
    for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
        json_array_append_new(params, param(name, "path", 1, "the record's id", json_pack("{s:s}", "type", "string")));
    }
    if (en && (rt->entity_op == OP_LIST || (rt->flags & R_FILTERED)))
        list_params(en, params);
    for (int i = 0; i < API_PARAMS_MAX && rt->query[i].name; i++)
        json_array_append_new(params, query_param(&rt->query[i]));
    if (json_array_size(params))
        json_object_set_new(o, "parameters", params);
    else
        json_decref(params);
    if (rt->flags & R_CSV)
        json_object_set_new(o, "requestBody",
                            json_pack("{s:b,s:s,s:o}", "required", 1, "description",
                                      "CSV whose header row names the fields (or their labels)", "content",
                                      content("text/csv", json_pack("{s:s}", "type", "string"))));
    else if (rt->flags & R_BODY)
        json_object_set_new(
            o, "requestBody",
            json_pack(
                "{s:b,s:o}", "required", 1, "content",
                content("application/json",
                        rt->body ? ref(rt->body) : entity_ref(en, rt->entity_op == OP_CREATE ? "Create" : "Update"))));
    json_object_set_new(o, "responses", responses(rt, en, path));
    if (rt->flags & R_PUBLIC)
        json_object_set_new(o, "security", json_array());
    return o;
}

static void add_operation(json_t *paths, const api_route *rt, const entity *en)
{
    char path[192], method[8];
    expand_path(rt->pattern, en, path, sizeof path);
    snprintf(method, sizeof method, "%s", rt->method);
    for (char *m = method; *m; m++)
        *m = (char)tolower((unsigned char)*m);
    json_t *item = json_object_get(paths, path);
    if (!item)
        json_object_set_new(paths, path, item = json_object());
    json_object_set_new(item, method, operation(rt, en, path));
}

static int offers(const api_route *rt, const entity *en)
{
    if (rt->flags & R_CSV)
        return import_allowed_entity(en);
    return (en->ops & rt->entity_op) != 0;
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *paths_object(void)
{
    json_t *paths = json_object();
    for (int i = 0; i < api_route_count; i++) {
        const api_route *rt = &api_routes[i];
        if (rt->flags & R_UNDOCUMENTED)
            continue;
        if (!strstr(rt->pattern, "{entity}")) {
            add_operation(paths, rt, NULL);
            continue;
        }
        for (int k = 0; k < entity_count; k++)
            if (offers(rt, entity_table[k]))
                add_operation(paths, rt, entity_table[k]);
    }
    /* one order whatever the table's: paths sorted, so the committed file diffs well */
    json_t *sorted = json_object();
    const char **keys = malloc(json_object_size(paths) * sizeof *keys);
    size_t n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(paths, key, v) keys[n++] = key;
    qsort(keys, n, sizeof *keys, compare_keys);
    for (size_t i = 0; i < n; i++)
        json_object_set(sorted, keys[i], json_object_get(paths, keys[i]));
    free(keys);
    json_decref(paths);
    return sorted;
}

/* answers.json's <Entity>Extras says what the entity table cannot: the shape inside a JSON field (the
 * items of a list, the values of an object), merged into the field's schema, and keys a hook adds to a
 * record (a client's attention, a new token's secret), added as optional properties of answers only. */
static json_t *with_extras(json_t *schema, json_t *extras, int answer)
{
    json_t *props = json_object_get(schema, "properties"), *more;
    const char *key;
    json_object_foreach(extras, key, more)
    {
        json_t *existing = json_object_get(props, key);
        if (existing)
            json_object_update(existing, more);
        else if (answer)
            json_object_set(props, key, more);
    }
    return schema;
}

/* The answers' schemas (api/answers.json, embedded at build) and each entity's four. */
static json_t *schemas_object(void)
{
    json_t *schemas = NULL;
    for (size_t i = 0; i < api_schema_files_count; i++)
        if (!strcmp(api_schema_files[i].name, "answers.json"))
            schemas = json_loads(api_schema_files[i].text, 0, NULL);
    if (!schemas)
        return NULL;
    for (int i = 0; i < entity_count; i++) {
        const entity *en = entity_table[i];
        char name[96], full[128];
        camel(en->singular, name, sizeof name);
        snprintf(full, sizeof full, "%sExtras", name);
        json_t *extras = json_incref(json_object_get(json_object_get(schemas, full), "properties"));
        json_object_del(schemas, full);
        json_object_set_new(schemas, name, with_extras(record_schema(en), extras, 1));
        if (en->ops & OP_CREATE) {
            snprintf(full, sizeof full, "%sCreate", name);
            json_object_set_new(schemas, full, with_extras(input_schema(en, 1), extras, 0));
        }
        if (en->ops & OP_UPDATE) {
            snprintf(full, sizeof full, "%sUpdate", name);
            json_object_set_new(schemas, full, with_extras(input_schema(en, 0), extras, 0));
        }
        json_decref(extras);
        if (en->ops & OP_LIST) {
            snprintf(full, sizeof full, "%sPage", name);
            json_object_set_new(schemas, full, page_schema(en));
        }
    }
    return schemas;
}

/* The shared refusals: each is the Error envelope, its code saying which. */
static json_t *responses_object(void)
{
    static const struct {
        const char *name, *description;
    } refusals[] = {
        {"BadRequest", "a query parameter or the JSON body is malformed (invalid_parameter, invalid_json)"},
        {"Unauthorized", "no valid token or session (unauthorized)"},
        {"Forbidden", "the caller's role may not do this (forbidden)"},
        {"NotFound", "no such record in the caller's workspace (not_found)"},
        {"Conflict", "someone changed the record since the version sent, or a unique value is taken "
                     "(version_conflict, conflict)"},
        {"PayloadTooLarge", "the body is too large (payload_too_large)"},
        {"UnsupportedMediaType", "the body's Content-Type is not the one this route takes (unsupported_media_type)"},
        {"Unprocessable", "a field is missing, unknown, read-only or invalid; error.field names it"},
    };
    json_t *r = json_object();
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++)
        json_object_set_new(r, refusals[i].name,
                            json_pack("{s:s,s:o}", "description", refusals[i].description, "content",
                                      content("application/json", ref("Error"))));
    return r;
}

static json_t *tags_array(void)
{
    json_t *tags = json_array();
    for (int i = 0; i < api_tag_count; i++)
        json_array_append_new(tags,
                              json_pack("{s:s,s:s}", "name", api_tags[i].name, "description", api_tags[i].description));
    for (int i = 0; i < entity_count; i++)
        if (entity_table[i]->ops)
            json_array_append_new(
                tags, json_pack("{s:s,s:s}", "name", entity_table[i]->path, "description", entity_table[i]->summary));
    return tags;
}

int openapi_write(strbuf *out, const char *server_url, int pretty)
{
    json_t *schemas = schemas_object();
    if (!schemas)
        return -1;
    json_t *doc = json_pack(
        "{s:s,s:{s:s,s:s,s:s,s:{s:s,s:s}},s:[{s:s,s:s}],s:o,s:o,s:{s:o,s:o,s:{s:{s:s,s:s,s:s},s:{s:s,s:s,s:s,s:s}}},"
        "s:[{s:[]},{s:[]}]}",
        "openapi", "3.0.3", "info", "title", "Rapport", "version", OPENAPI_API_VERSION, "description",
        "Self-hosted client management: clients, contacts, every conversation, projects, service and revenue. "
        "Generated from Rapport's entity and route tables.",
        "license", "name", OPENAPI_LICENSE, "url", OPENAPI_LICENSE_URL, "servers", "url", server_url ? server_url : "/",
        "description", "this server", "tags", tags_array(), "paths", paths_object(), "components", "schemas", schemas,
        "responses", responses_object(), "securitySchemes", "bearerAuth", "type", "http", "scheme", "bearer",
        "description", "an API token: rapport token create", "sessionCookie", "type", "apiKey", "in", "cookie", "name",
        "rapport_session", "description", "the web app's session, from POST /api/v1/login", "security", "bearerAuth",
        "sessionCookie");
    char *s = json_dumps(doc, pretty ? JSON_INDENT(2) : JSON_COMPACT);
    strbuf_adds(out, s ? s : "{}");
    if (pretty)
        strbuf_addc(out, '\n');
    free(s);
    json_decref(doc);
    return 0;
}
