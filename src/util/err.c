/* err: error codes mapped once to HTTP status, CLI exit status and JSON code (see err.h). */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const err_info table[] = {
    [0] = {"ok", 200, 0},
    [-E_INVALID_JSON] = {"invalid_json", 400, 5},
    [-E_INVALID_PARAMETER] = {"invalid_parameter", 400, 5},
    [-E_UNAUTHORIZED] = {"unauthorized", 401, 6},
    [-E_FORBIDDEN] = {"forbidden", 403, 6},
    [-E_NOT_FOUND] = {"not_found", 404, 3},
    [-E_METHOD_NOT_ALLOWED] = {"method_not_allowed", 405, 2},
    [-E_VERSION_CONFLICT] = {"version_conflict", 409, 4},
    [-E_CONFLICT] = {"conflict", 409, 4},
    [-E_PAYLOAD_TOO_LARGE] = {"payload_too_large", 413, 5},
    [-E_UNSUPPORTED_MEDIA_TYPE] = {"unsupported_media_type", 415, 5},
    [-E_UNKNOWN_FIELD] = {"unknown_field", 422, 5},
    [-E_INVALID_TYPE] = {"invalid_type", 422, 5},
    [-E_REQUIRED] = {"required", 422, 5},
    [-E_INVALID_VALUE] = {"invalid_value", 422, 5},
    [-E_INVALID_REFERENCE] = {"invalid_reference", 422, 5},
    [-E_READ_ONLY] = {"read_only", 422, 5},
    [-E_USAGE] = {"usage", 400, 2},
    [-E_UNAVAILABLE] = {"unavailable", 503, 1},
    [-E_INTERNAL] = {"internal", 500, 1},
    [-E_TOO_MANY_REQUESTS] = {"too_many_requests", 429, 1},
};

const err_info *err_lookup(err_code code)
{
    int i = -(int)code;
    if (i < 0 || i >= (int)(sizeof table / sizeof table[0]) || !table[i].name)
        return &table[-E_INTERNAL];
    return &table[i];
}

void err_clear(err_t *e)
{
    e->code = E_OK;
    e->field[0] = e->message[0] = '\0';
    e->retry_after = 0;
}

int err_set(err_t *e, err_code code, const char *field, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    e->retry_after = 0;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return code;
}

int err_recode(err_t *e, err_code code, const char *field)
{
    if (!e)
        return code;
    e->code = code;
    if (field && field != e->field)
        snprintf(e->field, sizeof e->field, "%s", field);
    return code;
}

void err_bug(const char *file, int line, const char *fmt, ...)
{
    fprintf(stderr, "BUG: %s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
