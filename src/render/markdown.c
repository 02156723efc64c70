/* markdown: cmark in safe mode (see markdown.h). */
#include "render/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

void markdown_to_html(const char *md, strbuf *out)
{
    char *html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT); /* not CMARK_OPT_UNSAFE */
    strbuf_adds(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>"
                     "<body style=\"font-family: sans-serif; line-height: 1.5\">\n");
    strbuf_adds(out, html);
    strbuf_adds(out, "</body></html>\n");
    free(html);
}
