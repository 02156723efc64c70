/* handlers_import: imports through the API, as background jobs (sched/import_job.h).
 *   POST /api/v1/{entity}/import   a text/csv body; ?dry_run, ?skip_invalid, ?preset, ?mapping (a JSON
 *                                  object of column: field); 202 with the import to poll
 *   GET /api/v1/imports/{id}       its progress and, once ended, its report
 *   DELETE /api/v1/imports/{id}    cancel it */
#include <string.h>

#include "sched/import_job.h"
#include "http/http.h"

typedef struct import_params {
    import_opts o;
    json_t *mapping;
} import_params;

static int import_param(void *ctx, const char *key, const char *value, err_t *e)
{
    import_params *p = ctx;
    if (!strcmp(key, "preset")) {
        p->o.preset = value; /* borrowed from the query's copy only for this call: kept below */
        return 0;
    }
    if (!strcmp(key, "mapping")) {
        json_error_t je;
        json_decref(p->mapping);
        p->mapping = json_loads(value, JSON_REJECT_DUPLICATES, &je);
        if (!json_is_object(p->mapping))
            return err_set(e, E_INVALID_PARAMETER, "mapping", "mapping must be a JSON object of column: field");
        const char *k;
        json_t *v;
        json_object_foreach(p->mapping, k, v) if (!json_is_string(v)) return err_set(
            e, E_INVALID_PARAMETER, "mapping", "the mapping of \"%.60s\" must be a field's name (or \"\")", k);
        return 0;
    }
    int *flag = !strcmp(key, "dry_run") ? &p->o.dry_run : !strcmp(key, "skip_invalid") ? &p->o.skip_invalid : NULL;
    if (!flag)
        return err_set(e, E_INVALID_PARAMETER, key,
                       "unknown parameter %.60s (dry_run, skip_invalid, preset, mapping)", key);
    if (strcmp(value, "true") && strcmp(value, "false"))
        return err_set(e, E_INVALID_PARAMETER, key, "%s must be true or false", key);
    *flag = !strcmp(value, "true");
    return 0;
}

static int keep_preset(void *ctx, const char *key, const char *value, err_t *e)
{
    (void)e;
    if (!strcmp(key, "preset"))
        snprintf(ctx, 64, "%s", value);
    return 0;
}

/* POST /{entity}/import: 202 with the import; GET it for progress and the report. */
int handle_import(http_request *r, err_t *e)
{
    const entity *en = entity_by_path(r->segv[2]);
    if (!en)
        return err_set(e, E_NOT_FOUND, NULL, "no such resource: %.60s", r->segv[2]);
    import_params p = {.o = {.source = "upload"}};
    char preset[64] = "";
    int rc = http_query_each(r->query, import_param, &p, e);
    if (rc == 0)
        http_query_each(r->query, keep_preset, preset, e);
    p.o.preset = *preset ? preset : NULL;
    p.o.mapping = p.mapping;
    if (rc == 0 && (rc = import_job_create(r->db, &r->who, en, r->body ? r->body : "", r->body_len, &p.o, &r->out,
                                           e)) == 0)
        r->status = 202;
    json_decref(p.mapping);
    return rc;
}

int handle_import_show(http_request *r, err_t *e) { return import_job_show(r->db, &r->who, r->segv[3], &r->out, e); }

int handle_import_cancel(http_request *r, err_t *e)
{
    return import_job_cancel(r->db, &r->who, r->segv[3], &r->out, e);
}
