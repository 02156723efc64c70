/* server: the HTTP server — h2o's event loop, one per thread, each thread with its own listening socket
 * (SO_REUSEPORT, so the kernel spreads connections) and its own database connection. */
#ifndef RAPPORT_SERVER_H
#define RAPPORT_SERVER_H
#include <stdint.h>

#include "util/err.h"

typedef struct server_config {
    const char *db_target;
    const char *listen; /* host:port */
    int threads;        /* 0 = one per core */
    const char *web_dir; /* serve the web app from this directory (development); NULL: the embedded build */
    const char *backup_dir;       /* scheduled backups into this folder, or NULL */
    int64_t backup_every_seconds; /* how often (default: daily) */
    int backup_keep;              /* how many to keep (default: 7) */
    const char *trusted_proxies; /* networks whose X-Forwarded-* are believed (trusted_proxy.h), or NULL */
    const char *public_url;      /* RAPPORT_PUBLIC_URL (util/public_url.h), or NULL */
} server_config;

/* Serves until SIGINT or SIGTERM; returns 0, or <0 when it cannot start. */
int server_run(const server_config *cfg, err_t *e);

#endif
