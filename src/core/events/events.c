/* events: the event types and their emission (see events.h). */
#include "core/events/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/events/webhooks.h"
#include "core/rules/rules.h"

#define AS_TYPE(name, entity, trigger, field, value, summary) {name, entity, trigger, field, value, summary},
#define AS_NAME(name, entity, trigger, field, value, summary) name,
const event_type event_types[] = {EVENT_TYPES(AS_TYPE)};
const int event_type_count = (int)(sizeof event_types / sizeof event_types[0]);
const char *const event_type_names[] = {EVENT_TYPES(AS_NAME) NULL};

const event_type *event_type_find(const char *name)
{
    for (int i = 0; name && i < event_type_count; i++)
        if (!strcmp(event_types[i].name, name))
            return &event_types[i];
    return NULL;
}

int events_emit(db *d, const actor *who, const char *type, const char *data, err_t *e)
{
    if (!event_type_find(type))
        return err_set(e, E_INTERNAL, NULL, "no event type %.60s", type);
    /* the subscriptions first, then the deliveries: a statement is not kept open across other writes */
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, "SELECT id, active FROM webhooks WHERE workspace_id = ? AND ");
    d->be->json_array_contains(&sql, "events");
    strbuf_adds(&sql, " ORDER BY id");
    char (*ids)[ID_MAX] = NULL;
    int n = 0, cap = 0;
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, who->workspace_id);
    db_bind_text(s, 2, type);
    while ((rc = db_step(s, e)) == DB_ROW) {
        if (!db_col_int(s, 1))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 4;
            ids = realloc(ids, (size_t)cap * sizeof *ids);
        }
        snprintf(ids[n++], ID_MAX, "%s", db_col_text(s, 0, NULL));
    }
    db_finalize(s);
    for (int i = 0; rc >= 0 && i < n; i++)
        rc = webhook_queue(d, who->workspace_id, ids[i], type, data, NULL, e);
    free(ids);
    return rc < 0 ? rc : n;
}

/* Does this write raise t? */
static int raises(const event_type *t, const write_ctx *c, int creating)
{
    switch (t->trigger) {
    case EV_CREATED:
        return creating;
    case EV_UPDATED:
        return !creating;
    case EV_BECOMES: {
        const char *now = rules_str(c, t->field);
        json_t *before = c->old ? json_object_get(c->old, t->field) : NULL;
        const char *was = json_string_value(before);
        return now && !strcmp(now, t->value) && !(was && !strcmp(was, t->value));
    }
    default:
        return 0;
    }
}

int events_after_write(write_ctx *c, int creating, const char *record_json)
{
    for (int i = 0; i < event_type_count; i++) {
        const event_type *t = &event_types[i];
        if (!t->entity || strcmp(t->entity, c->en->name) || !raises(t, c, creating))
            continue;
        int rc = events_emit(c->d, c->who, t->name, record_json, c->e);
        if (rc < 0)
            return rc;
    }
    return 0;
}
