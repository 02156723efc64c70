/* rules_onboarding: a template's steps are an ordered list the apply step can rely on. */
#include <string.h>

#include "core/rules/rules.h"

static const char *const STEP_KINDS[] = {"email", "questionnaire", "call", "meeting", "task", NULL};

static int step_error(write_ctx *c, size_t i, const char *what)
{
    return err_set(c->e, E_INVALID_VALUE, "steps", "steps[%zu]: %s", i, what);
}

int rules_onboarding_template_before_write(write_ctx *c)
{
    json_t *steps = json_object_get(c->body, "steps"), *questions = json_object_get(c->body, "questions");
    if (steps && !json_is_null(steps)) {
        if (!json_is_array(steps) || json_array_size(steps) == 0 || json_array_size(steps) > 50)
            return err_set(c->e, E_INVALID_VALUE, "steps", "steps must be a list of 1 to 50 steps");
        size_t i;
        json_t *st;
        json_array_foreach(steps, i, st) {
            if (!json_is_object(st))
                return step_error(c, i, "each step is an object {title, kind, offset_days}");
            const char *title = json_string_value(json_object_get(st, "title"));
            const char *kind = json_string_value(json_object_get(st, "kind"));
            json_t *off = json_object_get(st, "offset_days"), *desc = json_object_get(st, "description");
            if (!title || !*title || strlen(title) > 300)
                return step_error(c, i, "title is required (up to 300 bytes)");
            int known = 0;
            for (const char *const *k = STEP_KINDS; kind && *k; k++)
                known |= !strcmp(*k, kind);
            if (!known) {
                strbuf kinds = STRBUF_INIT;
                strbuf_adds(&kinds, "kind must be one of: ");
                strbuf_add_joined(&kinds, STEP_KINDS, -1, ", ");
                int rc = step_error(c, i, kinds.buf);
                strbuf_release(&kinds);
                return rc;
            }
            if (!json_is_integer(off) || json_integer_value(off) < 0 || json_integer_value(off) > 365)
                return step_error(c, i, "offset_days must be a whole number of days from 0 to 365");
            if (desc && !json_is_null(desc) && !json_is_string(desc))
                return step_error(c, i, "description must be text");
            const char *key;
            json_t *v;
            json_object_foreach(st, key, v) {
                if (strcmp(key, "title") && strcmp(key, "kind") && strcmp(key, "offset_days") &&
                    strcmp(key, "description"))
                    return step_error(c, i, "only title, kind, offset_days and description are allowed");
            }
        }
    }
    if (questions && !json_is_null(questions)) {
        size_t i;
        json_t *q;
        if (!json_is_array(questions))
            return err_set(c->e, E_INVALID_VALUE, "questions", "questions must be a list of texts");
        json_array_foreach(questions, i, q) {
            if (!json_is_string(q) || !json_string_length(q))
                return err_set(c->e, E_INVALID_VALUE, "questions", "questions[%zu] must be non-empty text", i);
        }
    }
    return 0;
}
