/* mime: building a message (see mime.h). */
#include "io/mime.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The only header names written: each a constant here, never taken from input. */
static const char *const KNOWN_HEADERS[] = {"List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted",
                                            "X-Rapport-Automation", "In-Reply-To", "References", NULL};

int mime_address_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 254)
        return 0;
    const char *at = strrchr(s, '@');
    if (!at || at == s || !at[1])
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p >= 127 || strchr("<>(),;:\\\"[]", *p))
            return 0;
    return 1;
}

static int plain_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < ' ' || *p >= 127)
            return 0;
    /* "=?" could be read as the start of an encoded word */
    return strstr(s, "=?") == NULL;
}

/* RFC 2047 encoded words of at most 75 characters, each on its own folded line, never splitting a UTF-8
 * sequence across two words. */
static void add_encoded_words(strbuf *out, const char *s, int used)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s), i = 0;
    int first = 1;
    do {
        /* 45 bytes of input make 60 base64 characters; with "=?UTF-8?B?" and "?=" that is 72 */
        size_t take = n - i > 45 ? 45 : n - i;
        while (take > 0 && i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
            take--; /* back off to a character boundary */
        if (take == 0 && i < n)
            take = n - i < 45 ? n - i : 45;
        if (!first || used > 40)
            strbuf_adds(out, first ? "\r\n " : "\r\n ");
        strbuf_adds(out, "=?UTF-8?B?");
        for (size_t k = 0; k < take; k += 3) {
            unsigned v = (unsigned char)s[i + k] << 16;
            if (k + 1 < take)
                v |= (unsigned char)s[i + k + 1] << 8;
            if (k + 2 < take)
                v |= (unsigned char)s[i + k + 2];
            strbuf_addc(out, b64[(v >> 18) & 63]);
            strbuf_addc(out, b64[(v >> 12) & 63]);
            strbuf_addc(out, k + 1 < take ? b64[(v >> 6) & 63] : '=');
            strbuf_addc(out, k + 2 < take ? b64[v & 63] : '=');
        }
        strbuf_adds(out, "?=");
        i += take;
        first = 0;
    } while (i < n);
}

void mime_add_header_value(strbuf *out, const char *value, int used)
{
    if (!plain_ascii(value)) {
        add_encoded_words(out, value, used);
        return;
    }
    /* plain ASCII: fold at spaces so no line passes 78 columns; a word longer than that stays whole */
    int col = used;
    const char *p = value;
    while (*p) {
        const char *sp = strchr(p + 1, ' ');
        size_t word = sp ? (size_t)(sp - p) : strlen(p);
        if (col + (int)word > 78 && p != value && *p == ' ') {
            strbuf_adds(out, "\r\n");
            col = 0;
        }
        strbuf_add(out, p, word);
        col += (int)word;
        p += word;
    }
}

static void add_header(strbuf *out, const char *name, const char *value)
{
    strbuf_addf(out, "%s: ", name);
    mime_add_header_value(out, value, (int)strlen(name) + 2);
    strbuf_adds(out, "\r\n");
}

/* "Name <addr>" with the name quoted when it is plain ASCII, encoded otherwise. */
static void add_address(strbuf *out, const char *header, const char *name, const char *addr)
{
    strbuf_addf(out, "%s: ", header);
    if (name && *name) {
        if (plain_ascii(name)) {
            strbuf_addc(out, '"');
            for (const char *p = name; *p; p++) {
                if (*p == '"' || *p == '\\')
                    strbuf_addc(out, '\\');
                strbuf_addc(out, *p);
            }
            strbuf_addc(out, '"');
        } else {
            add_encoded_words(out, name, 0);
        }
        strbuf_addc(out, ' ');
    }
    strbuf_addf(out, "<%s>\r\n", addr);
}

void mime_add_qp(strbuf *out, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    int col = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\r' && p[1] == '\n')
            continue;
        if (*p == '\n' || *p == '\r') {
            strbuf_adds(out, "\r\n");
            col = 0;
            continue;
        }
        int last = p[1] == 0 || p[1] == '\n' || (p[1] == '\r');
        int plain = (*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !last);
        if (*p == '.' && col == 0)
            plain = 0; /* a line of one dot would end the SMTP DATA */
        int width = plain ? 1 : 3;
        if (col + width > 75) {
            strbuf_adds(out, "=\r\n");
            col = 0;
        }
        if (plain) {
            strbuf_addc(out, (char)*p);
        } else {
            strbuf_addc(out, '=');
            strbuf_addc(out, hex[*p >> 4]);
            strbuf_addc(out, hex[*p & 15]);
        }
        col += width;
    }
    strbuf_adds(out, "\r\n");
}

static void add_part_headers(strbuf *out, const char *type)
{
    strbuf_addf(out, "Content-Type: %s; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", type);
}

int mime_build(const mime_message *m, strbuf *out, err_t *e)
{
    if (!mime_address_ok(m->from))
        return err_set(e, E_INVALID_VALUE, "from", "the sender is not one email address");
    if (!mime_address_ok(m->to))
        return err_set(e, E_INVALID_VALUE, "to", "the recipient is not one email address");
    if (m->reply_to && !mime_address_ok(m->reply_to))
        return err_set(e, E_INVALID_VALUE, "reply_to", "reply_to is not one email address");
    for (int i = 0; i < m->n_extra; i++) {
        int known = 0;
        for (int k = 0; KNOWN_HEADERS[k]; k++)
            known |= !strcmp(KNOWN_HEADERS[k], m->extra[i].name);
        if (!known)
            return err_set(e, E_INVALID_VALUE, "headers", "%.60s is not a header Rapport writes", m->extra[i].name);
    }
    char date[64];
    time_t t = (time_t)m->date;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    strbuf_addf(out, "Date: %s\r\n", date);
    add_address(out, "From", m->from_name, m->from);
    add_address(out, "To", m->to_name, m->to);
    if (m->reply_to)
        add_address(out, "Reply-To", NULL, m->reply_to);
    add_header(out, "Subject", m->subject ? m->subject : "");
    /* the id is ours (outbox id @ sender's domain); checked anyway, like every address */
    if (!mime_address_ok(m->message_id))
        return err_set(e, E_INVALID_VALUE, "message_id", "not a message id");
    strbuf_addf(out, "Message-ID: <%s>\r\n", m->message_id);
    for (int i = 0; i < m->n_extra; i++)
        add_header(out, m->extra[i].name, m->extra[i].value);
    strbuf_adds(out, "MIME-Version: 1.0\r\n");
    if (!m->html) {
        add_part_headers(out, "text/plain");
        mime_add_qp(out, m->text ? m->text : "");
        return 0;
    }
    /* a boundary starting "=_": quoted-printable writes every '=' of a body as =3D, so no part holds it */
    const char *boundary = "=_rapport_alternative";
    strbuf_addf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
    strbuf_addf(out, "--%s\r\n", boundary);
    add_part_headers(out, "text/plain");
    mime_add_qp(out, m->text ? m->text : "");
    strbuf_addf(out, "--%s\r\n", boundary);
    add_part_headers(out, "text/html");
    mime_add_qp(out, m->html);
    strbuf_addf(out, "--%s--\r\n", boundary);
    return 0;
}
