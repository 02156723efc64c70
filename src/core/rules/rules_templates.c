/* rules_templates: an email template is checked when it is saved, so a mistake shows at once rather
 * than in a mail that cannot be sent: every variable known (422 naming it), a subject of one line. */
#include <string.h>

#include "core/practice/template_fill.h"
#include "core/rules/rules.h"

int rules_template_before_write(write_ctx *c)
{
    const char *subject = json_string_value(json_object_get(c->body, "subject")),
               *body = json_string_value(json_object_get(c->body, "body"));
    for (const unsigned char *p = (const unsigned char *)subject; p && *p; p++)
        if (*p < ' ' || *p == 127)
            return err_set(c->e, E_INVALID_VALUE, "subject", "subject must be one line (no CR, LF or controls)");
    int rc = subject ? template_check(subject, "subject", c->e) : 0;
    if (rc == 0 && body)
        rc = template_check(body, "body", c->e);
    return rc;
}
