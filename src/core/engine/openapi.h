/* openapi: the OpenAPI 3.0 description of the REST API, generated from the entity table. */
#ifndef RAPPORT_OPENAPI_H
#define RAPPORT_OPENAPI_H
#include "util/strbuf.h"

/* An operation beyond the entities' own (timeline, check-ins, ...), as the route table lists it. */
typedef struct openapi_op {
    const char *path, *method, *summary;
} openapi_op;

void openapi_write(strbuf *out, const char *version, const openapi_op *extra, int nextra);

#endif
