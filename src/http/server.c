/* server: h2o glue (see server.h). Everything past "turn an h2o request into an http_request and
 * back" lives in routes.c and the handlers, so it can be tested without sockets. */
#include "http/server.h"

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

#include "core/access/token_use.h"
#include "db/db.h"
#include "sched/backups.h"
#include "sched/automations.h"
#include "sched/jobs.h"
#include "sched/health_refresh.h"
#include "sched/outbox.h"
#include "sched/webhook_send.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/version.h"
#include "http/assets.h"
#include "http/http.h"
#include "http/hash_pool.h"
#include "http/trusted_proxy.h"
#include "http/writer.h"
#include "util/public_url.h"

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
    int writes_batched;                 /* writes go through the group-commit writer (SQLite) */
    h2o_multithread_receiver_t written; /* answers coming back from the writer */
} worker;

static volatile sig_atomic_t stopping;  /* a stop signal came: stop accepting */
static volatile sig_atomic_t loops_stop; /* the writer has drained: loops may end */
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

static char *header_dup_by_name(h2o_req_t *req, const char *name)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, strlen(name), -1);
    if (i < 0)
        return NULL;
    h2o_iovec_t v = req->headers.entries[i].value;
    return strndup(v.base, v.len);
}

/* An http_request with its own copies of everything it points at, so it can outlive the loop's turn. */
typedef struct owned_request {
    http_request r;
    char *method, *path, *query, *auth, *cookie, *ctype, *origin, *host, *body, *reqid;
    char *accept, *accept_encoding, *if_none_match;
    char client[CLIENT_ADDR_MAX];
} owned_request;

/* The client's address and scheme: the peer's, or what a trusted proxy says (trusted_proxy.h). */
static void find_client(h2o_req_t *req, owned_request *o)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (!req->conn->callbacks->get_peername || !req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss))
        ss.ss_family = AF_UNSPEC;
    char *xff = header_dup(req, H2O_TOKEN_X_FORWARDED_FOR);
    char *xfp = header_dup_by_name(req, "x-forwarded-proto");
    trusted_proxy_client((struct sockaddr *)&ss, xff, xfp, o->client, &o->r.secure);
    free(xff);
    free(xfp);
    o->r.client_addr = o->client;
}

static void own_request(h2o_req_t *req, owned_request *o, int copy_body)
{
    http_request_init(&o->r);
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    o->method = strndup(req->method.base, req->method.len);
    o->path = strndup(req->path.base, plen);
    o->query = req->query_at != SIZE_MAX ? strndup(req->path.base + plen + 1, req->path.len - plen - 1) : NULL;
    o->auth = header_dup(req, H2O_TOKEN_AUTHORIZATION);
    o->cookie = header_dup(req, H2O_TOKEN_COOKIE);
    o->ctype = header_dup(req, H2O_TOKEN_CONTENT_TYPE);
    o->origin = header_dup_by_name(req, "origin");
    find_client(req, o);
    o->accept = header_dup(req, H2O_TOKEN_ACCEPT);
    o->accept_encoding = header_dup(req, H2O_TOKEN_ACCEPT_ENCODING);
    o->if_none_match = header_dup(req, H2O_TOKEN_IF_NONE_MATCH);
    o->host = req->authority.len ? strndup(req->authority.base, req->authority.len) : NULL;
    ssize_t id_at = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-request-id"), -1);
    o->reqid = id_at < 0 ? NULL
                         : strndup(req->headers.entries[id_at].value.base, req->headers.entries[id_at].value.len);
    o->body = NULL;
    o->r.body_len = req->entity.base ? req->entity.len : 0;
    if (copy_body && o->r.body_len) {
        o->body = malloc(o->r.body_len);
        memcpy(o->body, req->entity.base, o->r.body_len);
        o->r.body = o->body;
    } else {
        o->r.body = req->entity.base;
    }
    o->r.method = o->method;
    o->r.path = o->path;
    o->r.query = o->query;
    o->r.authorization = o->auth;
    o->r.cookie = o->cookie;
    o->r.content_type = o->ctype;
    o->r.origin = o->origin;
    o->r.accept = o->accept;
    o->r.accept_encoding = o->accept_encoding;
    o->r.if_none_match = o->if_none_match;
    o->r.host = o->host;
    o->r.request_id_in = o->reqid;
    http_request_id_set(&o->r); /* now, so an answer that never reaches dispatch (stopping) has it too */
}

static void release_request(owned_request *o)
{
    http_request_release(&o->r);
    free(o->method);
    free(o->path);
    free(o->query);
    free(o->auth);
    free(o->cookie);
    free(o->ctype);
    free(o->origin);
    free(o->host);
    free(o->body);
    free(o->accept);
    free(o->accept_encoding);
    free(o->if_none_match);
    free(o->reqid);
}

/* On every answer, the web app's included: scripts, styles and frames only from this origin (so no
 * inline script runs, whatever a record holds), never framed, no URL with record ids sent elsewhere. */
static void add_security_headers(h2o_req_t *req)
{
    static const struct {
        const char *name, *value;
    } headers[] = {
        {"content-security-policy",
         "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"},
        {"x-content-type-options", "nosniff"},
        {"referrer-policy", "same-origin"},
        {"x-frame-options", "DENY"},
    };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        h2o_add_header_by_str(&req->pool, &req->res.headers, headers[i].name, strlen(headers[i].name), 0, NULL,
                              headers[i].value, strlen(headers[i].value));
}

static void respond(h2o_req_t *req, http_request *r)
{
    req->res.status = r->status;
    req->res.reason = r->status < 300 ? "OK" : "Error";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, r->content_type_out,
                   strlen(r->content_type_out));
    const char *cache = r->cache_control ? r->cache_control : "no-store";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, cache, strlen(cache));
    if (r->content_encoding)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_ENCODING, NULL, r->content_encoding,
                       strlen(r->content_encoding));
    if (r->etag)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ETAG, NULL, r->etag, strlen(r->etag));
    if (r->vary_encoding)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_VARY, NULL, H2O_STRLIT("Accept-Encoding"));
    add_security_headers(req);
    if (r->request_id[0]) {
        h2o_iovec_t id = h2o_strdup(&req->pool, r->request_id, SIZE_MAX);
        h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-request-id"), 0, NULL, id.base, id.len);
    }
    if (r->retry_after > 0) {
        char secs[16];
        int n = snprintf(secs, sizeof secs, "%d", r->retry_after);
        h2o_iovec_t v = h2o_strdup(&req->pool, secs, (size_t)n);
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, v.base, v.len);
    }
    if (r->set_cookie[0]) {
        h2o_iovec_t c = h2o_strdup(&req->pool, r->set_cookie, SIZE_MAX);
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_SET_COOKIE, NULL, c.base, c.len);
    }
    if (r->status == 204 || r->status == 304) { /* which carry no Content-Length (RFC 9110, 8.6) */
        h2o_send_inline(req, "", 0);
        return;
    }
    if (r->static_body) { /* a web app file: sent from the binary's own memory, never copied */
        req->res.content_length = r->static_len;
        h2o_send_inline(req, (const char *)r->static_body, r->static_len);
        return;
    }
    /* a Content-Length rather than chunks: h2o_send_inline leaves it unset (it also answers 304s) */
    req->res.content_length = r->out.len;
    h2o_send_inline(req, r->out.buf, r->out.len);
}

/* A write request waiting for the writer thread. If the client goes away first, h2o disposes of the
 * request; the pool-allocated link below notices and the answer is dropped instead of sent to freed
 * memory. Both happen on the worker's own thread, so no lock is needed. */
typedef struct pending_write {
    writer_job job; /* must be first */
    h2o_multithread_message_t msg;
    owned_request o;
    worker *w;
    h2o_req_t *req;
    struct req_link *link;
} pending_write;

struct req_link {
    pending_write *p;
};

static void on_req_disposed(void *arg)
{
    struct req_link *link = arg;
    if (link->p)
        link->p->req = NULL;
}

static void write_run(writer_job *wj, db *d)
{
    pending_write *p = (pending_write *)wj;
    p->o.r.db = d;
    http_dispatch(&p->o.r);
}

static void write_fail(writer_job *wj, const err_t *e)
{
    pending_write *p = (pending_write *)wj;
    err_t err;
    err_set(&err, E_UNAVAILABLE, NULL, "the change could not be saved; try again (%s)",
            e->code == E_UNAVAILABLE ? "the database is busy" : "commit failed");
    http_respond_error(&p->o.r, &err);
}

static void write_done(writer_job *wj)
{
    pending_write *p = (pending_write *)wj;
    h2o_multithread_send_message(&p->w->written, &p->msg);
}

/* Back on the worker's loop: answer the requests whose writes the writer committed. */
static void on_written(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    (void)receiver;
    while (!h2o_linklist_is_empty(messages)) {
        pending_write *p = H2O_STRUCT_FROM_MEMBER(pending_write, msg.link, messages->next);
        h2o_linklist_unlink(&p->msg.link);
        if (p->req) {
            p->link->p = NULL;
            respond(p->req, &p->o.r);
        }
        release_request(&p->o);
        free(p);
    }
}

/* Signing in and writing users hash passwords (Argon2, tens of milliseconds of CPU by design): they
 * run on the hash pool, never on a loop or in a writer batch. */
static int goes_to_hash_pool(h2o_req_t *req)
{
    if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")))
        return 0;
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    char *method = strndup(req->method.base, req->method.len), *path = strndup(req->path.base, plen);
    int hashing = method && path && http_hashes_passwords(method, path);
    free(method);
    free(path);
    return hashing;
}

/* Changes to records go through the writer; signing out is a small write of its own. */
static int goes_to_writer(h2o_req_t *req)
{
    if (!self->writes_batched || h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")))
        return 0;
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    char *method = strndup(req->method.base, req->method.len), *path = strndup(req->path.base, plen);
    int joins = method && path && http_joins_group_commit(method, path);
    free(method);
    free(path);
    return joins;
}

static int on_req(h2o_handler_t *h, h2o_req_t *req)
{
    (void)h;
    int pooled = goes_to_hash_pool(req);
    if (pooled || goes_to_writer(req)) {
        pending_write *p = calloc(1, sizeof *p);
        own_request(req, &p->o, 1);
        p->job.run = write_run;
        p->job.fail = write_fail;
        p->job.done = write_done;
        p->w = self;
        p->req = req;
        p->link = h2o_mem_alloc_shared(&req->pool, sizeof *p->link, on_req_disposed);
        p->link->p = p;
        if ((pooled ? hash_pool_submit(&p->job) : writer_submit(&p->job)) == 0)
            return 0; /* answered from on_written */
        err_t e; /* stopping, or the hash pool is full */
        err_set(&e, E_UNAVAILABLE, NULL, pooled ? "too many sign-ins at once; try again" : "the server is stopping; try again");
        http_respond_error(&p->o.r, &e);
        p->link->p = NULL;
        respond(req, &p->o.r);
        release_request(&p->o);
        free(p);
        return 0;
    }
    owned_request o;
    own_request(req, &o, 0);
    o.r.db = self->db;
    /* a page's reads agree with each other, and on SQLite cost one WAL read lock, not one per statement */
    int snapshot = self->db->be->snapshot_per_request && h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) &&
                   db_read_begin(self->db);
    http_dispatch(&o.r);
    if (snapshot)
        db_read_end(self->db);
    respond(req, &o.r);
    release_request(&o);
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
    int64_t maintained = 0, automated = 0;
    health_refresher health = {0};
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
        if (d && token_use_flush(d, &e) < 0 && e.code != E_UNAVAILABLE)
            log_warn("tokens' last use: %s", e.message);
        if (d && health_refresh_tick(d, &health, &e) < 0 && e.code != E_UNAVAILABLE)
            log_warn("health scores: %s", e.message);
        /* the built-in automations look for what fell due about every 10 seconds: each item fires once */
        if (d && clock_real_ms() - automated > 10 * 1000) {
            automated = clock_real_ms();
            if (automations_run(d, &e) < 0 && e.code != E_UNAVAILABLE)
                log_error("automations: %s", e.message);
        }
        if (d && d->be->checkpoint_sql && db_exec(d, d->be->checkpoint_sql, &e) < 0 && e.code != E_UNAVAILABLE)
            log_warn("checkpoint: %s", e.message);
        /* index upkeep in small slices ten times a second: each holds the write lock only briefly */
        for (int i = 0; i < 5 && !stopping; i++) {
            if (d && d->be->fts_merge && d->be->fts_merge(d, &e) < 0 && e.code != E_UNAVAILABLE)
                log_warn("full-text merge: %s", e.message);
            usleep(100 * 1000);
        }
    }
    db_close(d);
    return NULL;
}

/* A worker's loop. On a stop signal it closes its listener at once but keeps turning until the writer
 * has drained (answers of queued writes arrive through the loop). */
static void *run_worker(void *arg)
{
    worker *w = arg;
    self = w;
    h2o_context_init(&w->ctx, h2o_evloop_create(), w->config);
    h2o_multithread_register_receiver(w->ctx.queue, &w->written, on_written);
    w->accept_ctx.ctx = &w->ctx;
    w->accept_ctx.hosts = w->config->hosts;
    h2o_socket_t *sock = h2o_evloop_socket_create(w->ctx.loop, w->fd, H2O_SOCKET_FLAG_DONT_READ);
    w->fd = -1; /* the socket owns it now */
    h2o_socket_read_start(sock, on_accept);
    while (!stopping)
        h2o_evloop_run(w->ctx.loop, 200);
    h2o_socket_read_stop(sock);
    h2o_socket_close(sock);
    while (!loops_stop)
        h2o_evloop_run(w->ctx.loop, 50);
    h2o_evloop_run(w->ctx.loop, 0);
    h2o_multithread_unregister_receiver(w->ctx.queue, &w->written);
    /* The context is not disposed: every answer is out and every write committed by now, and libh2o
     * asserts (aborting the process) when a context goes with client connections still open, which a
     * stop under load always has. The process is about to exit; the kernel closes the sockets. */
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
    web_set_dir(cfg->web_dir);
    static h2o_globalconf_t config;
    h2o_config_init(&config);
    config.max_request_entity_size = H2O_BODY_LIMIT;
    config.server_name = h2o_iovec_init(H2O_STRLIT("rapport"));
    h2o_hostconf_t *host = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *pathconf = h2o_config_register_path(host, "/", 0);
    h2o_create_handler(pathconf, sizeof(h2o_handler_t))->on_req = on_req;

    if ((rc = trusted_proxy_set(cfg->trusted_proxies, e)) < 0 || (rc = public_url_set(cfg->public_url, e)) < 0)
        return rc;
    if ((rc = hash_pool_start(cfg->db_target, e)) < 0)
        return rc;
    /* group commit where there is one writer (SQLite); PostgreSQL takes concurrent writers as they come */
    int batched = 0;
    if (db_backend_for(cfg->db_target)->one_writer) {
        if ((rc = writer_start(cfg->db_target, e)) < 0) {
            hash_pool_stop();
            return rc;
        }
        batched = 1;
    }
    worker *ws = calloc((size_t)n, sizeof *ws);
    for (int i = 0; i < n; i++)
        ws[i].fd = -1;
    for (int i = 0; i < n && rc >= 0; i++) {
        ws[i].db_target = cfg->db_target;
        ws[i].config = &config;
        ws[i].writes_batched = batched;
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
        for (int i = 0; i < n; i++)
            pthread_create(&ws[i].thread, NULL, run_worker, &ws[i]);
        pthread_t jobs_thread, backup_thread;
        webhook_senders_start(cfg->db_target); /* before the jobs: a webhook job hands its request to them */
        pthread_create(&jobs_thread, NULL, run_jobs, (void *)cfg);
        outbox_senders_start(cfg->db_target, &stopping, e); /* email's network I/O, off every other thread */
        backup_schedule backups = {cfg->db_target, cfg->backup_dir, cfg->backup_every_seconds, cfg->backup_keep,
                                   &stopping};
        int backing_up = backups_start(&backups, &backup_thread);
        log_info("rapport %s serving http://%s with %d thread%s%s", rapport_version, cfg->listen, n, n > 1 ? "s" : "",
                 batched ? ", writes group-committed" : "");
        fprintf(stdout, "rapport: serving http://%s\n", cfg->listen);
        fflush(stdout);
        while (!stopping)
            usleep(100 * 1000);
        writer_stop(); /* runs what is queued; the loops deliver the answers */
        hash_pool_stop();
        loops_stop = 1;
        for (int i = 0; i < n; i++)
            pthread_join(ws[i].thread, NULL);
        pthread_join(jobs_thread, NULL);
        webhook_senders_stop(); /* aborts requests in flight; each is recorded and retried later */
        outbox_senders_join(); /* a message in flight is finished and recorded first */
        if (backing_up)
            pthread_join(backup_thread, NULL);
        h2o_config_dispose(&config);
        log_info("stopped");
        rc = 0;
    } else {
        writer_stop();
        hash_pool_stop();
    }
    for (int i = 0; i < n; i++) {
        db_close(ws[i].db);
        if (ws[i].fd >= 0)
            close(ws[i].fd);
    }
    free(ws);
    return rc;
}
