/* snippet: match windows for search results (see snippet.h). */
#include "core/engine/snippet.h"

#include <ctype.h>
#include <string.h>

#define BEFORE 4  /* words shown before the first match */
#define WINDOW 14 /* words shown in all */
#define MAX_TERMS 16

/* A word is a run of letters and digits; any byte of a multi-byte UTF-8 character counts as a letter. */
static int wordc(unsigned char c) { return isalnum(c) || c >= 0x80; }

typedef struct span {
    const char *start;
    size_t len;
} span;

static int split(const char *s, span *out, int max)
{
    int n = 0;
    while (*s && n < max) {
        while (*s && !wordc((unsigned char)*s))
            s++;
        const char *b = s;
        while (*s && wordc((unsigned char)*s))
            s++;
        if (s > b)
            out[n++] = (span){b, (size_t)(s - b)};
    }
    return n;
}

static int matches(span w, const span *terms, int nterms)
{
    for (int i = 0; i < nterms; i++)
        if (terms[i].len <= w.len && !strncasecmp(w.start, terms[i].start, terms[i].len))
            return 1;
    return 0;
}

void snippet_make(const char *text, const char *words, strbuf *out)
{
    span terms[MAX_TERMS], w[4096];
    int nterms = split(words ? words : "", terms, MAX_TERMS), n = split(text ? text : "", w, 4096);
    if (!n)
        return;
    int first = 0;
    while (first < n && !matches(w[first], terms, nterms))
        first++;
    if (first == n)
        first = 0;
    int from = n <= WINDOW || first <= BEFORE ? 0 : first - BEFORE, to = from + WINDOW < n ? from + WINDOW : n;
    if (from > 0)
        strbuf_adds(out, "...");
    for (int i = from; i < to; i++) {
        int hit = matches(w[i], terms, nterms);
        if (hit)
            strbuf_addc(out, '[');
        strbuf_add(out, w[i].start, w[i].len);
        if (hit)
            strbuf_addc(out, ']');
        /* the text between this word and the next, as written (punctuation, one space for any run) */
        if (i + 1 < to) {
            const char *g = w[i].start + w[i].len, *end = w[i + 1].start;
            int space = 0;
            for (; g < end; g++) {
                if (isspace((unsigned char)*g)) {
                    space = 1;
                    continue;
                }
                if (space)
                    strbuf_addc(out, ' '), space = 0;
                strbuf_addc(out, *g);
            }
            if (space)
                strbuf_addc(out, ' ');
        }
    }
    if (to < n) {
        strbuf_adds(out, "...");
        return;
    }
    /* the end of the text: its closing punctuation too ("page.") */
    for (const char *g = w[n - 1].start + w[n - 1].len; *g && !isspace((unsigned char)*g); g++)
        strbuf_addc(out, *g);
}
