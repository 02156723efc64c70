/* openapi: builds the OpenAPI document from the entity table once per call (see openapi.h). Built with
 * jansson because it is small and rarely fetched; correctness beats speed here. */
#include "core/engine/openapi.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/model/entity.h"

static json_t *field_schema(const field *f)
{
    json_t *s = json_object();
    if (f->type == &FT_TAGS) {
        json_object_set_new(s, "type", json_string("array"));
        json_object_set_new(s, "items", json_pack("{s:s}", "type", "string"));
    } else if (f->type == &FT_JSON) {
        json_object_set_new(s, "type", json_string("object"));
    } else {
        json_object_set_new(s, "type", json_string(f->type->json_type));
    }
    if (f->type->json_format)
        json_object_set_new(s, "format", json_string(f->type->json_format));
    if (f->values) {
        json_t *en = json_array();
        for (const char *const *v = f->values; *v; v++)
            json_array_append_new(en, json_string(*v));
        json_object_set_new(s, "enum", en);
    }
    if (f->label)
        json_object_set_new(s, "description", json_string(f->label));
    if (f->ref)
        json_object_set_new(s, "x-references", json_string(f->ref));
    if (!(f->flags & (F_REQUIRED | F_NOTNULL)))
        json_object_set_new(s, "nullable", json_true());
    if (f->flags & F_WRITEONLY)
        json_object_set_new(s, "writeOnly", json_true());
    if (f->flags & F_READONLY)
        json_object_set_new(s, "readOnly", json_true());
    return s;
}

static json_t *entity_schema(const entity *en)
{
    json_t *props = json_object(), *req = json_array();
    json_object_set_new(props, "id", json_pack("{s:s,s:b}", "type", "string", "readOnly", 1));
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        if (f->flags & F_HIDDEN)
            continue;
        json_object_set_new(props, f->name, field_schema(f));
        if (f->flags & F_REQUIRED)
            json_array_append_new(req, json_string(f->name));
    }
    if (en->flags & ENT_CUSTOM)
        json_object_set_new(props, "custom", json_pack("{s:s,s:s}", "type", "object", "description",
                                                       "the workspace's custom fields, by key"));
    const char *sys[] = {"created_at", "updated_at"};
    for (int i = 0; i < 2; i++)
        json_object_set_new(props, sys[i], json_pack("{s:s,s:s,s:b}", "type", "string", "format", "date-time",
                                                     "readOnly", 1));
    json_object_set_new(props, "created_by", json_pack("{s:s,s:b}", "type", "string", "readOnly", 1));
    json_object_set_new(props, "version", json_pack("{s:s,s:s}", "type", "integer", "description",
                                                    "increments on every change; send it back on PATCH"));
    return json_pack("{s:s,s:s,s:o,s:o}", "type", "object", "description", en->summary, "properties", props,
                     "required", req);
}

static json_t *ref(const char *name)
{
    char buf[128];
    snprintf(buf, sizeof buf, "#/components/schemas/%s", name);
    return json_pack("{s:s}", "$ref", buf);
}

static json_t *response(const char *desc, json_t *schema)
{
    json_t *r = json_pack("{s:s}", "description", desc);
    if (schema)
        json_object_set_new(r, "content", json_pack("{s:{s:o}}", "application/json", "schema", schema));
    return r;
}

static json_t *list_params(const entity *en)
{
    json_t *p = json_array();
    json_array_append_new(p, json_pack("{s:s,s:s,s:{s:s,s:i,s:i}}", "name", "limit", "in", "query", "schema", "type",
                                       "integer", "minimum", 1, "maximum", 500));
    json_array_append_new(p, json_pack("{s:s,s:s,s:{s:s}}", "name", "cursor", "in", "query", "schema", "type", "string"));
    json_array_append_new(p, json_pack("{s:s,s:s,s:{s:s}}", "name", "sort", "in", "query", "schema", "type", "string"));
    int search = 0;
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        search |= (f->flags & F_SEARCH) != 0;
        if (f->flags & F_FILTER)
            json_array_append_new(p, json_pack("{s:s,s:s,s:{s:s}}", "name", f->name, "in", "query", "schema", "type",
                                               "string"));
    }
    if (search)
        json_array_append_new(p, json_pack("{s:s,s:s,s:s,s:{s:s}}", "name", "q", "in", "query", "description",
                                           "full-text search", "schema", "type", "string"));
    return p;
}

static json_t *op(const char *summary, const char *tag, json_t *responses)
{
    return json_pack("{s:s,s:[s],s:o}", "summary", summary, "tags", tag, "responses", responses);
}

void openapi_write(strbuf *out, const char *version, const openapi_op *extra, int nextra)
{
    json_t *paths = json_object(), *schemas = json_object();
    json_object_set_new(schemas, "Error",
                        json_pack("{s:s,s:{s:{s:s,s:{s:{s:s},s:{s:s},s:{s:s,s:b}}}}}", "type", "object", "properties",
                                  "error", "type", "object", "properties", "code", "type", "string", "message", "type",
                                  "string", "field", "type", "string", "nullable", 1));
    for (int i = 0; i < entity_count; i++) {
        const entity *en = entity_table[i];
        json_object_set_new(schemas, en->name, entity_schema(en));
        char p1[128], p2[160];
        snprintf(p1, sizeof p1, "/api/v1/%s", en->path);
        snprintf(p2, sizeof p2, "/api/v1/%s/{id}", en->path);
        json_t *coll = json_object(), *item = json_object();
        json_t *body = json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content", "application/json", "schema",
                                 ref(en->name));
        if (en->ops & OP_LIST) {
            json_t *o = op("list", en->path, json_pack("{s:o,s:o}", "200",
                                                       response("a page", json_pack("{s:s,s:{s:{s:s,s:o},s:{s:s,s:b}}}",
                                                                                    "type", "object", "properties", "data",
                                                                                    "type", "array", "items", ref(en->name),
                                                                                    "next_cursor", "type", "string",
                                                                                    "nullable", 1)),
                                                       "400", response("bad parameter", ref("Error"))));
            json_object_set_new(o, "parameters", list_params(en));
            json_object_set_new(coll, "get", o);
        }
        if (en->ops & OP_CREATE) {
            json_t *o = op("create", en->path, json_pack("{s:o,s:o}", "201", response("created", ref(en->name)), "422",
                                                         response("invalid", ref("Error"))));
            json_object_set(o, "requestBody", body);
            json_object_set_new(coll, "post", o);
        }
        if (en->ops & OP_GET)
            json_object_set_new(item, "get", op("get one", en->path, json_pack("{s:o,s:o}", "200",
                                                                               response("the record", ref(en->name)),
                                                                               "404", response("not found", ref("Error")))));
        if (en->ops & OP_UPDATE) {
            json_t *o = op("change fields; send the version you read", en->path,
                           json_pack("{s:o,s:o,s:o}", "200", response("the record", ref(en->name)), "409",
                                     response("stale version", ref("Error")), "422", response("invalid", ref("Error"))));
            json_object_set(o, "requestBody", body);
            json_object_set_new(item, "patch", o);
        }
        if (en->ops & OP_DELETE)
            json_object_set_new(item, "delete", op("delete", en->path, json_pack("{s:o,s:o}", "204", response("deleted", NULL),
                                                                                 "404", response("not found", ref("Error")))));
        json_decref(body);
        if (json_object_size(item))
            json_object_set_new(item, "parameters",
                                json_pack("[{s:s,s:s,s:b,s:{s:s}}]", "name", "id", "in", "path", "required", 1, "schema",
                                          "type", "string"));
        if (json_object_size(coll))
            json_object_set_new(paths, p1, coll);
        else
            json_decref(coll);
        if (json_object_size(item))
            json_object_set_new(paths, p2, item);
        else
            json_decref(item);
    }
    json_object_set_new(paths, "/healthz", json_pack("{s:o}", "get", op("liveness; no auth", "system",
                                                                        json_pack("{s:o}", "200", response("up", NULL)))));
    json_object_set_new(paths, "/api/v1/login",
                        json_pack("{s:o}", "post", op("sign in; sets the session cookie", "auth",
                                                      json_pack("{s:o,s:o}", "200", response("signed in", NULL), "401",
                                                                response("wrong email or password", ref("Error"))))));
    json_object_set_new(paths, "/api/v1/logout",
                        json_pack("{s:o}", "post", op("sign out", "auth", json_pack("{s:o}", "204", response("signed out", NULL)))));
    json_object_set_new(paths, "/api/v1/me",
                        json_pack("{s:o}", "get", op("the calling user", "auth", json_pack("{s:o}", "200", response("you", NULL)))));
    json_t *search = op("search clients, contacts and interactions", "search",
                        json_pack("{s:o}", "200", response("matches", NULL)));
    json_object_set_new(search, "parameters",
                        json_pack("[{s:s,s:s,s:b,s:{s:s}}]", "name", "q", "in", "query", "required", 1, "schema", "type",
                                  "string"));
    json_object_set_new(paths, "/api/v1/search", json_pack("{s:o}", "get", search));
    for (int i = 0; i < nextra; i++) { /* {id} and friends: OpenAPI wants each path parameter declared */
        char method[8];
        snprintf(method, sizeof method, "%s", extra[i].method);
        for (char *m = method; *m; m++)
            *m = (char)(*m - 'A' + 'a');
        json_t *item = json_object_get(paths, extra[i].path);
        if (!item)
            json_object_set_new(paths, extra[i].path, item = json_object());
        json_t *o = op(extra[i].summary, "practice",
                       json_pack("{s:o,s:o}", "200", response("ok", NULL), "4XX", response("error", ref("Error"))));
        json_t *params = json_array();
        for (const char *p = strchr(extra[i].path, '{'); p; p = strchr(p + 1, '{')) {
            const char *end = strchr(p, '}');
            json_array_append_new(params, json_pack("{s:s%,s:s,s:b,s:{s:s}}", "name", p + 1, (size_t)(end - p - 1),
                                                    "in", "path", "required", 1, "schema", "type", "string"));
        }
        if (json_array_size(params))
            json_object_set_new(o, "parameters", params);
        else
            json_decref(params);
        json_object_set_new(item, method, o);
    }
    json_t *doc = json_pack("{s:s,s:{s:s,s:s,s:s},s:o,s:{s:o,s:{s:{s:s,s:s},s:{s:s,s:s,s:s}}},s:[{s:[]},{s:[]}]}",
                            "openapi", "3.0.3", "info", "title", "Rapport", "version", version, "description",
                            "Self-hosted client management: clients, contacts, every conversation.", "paths", paths,
                            "components", "schemas", schemas, "securitySchemes", "bearer", "type", "http", "scheme",
                            "bearer", "cookie", "type", "apiKey", "in", "cookie", "name", "rapport_session", "security",
                            "bearer", "cookie");
    char *s = json_dumps(doc, JSON_COMPACT);
    strbuf_adds(out, s ? s : "{}");
    free(s);
    json_decref(doc);
}
