/* events: what happened, told to subscribers. A change emits its event inside the transaction that
 * makes it (so an event is queued exactly when its change commits), and each active webhook subscribed
 * to the event's type gets a delivery (core/events/webhooks.h) that the scheduler sends.
 *
 * The event types are one table, EVENT_TYPES below: each names the entity whose write raises it and
 * when (created, updated, or a field becoming a value), or is raised explicitly by the code that knows
 * (EV_EXPLICIT: a ticket's breach, a client's health band). The webhooks entity takes its allowed
 * `events` from the same table, and so does the OpenAPI document. */
#ifndef RAPPORT_EVENTS_H
#define RAPPORT_EVENTS_H
#include "core/model/entity.h"

enum event_trigger {
    EV_CREATED,  /* a record of the entity is created */
    EV_UPDATED,  /* a record of the entity is changed */
    EV_BECOMES,  /* field changes to value (on create or update) */
    EV_EXPLICIT, /* raised by events_emit from the code that knows it happened */
};

/* name, entity, trigger, field, value, summary. Sorted by name. */
#define EVENT_TYPES(X)                                                                                         \
    X("client.created", "clients", EV_CREATED, NULL, NULL, "a client was added")                               \
    X("client.updated", "clients", EV_UPDATED, NULL, NULL, "a client's record changed")                        \
    X("deal.lost", "deals", EV_BECOMES, "status", "lost", "a deal was lost")                                   \
    X("deal.won", "deals", EV_BECOMES, "status", "won", "a deal was won")                                      \
    X("health.band_changed", NULL, EV_EXPLICIT, NULL, NULL, "a client's health score moved to another band")   \
    X("interaction.created", "interactions", EV_CREATED, NULL, NULL, "a call, email, meeting or note was logged") \
    X("invoice.paid", "invoices", EV_BECOMES, "status", "paid", "an invoice was paid")                          \
    X("project.agreed", "projects", EV_BECOMES, "status", "agreed", "a project's scope was agreed")             \
    X("ticket.breached", NULL, EV_EXPLICIT, NULL, NULL, "a ticket went past its promised response time")      \
    X("ticket.created", "tickets", EV_CREATED, NULL, NULL, "a ticket was opened")

typedef struct event_type {
    const char *name;
    const char *entity; /* whose writes raise it (EV_EXPLICIT: NULL) */
    int trigger;        /* enum event_trigger */
    const char *field, *value;
    const char *summary;
} event_type;

extern const event_type event_types[];
extern const int event_type_count;
/* The names alone, NULL-terminated: the allowed values of a webhook's `events`. */
extern const char *const event_type_names[];
const event_type *event_type_find(const char *name);

/* The event a "send test" delivers, to one subscription whatever it subscribes to. */
#define EVENT_TEST "webhook.test"

/* Emits event `type` in who's workspace with `data` (a JSON object's text: the record, or what the
 * explicit event carries), inside the caller's transaction: one delivery per active subscription to
 * it. Returns how many deliveries were queued, or <0. health.band_changed is raised by the code that
 * stores health scores (core/insight/health_store.c) when a stored band moves, with {"client_id", "from",
 * "to", "score"}; ticket.breached is raised by events_sweep, with the ticket. */
int events_emit(db *d, const actor *who, const char *type, const char *data, err_t *e);

/* Raises the events that happen by time passing rather than by a write, each once (event_marks):
 * ticket.breached for open tickets still unanswered past their response_due_at (due within the last
 * EVENTS_SWEEP_DAYS, so a first sweep does not replay old history). Run about once a minute by every
 * job worker (sched/jobs.c); returns how many events it raised, or <0. */
#define EVENTS_SWEEP_DAYS 7
int events_sweep(db *d, err_t *e);

/* Called by the generic write path (record.c) after a record of c->en is written, with the record's
 * JSON as it now reads: emits the events of the table that this write raises. */
int events_after_write(write_ctx *c, int creating, const char *record_json);

#endif
