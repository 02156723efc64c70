/* params: one collector of a handler's query parameters (see http.h), so each handler names the
 * parameters it takes rather than walking the query string with its own callback. */
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

static int take(void *ctx, const char *key, const char *value, err_t *e)
{
    http_params *p = ctx;
    for (int i = 0; i < HTTP_MAX_PARAMS && p->names[i]; i++)
        if (!strcmp(p->names[i], key)) {
            char *copy = strdup(value);
            if (!copy)
                return err_set(e, E_INTERNAL, NULL, "out of memory");
            free(p->values[i]);
            p->values[i] = copy;
            return 0;
        }
    strbuf taken = STRBUF_INIT;
    int n = 0;
    while (n < HTTP_MAX_PARAMS && p->names[n])
        n++;
    strbuf_add_joined(&taken, p->names, n, ", ");
    int rc = n ? err_set(e, E_INVALID_PARAMETER, key, "unknown parameter %.60s (this takes %s)", key, taken.buf)
               : err_set(e, E_INVALID_PARAMETER, key, "unknown parameter %.60s (this takes none)", key);
    strbuf_release(&taken);
    return rc;
}

int http_params_read(const char *query, http_params *p, err_t *e)
{
    return http_query_each(query, take, p, e);
}

const char *http_param(const http_params *p, const char *name)
{
    for (int i = 0; i < HTTP_MAX_PARAMS && p->names[i]; i++)
        if (!strcmp(p->names[i], name))
            return p->values[i];
    return NULL;
}

void http_params_release(http_params *p)
{
    for (int i = 0; i < HTTP_MAX_PARAMS; i++) {
        free(p->values[i]);
        p->values[i] = NULL;
    }
}

int http_param_bool(const http_params *p, const char *name, int *out, err_t *e)
{
    const char *v = http_param(p, name);
    if (!v)
        return 0;
    if (strcmp(v, "true") && strcmp(v, "false"))
        return err_set(e, E_INVALID_PARAMETER, name, "%s must be true or false", name);
    *out = !strcmp(v, "true");
    return 0;
}
