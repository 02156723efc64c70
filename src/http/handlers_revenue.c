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

/* GET /api/v1/revenue?from=DATE&to=DATE */
int handle_revenue(http_request *r, err_t *e)
{
    http_params p = {.names = {"from", "to", NULL}};
    int rc = http_params_read(r->query, &p, e);
    if (rc == 0)
        rc = revenue_period(r->db, &r->who, p.values[0], p.values[1], &r->out, e);
    http_params_release(&p);
    return rc;
}
