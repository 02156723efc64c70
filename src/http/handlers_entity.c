/* handlers_entity: the five generic record handlers, one set for every entity in the table. */
#include <string.h>

#include "core/bulk/import.h"
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

int handle_list(http_request *r, err_t *e)
{
    const entity *en = target(r, e);
    if (!en)
        return E_NOT_FOUND;
    list_query q;
    list_query_init(&q);
    void *ctx[] = {(void *)en, &q};
    int rc = access_check(&r->who, en, OP_LIST, NULL, e); /* refused before its parameters are read */
    if (rc == 0)
        rc = http_query_each(r->query, set_param, ctx, e);
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

/* POST /{entity}/import: 200 with the report, or the error with the report beside it when invalid rows
 * refused the file, so a client can show every problem at once. */
int handle_import(http_request *r, err_t *e)
{
    const entity *en = target(r, e);
    if (!en)
        return E_NOT_FOUND;
    import_opts o = {.source = "upload"};
    http_params p = {.names = {"dry_run", "skip_invalid", NULL}};
    int rc = http_params_read(r->query, &p, e);
    if (rc == 0)
        rc = http_param_bool(&p, "dry_run", &o.dry_run, e);
    if (rc == 0)
        rc = http_param_bool(&p, "skip_invalid", &o.skip_invalid, e);
    http_params_release(&p);
    if (rc < 0)
        return rc;
    strbuf report = STRBUF_INIT;
    rc = import_csv(r->db, &r->who, en, r->body ? r->body : "", r->body_len, &o, &report, e);
    if (rc == 0) {
        strbuf_add(&r->out, report.buf, report.len);
    } else if (report.len) {
        http_respond_error(r, e);
        strbuf_truncate(&r->out, r->out.len - 1); /* the error object's closing brace */
        strbuf_adds(&r->out, ",\"import\":");
        strbuf_add(&r->out, report.buf, report.len);
        strbuf_addc(&r->out, '}');
        rc = 0;
    }
    strbuf_release(&report);
    return rc;
}
