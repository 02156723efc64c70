/* outbox: every message Rapport sends goes through one table (schema/0010-outbox.sql).
 *
 * A message is queued in the caller's transaction, so it exists exactly when the change that caused it
 * does. Each server runs a few sender threads (outbox_senders_start), each with its own connection, that
 * claim one due message at a time and do the network I/O there: a slow mail server holds one sender,
 * never the request threads or the job worker. The claim (status 'sending', claimed_by this server) is
 * committed before anything is sent, and the outcome right after:
 *   sent      the server accepted it (sent_at);
 *   queued    a 4xx, a timeout, a refused or dropped connection: tried again after an exponential
 *             backoff (RAPPORT_OUTBOX_RETRY_SECONDS, default 60, doubling, at most 6 hours apart) until
 *             OUTBOX_MAX_ATTEMPTS;
 *   failed    a 5xx, a misconfigured server, or too many attempts, with the reason in last_error;
 *   draft     waiting for a person to approve it (outbox_approve), never sent before.
 * A message still 'sending' past OUTBOX_STALE_SECONDS (its server died between the two writes), or
 * claimed by a process of this host that is gone, is queued again and sent with the same Message-ID: the
 * at-least-once window is the milliseconds between the mail server's acceptance and our UPDATE.
 *
 * Kinds: "email" now; a webhook delivery is another kind with its own payload and send function. */
#ifndef RAPPORT_OUTBOX_H
#define RAPPORT_OUTBOX_H
#include <signal.h>
#include <pthread.h>

#include "core/model/entity.h"
#include "db/db.h"
#include "util/ids.h"

#define OUTBOX_MAX_ATTEMPTS 8
#define OUTBOX_STALE_SECONDS 300
#define OUTBOX_SENDERS 2

/* An email to queue. Strings are borrowed. */
typedef struct outbox_email {
    const char *workspace_id;
    const char *to, *to_name;
    const char *subject, *text, *html; /* html may be NULL */
    const char *client_id, *contact_id, *interaction_id; /* what it is about (may be NULL) */
    const char *automation;      /* the automation that queued it, or NULL for a person's send */
    const char *unsubscribe_url; /* List-Unsubscribe (RFC 8058 one-click), or NULL */
    int draft;                   /* wait for approval instead of sending */
    int log_interaction;         /* to a client's contact: logged as an outbound email on the client's timeline
                                  * now, or when a draft is approved */
} outbox_email;

/* Queues m inside the caller's transaction (or its own when none is open): checks the addresses and
 * that the subject is one line (422 naming the field), that email is configured for the workspace (409
 * saying how), and fills id. */
int outbox_queue_email(db *d, const outbox_email *m, char id[ID_MAX], err_t *e);
/* A draft becomes queued (409 when it is not a draft); one to a client's contact is logged on the
 * client's timeline then, as who sent it. */
int outbox_approve(db *d, const actor *who, const char *id, err_t *e);

/* The workspace's messages, newest first, each with its attempts, as {"data":[...],"next_cursor":...}:
 * status filters when non-NULL; cursor is a next_cursor from before (or NULL). */
int outbox_list(db *d, const char *workspace_id, const char *status, int limit, const char *cursor, strbuf *out,
                err_t *e);

/* Sends due messages in this process until none is left (rapport jobs run); returns how many were tried.
 * Its claims are named host:pid:0 like a server's, so a run killed mid-send is recognised as gone. */
int outbox_send_due(db *d, err_t *e);

/* Starts OUTBOX_SENDERS threads on db_target that send until *stopping; a message in flight when it is
 * set is finished and recorded. outbox_senders_join waits for them. */
int outbox_senders_start(const char *db_target, volatile sig_atomic_t *stopping, err_t *e);
void outbox_senders_join(void);

#endif
