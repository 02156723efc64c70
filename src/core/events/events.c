/* events: the event types and their emission (see events.h). */
#include "core/events/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/record.h"
#include "core/events/webhooks.h"
#include "util/clock.h"
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

/* Marks (event, record) raised; 1 when this call marked it, 0 when it was already. */
static int mark(db *d, const char *workspace_id, const char *event, const char *record_id, err_t *e)
{
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    db_stmt *s;
    const char *args[] = {workspace_id, event, record_id, now};
    int rc = db_query_row(d, &s, e,
                          "INSERT INTO event_marks (workspace_id, event, record_id, created_at) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT DO NOTHING",
                          4, args);
    return rc < 0 ? rc : db_changes(d) == 1;
}

int events_sweep(db *d, err_t *e)
{
    char now[CLOCK_RFC3339_LEN], floor[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    clock_format(clock_now() - EVENTS_SWEEP_DAYS * 86400, floor);
    /* the candidates first (a page at a time), then each in a transaction of its own */
    char (*found)[2][ID_MAX] = calloc(200, sizeof *found);
    int n = 0;
    db_stmt *s;
    int rc = db_prepare(d,
                        "SELECT t.id, t.workspace_id FROM tickets t WHERE t.first_response_at IS NULL "
                        "AND t.response_due_at <= ? AND t.response_due_at > ? AND t.status = 'open' "
                        "AND NOT EXISTS (SELECT 1 FROM event_marks m WHERE m.event = 'ticket.breached' "
                        "AND m.record_id = t.id) ORDER BY t.response_due_at LIMIT 200",
                        &s, e);
    if (rc < 0) {
        free(found);
        return rc;
    }
    db_bind_text(s, 1, now);
    db_bind_text(s, 2, floor);
    while ((rc = db_step(s, e)) == DB_ROW && n < 200) {
        snprintf(found[n][0], ID_MAX, "%s", db_col_text(s, 0, NULL));
        snprintf(found[n][1], ID_MAX, "%s", db_col_text(s, 1, NULL));
        n++;
    }
    db_finalize(s);
    int raised = 0;
    for (int i = 0; rc >= 0 && i < n; i++) {
        actor sys = {.role = ROLE_SYSTEM, .kind = PRINCIPAL_SYSTEM};
        snprintf(sys.workspace_id, sizeof sys.workspace_id, "%s", found[i][1]);
        if ((rc = db_begin(d, e)) < 0)
            break;
        strbuf ticket = STRBUF_INIT;
        rc = mark(d, sys.workspace_id, "ticket.breached", found[i][0], e);
        if (rc == 1 && (rc = record_get(d, &sys, entity_by_name("tickets"), found[i][0], &ticket, e)) >= 0)
            rc = events_emit(d, &sys, "ticket.breached", ticket.buf, e) < 0 ? -1 : 1;
        strbuf_release(&ticket);
        if (rc < 0) {
            db_rollback(d);
            rc = e->code ? e->code : rc;
            break;
        }
        raised += rc == 1;
        if ((rc = db_commit(d, e)) < 0)
            break;
    }
    free(found);
    return rc < 0 ? rc : raised;
}
