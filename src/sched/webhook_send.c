/* webhook_send: POSTs deliveries with libcurl, off the job worker's thread (see webhook_send.h). */
#include "sched/webhook_send.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/events/webhooks.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/netaddr.h"

#define MAX_SENDERS 16 /* requests in flight at once; past that a request runs on the job worker */

static const char *senders_target; /* set while `serve` runs senders */
static atomic_int senders_in_flight;
static atomic_int senders_stopping;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void init_curl(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

typedef struct request_ctx {
    int allow_private;
    char refused[160]; /* why an address was refused, for the delivery log */
} request_ctx;

/* Called by curl for every address it is about to connect to: the check happens on the address itself,
 * after DNS, so neither a name nor a rebinding trick reaches a refused one. */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    request_ctx *ctx = clientp;
    (void)purpose;
    const char *why = netaddr_refusal(&a->addr);
    if (why && !ctx->allow_private) {
        char text[64];
        snprintf(ctx->refused, sizeof ctx->refused,
                 "refused to connect to %s: a %s address (RAPPORT_WEBHOOK_ALLOW_PRIVATE=1 allows it)",
                 netaddr_text(&a->addr, text, sizeof text), why);
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

static size_t discard(char *p, size_t size, size_t n, void *u)
{
    (void)p;
    (void)u;
    return size * n;
}

/* Aborts the request when the server is stopping. */
static int progress(void *u, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)u, (void)dt, (void)dn, (void)ut, (void)un;
    return atomic_load(&senders_stopping) ? 1 : 0;
}

static long timeout_seconds(void)
{
    const char *s = getenv("RAPPORT_WEBHOOK_TIMEOUT");
    long t = s ? strtol(s, NULL, 10) : 0;
    /* at most 240 s: with the 10 s connect, a request ends well before its job counts as stale
     * (JOBS_STALE_SECONDS) and another server would claim it and send it again */
    return t > 0 && t <= 240 ? t : 15;
}

/* One attempt: fills a (error points into errbuf). */
static void post(const webhook_message *m, webhook_attempt *a, char *errbuf, size_t errlen)
{
    pthread_once(&curl_once, init_curl);
    memset(a, 0, sizeof *a);
    request_ctx ctx = {0};
    const char *allow = getenv("RAPPORT_WEBHOOK_ALLOW_PRIVATE");
    ctx.allow_private = allow && !strcmp(allow, "1");
    /* the real clock: the receiver checks the timestamp against its own, whatever RAPPORT_NOW says */
    long long ts = (long long)(clock_real_ms() / 1000);
    size_t body_len = strlen(m->body);
    char sig[WEBHOOK_SIGNATURES_LEN], h_id[ID_MAX + 16], h_ts[48], h_sig[WEBHOOK_SIGNATURES_LEN + 32];
    if (!m->secret) { /* sealed under a key this server does not have: nothing it could sign would verify */
        snprintf(errbuf, errlen, "%s", m->secret_error);
        a->error = errbuf;
        return;
    }
    /* inside a rotation's overlap, signed under the new secret and the one before it */
    if (webhook_signatures(m->secret, m->previous, m->id, ts, m->body, body_len, sig) < 0) {
        snprintf(errbuf, errlen, "the subscription's secret is not a whsec_ secret");
        a->error = errbuf;
        return;
    }
    snprintf(h_id, sizeof h_id, "webhook-id: %s", m->id);
    snprintf(h_ts, sizeof h_ts, "webhook-timestamp: %lld", ts);
    snprintf(h_sig, sizeof h_sig, "webhook-signature: %s", sig);
    struct curl_slist *hs = NULL;
    hs = curl_slist_append(hs, "Content-Type: application/json");
    hs = curl_slist_append(hs, "User-Agent: Rapport-Webhooks/1");
    hs = curl_slist_append(hs, h_id);
    hs = curl_slist_append(hs, h_ts);
    hs = curl_slist_append(hs, h_sig);
    hs = curl_slist_append(hs, "Expect:"); /* no 100-continue round trip */
    char cerr[CURL_ERROR_SIZE] = "";
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, m->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, ""); /* never through a proxy: the address checked is the one used */
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds());
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &ctx);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, m->body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    int64_t t0 = clock_real_ms();
    CURLcode rc = curl_easy_perform(c);
    a->duration_ms = clock_real_ms() - t0;
    long status = 0;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        a->status = (int)status;
        if (status < 200 || status >= 300) {
            snprintf(errbuf, errlen, "the receiver answered %ld%s", status,
                     status >= 300 && status < 400 ? " (redirects are not followed)" : "");
            a->error = errbuf;
        }
    } else {
        if (ctx.refused[0])
            snprintf(errbuf, errlen, "%s", ctx.refused);
        else if (rc == CURLE_ABORTED_BY_CALLBACK)
            snprintf(errbuf, errlen, "interrupted: the server stopped mid-request");
        else
            snprintf(errbuf, errlen, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
        a->error = errbuf;
    }
    curl_easy_cleanup(c);
    curl_slist_free_all(hs);
}

/* One attempt of m, recorded; returns <0 only when recording failed. */
static int attempt(db *d, const webhook_message *m, err_t *e)
{
    webhook_attempt a;
    char err[300];
    post(m, &a, err, sizeof err);
    if (a.error)
        log_info("webhook %s to subscription %s: %s", m->id, m->webhook_id, a.error);
    return webhook_record_attempt(d, m, &a, e);
}

typedef struct sender {
    webhook_message m;
    char job_id[40];
} sender;

static void *run_sender(void *arg)
{
    sender *s = arg;
    err_t e;
    err_clear(&e);
    db *d = NULL;
    /* no connection, no request: an attempt that cannot be recorded is better not made */
    int rc = db_open(senders_target, &d, &e);
    if (rc >= 0)
        rc = attempt(d, &s->m, &e);
    job j = {.payload = NULL};
    snprintf(j.id, sizeof j.id, "%s", s->job_id);
    if (rc < 0) {
        /* the job stays claimed: after JOBS_STALE_SECONDS a worker claims it again and sends once more,
         * with the same webhook-id */
        log_error("webhook %s: recording the attempt failed: %s", s->m.id, e.message);
    } else {
        j.result = strdup("{\"sent\":true}");
        if (jobs_finish(d, &j, 1, &e) < 0)
            log_error("webhook %s: finishing its job failed: %s", s->m.id, e.message);
    }
    db_close(d);
    webhook_message_clear(&s->m);
    free(s);
    atomic_fetch_sub(&senders_in_flight, 1);
    return NULL;
}

int webhook_job(db *d, job *j, const char *worker, err_t *e)
{
    (void)worker;
    json_t *p = json_loads(j->payload ? j->payload : "{}", 0, NULL);
    const char *id = json_string_value(json_object_get(p, "delivery_id"));
    char delivery[ID_MAX];
    snprintf(delivery, sizeof delivery, "%s", id ? id : "");
    json_decref(p);
    if (!delivery[0])
        return err_set(e, E_INVALID_VALUE, "delivery_id", "a webhook job names its delivery_id");
    webhook_message m;
    int rc = webhook_message_load(d, delivery, &m, e);
    if (rc <= 0) {
        if (rc == 0)
            j->result = strdup("{\"sent\":false,\"why\":\"delivered, cancelled or deleted already\"}");
        return rc;
    }
    int threaded = senders_target && !atomic_load(&senders_stopping);
    if (threaded && atomic_fetch_add(&senders_in_flight, 1) >= MAX_SENDERS) {
        atomic_fetch_sub(&senders_in_flight, 1);
        threaded = 0;
    }
    if (threaded) {
        sender *s = calloc(1, sizeof *s);
        s->m = m;
        snprintf(s->job_id, sizeof s->job_id, "%s", j->id);
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int started = pthread_create(&t, &attr, run_sender, s) == 0;
        pthread_attr_destroy(&attr);
        if (started)
            return JOB_DETACHED;
        m = s->m;
        free(s);
        atomic_fetch_sub(&senders_in_flight, 1);
    }
    rc = attempt(d, &m, e);
    webhook_message_clear(&m);
    if (rc >= 0)
        j->result = strdup("{\"sent\":true}");
    return rc < 0 ? rc : 0;
}

void webhook_senders_start(const char *db_target)
{
    pthread_once(&curl_once, init_curl);
    atomic_store(&senders_stopping, 0);
    senders_target = db_target;
}

void webhook_senders_stop(void)
{
    atomic_store(&senders_stopping, 1);
    /* the progress callback aborts transfers within about a second; connects are bounded by their timeout */
    for (int i = 0; i < 200 && atomic_load(&senders_in_flight) > 0; i++)
        usleep(100 * 1000);
    /* senders_target stays: a thread that outlived the wait still records on it */
}
