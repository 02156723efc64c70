/* handlers_import: imports through the API, as background jobs (sched/import_job.h).
 *   POST /api/v1/{entity}/import   a text/csv body; ?dry_run, ?skip_invalid, ?preset, ?mapping (a JSON
 *                                  object of column: field), ?client (id or name), ?on_match
 *                                  (create, update, skip), ?country_code, ?mapping_id or ?mapping_name (a
 *                                  saved mapping), ?create_fields (columns, or "all"); 202 with the import
 *   GET /api/v1/imports            the workspace's latest imports
 *   GET /api/v1/imports/{id}       its progress and, once ended, its report
 *   DELETE /api/v1/imports/{id}    cancel it */
#include <string.h>

#include "core/access/access.h"
#include "core/engine/record.h"
#include "sched/import_job.h"
#include "util/phone.h"
#include "http/http.h"

typedef struct import_params {
    import_opts o;
    json_t *mapping;
} import_params;

static int import_param(void *ctx, const char *key, const char *value, err_t *e)
{
    import_params *p = ctx;
    if (!strcmp(key, "preset") || !strcmp(key, "client") || !strcmp(key, "country_code") ||
        !strcmp(key, "mapping_id") || !strcmp(key, "mapping_name") || !strcmp(key, "create_fields"))
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
                       "unknown parameter %.60s (dry_run, skip_invalid, preset, mapping, mapping_id, mapping_name, "
                       "create_fields, client, on_match, country_code)",
                       key);
    if (strcmp(value, "true") && strcmp(value, "false"))
        return err_set(e, E_INVALID_PARAMETER, key, "%s must be true or false", key);
    *flag = !strcmp(value, "true");
    return 0;
}

typedef struct kept_text {
    char preset[64], client[256], country[8], saved[128], create[2048];
    const char *saved_param;
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
    else if (!strcmp(key, "country_code") && phone_region_of_calling_code(value, k->country, sizeof k->country) < 0)
        return err_set(e, E_INVALID_PARAMETER, "country_code", "no country has the calling code %s", value);
    else if (!strcmp(key, "country_code"))
        snprintf(k->country, sizeof k->country, "%s", value);
    else if ((!strcmp(key, "mapping_id") || !strcmp(key, "mapping_name")) && *k->saved)
        return err_set(e, E_INVALID_PARAMETER, key, "name a saved mapping once: mapping_id or mapping_name");
    else if ((!strcmp(key, "mapping_id") || !strcmp(key, "mapping_name")) && (!*value || strlen(value) >= sizeof k->saved))
        return err_set(e, E_INVALID_PARAMETER, key, "%s names a saved mapping (at most 100 characters)", key);
    else if (!strcmp(key, "mapping_id") || !strcmp(key, "mapping_name")) {
        snprintf(k->saved, sizeof k->saved, "%s", value);
        k->saved_param = !strcmp(key, "mapping_id") ? "mapping_id" : "mapping_name";
    } else if (!strcmp(key, "create_fields") && strlen(value) >= sizeof k->create)
        return err_set(e, E_INVALID_PARAMETER, key, "create_fields is too long");
    else if (!strcmp(key, "create_fields"))
        snprintf(k->create, sizeof k->create, "%s", value);
    return 0;
}

/* POST /{entity}/import: 202 with the import; GET it for progress and the report. */
int handle_import(http_request *r, err_t *e)
{
    const entity *en = entity_by_path(r->segv[2]);
    if (!en)
        return err_set(e, E_NOT_FOUND, NULL, "no such resource: %.60s", r->segv[2]);
    import_params p = {.o = {.source = "upload"}};
    kept_text kept = {.saved_param = NULL};
    int rc = http_query_each(r->query, import_param, &p, e);
    if (rc == 0)
        rc = http_query_each(r->query, keep_text, &kept, e);
    p.o.preset = *kept.preset ? kept.preset : NULL;
    p.o.client = *kept.client ? kept.client : NULL;
    p.o.country_code = *kept.country ? kept.country : NULL;
    p.o.create_fields = *kept.create ? kept.create : NULL;
    p.o.mapping = p.mapping;
    json_t *saved = NULL;
    char saved_id[ID_MAX], saved_name[128];
    if (rc == 0 && kept.saved_param &&
        (rc = import_mapping_load(r->db, &r->who, en, kept.saved, kept.saved_param, &saved, saved_id, sizeof saved_id,
                                  saved_name, sizeof saved_name, e)) == 0) {
        p.o.saved = saved;
        p.o.saved_id = saved_id;
        p.o.saved_name = saved_name;
    }
    if (rc == 0 && p.o.create_fields && (rc = access_whole(&r->who, entity_by_name("custom_fields"), OP_CREATE, e)) < 0)
        snprintf(e->field, sizeof e->field, "create_fields"); /* an admin's: said now, not when the job runs */
    if (rc == 0 &&
        (rc = import_job_create(r->db, &r->who, en, r->body ? r->body : "", r->body_len, &p.o, &r->out, e)) == 0)
        r->status = 202;
    json_decref(p.mapping);
    json_decref(saved);
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
