/* request_id: the id of each request, answered as X-Request-Id and put on its log lines (see http.h). A
 * client (or a proxy in front) may send its own, so one id follows a request across systems; one that
 * could break a header or a log line, or is too long to be an id, is replaced rather than refused. */
#include <stdio.h>
#include <string.h>

#include "util/ids.h"
#include "http/http.h"

int http_request_id_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n >= HTTP_REQUEST_ID_MAX)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-_.:", *p)))
            return 0;
    return 1;
}

void http_request_id_set(http_request *r)
{
    if (r->request_id[0]) /* set already: a request handed from a loop to the writer keeps its id */
        return;
    if (http_request_id_ok(r->request_id_in)) {
        snprintf(r->request_id, sizeof r->request_id, "%s", r->request_id_in);
        return;
    }
    char id[ID_MAX];
    id_new("req", id);
    snprintf(r->request_id, sizeof r->request_id, "%s", id);
}
