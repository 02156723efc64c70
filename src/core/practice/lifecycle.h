/* lifecycle: the views and actions of the client practice that span entities — a client's timeline,
 * check-ins due under its communication protocol, onboarding applied from a template, and the follow-up
 * text after a conversation. Each appends JSON to out and reads the one clock. */
#ifndef RAPPORT_LIFECYCLE_H
#define RAPPORT_LIFECYCLE_H
#include "core/model/entity.h"

#define TIMELINE_MAX 200

/* Everything about a client, newest first: {"data": [{"type", "id", "at", "title", "record"}], "next_cursor"}.
 * types: comma-separated singulars to keep ("interaction,ticket"), or NULL for all. */
int timeline_page(db *d, const actor *who, const char *client_id, int limit, const char *cursor, const char *types,
                  strbuf *out, err_t *e);

/* Active clients whose last outbound update is older than their cadence, most overdue first:
 * {"data": [{"kind": "check_in", "client_id", "client_name", "cadence", "last_update_at", "due_at",
 * "days_overdue", "channel", "owner_id", "client_since", "last_inbound_at"}]}. client_since is where the
 * clock started when we never sent an update; last_inbound_at is when the client last reached us (null:
 * never). owner_id (or NULL) narrows to one owner's clients and the unowned ones (everyone's to keep). */
int checkins_due(db *d, const actor *who, const char *owner_id, int limit, strbuf *out, err_t *e);
/* What counts as an update under the protocol, as SQL over interactions aliased i: something we sent
 * (a call, email, meeting or message; notes do not count). Shared with the health score's cadence factor
 * and the client page; the partial index interactions_client_updates (migration 7) has this predicate. */
#define CHECKIN_UPDATE_SQL "i.direction = 'outbound' AND i.type <> 'note'"
/* When the next update falls due after one at t under cadence (weekly, biweekly, monthly, quarterly);
 * INT64_MAX for none. */
int64_t checkin_add_cadence(int64_t t, const char *cadence);

/* Creates the template's steps as tasks of the client, due offset_days after start_date (YYYY-MM-DD; NULL:
 * the client's started_at, or today). Refuses a client that already has onboarding (E_CONFLICT). */
int onboarding_apply(db *d, const actor *who, const char *client_id, const char *template_id, const char *start_date,
                     strbuf *out, err_t *e);
/* {"template": {...}, "steps": [tasks in order], "done", "total", "percent", "questions": [{"question",
 * "answer"}]} */
int onboarding_progress(db *d, const actor *who, const char *client_id, strbuf *out, err_t *e);
/* Every client being onboarded, the least advanced first: {"data": [{client_id, client_name, template,
 * done, total, percent, next_step: {title, due_at} | null}]}, at most `limit` (1..1000). */
int onboarding_list(db *d, const actor *who, int limit, strbuf *out, err_t *e);

/* The follow-up email after a call or meeting, from its summary: {"to", "subject", "body", ...}. With record,
 * also logs it as an outbound email interaction of the client. E_INVALID_VALUE (summary) without a summary. */
int followup_compose(db *d, const actor *who, const char *interaction_id, int record, strbuf *out, err_t *e);

/* The day: {"date", "week_ends", "overdue": [tasks], "due_today": [tasks], "check_ins": [checkins_due entries],
 * "needs_summary": [interactions], "tickets": [open tickets near or past response_due_at, with "late"],
 * "at_risk": [health entries of clients at risk or fallen a band since a week ago, with "band_week_ago" and
 * "dropped_this_week"], "invoices_overdue": [invoices, with "days_overdue"], "deliverables_due": [not delivered,
 * due by week_ends, with "late"]}. Every item has "kind", "client_id", "client_name" and its own id under
 * "task_id", "interaction_id", "ticket_id", "invoice_id" or "deliverable_id"; a task's or ticket's own kind
 * moves to "task_kind" or "ticket_kind". For the actor: tasks assigned
 * to them, conversations they logged, the rest of their clients and the unowned ones; or for everyone. */
int today_report(db *d, const actor *who, int everyone, strbuf *out, err_t *e);

#endif
