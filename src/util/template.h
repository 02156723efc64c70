/* template: {{variables}} substituted into text, each value escaped for the part it lands in.
 *
 * A variable is `{{ name.field }}` (or `{{ name }}`): lowercase letters, digits and underscores, at most
 * 64 characters, spaces inside the braces allowed. There is no other syntax: no loops, no conditions, no
 * way to write raw values into HTML. What a name means is the caller's (a lookup), so this file knows no
 * entity. The escaping is per part:
 *   TEMPLATE_TEXT      the value as it is (a plain-text body);
 *   TEMPLATE_LINE      control characters become spaces (a subject: one line, whatever the value holds);
 *   TEMPLATE_MARKDOWN  every ASCII punctuation character backslash-escaped, so a value is literal text to
 *                      a Markdown renderer: never markup, a link, or raw HTML (cmark then HTML-escapes it).
 * Fuzzed by fuzz/fuzz_template.c. */
#ifndef RAPPORT_TEMPLATE_H
#define RAPPORT_TEMPLATE_H
#include "util/err.h"
#include "util/strbuf.h"

#define TEMPLATE_NAME_MAX 64

typedef enum template_escape { TEMPLATE_TEXT, TEMPLATE_LINE, TEMPLATE_MARKDOWN } template_escape;

/* The value of a variable (never NULL for a known one: "" when empty), or NULL when unknown. */
typedef const char *(*template_lookup)(void *ctx, const char *name);

/* Appends tpl with every variable replaced; <0 naming `field` on a malformed or unknown variable. */
int template_render(const char *tpl, template_escape esc, template_lookup lookup, void *ctx, const char *field,
                    strbuf *out, err_t *e);
/* Calls each(ctx, name) for every variable of tpl in order; <0 naming `field` when one is malformed,
 * or when each returns <0 (it fills e: "unknown variable client.nmae"). */
int template_each(const char *tpl, int (*each)(void *ctx, const char *name, err_t *e), void *ctx, const char *field,
                  err_t *e);
/* Appends value escaped as esc says. */
void template_escape_value(strbuf *out, const char *value, template_escape esc);

#endif
