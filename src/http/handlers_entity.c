/* handlers_entity: the five generic record handlers, one set for every entity in the table. */
#include <stdlib.h>
#include <string.h>

#include "core/bulk/bulk_update.h"
#include "core/bulk/export.h"
#include "core/access/access.h"
#include "core/engine/record.h"
#include "http/http.h"

static const entity *target(http_request *r, err_t *e)
{
    const entity *en = entity_by_path(r->segv[2]);
    if (!en)
        err_set(e, E_NOT_FOUND, NULL, "no such resource: %.60s", r->segv[2]);
    return en;
}

static int set_param(void *ctx, const char *key, const char *value, err_t *e)
{
    void **c = ctx;
    return list_query_set(c[0], c[1], key, value, e);
}

/* The list's filters, q and sort from the query string, once the caller may do op on en (refused before
 * its parameters are read). q is initialised either way: the caller clears it. */
static int read_list_query(http_request *r, const entity *en, int op, list_query *q, err_t *e)
{
    list_query_init(q);
    void *ctx[] = {(void *)en, q};
    int rc = access_check(&r->who, en, op, NULL, e);
    return rc ? rc : http_query_each(r->query, set_param, ctx, e);
}

int handle_list(http_request *r, err_t *e)
{
    const entity *en = target(r, e);
    if (!en)
        return E_NOT_FOUND;
    list_query q;
    int rc = read_list_query(r, en, OP_LIST, &q, e);
    if (rc == 0)
        rc = record_list(r->db, &r->who, en, &q, &r->out, e);
    list_query_clear(&q);
    return rc;
}

int handle_create(http_request *r, err_t *e)
{
    const entity *en = target(r, e);
    if (!en)
        return E_NOT_FOUND;
    int rc = record_create(r->db, &r->who, en, r->json, &r->out, e);
    r->status = 201;
    return rc;
}

int handle_get(http_request *r, err_t *e)
{
    const entity *en = target(r, e);
    return en ? record_show(r->db, &r->who, en, r->segv[3], &r->out, e) : E_NOT_FOUND;
}

int handle_update(http_request *r, err_t *e)
{
    const entity *en = target(r, e);
    return en ? record_update(r->db, &r->who, en, r->segv[3], r->json, &r->out, e) : E_NOT_FOUND;
}

int handle_delete(http_request *r, err_t *e)
{
    const entity *en = target(r, e);
    int rc = en ? record_delete(r->db, &r->who, en, r->segv[3], e) : E_NOT_FOUND;
    r->status = 204;
    return rc;
}

/* GET /api/v1/{entity}/export: every record the list's filters select, as CSV (default) or JSON Lines,
 * with the columns chosen (?columns=name,stage,custom.tier) in their order.
 * The answer is built whole, so it is bounded by the answer cap; the CLI streams larger ones. */
static int append_out(void *ctx, const char *buf, size_t n, err_t *e)
{
    (void)e;
    strbuf_add(ctx, buf, n);
    return 0;
}

typedef struct export_params {
    const entity *en;
    list_query q;
    const char *format;
    const char *columns;
} export_params;

static int export_param(void *ctx, const char *key, const char *value, err_t *e)
{
    export_params *p = ctx;
    if (!strcmp(key, "format")) {
        free((char *)p->format);
        p->format = strdup(value);
        return 0;
    }
    if (!strcmp(key, "columns")) {
        free((char *)p->columns);
        p->columns = strdup(value);
        return 0;
    }
    return list_query_set(p->en, &p->q, key, value, e);
}

int handle_export(http_request *r, err_t *e)
{
    export_params p = {.en = entity_by_path(r->segv[2])};
    if (!p.en)
        return err_set(e, E_NOT_FOUND, NULL, "no such resource: %s", r->segv[2]);
    list_query_init(&p.q);
    int format = EXPORT_CSV, rc = http_query_each(r->query, export_param, &p, e);
    if (rc == 0)
        rc = export_parse_format(p.format, &format, e);
    if (rc == 0)
        rc = export_records(r->db, &r->who, p.en, &p.q, format, p.columns, append_out, &r->out, e);
    if (rc == 0)
        r->content_type_out = format == EXPORT_CSV ? "text/csv; charset=utf-8" : "application/x-ndjson";
    list_query_clear(&p.q);
    free((char *)p.format);
    free((char *)p.columns);
    return rc;
}

/* POST /api/v1/{entity}/bulk?FILTERS: one change to every record the filters select (bulk_update.h). */
int handle_bulk_update(http_request *r, err_t *e)
{
    const entity *en = target(r, e);
    if (!en)
        return E_NOT_FOUND;
    list_query q;
    int rc = read_list_query(r, en, OP_UPDATE, &q, e);
    if (rc == 0)
        rc = bulk_update(r->db, &r->who, en, &q, r->json, &r->out, e);
    list_query_clear(&q);
    return rc;
}
