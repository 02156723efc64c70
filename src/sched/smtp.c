/* smtp: submission through libcurl (see smtp.h). */
#include "sched/smtp.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int smtp_parse_url(const char *url, smtp_server *srv, err_t *e)
{
    memset(srv, 0, sizeof *srv);
    if (!url || !*url)
        return err_set(e, E_INVALID_VALUE, "smtp_url", "no SMTP URL");
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *pass = NULL, *query = NULL;
    int rc = 0;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcmp(scheme, "smtp") && strcmp(scheme, "smtps")) || curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        rc = err_set(e, E_INVALID_VALUE, "smtp_url",
                     "the SMTP URL is smtp://user:password@host:port (STARTTLS) or smtps://... (implicit TLS)");
    if (rc == 0) {
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
        curl_url_get(u, CURLUPART_USER, &user, CURLU_URLDECODE);
        curl_url_get(u, CURLUPART_PASSWORD, &pass, CURLU_URLDECODE);
        curl_url_get(u, CURLUPART_QUERY, &query, 0);
        snprintf(srv->url, sizeof srv->url, "%s://%s:%s", scheme, host, port ? port : "25");
        snprintf(srv->user, sizeof srv->user, "%s", user ? user : "");
        snprintf(srv->password, sizeof srv->password, "%s", pass ? pass : "");
        srv->tls_required = !(query && !strcmp(query, "tls=none"));
        if (query && strcmp(query, "tls=none"))
            rc = err_set(e, E_INVALID_VALUE, "smtp_url", "the only option of an SMTP URL is ?tls=none (no STARTTLS)");
        if (rc == 0 && !strcmp(scheme, "smtps") && !srv->tls_required)
            rc = err_set(e, E_INVALID_VALUE, "smtp_url", "smtps:// is always TLS: drop ?tls=none or use smtp://");
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(user);
    if (pass) {
        memset(pass, 0, strlen(pass));
        curl_free(pass);
    }
    curl_free(query);
    curl_url_cleanup(u);
    return rc;
}

void smtp_display_url(const smtp_server *srv, char *out, size_t n)
{
    const char *rest = strstr(srv->url, "://");
    if (srv->user[0] && rest)
        snprintf(out, n, "%.*s%s@%s%s", (int)(rest + 3 - srv->url), srv->url, srv->user, rest + 3,
                 srv->tls_required ? "" : "?tls=none");
    else
        snprintf(out, n, "%s%s", srv->url, srv->tls_required ? "" : "?tls=none");
}

typedef struct reader {
    const char *p;
    size_t left;
} reader;

static size_t read_message(char *buf, size_t size, size_t n, void *arg)
{
    reader *r = arg;
    size_t want = size * n < r->left ? size * n : r->left;
    memcpy(buf, r->p, want);
    r->p += want;
    r->left -= want;
    return want;
}

static long timeout_seconds(void)
{
    const char *s = getenv("RAPPORT_SMTP_TIMEOUT_SECONDS");
    long v = s ? strtol(s, NULL, 10) : 0;
    /* at most 240 s: under the outbox's stale claim (300 s), so no other server takes a message still in
     * flight here */
    return v > 0 && v <= 240 ? v : 60;
}

static void curl_start(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

int smtp_send(const smtp_server *srv, const char *from, const char *to, const char *message, size_t len,
              char *detail, size_t detail_len)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, curl_start); /* libcurl's global set-up, once, before any thread's first transfer */
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(detail, detail_len, "libcurl could not start");
        return SMTP_RETRY;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    reader r = {message, len};
    curl_easy_setopt(c, CURLOPT_URL, srv->url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for name lookups */
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (srv->tls_required)
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    const char *ca = getenv("RAPPORT_SMTP_CA_FILE"); /* a private CA (a relay with its own certificate, tests) */
    if (ca && *ca)
        curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    if (srv->user[0]) {
        curl_easy_setopt(c, CURLOPT_USERNAME, srv->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, srv->password);
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(c, CURLOPT_READDATA, &r);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L < timeout_seconds() ? 10L : timeout_seconds());
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds());
    /* SMTP waits for each answer on its own clock (two minutes by default, past CURLOPT_TIMEOUT) */
    curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout_seconds());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode res = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    if (res == CURLE_OK) {
        snprintf(detail, detail_len, "accepted (%ld)", code);
        return SMTP_SENT;
    }
    /* libcurl's messages name the server's answer, never the credentials */
    snprintf(detail, detail_len, "%s%s%s (%ld)", curl_easy_strerror(res), errbuf[0] ? ": " : "", errbuf, code);
    size_t n = strlen(detail);
    while (n && (detail[n - 1] == '\n' || detail[n - 1] == '\r'))
        detail[--n] = 0;
    if ((code >= 500 && code < 600) || res == CURLE_USE_SSL_FAILED || res == CURLE_PEER_FAILED_VERIFICATION ||
        res == CURLE_LOGIN_DENIED)
        return SMTP_FAILED; /* refused for good, or a server that is not what the settings say (no STARTTLS, a
                             * certificate that does not verify): trying again changes nothing */
    return SMTP_RETRY;      /* 4xx, no answer at all (refused, timed out, dropped), TLS trouble */
}
