/* framing: refuses a request whose body length two readers could read two ways (RFC 9112 6.3) —
 * several Content-Lengths (or one listing several values), or a Content-Length beside a
 * Transfer-Encoding. A proxy in front may have read it the other way, so what follows on the connection
 * could be a smuggled request.
 *
 * h2o keeps neither header in the request it hands over (it consumes them to read the body), so the
 * check sits where h2o parses a request head: libh2o calls picohttpparser's phr_parse_request through
 * the dynamic linker, and this definition comes first. It calls the library's own, then answers "not a
 * request" for an ambiguous head; h2o then replies 400 and closes the connection, pipelined requests
 * behind it included. */
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <strings.h>
#include <string.h>

#include "util/log.h"

struct phr_header { /* picohttpparser's, which libh2o exports (its header is not installed) */
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};

typedef int (*parse_fn)(const char *buf, size_t len, const char **method, size_t *method_len, const char **path,
                        size_t *path_len, int *minor_version, struct phr_header *headers, size_t *num_headers,
                        size_t last_len);

static int named(const struct phr_header *h, const char *name)
{
    return h->name && h->name_len == strlen(name) && !strncasecmp(h->name, name, h->name_len);
}

int framing_is_ambiguous(const struct phr_header *headers, size_t n);
int framing_is_ambiguous(const struct phr_header *headers, size_t n)
{
    int lengths = 0, encodings = 0;
    for (size_t i = 0; i < n; i++) {
        if (named(&headers[i], "content-length"))
            lengths += 1 + (memchr(headers[i].value, ',', headers[i].value_len) != NULL);
        else if (named(&headers[i], "transfer-encoding"))
            encodings++;
    }
    return lengths > 1 || (lengths && encodings);
}

static parse_fn real;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;
static void find_real(void) { *(void **)&real = dlsym(RTLD_NEXT, "phr_parse_request"); }

int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len, const char **path,
                      size_t *path_len, int *minor_version, struct phr_header *headers, size_t *num_headers,
                      size_t last_len);
int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len, const char **path,
                      size_t *path_len, int *minor_version, struct phr_header *headers, size_t *num_headers,
                      size_t last_len)
{
    pthread_once(&real_once, find_real);
    if (!real)
        return -1;
    int rc = real(buf, len, method, method_len, path, path_len, minor_version, headers, num_headers, last_len);
    if (rc > 0 && framing_is_ambiguous(headers, *num_headers)) {
        log_warn("refused a request whose body length reads two ways (Content-Length and Transfer-Encoding)");
        return -1;
    }
    return rc;
}
