/* handlers_health: a client's health score and reply latency, and the at-risk list, over HTTP (see
 * core/health.h, core/latency.h). Each takes ?as_of= (RFC 3339) to look at the past; default now. */
#include <stdlib.h>
#include <string.h>

#include "core/insight/health.h"
#include "core/insight/latency.h"
#include "core/engine/record.h"
#include "util/clock.h"
#include "http/http.h"

#define NPARAMS 5

typedef struct params {
    const char *names[NPARAMS + 1];
    char *values[NPARAMS];
} params;

static int take(void *ctx, const char *key, const char *value, err_t *e)
{
    params *p = ctx;
    for (int i = 0; i < NPARAMS && p->names[i]; i++)
        if (!strcmp(p->names[i], key)) {
            free(p->values[i]);
            p->values[i] = strdup(value);
            return 0;
        }
    return err_set(e, E_INVALID_PARAMETER, key, "unknown parameter %.60s", key);
}

static void params_free(params *p)
{
    for (int i = 0; i < NPARAMS; i++)
        free(p->values[i]);
}

/* as_of is always the first parameter */
static int read_params(http_request *r, params *p, int64_t *as_of, err_t *e)
{
    int rc = http_query_each(r->query, take, p, e);
    *as_of = clock_now();
    if (rc == 0 && p->values[0] && clock_parse(p->values[0], as_of))
        rc = err_set(e, E_INVALID_PARAMETER, "as_of", "as_of must be a time like 2026-11-20T10:00:00Z");
    return rc;
}

int handle_client_health(http_request *r, err_t *e)
{
    params p = {.names = {"as_of", NULL}};
    int64_t as_of;
    int rc = read_params(r, &p, &as_of, e);
    if (rc == 0)
        rc = health_score(r->db, &r->who, r->segv[3], as_of, &r->out, e);
    params_free(&p);
    return rc;
}

int handle_client_latency(http_request *r, err_t *e)
{
    params p = {.names = {"as_of", NULL}};
    int64_t as_of;
    int rc = read_params(r, &p, &as_of, e);
    if (rc == 0)
        rc = latency_client(r->db, &r->who, r->segv[3], as_of, &r->out, e);
    params_free(&p);
    return rc;
}

int handle_at_risk(http_request *r, err_t *e)
{
    params p = {.names = {"as_of", "limit", "owner_id", "band", "mine", NULL}};
    health_query q = {.band = -1, .limit = 50};
    int rc = read_params(r, &p, &q.as_of, e);
    if (rc == 0 && p.values[1])
        rc = list_parse_limit(p.values[1], 1000, &q.limit, e);
    if (rc == 0 && p.values[3] && (q.band = health_band_parse(p.values[3])) < 0)
        rc = err_set(e, E_INVALID_PARAMETER, "band", "band must be healthy, watch or at_risk");
    if (rc == 0 && p.values[4] && strcmp(p.values[4], "true") && strcmp(p.values[4], "false"))
        rc = err_set(e, E_INVALID_PARAMETER, "mine", "mine must be true or false");
    q.owner_id = p.values[4] && !strcmp(p.values[4], "true") ? r->who.user_id : p.values[2];
    q.stored = !p.values[0]; /* now: the stored scores narrow who is scored */
    if (rc == 0)
        rc = health_at_risk(r->db, &r->who, &q, &r->out, e);
    params_free(&p);
    return rc;
}
