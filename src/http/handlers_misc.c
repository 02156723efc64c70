/* handlers_misc: liveness, the API description, cross-entity search, and the landing page. */
#include <stdlib.h>
#include <string.h>

#include "core/engine/openapi.h"
#include "core/engine/record.h"
#include "core/engine/search.h"
#include "util/version.h"
#include "http/http.h"

int handle_healthz(http_request *r, err_t *e)
{
    /* a real query, so a broken database shows here rather than on the first user's click */
    db_stmt *s;
    int rc = db_query_row(r->db, &s, e, "SELECT 1", 0, NULL);
    if (rc < 0)
        return rc;
    db_finalize(s);
    strbuf_adds(&r->out, "{\"status\":\"ok\",\"version\":");
    strbuf_add_json_str(&r->out, rapport_version);
    strbuf_addc(&r->out, '}');
    return 0;
}

int handle_openapi(http_request *r, err_t *e)
{
    (void)e;
    openapi_op extra[64];
    int n = 0;
    for (int i = 0; i < http_route_count && n < 64; i++)
        if (http_routes[i].summary)
            extra[n++] = (openapi_op){http_routes[i].pattern, http_routes[i].method, http_routes[i].summary};
    openapi_write(&r->out, rapport_version, extra, n);
    return 0;
}

typedef struct search_params {
    const char *q;
    int limit;
} search_params;

static int search_param(void *ctx, const char *key, const char *value, err_t *e)
{
    search_params *p = ctx;
    if (!strcmp(key, "q")) {
        free((char *)p->q);
        p->q = strdup(value);
        return 0;
    }
    if (!strcmp(key, "limit")) {
        char *end;
        long n = strtol(value, &end, 10);
        if (!*value || *end || n < 1 || n > LIST_MAX_LIMIT)
            return err_set(e, E_INVALID_PARAMETER, "limit", "limit must be a whole number from 1 to %d", LIST_MAX_LIMIT);
        p->limit = (int)n;
        return 0;
    }
    return err_set(e, E_INVALID_PARAMETER, key, "unknown parameter %.60s", key);
}

int handle_search(http_request *r, err_t *e)
{
    search_params p = {NULL, 20};
    int rc = http_query_each(r->query, search_param, &p, e);
    if (rc == 0 && !p.q)
        rc = err_set(e, E_INVALID_PARAMETER, "q", "q is required");
    if (rc == 0)
        rc = search_all(r->db, &r->who, p.q, p.limit, &r->out, e);
    free((char *)p.q);
    return rc;
}

/* No inline style or script: the Content-Security-Policy (server.c) would block them. */
int handle_index(http_request *r, err_t *e)
{
    (void)e;
    r->content_type_out = "text/html; charset=utf-8";
    strbuf_adds(&r->out,
                "<!doctype html><html lang=en><meta charset=utf-8><title>Rapport</title>"
                "<h1>Rapport</h1><p>Your client relationships, in one place. This server speaks the REST API "
                "under <code>/api/v1</code>; its description is at <a href=/api/v1/openapi.json>"
                "/api/v1/openapi.json</a> (sign in first).</p><p>Sign in with "
                "<code>POST /api/v1/login</code>, or use the <code>rapport</code> command line.</p></html>");
    return 0;
}

