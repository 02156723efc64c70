/* terminal: what the CLI prints to a terminal cannot drive it. A record's text is the user's, and a
 * stored escape sequence (ESC [ ..., a C1 control, a carriage return) could rewrite the screen, forge
 * lines or set the window title when a table shows it. When stdout is a terminal every byte goes
 * through this filter, however the command printed it: controls other than newline and tab become a
 * visible \u00XX, which in --json output is the same JSON string. Redirected output (exports, CSV,
 * scripts) stays byte for byte what Rapport stored. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"

typedef struct {
    int fd;
    int pending_c2; /* the last write ended on 0xC2, the lead byte of a C1 control in UTF-8 */
} term_out;

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return -1;
        p += w, n -= (size_t)w;
    }
    return 0;
}

/* Appends the bytes of buf escaped to out (at most 6 per byte, plus a held-back 0xC2). */
static size_t escape(term_out *t, const char *buf, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if (t->pending_c2) {
            t->pending_c2 = 0;
            if (ch >= 0x80 && ch <= 0x9f) {
                o += (size_t)snprintf(out + o, 7, "\\u%04x", ch);
                continue;
            }
            out[o++] = (char)0xc2;
        }
        if (ch == 0xc2)
            t->pending_c2 = 1;
        else if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
            o += (size_t)snprintf(out + o, 7, "\\u%04x", ch);
        else
            out[o++] = (char)ch;
    }
    return o;
}

static ssize_t term_write(void *cookie, const char *buf, size_t n)
{
    term_out *t = cookie;
    char out[6 * 1024 + 8];
    for (size_t done = 0; done < n;) {
        size_t k = n - done < 1024 ? n - done : 1024;
        if (write_all(t->fd, out, escape(t, buf + done, k, out)) < 0)
            return done ? (ssize_t)done : -1;
        done += k;
    }
    return (ssize_t)n;
}

static int term_close(void *cookie)
{
    term_out *t = cookie;
    if (t->pending_c2) /* a lone lead byte at the very end */
        write_all(t->fd, "\xc2", 1);
    t->pending_c2 = 0;
    return 0;
}

void cli_guard_terminal(void)
{
    static term_out t;
    if (!isatty(STDOUT_FILENO))
        return;
    t.fd = STDOUT_FILENO;
    cookie_io_functions_t io = {.write = term_write, .close = term_close};
    FILE *f = fopencookie(&t, "w", io);
    if (!f)
        return;
    fflush(stdout);
    setvbuf(f, NULL, _IOLBF, 0);
    stdout = f;
}
