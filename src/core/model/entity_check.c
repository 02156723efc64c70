/* entity_check: the entity table against the rules the rest of the program relies on, checked once at
 * start (entity_init) and by tests/unit/test_entity_check.c, so a mistake in the table stops the program
 * with its name rather than a write dropping a column or a status move naming a value that cannot be. */
#include <string.h>

#include "core/model/entity.h"

static int check_moves(const entity *en, const field *f, err_t *e)
{
    if (f->type != &FT_ENUM || !f->values)
        return err_set(e, E_INTERNAL, f->name, "%s.%s has moves but is not an enum field", en->name, f->name);
    for (const field_move *m = f->moves; m->from; m++) {
        if (!m->to)
            return err_set(e, E_INTERNAL, f->name, "%s.%s: the move from %s goes nowhere", en->name, f->name, m->from);
        if (!field_has_value(f, m->from))
            return err_set(e, E_INTERNAL, f->name, "%s.%s: a move names %s, which is not one of its values", en->name,
                           f->name, m->from);
        if (!field_has_value(f, m->to))
            return err_set(e, E_INTERNAL, f->name, "%s.%s: a move names %s, which is not one of its values", en->name,
                           f->name, m->to);
        if (!strcmp(m->from, m->to))
            return err_set(e, E_INTERNAL, f->name, "%s.%s: a move from %s to itself", en->name, f->name, m->from);
        for (const field_move *k = f->moves; k < m; k++)
            if (!strcmp(k->from, m->from) && !strcmp(k->to, m->to))
                return err_set(e, E_INTERNAL, f->name, "%s.%s: the move %s → %s is listed twice", en->name, f->name,
                               m->from, m->to);
    }
    return 0;
}

/* ?NAME=true|false comes from NAME_at: the field must be a moment named so, and NAME no other field. */
static int check_set_filter(const entity *en, const field *f, err_t *e)
{
    size_t n = strlen(f->name);
    if (f->type != &FT_DATETIME || n < 4 || strcmp(f->name + n - 3, "_at"))
        return err_set(e, E_INTERNAL, f->name, "%s.%s: a set filter needs a date-time field named NAME_at", en->name,
                       f->name);
    for (int i = 0; i < en->nfields; i++)
        if (strlen(en->fields[i].name) == n - 3 && !strncmp(en->fields[i].name, f->name, n - 3))
            return err_set(e, E_INTERNAL, f->name, "%s.%s: its filter's name is a field's", en->name, f->name);
    return 0;
}

int entity_check(const entity *en, err_t *e)
{
    if (en->nfields > ENTITY_MAX_FIELDS)
        return err_set(e, E_INTERNAL, NULL, "%s has %d fields; at most %d (ENTITY_MAX_FIELDS) are supported", en->name,
                       en->nfields, ENTITY_MAX_FIELDS);
    int rc;
    for (int i = 0; i < en->nfields; i++)
        if ((en->fields[i].moves && (rc = check_moves(en, &en->fields[i], e)) < 0) ||
            ((en->fields[i].flags & F_SET_FILTER) && (rc = check_set_filter(en, &en->fields[i], e)) < 0))
            return rc;
    return 0;
}

void entity_table_check(const entity *const *table, int n)
{
    err_t e;
    for (int i = 0; i < n; i++)
        if (entity_check(table[i], &e) < 0)
            BUG("the entity table is wrong: %s", e.message);
}
