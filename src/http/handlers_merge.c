/* handlers_merge: likely duplicates, merging them, and undoing a merge (core/bulk/duplicates.h). */
#include <stdlib.h>
#include <string.h>

#include "core/bulk/duplicates.h"
#include "core/engine/record.h"
#include "http/http.h"

typedef struct dup_params {
    const char *entity, *limit;
} dup_params;

static int take(void *ctx, const char *key, const char *value, err_t *e)
{
    dup_params *p = ctx;
    if (!strcmp(key, "entity"))
        p->entity = strdup(value);
    else if (!strcmp(key, "limit"))
        p->limit = strdup(value);
    else
        return err_set(e, E_INVALID_PARAMETER, key, "duplicates takes entity and limit only");
    return 0;
}

int handle_duplicates(http_request *r, err_t *e)
{
    dup_params p = {0};
    int limit = 50, rc = http_query_each(r->query, take, &p, e);
    const entity *en = rc == 0 && p.entity ? entity_by_path(p.entity) : NULL;
    if (rc == 0 && !en)
        rc = err_set(e, p.entity ? E_INVALID_PARAMETER : E_REQUIRED, "entity", "entity must be clients or contacts");
    if (rc == 0 && p.limit)
        rc = list_parse_limit(p.limit, 1000, &limit, e);
    if (rc == 0)
        rc = duplicates_find(r->db, &r->who, en, limit, &r->out, e);
    free((char *)p.entity);
    free((char *)p.limit);
    return rc;
}

/* The entity of a record id, by its prefix (cli_..., con_...). */
static const entity *entity_of_id(const char *id)
{
    for (int i = 0; id && i < entity_count; i++) {
        size_t n = strlen(entity_table[i]->id_prefix);
        if (!strncmp(id, entity_table[i]->id_prefix, n) && id[n] == '_')
            return entity_table[i];
    }
    return NULL;
}

int handle_merge(http_request *r, err_t *e)
{
    const char *key;
    json_t *v;
    json_object_foreach(r->json, key, v) {
        if (strcmp(key, "keep_id") && strcmp(key, "other_id"))
            return err_set(e, E_UNKNOWN_FIELD, key, "a merge takes keep_id and other_id");
        if (!json_is_string(v))
            return err_set(e, E_INVALID_TYPE, key, "%s must be a record id", key);
    }
    const char *keep = json_string_value(json_object_get(r->json, "keep_id"));
    const char *other = json_string_value(json_object_get(r->json, "other_id"));
    if (!keep || !other)
        return err_set(e, E_REQUIRED, keep ? "other_id" : "keep_id", "a merge needs keep_id and other_id");
    const entity *en = entity_of_id(keep);
    if (!en || (strcmp(en->name, "clients") && strcmp(en->name, "contacts")))
        return err_set(e, E_INVALID_VALUE, "keep_id", "keep_id must be a client or contact id");
    if (entity_of_id(other) != en)
        return err_set(e, E_INVALID_VALUE, "other_id", "other_id must be a %s id, like keep_id", en->singular);
    r->status = 201;
    return duplicates_merge(r->db, &r->who, en, keep, other, &r->out, e);
}

int handle_merge_undo(http_request *r, err_t *e) { return duplicates_unmerge(r->db, &r->who, r->segv[3], &r->out, e); }
