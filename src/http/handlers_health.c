/* handlers_health: a client's health score and reply latency, and the at-risk list, over HTTP (see
 * core/health.h, core/latency.h). Each takes ?as_of= (RFC 3339) to look at the past; default now. */
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "core/insight/health.h"
#include "core/insight/latency.h"
#include "core/engine/record.h"
#include "util/clock.h"
#include "http/http.h"

/* as_of is always the first parameter */
static int read_params(http_request *r, http_params *p, int64_t *as_of, err_t *e)
{
    int rc = http_params_read(r->query, p, e);
    *as_of = clock_now();
    if (rc == 0 && p->values[0] && clock_parse(p->values[0], as_of))
        rc = err_set(e, E_INVALID_PARAMETER, "as_of", "as_of must be a time like 2026-11-20T10:00:00Z");
    return rc;
}

int handle_client_health(http_request *r, err_t *e)
{
    http_params p = {.names = {"as_of", NULL}};
    int64_t as_of;
    int rc = read_params(r, &p, &as_of, e);
    if (rc == 0)
        rc = health_score(r->db, &r->who, r->segv[3], as_of, &r->out, e);
    http_params_release(&p);
    return rc;
}

/* GET /api/v1/settings/health: the health score's settings in force, with their defaults. */
int handle_health_settings(http_request *r, err_t *e)
{
    const entity *ws = entity_by_name("workspaces");
    health_settings s;
    int rc = access_check(&r->who, ws, OP_GET, NULL, e);
    if (rc == 0)
        rc = health_settings_load(r->db, &r->who, &s, e);
    if (rc == 0)
        health_settings_describe(&s, &r->out);
    return rc;
}

int handle_client_latency(http_request *r, err_t *e)
{
    http_params p = {.names = {"as_of", NULL}};
    int64_t as_of;
    int rc = read_params(r, &p, &as_of, e);
    if (rc == 0)
        rc = latency_client(r->db, &r->who, r->segv[3], as_of, &r->out, e);
    http_params_release(&p);
    return rc;
}

int handle_at_risk(http_request *r, err_t *e)
{
    http_params p = {.names = {"as_of", "limit", "owner_id", "band", "mine", NULL}};
    health_query q = {.band = -1, .limit = 50};
    int rc = read_params(r, &p, &q.as_of, e);
    if (rc == 0 && p.values[1])
        rc = list_parse_limit(p.values[1], 1000, &q.limit, e);
    if (rc == 0 && p.values[3] && (q.band = health_band_parse(p.values[3])) < 0)
        rc = err_set(e, E_INVALID_PARAMETER, "band", "band must be healthy, watch or at_risk");
    int mine = 0;
    if (rc == 0)
        rc = http_param_bool(&p, "mine", &mine, e);
    q.owner_id = mine ? r->who.user_id : p.values[2];
    q.stored = !p.values[0]; /* now: the stored scores narrow who is scored */
    if (rc == 0)
        rc = health_at_risk(r->db, &r->who, &q, &r->out, e);
    http_params_release(&p);
    return rc;
}
