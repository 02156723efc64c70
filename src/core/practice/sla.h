/* sla: the service level side of tickets and feedback — the workspace's business calendar as the rules
 * and reports read it, the list of tickets whose first response broke the client's promise, and marking
 * feedback acted on (shared by the REST API and the CLI). */
#ifndef RAPPORT_SLA_H
#define RAPPORT_SLA_H
#include "util/bizhours.h"
#include "core/model/entity.h"

/* Loads the actor's workspace calendar (time_zone, business_hours, holidays). Release with
 * bizcal_release on success. */
int sla_calendar(db *d, const actor *who, bizcal *out, err_t *e);

typedef struct sla_breach_query {
    const char *client_id; /* NULL: every client */
    int open_only;         /* only tickets still without a first response */
    int limit;             /* 1..LIST_MAX_LIMIT */
} sla_breach_query;

/* Appends {"now": ..., "data": [...]} to out: tickets whose first response came after response_due_at,
 * or still unanswered with response_due_at passed, newest opened first, each with its client's name and
 * late_minutes (business minutes from the due time to the response, or to now). */
int sla_breaches(db *d, const actor *who, const sla_breach_query *q, strbuf *out, err_t *e);

/* Marks feedback acted on: stores action_note (required, non-empty) and reply_note (optional) and sets
 * acted_on_at, in one transaction; E_CONFLICT when it already was. Appends the record to out. */
int feedback_act(db *d, const actor *who, const char *id, const char *action_note, const char *reply_note,
                 strbuf *out, err_t *e);

#endif
