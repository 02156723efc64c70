/* transition: status moves checked in one place, from the entity table (see transition.h). */
#include <string.h>

#include "core/engine/transition.h"

int transition_refused(const write_ctx *c, const field *f, const char *from, const char *to)
{
    return err_set(c->e, E_CONFLICT, f->name, "a %s cannot go from %s to %s", c->en->singular, from, to);
}

static int allowed(const field *f, const char *from, const char *to)
{
    for (const field_move *m = f->moves; m->from; m++)
        if (!strcmp(m->from, from) && !strcmp(m->to, to))
            return 1;
    return 0;
}

int transition_check(write_ctx *c)
{
    if (!c->old)
        return 0;
    for (int i = 0; i < c->en->nfields; i++) {
        const field *f = &c->en->fields[i];
        if (!f->moves)
            continue;
        const char *from = json_string_value(json_object_get(c->old, f->name));
        const char *to = json_string_value(json_object_get(c->body, f->name));
        if (!from || !to || !strcmp(from, to) || !field_has_value(f, to) || allowed(f, from, to))
            continue;
        return c->en->refuse_move ? c->en->refuse_move(c, f, from, to) : transition_refused(c, f, from, to);
    }
    return 0;
}
