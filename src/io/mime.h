/* mime: an email message as RFC 5322 / MIME text, ready for SMTP submission.
 *
 * Header injection is impossible by construction: header names are this module's constants, every header
 * value is written either as plain printable ASCII without a line break or as RFC 2047 encoded words
 * (UTF-8, base64), and long values are folded here, so no value can end a header or start another.
 * Addresses are checked (one address, no spaces, angle brackets, commas or controls), display names
 * quoted or encoded. Bodies are quoted-printable with CRLF lines and a line's leading dot encoded, so no
 * body can end the SMTP DATA early. */
#ifndef RAPPORT_MIME_H
#define RAPPORT_MIME_H
#include <stdint.h>

#include "util/err.h"
#include "util/strbuf.h"

typedef struct mime_header {
    const char *name;  /* one of the names mime_build knows to be safe: see mime.c */
    const char *value; /* any text: encoded as needed */
} mime_header;

typedef struct mime_message {
    const char *from_name, *from; /* display name (may be NULL) and address */
    const char *to_name, *to;
    const char *reply_to;         /* an address, or NULL */
    const char *subject;
    const char *text;             /* the plain-text part (UTF-8) */
    const char *html;             /* the HTML part, or NULL for text alone */
    const char *message_id;       /* without angle brackets: "msg_01J...@example.com" */
    int64_t date;                 /* seconds since the epoch */
    const mime_header *extra;     /* List-Unsubscribe and the like; n_extra of them */
    int n_extra;
} mime_message;

/* 1 when s is one plain address (local@domain) that can stand in a header and an SMTP envelope. */
int mime_address_ok(const char *s);
/* Writes the whole message (headers and body, CRLF line ends) to out; <0 naming the field when an
 * address is not one or a header name is not known. */
int mime_build(const mime_message *m, strbuf *out, err_t *e);
/* Appends value as a header value: as it is when it is printable ASCII that folds cleanly, else as RFC
 * 2047 encoded words; `used` is how many columns the line already holds. Exposed for the unit tests. */
void mime_add_header_value(strbuf *out, const char *value, int used);
/* Appends text as quoted-printable with CRLF line ends. */
void mime_add_qp(strbuf *out, const char *text);

#endif
