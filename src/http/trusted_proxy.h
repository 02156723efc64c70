/* trusted_proxy: who the client really is behind a reverse proxy. Rapport has no TLS listener; it runs
 * behind a proxy that terminates TLS. Only from a peer inside a trusted network (--trusted-proxy CIDR,
 * or RAPPORT_TRUSTED_PROXIES, comma-separated, IPv4 or IPv6) are X-Forwarded-For (the client address
 * the throttles see) and X-Forwarded-Proto (https: cookies get Secure) believed; from anyone else
 * they are ignored, so a client cannot pick its own address. */
#ifndef RAPPORT_TRUSTED_PROXY_H
#define RAPPORT_TRUSTED_PROXY_H
#include <stddef.h>
#include <sys/socket.h>

#include "util/err.h"

#define TRUSTED_PROXY_MAX 16
#define CLIENT_ADDR_MAX 64

/* Replaces the trusted networks with the comma-separated list (NULL or "" for none). */
int trusted_proxy_set(const char *list, err_t *e);
/* The client of a request from peer: the peer itself, or, when the peer is trusted, the nearest
 * untrusted address of X-Forwarded-For (xff may be NULL). secure: X-Forwarded-Proto said https. */
void trusted_proxy_client(const struct sockaddr *peer, const char *xff, const char *xfp, char out[CLIENT_ADDR_MAX],
                          int *secure);

#endif
