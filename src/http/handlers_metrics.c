/* handlers_metrics: GET /api/v1/metrics and the SVG charts under /api/v1/charts/ (the figures are in
 * core/metrics*.c, the drawing in core/charts.c). */
#include <stdlib.h>
#include <string.h>

#include "core/insight/metrics.h"
#include "core/insight/health.h"
#include "util/clock.h"
#include "http/http.h"

typedef struct params {
    char *from, *to, *owner_id, *client_id, *group_by, *currency;
    int chart; /* group_by is a metrics parameter, currency a revenue chart's */
} params;

static int param(void *ctx, const char *key, const char *value, err_t *e)
{
    params *p = ctx;
    char **slot = !strcmp(key, "from")        ? &p->from
                  : !strcmp(key, "to")        ? &p->to
                  : !strcmp(key, "owner_id")  ? &p->owner_id
                  : !strcmp(key, "client_id") ? &p->client_id
                  : !strcmp(key, "group_by") && !p->chart ? &p->group_by
                  : !strcmp(key, "currency") && p->chart  ? &p->currency
                                                          : NULL;
    if (!slot)
        return err_set(e, E_INVALID_PARAMETER, key, "unknown parameter %.60s (use from, to, owner_id, client_id, %s)",
                       key, p->chart ? "currency" : "group_by");
    free(*slot);
    *slot = strdup(value);
    return 0;
}

static void params_release(params *p)
{
    free(p->from);
    free(p->to);
    free(p->owner_id);
    free(p->client_id);
    free(p->group_by);
    free(p->currency);
}

static metrics_query as_query(const params *p)
{
    return (metrics_query){p->from, p->to, p->owner_id, p->client_id, p->group_by};
}

/* GET /api/v1/metrics?from=DATE&to=DATE[&owner_id=][&client_id=][&group_by=month|owner|client] */
int handle_metrics(http_request *r, err_t *e)
{
    params p = {0};
    int rc = http_query_each(r->query, param, &p, e);
    if (rc == 0) {
        metrics_query q = as_query(&p);
        rc = metrics_report(r->db, &r->who, &q, &r->out, e);
    }
    params_release(&p);
    return rc;
}

/* GET /api/v1/charts/{retention|revenue|response-times}?from=&to=[&currency=] → image/svg+xml */
int handle_chart(http_request *r, err_t *e)
{
    const char *name = r->segv[3];
    if (!strcmp(name, "health-bands")) { /* a picture of now: no period */
        if (r->query && *r->query)
            return err_set(e, E_INVALID_PARAMETER, NULL, "the health-bands chart takes no parameters");
        int rc = health_chart_bands(r->db, &r->who, clock_now(), &r->out, e);
        if (rc == 0)
            r->content_type_out = "image/svg+xml";
        return rc;
    }
    params p = {.chart = 1};
    int rc = http_query_each(r->query, param, &p, e);
    metrics_query q = as_query(&p);
    if (rc == 0 && p.currency && strcmp(name, "revenue"))
        rc = err_set(e, E_INVALID_PARAMETER, "currency", "only the revenue chart takes a currency");
    if (rc == 0 && !strcmp(name, "retention"))
        rc = metrics_chart_retention(r->db, &r->who, &q, &r->out, e);
    else if (rc == 0 && !strcmp(name, "revenue"))
        rc = metrics_chart_revenue(r->db, &r->who, &q, p.currency, &r->out, e);
    else if (rc == 0)
        rc = metrics_chart_response_times(r->db, &r->who, &q, &r->out, e);
    if (rc == 0)
        r->content_type_out = "image/svg+xml";
    params_release(&p);
    return rc;
}
