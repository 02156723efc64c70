/* strbuf: growable, capped byte buffer with escaping appenders (see strbuf.h). */
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char strbuf_empty[1];

void strbuf_init(strbuf *sb, size_t cap)
{
    sb->buf = strbuf_empty;
    sb->len = sb->alloc = 0;
    sb->cap = cap;
    sb->overflow = 0;
}

void strbuf_release(strbuf *sb)
{
    if (sb->alloc)
        free(sb->buf);
    strbuf_init(sb, sb->cap);
}

char *strbuf_detach(strbuf *sb, size_t *len)
{
    char *s = sb->alloc ? sb->buf : strdup("");
    if (len)
        *len = sb->len;
    sb->buf = strbuf_empty;
    sb->len = sb->alloc = 0;
    return s;
}

void strbuf_reset(strbuf *sb)
{
    strbuf_truncate(sb, 0);
    sb->overflow = 0;
}

void strbuf_truncate(strbuf *sb, size_t len)
{
    if (len < sb->len) {
        sb->len = len;
        if (sb->alloc)
            sb->buf[len] = '\0';
    }
}

/* Makes room for n more bytes plus the NUL; returns 0, or -1 (and sets overflow) when it cannot. */
static int grow(strbuf *sb, size_t n)
{
    if (sb->overflow)
        return -1;
    size_t need = sb->len + n + 1;
    if (need < sb->len || (sb->cap && need - 1 > sb->cap)) {
        sb->overflow = 1;
        return -1;
    }
    if (need <= sb->alloc)
        return 0;
    size_t a = sb->alloc ? sb->alloc : 64;
    while (a < need)
        a *= 2;
    char *p = realloc(sb->alloc ? sb->buf : NULL, a);
    if (!p) {
        sb->overflow = 1;
        return -1;
    }
    if (!sb->alloc)
        p[0] = '\0';
    sb->buf = p;
    sb->alloc = a;
    return 0;
}

void strbuf_add(strbuf *sb, const void *data, size_t n)
{
    if (grow(sb, n))
        return;
    memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void strbuf_adds(strbuf *sb, const char *s) { strbuf_add(sb, s, strlen(s)); }

void strbuf_addc(strbuf *sb, char c) { strbuf_add(sb, &c, 1); }

void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0 || grow(sb, (size_t)n))
        return;
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void strbuf_addf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_add_json_strn(strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_addc(sb, '"');
    size_t run = 0; /* bytes that need no escaping are copied in runs */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        strbuf_add(sb, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': strbuf_add(sb, "\\\"", 2); break;
        case '\\': strbuf_add(sb, "\\\\", 2); break;
        case '\n': strbuf_add(sb, "\\n", 2); break;
        case '\r': strbuf_add(sb, "\\r", 2); break;
        case '\t': strbuf_add(sb, "\\t", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            strbuf_add(sb, u, 6);
        }
        }
    }
    strbuf_add(sb, s + run, n - run);
    strbuf_addc(sb, '"');
}

void strbuf_add_json_str(strbuf *sb, const char *s)
{
    if (!s)
        strbuf_add(sb, "null", 4);
    else
        strbuf_add_json_strn(sb, s, strlen(s));
}

void strbuf_add_quoted(strbuf *sb, const char *s, size_t n, char quote)
{
    strbuf_addc(sb, quote);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == quote)
            strbuf_addc(sb, quote);
        strbuf_addc(sb, s[i]);
    }
    strbuf_addc(sb, quote);
}

void strbuf_add_sql_ident(strbuf *sb, const char *s) { strbuf_add_quoted(sb, s, strlen(s), '"'); }

/* "-12.50", "+3", "1e5": a number a spreadsheet reads as one, which no formula prefix may spoil. */
static int is_number(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    int digits = 0;
    while (*s >= '0' && *s <= '9')
        s++, digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    if (digits && (*s == 'e' || *s == 'E')) {
        s++;
        if (*s == '-' || *s == '+')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return digits && !*s;
}

int strbuf_csv_formula(const char *s) { return s && *s && strchr("=+-@\t\r", *s) && !is_number(s); }

void strbuf_add_csv(strbuf *sb, const char *s)
{
    if (!s)
        return;
    /* a text cell a spreadsheet would run as a formula (=HYPERLINK(...), +cmd|...) gets a leading ', as
     * OWASP advises; Rapport's importer takes it off again */
    strbuf guarded = STRBUF_INIT;
    if (strbuf_csv_formula(s)) {
        strbuf_addc(&guarded, '\'');
        strbuf_adds(&guarded, s);
        s = guarded.buf;
    }
    if (strpbrk(s, ",\"\r\n"))
        strbuf_add_quoted(sb, s, strlen(s), '"');
    else
        strbuf_adds(sb, s);
    strbuf_release(&guarded);
}

void strbuf_add_joined(strbuf *sb, const char *const *list, int n, const char *sep)
{
    for (int i = 0; n < 0 ? list[i] != NULL : i < n; i++) {
        if (i)
            strbuf_adds(sb, sep);
        strbuf_adds(sb, list[i]);
    }
}

void strbuf_add_html(strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': strbuf_adds(sb, "&amp;"); break;
        case '<': strbuf_adds(sb, "&lt;"); break;
        case '>': strbuf_adds(sb, "&gt;"); break;
        case '"': strbuf_adds(sb, "&quot;"); break;
        case '\'': strbuf_adds(sb, "&#39;"); break;
        default: strbuf_addc(sb, c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : (char)c);
        }
    }
}
