/* trusted_proxy: X-Forwarded-* from trusted peers only (see trusted_proxy.h). */
#include "http/trusted_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    int family;
    unsigned char addr[16];
    int bits;
} network;

static network nets[TRUSTED_PROXY_MAX];
static int nnets;

/* Parses "ADDR" or "ADDR/BITS" (v4-mapped v6 addresses count as v4). */
static int parse_net(const char *s, network *n)
{
    char host[64];
    const char *slash = strchr(s, '/');
    size_t len = slash ? (size_t)(slash - s) : strlen(s);
    if (len == 0 || len >= sizeof host)
        return -1;
    memcpy(host, s, len);
    host[len] = '\0';
    memset(n, 0, sizeof *n);
    if (inet_pton(AF_INET, host, n->addr) == 1)
        n->family = AF_INET, n->bits = 32;
    else if (inet_pton(AF_INET6, host, n->addr) == 1)
        n->family = AF_INET6, n->bits = 128;
    else
        return -1;
    if (slash) {
        char *end;
        long b = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end || b < 0 || b > n->bits)
            return -1;
        n->bits = (int)b;
    }
    return 0;
}

int trusted_proxy_set(const char *list, err_t *e)
{
    nnets = 0;
    if (!list || !*list)
        return 0;
    char *copy = strdup(list), *save = NULL;
    int rc = 0;
    for (char *t = strtok_r(copy, ", ", &save); t && rc == 0; t = strtok_r(NULL, ", ", &save)) {
        if (nnets == TRUSTED_PROXY_MAX)
            rc = err_set(e, E_USAGE, "trusted-proxy", "at most %d trusted proxy networks", TRUSTED_PROXY_MAX);
        else if (parse_net(t, &nets[nnets]) < 0)
            rc = err_set(e, E_USAGE, "trusted-proxy",
                         "--trusted-proxy wants networks like 10.0.0.0/8 or 127.0.0.1 or ::1, comma-separated; "
                         "not %.60s", t);
        else
            nnets++;
    }
    free(copy);
    if (rc < 0)
        nnets = 0;
    return rc;
}

static int inside(int family, const unsigned char *addr)
{
    for (int i = 0; i < nnets; i++) {
        if (nets[i].family != family)
            continue;
        int bits = nets[i].bits, whole = bits / 8, rest = bits % 8;
        if (memcmp(nets[i].addr, addr, (size_t)whole))
            continue;
        if (rest && ((nets[i].addr[whole] ^ addr[whole]) & (0xff << (8 - rest))))
            continue;
        return 1;
    }
    return 0;
}

/* Text to (family, bytes), unmapping ::ffff:a.b.c.d; 0 when it is not an address. */
static int parse_addr(const char *s, int *family, unsigned char addr[16])
{
    if (inet_pton(AF_INET, s, addr) == 1)
        return *family = AF_INET, 1;
    if (inet_pton(AF_INET6, s, addr) != 1)
        return 0;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!memcmp(addr, mapped, 12)) {
        memmove(addr, addr + 12, 4);
        return *family = AF_INET, 1;
    }
    return *family = AF_INET6, 1;
}

void trusted_proxy_client(const struct sockaddr *peer, const char *xff, const char *xfp, char out[CLIENT_ADDR_MAX],
                          int *secure)
{
    *secure = 0;
    out[0] = '\0';
    if (peer->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)peer)->sin_addr, out, CLIENT_ADDR_MAX);
    else if (peer->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)peer)->sin6_addr, out, CLIENT_ADDR_MAX);
    int family;
    unsigned char addr[16];
    if (!nnets || !parse_addr(out, &family, addr) || !inside(family, addr))
        return;
    if (xfp) { /* the proxy's own scheme: the first of a list, as the nearest proxy saw it */
        size_t n = strcspn(xfp, ", ");
        *secure = n == 5 && !strncasecmp(xfp, "https", 5);
    }
    if (!xff)
        return;
    /* right to left: each hop appends the address it saw; the first one not ours is the client */
    char list[1024];
    snprintf(list, sizeof list, "%s", xff);
    for (;;) {
        char *comma = strrchr(list, ',');
        char *item = comma ? comma + 1 : list;
        while (*item == ' ')
            item++;
        char *end = item + strlen(item);
        while (end > item && end[-1] == ' ')
            *--end = '\0';
        if (!parse_addr(item, &family, addr))
            return; /* garbage: keep the last address that made sense */
        inet_ntop(family, addr, out, CLIENT_ADDR_MAX);
        if (!inside(family, addr) || !comma)
            return;
        *comma = '\0';
    }
}
