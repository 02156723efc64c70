/* template: the substituter (see template.h). */
#include "util/template.h"

#include <string.h>

void template_escape_value(strbuf *out, const char *value, template_escape esc)
{
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (esc == TEMPLATE_LINE && (*p < ' ' || *p == 127)) {
            strbuf_addc(out, ' ');
            continue;
        }
        if (esc == TEMPLATE_MARKDOWN) {
            if (*p == '\r')
                continue;
            if (strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", *p) && *p)
                strbuf_addc(out, '\\');
        }
        strbuf_addc(out, (char)*p);
    }
}

static int name_ok(const char *s, size_t n)
{
    if (n == 0 || n > TEMPLATE_NAME_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
        return 0;
    int dots = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            if (++dots > 1 || i + 1 == n || !(s[i + 1] >= 'a' && s[i + 1] <= 'z'))
                return 0;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return 0;
        }
    }
    return 1;
}

/* Finds the next variable at or after p: its name into name[], and *after past its closing braces.
 * Returns the opening "{{", NULL when there is none, or sets *bad when one is malformed. */
static const char *next_var(const char *p, char name[TEMPLATE_NAME_MAX + 1], const char **after, int *bad)
{
    const char *open = strstr(p, "{{");
    if (!open)
        return NULL;
    const char *close = strstr(open + 2, "}}");
    if (!close) {
        *bad = 1;
        return open;
    }
    const char *s = open + 2, *end = close;
    while (s < end && *s == ' ')
        s++;
    while (end > s && end[-1] == ' ')
        end--;
    if (!name_ok(s, (size_t)(end - s))) {
        *bad = 1;
        return open;
    }
    memcpy(name, s, (size_t)(end - s));
    name[end - s] = 0;
    *after = close + 2;
    return open;
}

static int malformed(const char *tpl, const char *at, const char *field, err_t *e)
{
    return err_set(e, E_INVALID_VALUE, field,
                   "%s: a variable at character %ld is not {{name.field}} (lowercase letters, digits, _; one dot) "
                   "or is not closed with }}",
                   field, (long)(at - tpl) + 1);
}

int template_each(const char *tpl, int (*each)(void *ctx, const char *name, err_t *e), void *ctx, const char *field,
                  err_t *e)
{
    const char *p = tpl;
    for (;;) {
        char name[TEMPLATE_NAME_MAX + 1];
        const char *after = NULL;
        int bad = 0;
        const char *open = next_var(p, name, &after, &bad);
        if (!open)
            return 0;
        if (bad)
            return malformed(tpl, open, field, e);
        int rc = each(ctx, name, e);
        if (rc < 0)
            return rc;
        p = after;
    }
}

int template_render(const char *tpl, template_escape esc, template_lookup lookup, void *ctx, const char *field,
                    strbuf *out, err_t *e)
{
    const char *p = tpl;
    for (;;) {
        char name[TEMPLATE_NAME_MAX + 1];
        const char *after = NULL;
        int bad = 0;
        const char *open = next_var(p, name, &after, &bad);
        if (!open) {
            strbuf_adds(out, p);
            return 0;
        }
        if (bad)
            return malformed(tpl, open, field, e);
        strbuf_add(out, p, (size_t)(open - p));
        const char *v = lookup(ctx, name);
        if (!v)
            return err_set(e, E_INVALID_VALUE, field, "%s: unknown variable %s", field, name);
        template_escape_value(out, v, esc);
        p = after;
    }
}
