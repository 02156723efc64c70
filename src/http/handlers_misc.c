/* handlers_misc: liveness, the API description, cross-entity search, and the landing page. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/openapi.h"
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

/* servers: RAPPORT_PUBLIC_URL when set (behind a proxy), else the Host this request named, if it is a
 * plain host[:port] — anything else would be echoed into the document. */
static void server_url(const http_request *r, char *out, size_t n)
{
    const char *pub = getenv("RAPPORT_PUBLIC_URL");
    int plain = r->host && *r->host && strlen(r->host) < 200;
    for (const char *p = r->host; plain && *p; p++)
        plain = isalnum((unsigned char)*p) || strchr(".-:[]", *p);
    if (pub && *pub)
        snprintf(out, n, "%s", pub);
    else if (plain)
        snprintf(out, n, "http://%s", r->host);
    else
        snprintf(out, n, "/");
}

int handle_openapi(http_request *r, err_t *e)
{
    char url[256];
    server_url(r, url, sizeof url);
    if (openapi_write(&r->out, url, 0) < 0)
        return err_set(e, E_INTERNAL, NULL, "the embedded API schemas do not parse");
    return 0;
}

int handle_search(http_request *r, err_t *e)
{
    http_params p = {.names = {"q", "limit", NULL}};
    int limit = 20, rc = http_params_read(r->query, &p, e);
    const char *q = p.values[0], *l = p.values[1];
    if (rc == 0 && !q)
        rc = err_set(e, E_INVALID_PARAMETER, "q", "q is required");
    if (rc == 0 && l) {
        char *end;
        long n = strtol(l, &end, 10);
        if (!*l || *end || n < 1 || n > LIST_MAX_LIMIT)
            rc = err_set(e, E_INVALID_PARAMETER, "limit", "limit must be a whole number from 1 to %d", LIST_MAX_LIMIT);
        limit = (int)n;
    }
    if (rc == 0)
        rc = search_all(r->db, &r->who, q, limit, &r->out, e);
    http_params_release(&p);
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

