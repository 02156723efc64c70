/* http: the transport-independent half of the web server — one route table, authentication, body
 * parsing and the handlers — over a plain request struct. server.c adapts h2o to it; unit tests drive
 * it directly. */
#ifndef RAPPORT_HTTP_H
#define RAPPORT_HTTP_H
#include <jansson.h>

#include "api/api.h"
#include "core/model/entity.h"

#define HTTP_MAX_BODY (1024 * 1024)
#define HTTP_MAX_CSV_BODY (6 * 1024 * 1024) /* under h2o's own 8 MiB limit (server.c) */
#define HTTP_MAX_SEGMENTS 8
/* An answer's body stops growing here (a 500 "response too large", logged): a list's pages and an
 * import's report stay far below it, but what a request's body echoes back cannot grow without bound. */
#define HTTP_MAX_RESPONSE ((size_t)64 << 20)
#define HTTP_REQUEST_ID_MAX 65 /* an X-Request-Id of up to 64 characters, and its NUL */

typedef struct http_request {
    /* in */
    const char *method, *path, *query; /* path without the query; query without '?', or NULL */
    const char *body;
    size_t body_len;
    const char *authorization, *cookie, *content_type; /* header values, or NULL */
    const char *accept, *accept_encoding, *if_none_match; /* for the web app's files (assets.c) */
    const char *host;                                  /* the Host (authority) the client asked, or NULL */
    const char *request_id_in;                          /* the client's X-Request-Id, or NULL */
    const char *origin;      /* the Origin header, or NULL */
    const char *client_addr; /* the client's address (trusted_proxy.h), or NULL */
    int secure;              /* reached over https (a trusted proxy said so): cookies get Secure */
    db *db;
    /* set by dispatch before the handler runs */
    actor who;
    int via_cookie; /* authenticated by the session cookie, not a token */
    json_t *json;
    char *segv[HTTP_MAX_SEGMENTS]; /* decoded path segments */
    int nseg;
    /* out */
    int status;
    const char *content_type_out;
    strbuf out;
    char set_cookie[256];
    /* a web app file (assets.c): sent from static memory instead of out, with its own caching */
    const unsigned char *static_body;
    size_t static_len;
    const char *cache_control, *content_encoding, *etag; /* NULL: no-store, none, none */
    int vary_encoding;
    /* the X-Request-Id answered and put on the request's log lines: the client's when it is sane
     * (http_request_id_ok), else a new id ("req_" + 26 characters, sorting by time) */
    char request_id[HTTP_REQUEST_ID_MAX];
    int retry_after; /* seconds, for a Retry-After header (429) */
} http_request;

typedef int (*http_handler)(http_request *r, err_t *e);

/* The HTTP binding of the route table (api/routes.c describes each route): operationId → handler,
 * sorted by operationId (a unit test keeps it so, and checks every route has exactly one). */
typedef struct http_binding {
    const char *operation_id;
    http_handler handler;
} http_binding;

extern const http_binding http_bindings[];
extern const int http_binding_count;

/* The handler bound to a route, or NULL. */
http_handler http_handler_for(const api_route *rt);

void http_request_init(http_request *r);
/* request_id.c: a client's X-Request-Id is kept when it is 1 to 64 characters of letters, digits and
 * "-_.:" (so it is safe in a header and a log line); http_request_id_set picks r->request_id. */
int http_request_id_ok(const char *s);
void http_request_id_set(http_request *r);
void http_request_release(http_request *r);
/* Routes, authenticates, parses, runs the handler; always leaves a complete response in r. */
void http_dispatch(http_request *r);
/* Should this request's write join the writer's group commit? Not a GET, not a route flagged R_DIRECT,
 * and not a write of an entity with a password field (its hashing is as slow as signing in). */
int http_joins_group_commit(const char *method, const char *path);
/* Does this request hash a password (signing in, writing a user)? Then it runs on the hash pool. */
int http_hashes_passwords(const char *method, const char *path);
/* Replaces r's response with the JSON error for e. */
void http_respond_error(http_request *r, const err_t *e);

/* Query parameters, decoded; the callback's error stops the walk. */
typedef int (*http_param_fn)(void *ctx, const char *key, const char *value, err_t *e);
int http_query_each(const char *query, http_param_fn fn, void *ctx, err_t *e);
/* params.c: the query parameters a handler takes, by name. http_params_read collects their decoded
 * values (a repeated name: the last wins) and refuses any other name with 400 naming it and the ones
 * taken. values[i] is names[i]'s value, or NULL when absent; http_params_release frees them. */
#define HTTP_MAX_PARAMS 8
typedef struct http_params {
    const char *names[HTTP_MAX_PARAMS + 1]; /* NULL-terminated */
    char *values[HTTP_MAX_PARAMS];
} http_params;
int http_params_read(const char *query, http_params *p, err_t *e);
/* names' value, or NULL (absent, or not one of p's names). */
const char *http_param(const http_params *p, const char *name);
void http_params_release(http_params *p);
/* name's value as a boolean into *out ("true" or "false", else 400 naming it); absent leaves *out. */
int http_param_bool(const http_params *p, const char *name, int *out, err_t *e);
/* The value of cookie `name` in a Cookie header into buf (NULL if absent or longer than n - 1). */
const char *http_cookie(const char *cookies, const char *name, char *buf, size_t n);
/* Decodes %XX (and '+' as space when plus_space) in place; returns -1 on a bad escape. */
int http_unescape(char *s, int plus_space);

/* Handlers (handlers_*.c). */
int handle_index(http_request *r, err_t *e);
int handle_outbox_list(http_request *r, err_t *e);
int handle_template_preview(http_request *r, err_t *e);
int handle_unsubscribe(http_request *r, err_t *e);
int handle_outbox_approve(http_request *r, err_t *e);
int handle_email_settings_get(http_request *r, err_t *e);
int handle_email_settings_update(http_request *r, err_t *e);
int handle_healthz(http_request *r, err_t *e);
int handle_login(http_request *r, err_t *e);
int handle_logout(http_request *r, err_t *e);
int handle_me(http_request *r, err_t *e);
int handle_openapi(http_request *r, err_t *e);
int handle_duplicates(http_request *r, err_t *e);
int handle_export(http_request *r, err_t *e);
int handle_bulk_update(http_request *r, err_t *e);
int handle_merge(http_request *r, err_t *e);
int handle_merge_undo(http_request *r, err_t *e);
int handle_search(http_request *r, err_t *e);
int handle_project_scope(http_request *r, err_t *e);
int handle_list(http_request *r, err_t *e);
int handle_create(http_request *r, err_t *e);
int handle_import(http_request *r, err_t *e);
int handle_import_list(http_request *r, err_t *e);
int handle_import_show(http_request *r, err_t *e);
int handle_import_cancel(http_request *r, err_t *e);
int handle_get(http_request *r, err_t *e);
int handle_update(http_request *r, err_t *e);
int handle_delete(http_request *r, err_t *e);
int handle_timeline(http_request *r, err_t *e);
int handle_onboarding_get(http_request *r, err_t *e);
int handle_onboarding_apply(http_request *r, err_t *e);
int handle_checkins_due(http_request *r, err_t *e);
int handle_onboarding_list(http_request *r, err_t *e);
int handle_followup(http_request *r, err_t *e);
int handle_today(http_request *r, err_t *e);
int handle_client_health(http_request *r, err_t *e);
int handle_health_settings(http_request *r, err_t *e);
int handle_client_latency(http_request *r, err_t *e);
int handle_at_risk(http_request *r, err_t *e);
/* handlers_service.c */
int handle_sla_breaches(http_request *r, err_t *e);
int handle_feedback_acted_on(http_request *r, err_t *e);
int handle_webhook_test(http_request *r, err_t *e);
int handle_webhook_rotate_secret(http_request *r, err_t *e);
/* handlers_revenue.c */
int handle_pipeline(http_request *r, err_t *e);
int handle_client_revenue(http_request *r, err_t *e);
int handle_revenue(http_request *r, err_t *e);
/* handlers_metrics.c */
int handle_metrics(http_request *r, err_t *e);
int handle_chart(http_request *r, err_t *e);

#endif
