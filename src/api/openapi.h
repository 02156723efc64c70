/* openapi: the OpenAPI 3.0 document of the REST API, written from data: the route table (api/routes.c),
 * the answers' schemas (api/answers.json) and the entity table. `rapport openapi` prints it, and
 * GET /api/v1/openapi.json serves it; the two differ only in `servers`. */
#ifndef RAPPORT_OPENAPI_H
#define RAPPORT_OPENAPI_H
#include "util/strbuf.h"

/* The document's info.version: the API's, which changes with its shape rather than with every build. */
#define OPENAPI_API_VERSION "1.0.0"
/* info.license: the project has chosen no licence yet; change it here when it does. */
#define OPENAPI_LICENSE "All rights reserved"
#define OPENAPI_LICENSE_URL "https://en.wikipedia.org/wiki/All_rights_reserved"

/* Appends the document to out. server_url is the one entry of `servers` (NULL: "/", this server);
 * pretty indents it for people and diffs. Returns 0, or -1 when the embedded schemas do not parse (a
 * build error, which the unit tests catch). */
int openapi_write(strbuf *out, const char *server_url, int pretty);

#endif
