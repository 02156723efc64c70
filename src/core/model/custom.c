/* custom: validation of custom field values against their definitions (see custom.h). */
#include "core/model/custom.h"

#include <stdlib.h>
#include <string.h>

#include "util/clock.h"

/* "ada@example.com": something before one @, a dotted domain after it, no spaces */
int custom_is_email(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at > s && !strchr(at + 1, '@') && strchr(at + 1, '.') && at[1] != '.' && !strpbrk(s, " \t\r\n") &&
           s[strlen(s) - 1] != '.';
}

/* "https://example.com/...": http or https with a host */
int custom_is_url(const char *s)
{
    const char *host = !strncmp(s, "https://", 8) ? s + 8 : !strncmp(s, "http://", 7) ? s + 7 : NULL;
    return host && *host && *host != '/' && !strpbrk(s, " \t\r\n");
}

int custom_check_value(const char *type, json_t *options, const char *key, json_t *v, err_t *e)
{
    char name[80];
    snprintf(name, sizeof name, "custom.%s", key);
    if (!strcmp(type, "number")) {
        if (!json_is_number(v))
            return err_set(e, E_INVALID_TYPE, name, "%s must be a number", name);
        return 0;
    }
    if (!json_is_string(v))
        return err_set(e, E_INVALID_TYPE, name, "%s must be a string", name);
    const char *s = json_string_value(v);
    if (!strcmp(type, "date") && clock_parse_date(s, NULL))
        return err_set(e, E_INVALID_VALUE, name, "%s must be a date, YYYY-MM-DD", name);
    if (strcmp(type, "select") && json_string_length(v) > 2000)
        return err_set(e, E_INVALID_VALUE, name, "%s is longer than 2000 bytes", name);
    if (!strcmp(type, "email") && !custom_is_email(s))
        return err_set(e, E_INVALID_VALUE, name, "%s must be an email address", name);
    if (!strcmp(type, "url") && !custom_is_url(s))
        return err_set(e, E_INVALID_VALUE, name, "%s must be a web address starting http:// or https://", name);
    if (!strcmp(type, "select")) {
        size_t i;
        json_t *o;
        json_array_foreach(options, i, o) if (json_is_string(o) && !strcmp(json_string_value(o), s)) return 0;
        return err_set(e, E_INVALID_VALUE, name, "%s must be one of the field's options", name);
    }
    return 0;
}

int custom_validate(db *d, const actor *who, const entity *en, json_t *in, json_t *old, char **out, err_t *e)
{
    *out = NULL;
    if (in && !json_is_null(in) && !json_is_object(in))
        return err_set(e, E_INVALID_TYPE, "custom", "custom must be an object");
    json_t *merged = json_is_object(old) ? json_deep_copy(old) : json_object();
    int rc = 0;
    const char *key;
    json_t *v;
    json_object_foreach(json_is_object(in) ? in : NULL, key, v) {
        db_stmt *s;
        const char *args[] = {who->workspace_id, en->name, key};
        rc = db_query_row(d, &s, e, "SELECT type, options FROM custom_fields WHERE workspace_id = ? AND entity = ? AND key = ?",
                          3, args);
        if (rc == DB_DONE) {
            char name[80];
            snprintf(name, sizeof name, "custom.%.60s", key);
            rc = err_set(e, E_UNKNOWN_FIELD, name, "%s has no custom field %.60s", en->path, key);
        } else if (rc == DB_ROW) {
            const char *opt = db_col_text(s, 1, NULL);
            json_t *options = json_loads(opt ? opt : "[]", 0, NULL);
            rc = json_is_null(v) ? 0 : custom_check_value(db_col_text(s, 0, NULL), options, key, v, e);
            json_decref(options);
            db_finalize(s);
            if (rc == 0 && json_is_null(v))
                json_object_del(merged, key);
            else if (rc == 0)
                json_object_set(merged, key, v);
        }
        if (rc < 0)
            goto out;
    }
    *out = json_dumps(merged, JSON_COMPACT | JSON_SORT_KEYS);
    rc = *out ? 0 : err_set(e, E_INTERNAL, "custom", "out of memory");
out:
    json_decref(merged);
    return rc;
}
