/* fuzz_template: libFuzzer over the template substituter (util/template.c) and its Markdown part through
 * cmark. The input is a template; every variable's value is hostile (markup, a script, CR/LF, braces).
 * It checks, beyond "no crash" under ASan and UBSan:
 *   - a subject rendered from a template without CR or LF has none (TEMPLATE_LINE);
 *   - the HTML from a template without '<' or '&' has no tag that came from a value: no "<script", no
 *     "<img", no "javascript:" link — each value is text in its part. */
#include <cmark.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/template.h"

static const char *hostile(void *ctx, const char *name)
{
    (void)ctx;
    if (!strcmp(name, "unknown"))
        return NULL;
    return "<script>alert(1)</script>\r\n[x](javascript:alert(1)) <img src=x onerror=y> *{{client.name}}* _a_ `b` \\";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *tpl = malloc(size + 1);
    memcpy(tpl, data, size);
    tpl[size] = 0;
    size_t n = strlen(tpl); /* stops at a NUL, as every caller's C string does */
    err_t e;
    strbuf line = STRBUF_INIT, md = STRBUF_INIT;
    if (template_render(tpl, TEMPLATE_LINE, hostile, NULL, "subject", &line, &e) == 0 && !memchr(tpl, '\r', n) &&
        !memchr(tpl, '\n', n) && (strchr(line.buf, '\r') || strchr(line.buf, '\n')))
        abort();
    if (template_render(tpl, TEMPLATE_MARKDOWN, hostile, NULL, "body", &md, &e) == 0 && !memchr(tpl, '<', n) &&
        !memchr(tpl, '&', n) && !strstr(tpl, "javascript")) {
        char *html = cmark_markdown_to_html(md.buf, md.len, CMARK_OPT_DEFAULT);
        if (strstr(html, "<script") || strstr(html, "<img") || strstr(html, "href=\"javascript"))
            abort();
        free(html);
    }
    strbuf_release(&line);
    strbuf_release(&md);
    free(tpl);
    return 0;
}
