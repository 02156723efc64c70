/* import_mapping: saved import mappings (the import_mappings entity) found for an import, and a report's
 * mapping saved under a name (see import.h). Both go through the generic record path, so the entity's
 * access rules, checks and audit apply as they do through the API. */
#include <string.h>

#include "core/bulk/import.h"
#include "core/access/access.h"
#include "core/engine/record.h"

int import_mapping_load(db *d, const actor *who, const entity *en, const char *ref, const char *param,
                        json_t **mapping, char *id, size_t idn, char *name, size_t namen, err_t *e)
{
    *mapping = NULL;
    const entity *me = entity_by_name("import_mappings");
    int rc = access_whole(who, me, OP_GET, e);
    if (rc < 0)
        return rc;
    db_stmt *s;
    const char *args[] = {who->workspace_id, en->name, ref, ref};
    rc = db_query_row(d, &s, e,
                      "SELECT id, name, mapping FROM import_mappings WHERE workspace_id = ? AND entity = ? "
                      "AND (id = ? OR name = ?) ORDER BY created_at LIMIT 1",
                      4, args);
    if (rc < 0)
        return rc;
    if (rc != DB_ROW)
        return err_set(e, E_NOT_FOUND, param, "no saved mapping %.100s for %s imports", ref, en->path);
    snprintf(id, idn, "%s", db_col_text(s, 0, NULL));
    snprintf(name, namen, "%s", db_col_text(s, 1, NULL));
    const char *text = db_col_text(s, 2, NULL);
    *mapping = json_loads(text ? text : "{}", 0, NULL);
    db_finalize(s);
    if (!json_is_object(*mapping)) {
        json_decref(*mapping);
        *mapping = NULL;
        return err_set(e, E_INTERNAL, param, "the saved mapping %.100s is not an object", ref);
    }
    return 0;
}

int import_mapping_save(db *d, const actor *who, const entity *en, const char *name, const char *report,
                        strbuf *out, err_t *e)
{
    const entity *me = entity_by_name("import_mappings");
    json_t *r = json_loads(report, 0, NULL), *mapping = json_object_get(r, "mapping");
    if (!json_is_object(mapping)) {
        json_decref(r);
        return err_set(e, E_INVALID_VALUE, "save_mapping", "the import read no header, so there is no mapping to save");
    }
    json_t *columns = json_array(), *body = json_object();
    const char *col;
    json_t *v;
    json_object_foreach(json_object_get(r, "column_sources"), col, v) json_array_append_new(columns, json_string(col));
    json_object_set_new(body, "entity", json_string(en->name));
    json_object_set_new(body, "name", json_string(name));
    json_object_set(body, "mapping", mapping);
    json_object_set_new(body, "columns", columns);
    db_stmt *s;
    const char *args[] = {who->workspace_id, en->name, name};
    int rc = db_begin(d, e);
    if (rc == 0)
        rc = db_query_row(d, &s, e,
                          "SELECT id, version FROM import_mappings WHERE workspace_id = ? AND entity = ? AND name = ?",
                          3, args);
    if (rc == DB_ROW) { /* the name is taken: the mapping of that name is replaced */
        char id[ID_MAX];
        snprintf(id, sizeof id, "%s", db_col_text(s, 0, NULL));
        json_object_set_new(body, "version", json_integer(db_col_int(s, 1)));
        db_finalize(s);
        json_object_del(body, "entity");
        rc = record_update(d, who, me, id, body, out, e);
    } else if (rc == DB_DONE) {
        rc = record_create(d, who, me, body, out, e);
    }
    if (rc >= 0)
        rc = db_commit(d, e);
    else
        db_rollback(d);
    json_decref(body);
    json_decref(r);
    return rc < 0 ? rc : 0;
}
