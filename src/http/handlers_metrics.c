/* handlers_metrics: GET /api/v1/metrics and the SVG charts under /api/v1/charts/ (the figures are in
 * core/metrics*.c, the drawing in core/charts.c). */
#include <stdlib.h>
#include <string.h>

#include "core/insight/metrics.h"
#include "core/insight/metrics_csv.h"
#include "core/insight/health.h"
#include "util/clock.h"
#include "http/http.h"

/* from, to, owner_id and client_id, then group_by and format (the metrics) or currency (a revenue chart) */
static int read_query(http_request *r, int chart, http_params *p, metrics_query *q, err_t *e)
{
    *p = (http_params){.names = {"from", "to", "owner_id", "client_id", chart ? "currency" : "group_by",
                                 chart ? NULL : "format", NULL}};
    int rc = http_params_read(r->query, p, e);
    *q = (metrics_query){p->values[0], p->values[1], p->values[2], p->values[3], chart ? NULL : p->values[4]};
    return rc;
}

/* GET /api/v1/metrics?from=DATE&to=DATE[&owner_id=][&client_id=][&group_by=month|owner|client][&format=csv] */
int handle_metrics(http_request *r, err_t *e)
{
    http_params p;
    metrics_query q;
    int rc = read_query(r, 0, &p, &q, e);
    const char *format = p.values[5];
    if (rc == 0 && format && strcmp(format, "json") && strcmp(format, "csv"))
        rc = err_set(e, E_INVALID_PARAMETER, "format", "format must be json or csv, not '%.20s'", format);
    int csv = rc == 0 && format && !strcmp(format, "csv");
    strbuf json = STRBUF_INIT;
    if (rc == 0)
        rc = metrics_report(r->db, &r->who, &q, csv ? &json : &r->out, e);
    if (rc == 0 && csv && (rc = metrics_csv(json.buf, &r->out, e)) == 0)
        r->content_type_out = "text/csv; charset=utf-8";
    strbuf_release(&json);
    http_params_release(&p);
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
    http_params p;
    metrics_query q;
    int rc = read_query(r, 1, &p, &q, e);
    const char *currency = p.values[4];
    if (rc == 0 && currency && strcmp(name, "revenue"))
        rc = err_set(e, E_INVALID_PARAMETER, "currency", "only the revenue chart takes a currency");
    if (rc == 0 && !strcmp(name, "retention"))
        rc = metrics_chart_retention(r->db, &r->who, &q, &r->out, e);
    else if (rc == 0 && !strcmp(name, "revenue"))
        rc = metrics_chart_revenue(r->db, &r->who, &q, currency, &r->out, e);
    else if (rc == 0)
        rc = metrics_chart_response_times(r->db, &r->who, &q, &r->out, e);
    if (rc == 0)
        r->content_type_out = "image/svg+xml";
    http_params_release(&p);
    return rc;
}
