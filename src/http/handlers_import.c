/* handlers_import: imports through the API, as background jobs (sched/import_job.h).
 *   POST /api/v1/{entity}/import   a text/csv body; ?dry_run, ?skip_invalid, ?preset, ?mapping (a JSON
 *                                  object of column: field), ?client (id or name), ?on_match
 *                                  (create, update, skip), ?country_code; 202 with the import
 *   GET /api/v1/imports            the workspace's latest imports
 *   GET /api/v1/imports/{id}       its progress and, once ended, its report
 *   DELETE /api/v1/imports/{id}    cancel it */
#include <string.h>

#include "core/engine/record.h"
#include "sched/import_job.h"
#include "http/http.h"

typedef struct import_params {
    import_opts o;
    json_t *mapping;
} import_params;

static int import_param(void *ctx, const char *key, const char *value, err_t *e)
{
    import_params *p = ctx;
    if (!strcmp(key, "preset") || !strcmp(key, "client") || !strcmp(key, "country_code"))
        return 0; /* kept by keep_text: the value lives only for this call */
    if (!strcmp(key, "on_match")) {
        if ((p->o.on_match = import_on_match(value)) < 0)
            return err_set(e, E_INVALID_PARAMETER, key, "on_match must be create, update or skip");
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
                       "unknown parameter %.60s (dry_run, skip_invalid, preset, mapping, client, on_match, "
                       "country_code)",
                       key);
    if (strcmp(value, "true") && strcmp(value, "false"))
        return err_set(e, E_INVALID_PARAMETER, key, "%s must be true or false", key);
    *flag = !strcmp(value, "true");
    return 0;
}

typedef struct kept_text {
    char preset[64], client[256], country[8];
} kept_text;

static int keep_text(void *ctx, const char *key, const char *value, err_t *e)
{
    kept_text *k = ctx;
    if (!strcmp(key, "preset"))
        snprintf(k->preset, sizeof k->preset, "%s", value);
    else if (!strcmp(key, "client") && strlen(value) >= sizeof k->client)
        return err_set(e, E_INVALID_PARAMETER, "client", "client is too long");
    else if (!strcmp(key, "client"))
        snprintf(k->client, sizeof k->client, "%s", value);
    else if (!strcmp(key, "country_code") &&
             (strlen(value) > 3 || !*value || strspn(value, "0123456789") != strlen(value)))
        return err_set(e, E_INVALID_PARAMETER, "country_code", "country_code is a calling code: 1 to 3 digits (44)");
    else if (!strcmp(key, "country_code"))
        snprintf(k->country, sizeof k->country, "%s", value);
    return 0;
}

/* POST /{entity}/import: 202 with the import; GET it for progress and the report. */
int handle_import(http_request *r, err_t *e)
{
    const entity *en = entity_by_path(r->segv[2]);
    if (!en)
        return err_set(e, E_NOT_FOUND, NULL, "no such resource: %.60s", r->segv[2]);
    import_params p = {.o = {.source = "upload"}};
    kept_text kept = {"", "", ""};
    int rc = http_query_each(r->query, import_param, &p, e);
    if (rc == 0)
        rc = http_query_each(r->query, keep_text, &kept, e);
    p.o.preset = *kept.preset ? kept.preset : NULL;
    p.o.client = *kept.client ? kept.client : NULL;
    p.o.country_code = *kept.country ? kept.country : NULL;
    p.o.mapping = p.mapping;
    if (rc == 0 &&
        (rc = import_job_create(r->db, &r->who, en, r->body ? r->body : "", r->body_len, &p.o, &r->out, e)) == 0)
        r->status = 202;
    json_decref(p.mapping);
    return rc;
}

static int list_param(void *ctx, const char *key, const char *value, err_t *e)
{
    if (strcmp(key, "limit"))
        return err_set(e, E_INVALID_PARAMETER, key, "unknown parameter %.60s (limit)", key);
    return list_parse_limit(value, 100, ctx, e);
}

/* GET /imports: the workspace's latest imports, newest first (?limit, at most 100; 20 by default). */
int handle_import_list(http_request *r, err_t *e)
{
    int limit = 20, rc = http_query_each(r->query, list_param, &limit, e);
    return rc < 0 ? rc : import_job_list(r->db, &r->who, limit, &r->out, e);
}

int handle_import_show(http_request *r, err_t *e) { return import_job_show(r->db, &r->who, r->segv[3], &r->out, e); }

int handle_import_cancel(http_request *r, err_t *e)
{
    return import_job_cancel(r->db, &r->who, r->segv[3], &r->out, e);
}
