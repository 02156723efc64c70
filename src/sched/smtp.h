/* smtp: one message submitted to a mail server through libcurl (SMTP with STARTTLS, or implicit TLS with
 * smtps://, and AUTH when the URL has a user), and the outcome sorted into what the outbox does next. */
#ifndef RAPPORT_SMTP_H
#define RAPPORT_SMTP_H
#include <stddef.h>

#include "util/err.h"

/* Where to submit: parsed from smtp://user:password@host:port (or smtps://). Query options:
 * ?tls=none sends in the clear (a local relay on loopback); by default smtp:// requires STARTTLS. */
typedef struct smtp_server {
    char url[512];      /* smtp[s]://host:port, no credentials */
    char user[256];
    char password[256];
    int tls_required;   /* STARTTLS required on smtp:// (always TLS on smtps://) */
} smtp_server;

enum smtp_outcome {
    SMTP_SENT = 0,   /* the server accepted the message */
    SMTP_RETRY = 1,  /* a 4xx, a refused connection, a timeout or a dropped connection: try again later */
    SMTP_FAILED = 2, /* a 5xx (or a message the server can never take): give up, with the reason */
};

/* Parses url (with credentials) into srv; <0 naming "smtp_url" when it is not one. */
int smtp_parse_url(const char *url, smtp_server *srv, err_t *e);
/* The URL without its password, for display: smtp://user@host:587. */
void smtp_display_url(const smtp_server *srv, char *out, size_t n);
/* Submits message (RFC 5322 text, CRLF lines) from `from` to `to`. Returns an enum smtp_outcome and puts
 * the server's answer or the failure in detail (never the password). Blocks for at most the timeout
 * (RAPPORT_SMTP_TIMEOUT_SECONDS, default 60, at most 240: below the outbox's stale claim). */
int smtp_send(const smtp_server *srv, const char *from, const char *to, const char *message, size_t len,
              char *detail, size_t detail_len);

#endif
