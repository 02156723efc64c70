/* import_text: see import_text.h. */
#include "core/bulk/import_text.h"

#include <string.h>

#include "util/utf8.h"

/* Windows-1252's 0x80-0x9F (0 where the code page has no character: those bytes stay C1 controls, as
 * in Latin-1). */
static const unsigned short cp1252[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                          0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                          0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                          0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static void add_utf8(strbuf *sb, unsigned long c)
{
    char b[4];
    size_t n;
    if (c < 0x80) {
        b[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xC0 | (c >> 6));
        b[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        b[0] = (char)(0xE0 | (c >> 12));
        b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (c >> 18));
        b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    strbuf_add(sb, b, n);
}

static int utf16_to_utf8(const unsigned char *p, size_t len, int big, strbuf *out, err_t *e)
{
    if (len % 2)
        return err_set(e, E_INVALID_VALUE, NULL, "the file looks like UTF-16 but has an odd number of bytes");
    for (size_t i = 0; i < len; i += 2) {
        unsigned long c = big ? (unsigned long)(p[i] << 8 | p[i + 1]) : (unsigned long)(p[i + 1] << 8 | p[i]);
        if (c >= 0xD800 && c < 0xDC00 && i + 3 < len) {
            unsigned long lo =
                big ? (unsigned long)(p[i + 2] << 8 | p[i + 3]) : (unsigned long)(p[i + 3] << 8 | p[i + 2]);
            if (lo >= 0xDC00 && lo < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c < 0xE000) {
            return err_set(e, E_INVALID_VALUE, NULL, "the UTF-16 file has a broken surrogate pair at byte %zu", i);
        }
        add_utf8(out, c);
    }
    return 0;
}

/* UTF-16 without a byte-order mark: text of ASCII letters has a zero in every other byte. */
static int guess_utf16(const unsigned char *p, size_t len, int *big)
{
    size_t n = len < 512 ? len & ~(size_t)1 : 512, even = 0, odd = 0;
    if (n < 4)
        return 0;
    for (size_t i = 0; i < n; i += 2) {
        even += p[i] == 0;
        odd += p[i + 1] == 0;
    }
    if (odd * 10 >= n / 2 * 8 && even == 0)
        return *big = 0, 1;
    if (even * 10 >= n / 2 * 8 && odd == 0)
        return *big = 1, 1;
    return 0;
}

/* The row (header = 1) and column of the byte at `at`, quotes followed as RFC 4180 has them. */
static void row_and_column(const char *s, size_t at, long *row, long *col)
{
    int quoted = 0;
    *row = 1;
    *col = 1;
    for (size_t i = 0; i < at; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == ',')
            (*col)++;
        else if (!quoted && s[i] == '\n')
            (*row)++, *col = 1;
    }
}

int import_text_utf8(const char *buf, size_t len, strbuf *conv, const char **text, size_t *n, const char **encoding,
                     err_t *e)
{
    const unsigned char *p = (const unsigned char *)buf;
    int big = 0, rc = 0;
    *text = buf;
    *n = len;
    *encoding = "utf-8";
    if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        big = p[0] == 0xFE;
        *encoding = big ? "utf-16be" : "utf-16le";
        rc = utf16_to_utf8(p + 2, len - 2, big, conv, e);
    } else if (guess_utf16(p, len, &big)) {
        *encoding = big ? "utf-16be" : "utf-16le";
        rc = utf16_to_utf8(p, len, big, conv, e);
    } else {
        if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
            *text = buf + 3;
            *n = len - 3;
        }
        if (!utf8_valid(*text, *n)) {
            *encoding = "windows-1252";
            for (size_t i = 0; i < *n; i++) {
                unsigned char c = (unsigned char)(*text)[i];
                add_utf8(conv, c >= 0x80 && c < 0xA0 && cp1252[c - 0x80] ? cp1252[c - 0x80] : c);
            }
        }
    }
    if (rc < 0)
        return rc;
    if (conv->overflow)
        return err_set(e, E_PAYLOAD_TOO_LARGE, NULL, "the file is too large once converted from %s", *encoding);
    if (strcmp(*encoding, "utf-8")) {
        *text = conv->buf;
        *n = conv->len;
        if (*n >= 3 && !memcmp(*text, "\xEF\xBB\xBF", 3)) {
            *text += 3;
            *n -= 3;
        }
    }
    const char *nul = memchr(*text, '\0', *n);
    if (nul) {
        long row, col;
        row_and_column(*text, (size_t)(nul - *text), &row, &col);
        return err_set(e, E_INVALID_VALUE, NULL, "row %ld, column %ld holds a NUL character (the file is %s)", row, col,
                       *encoding);
    }
    return 0;
}
