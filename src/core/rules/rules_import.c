/* rules_import: saved import mappings. The mapping is an object of column → target (a string: a field, or
 * "" to leave the column out); the columns, the file's header it was made for. Whether each target names
 * a field is checked when a file is imported with it, where the error can name the column. */
#include "core/rules/rules.h"

int rules_import_mapping_before_write(write_ctx *c)
{
    json_t *mapping = json_object_get(c->body, "mapping"), *columns = json_object_get(c->body, "columns");
    const char *key;
    json_t *v;
    size_t i;
    if (mapping && !json_is_object(mapping))
        return err_set(c->e, E_INVALID_VALUE, "mapping", "mapping must be an object of column: field");
    json_object_foreach(mapping, key, v) if (!json_is_string(v)) return err_set(
        c->e, E_INVALID_VALUE, "mapping", "the mapping of \"%.60s\" must be a field's name (or \"\")", key);
    json_array_foreach(columns, i, v) if (!json_is_string(v)) return err_set(
        c->e, E_INVALID_VALUE, "columns", "columns must be the file's column names (strings)");
    return 0;
}
