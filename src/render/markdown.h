/* markdown: Markdown to HTML through cmark (Debian's libcmark), in its safe mode: raw HTML and
 * javascript:, vbscript:, file: and data: links (but images) are removed, so the HTML part of an email
 * carries only what Markdown itself makes. */
#ifndef RAPPORT_MARKDOWN_H
#define RAPPORT_MARKDOWN_H
#include "util/strbuf.h"

/* Appends md as an HTML document (UTF-8, a small readable style). */
void markdown_to_html(const char *md, strbuf *out);

#endif
