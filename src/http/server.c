/* server: h2o glue (see server.h). Everything past "turn an h2o request into an http_request and
 * back" lives in routes.c and the handlers, so it can be tested without sockets. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <h2o.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../db/db.h"
#include "../sched/jobs.h"
#include "../util/clock.h"
#include "../util/log.h"
#include "http.h"

/* Bodies past HTTP_MAX_BODY get our JSON 413; h2o refuses far larger ones itself before buffering. */
#define H2O_BODY_LIMIT (8 * 1024 * 1024)

typedef struct worker {
    pthread_t thread;
    int fd;
    const char *db_target;
    h2o_globalconf_t *config;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    db *db;
    int ok;
    err_t err;
} worker;

static volatile sig_atomic_t stopping;
static __thread worker *self;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static char *header_dup(h2o_req_t *req, const h2o_token_t *token)
{
    ssize_t i = h2o_find_header(&req->headers, token, -1);
    if (i < 0)
        return NULL;
    h2o_iovec_t v = req->headers.entries[i].value;
    return strndup(v.base, v.len);
}

static int on_req(h2o_handler_t *h, h2o_req_t *req)
{
    (void)h;
    http_request r;
    http_request_init(&r);
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    char *method = strndup(req->method.base, req->method.len);
    char *path = strndup(req->path.base, plen);
    char *query = req->query_at != SIZE_MAX ? strndup(req->path.base + plen + 1, req->path.len - plen - 1) : NULL;
    char *auth = header_dup(req, H2O_TOKEN_AUTHORIZATION), *cookie = header_dup(req, H2O_TOKEN_COOKIE),
         *ctype = header_dup(req, H2O_TOKEN_CONTENT_TYPE);
    r.method = method;
    r.path = path;
    r.query = query;
    r.body = req->entity.base;
    r.body_len = req->entity.base ? req->entity.len : 0;
    r.authorization = auth;
    r.cookie = cookie;
    r.content_type = ctype;
    r.db = self->db;
    http_dispatch(&r);

    req->res.status = r.status;
    req->res.reason = r.status < 300 ? "OK" : "Error";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, r.content_type_out,
                   strlen(r.content_type_out));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-content-type-options"), 0, NULL,
                          H2O_STRLIT("nosniff"));
    if (r.set_cookie[0]) {
        h2o_iovec_t c = h2o_strdup(&req->pool, r.set_cookie, SIZE_MAX);
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_SET_COOKIE, NULL, c.base, c.len);
    }
    if (r.status == 204) {
        h2o_send_inline(req, "", 0);
    } else {
        h2o_send_inline(req, r.out.buf, r.out.len);
    }
    http_request_release(&r);
    free(method);
    free(path);
    free(query);
    free(auth);
    free(cookie);
    free(ctype);
    return 0;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    if (err)
        return;
    h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
    if (sock)
        h2o_accept(&self->accept_ctx, sock);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, err_t *e)
{
    const char *colon = strrchr(listen, ':');
    char host[64];
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return err_set(e, E_USAGE, "listen", "--listen wants HOST:PORT, like 127.0.0.1:8080");
    snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (*end || port < 1 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return err_set(e, E_USAGE, "listen", "--listen wants HOST:PORT with an IPv4 address, like 127.0.0.1:8080");
    return 0;
}

static int open_listener(const struct sockaddr_in *sa, err_t *e)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) || bind(fd, (const struct sockaddr *)sa, sizeof *sa) ||
        listen(fd, SOMAXCONN)) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        return err_set(e, E_UNAVAILABLE, "listen", "cannot listen: %s", strerror(err));
    }
    return fd;
}

/* The background worker: claims and runs due jobs about twice a second, on its own connection. */
static void *run_jobs(void *arg)
{
    const server_config *cfg = arg;
    char name[128], host[64] = "localhost";
    gethostname(host, sizeof host - 1);
    snprintf(name, sizeof name, "%s:%d", host, (int)getpid());
    db *d = NULL;
    int64_t maintained = 0;
    while (!stopping) {
        err_t e;
        err_clear(&e);
        if (!d && db_open(cfg->db_target, &d, &e) < 0)
            d = NULL;
        if (d && d->be->maintain_sql && clock_real_ms() - maintained > 3600 * 1000) {
            maintained = clock_real_ms(); /* at start, then hourly: off the request threads */
            if (db_exec(d, d->be->maintain_sql, &e) < 0)
                log_warn("maintenance: %s", e.message);
        }
        if (d && jobs_run_due(d, name, &e) < 0 && e.code != E_UNAVAILABLE)
            log_error("jobs: %s", e.message);
        for (int i = 0; i < 5 && !stopping; i++)
            usleep(100 * 1000);
    }
    db_close(d);
    return NULL;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    self = w;
    h2o_context_init(&w->ctx, h2o_evloop_create(), w->config);
    w->accept_ctx.ctx = &w->ctx;
    w->accept_ctx.hosts = w->config->hosts;
    h2o_socket_t *sock = h2o_evloop_socket_create(w->ctx.loop, w->fd, H2O_SOCKET_FLAG_DONT_READ);
    h2o_socket_read_start(sock, on_accept);
    while (!stopping)
        h2o_evloop_run(w->ctx.loop, 200);
    h2o_socket_read_stop(sock);
    h2o_socket_close(sock);
    h2o_evloop_t *loop = w->ctx.loop;
    h2o_context_dispose(&w->ctx);
    h2o_evloop_run(loop, 0); /* let the closes above complete before the loop goes */
    h2o_evloop_destroy(loop);
    return NULL;
}

int server_run(const server_config *cfg, err_t *e)
{
    struct sockaddr_in sa;
    int rc = parse_listen(cfg->listen, &sa, e);
    if (rc < 0)
        return rc;
    int n = cfg->threads > 0 ? cfg->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    static h2o_globalconf_t config;
    h2o_config_init(&config);
    config.max_request_entity_size = H2O_BODY_LIMIT;
    config.server_name = h2o_iovec_init(H2O_STRLIT("rapport"));
    h2o_hostconf_t *host = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *pathconf = h2o_config_register_path(host, "/", 0);
    h2o_create_handler(pathconf, sizeof(h2o_handler_t))->on_req = on_req;

    worker *ws = calloc((size_t)n, sizeof *ws);
    for (int i = 0; i < n && rc >= 0; i++) {
        ws[i].db_target = cfg->db_target;
        ws[i].config = &config;
        if ((rc = db_open(cfg->db_target, &ws[i].db, e)) < 0)
            break;
        if ((ws[i].fd = rc = open_listener(&sa, e)) < 0)
            break;
    }
    if (rc >= 0) {
        signal(SIGPIPE, SIG_IGN);
        struct sigaction act = {.sa_handler = on_signal};
        sigaction(SIGINT, &act, NULL);
        sigaction(SIGTERM, &act, NULL);
        for (int i = 1; i < n; i++)
            pthread_create(&ws[i].thread, NULL, run_worker, &ws[i]);
        pthread_t jobs_thread;
        pthread_create(&jobs_thread, NULL, run_jobs, (void *)cfg);
        log_info("rapport %s serving http://%s with %d thread%s", RAPPORT_VERSION, cfg->listen, n, n > 1 ? "s" : "");
        fprintf(stdout, "rapport: serving http://%s\n", cfg->listen);
        fflush(stdout);
        run_worker(&ws[0]);
        for (int i = 1; i < n; i++)
            pthread_join(ws[i].thread, NULL);
        pthread_join(jobs_thread, NULL);
        h2o_config_dispose(&config);
        log_info("stopped");
        rc = 0;
    }
    for (int i = 0; i < n; i++) {
        db_close(ws[i].db);
        if (ws[i].fd > 0)
            close(ws[i].fd);
    }
    free(ws);
    return rc;
}
