/* cmd_openapi: `rapport openapi` prints the API's OpenAPI document without a server or a database — what
 * `make openapi` commits as docs/openapi.json for the web app's build. servers is RAPPORT_PUBLIC_URL when
 * set, else "/" (the server that serves the document). */
#include <stdio.h>
#include <stdlib.h>

#include "api/openapi.h"
#include "cmd/cmd.h"

int cmd_openapi(cli *c, err_t *e)
{
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    if (c->nargs)
        return err_set(e, E_USAGE, NULL, "rapport openapi takes no arguments");
    const char *url = getenv("RAPPORT_PUBLIC_URL");
    strbuf out = STRBUF_INIT;
    if (openapi_write(&out, url && *url ? url : NULL, 1) < 0)
        rc = err_set(e, E_INTERNAL, NULL, "the embedded API schemas do not parse");
    else
        fwrite(out.buf, 1, out.len, stdout);
    strbuf_release(&out);
    return rc;
}
