/* api: the REST API described as data — every route's path, method, operationId, summary, tag, flags,
 * query parameters, request body and answers. The description lives outside http/ so that the OpenAPI
 * document (api/openapi.c) can be written without a server (`rapport openapi`); http/routes.c binds each
 * route to its handler by operationId, and a unit test keeps the two tables in step.
 *
 * A pattern's {entity} segment is expanded per entity of the table (core/model/entities.c) in the
 * document, for each entity that offers the route's entity_op; its operation_id then names the entity
 * through {Entity} (singular) or {Entities} (plural): "get{Entity}" becomes getClient, getChangeRequest. */
#ifndef RAPPORT_API_H
#define RAPPORT_API_H
#include <stdint.h>

/* Flags of a route, enforced once by http/routes.c's pipeline and described by the document. */
enum route_flag {
    R_PUBLIC = 1 << 0,       /* no authentication */
    R_BODY = 1 << 1,         /* takes a JSON object body (application/json) */
    R_CSV = 1 << 2,          /* takes a text/csv body, up to HTTP_MAX_CSV_BODY */
    R_SVG = 1 << 3,          /* answers image/svg+xml rather than JSON */
    R_HTML = 1 << 4,         /* answers text/html rather than JSON */
    R_UNDOCUMENTED = 1 << 5, /* a page for people, not part of the API document */
    R_NO_QUERY = 1 << 6,     /* refuses any query string (400), so a misspelt parameter is not ignored */
    R_EXPORT = 1 << 8,       /* answers CSV or JSON Lines (?format=csv|jsonl) rather than JSON */
    R_FILTERED = 1 << 9,     /* {entity} routes: takes the list's filters, q and sort (a bulk change) */
    R_DIRECT = 1 << 7,       /* written on the worker's own connection, never in a group commit (signing in
                              * hashes a password for tens of milliseconds, which would hold a whole batch up) */
};

/* A query parameter. type is a JSON Schema type ("string", "integer", "boolean") or "date"/"date-time"
 * (strings of that format). */
typedef struct api_param {
    const char *name, *type, *description;
    int required;
    const char *const *values; /* allowed values, NULL-terminated; NULL for any */
    int64_t min, max;          /* integers: bounds when max > 0 */
} api_param;

#define API_PARAMS_MAX 12

typedef struct api_route {
    const char *pattern;             /* "/api/v1/clients/{id}/health": {...} matches one segment */
    const char *method;              /* "GET", "POST", "PATCH", "DELETE" */
    const char *operation_id;        /* stable camelCase; the key http/routes.c binds a handler to */
    const char *summary;             /* one line */
    const char *tag;                 /* the group it is listed under; {entity} routes use the entity's path */
    unsigned flags;                  /* enum route_flag */
    unsigned entity_op;              /* {entity} routes: the entity operation they need (OP_LIST, ...) */
    api_param query[API_PARAMS_MAX]; /* up to the first with a NULL name */
    const char *body;                /* request body: a schema in components (answers.json) or NULL; {entity}
                                        routes write their own (ClientCreate, ClientUpdate) */
    int status;                      /* the answer on success: 200, 201, 204 */
    int status2;                     /* another success status with the same answer, or 0 */
    const char *answer;              /* its schema's name in components, or NULL (no JSON body) */
    const char *answer_description;
} api_route;

/* Sorted by pattern, then method (a unit test keeps it so, and free of duplicates). */
extern const api_route api_routes[];
extern const int api_route_count;

/* The groups the document lists operations under, beyond each entity's own (its path). */
typedef struct api_tag {
    const char *name, *description;
} api_tag;
extern const api_tag api_tags[];
extern const int api_tag_count;

/* The route with this operationId (as written in the table, placeholders included), or NULL. */
const api_route *api_route_by_id(const char *operation_id);

#endif
