/* handlers_revenue: the pipeline and revenue reports over HTTP (the sums are in core/revenue.c). */
#include <stdlib.h>
#include <string.h>

#include "core/practice/revenue.h"
#include "http/http.h"

/* GET /api/v1/pipeline */
int handle_pipeline(http_request *r, err_t *e)
{
    if (r->query && *r->query)
        return err_set(e, E_INVALID_PARAMETER, NULL, "the pipeline takes no parameters");
    return revenue_pipeline(r->db, &r->who, &r->out, e);
}

/* GET /api/v1/clients/{id}/revenue */
int handle_client_revenue(http_request *r, err_t *e)
{
    if (r->query && *r->query)
        return err_set(e, E_INVALID_PARAMETER, NULL, "a client's revenue takes no parameters");
    return revenue_client(r->db, &r->who, r->segv[3], &r->out, e);
}

typedef struct period {
    char *from, *to;
} period;

static int period_param(void *ctx, const char *key, const char *value, err_t *e)
{
    period *p = ctx;
    char **slot = !strcmp(key, "from") ? &p->from : !strcmp(key, "to") ? &p->to : NULL;
    if (!slot)
        return err_set(e, E_INVALID_PARAMETER, key, "unknown parameter %.60s (the period is ?from=DATE&to=DATE)", key);
    free(*slot);
    *slot = strdup(value);
    return 0;
}

/* GET /api/v1/revenue?from=DATE&to=DATE */
int handle_revenue(http_request *r, err_t *e)
{
    period p = {NULL, NULL};
    int rc = http_query_each(r->query, period_param, &p, e);
    if (rc == 0)
        rc = revenue_period(r->db, &r->who, p.from, p.to, &r->out, e);
    free(p.from);
    free(p.to);
    return rc;
}
