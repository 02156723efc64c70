/* openapi: the OpenAPI 3.0 description of the REST API, generated from the entity table. */
#ifndef RAPPORT_OPENAPI_H
#define RAPPORT_OPENAPI_H
#include "../util/strbuf.h"

void openapi_write(strbuf *out, const char *version);

#endif
