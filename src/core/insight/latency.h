/* latency: how long a client takes to answer us, and we them, measured from the interaction log in the
 * workspace's business hours (the same calendar as the tickets' promised response times).
 *
 * The rule: interactions are calls, emails, meetings and messages with a direction (notes are ours
 * alone). A run of our outbound messages is answered by the client's next inbound one; the reply time is
 * from the FIRST unanswered message of the run to that reply, so three chasers before one answer make
 * one slow reply, not three. The same, mirrored, for our replies to them. A reply belongs to the window
 * it arrives in: recent = the 30 days before as_of, baseline = the 180 days before that. */
#ifndef RAPPORT_LATENCY_H
#define RAPPORT_LATENCY_H
#include "util/bizhours.h"
#include "core/model/entity.h"

#define LATENCY_RECENT_DAYS 30
#define LATENCY_BASELINE_DAYS 180

typedef struct latency_side {
    double median_hours; /* business hours; meaningful when samples > 0 */
    int samples;
} latency_side;

/* One client as of one instant. */
typedef struct latency_stats {
    latency_side theirs_recent, theirs_baseline, ours_recent, ours_baseline;
    int recent_count, baseline_count; /* interactions (not notes) in each window, either direction */
    int recent_inbound, baseline_inbound; /* of which the client's own */
    int64_t last_outbound;            /* our last message in the two windows (0: none), the check-ins' update */
    int64_t last_inbound;             /* their last message in the two windows (0: none): when we last heard */
    /* For the health score's behaviour tests (latency_opts): */
    int64_t last_update;              /* our last update in the two windows: an outbound that is not an answer */
    int test_replies, test_slow;      /* the client's replies to our updates in the last test_days; of them
                                       * slower than before_p90 */
    int before_replies;               /* ... in the rest of the two windows, before the test window */
    double before_p90;                /* their 90th percentile (nearest rank), business hours */
    int test_inbound, before_inbound; /* the client's messages in the test window, and before it */
} latency_stats;

/* How the health score reads the log (0s: every outbound an update, a 30-day test window). */
typedef struct latency_opts {
    /* an outbound message within this many business hours of a message the client raised (one that
     * did not reply to an update of ours) answers it: it is not an update (0: every outbound is one) */
    double answer_hours;
    /* the test window: the last test_days before as_of, against the rest of the 210 days */
    int test_days;
} latency_opts;

/* A set of clients as SQL on the clients table aliased c ("c.workspace_id = ? AND ..."), with its text
 * arguments: the health score and the latencies read the same set. */
#define CLIENT_SCOPE_MAX_IDS 250

typedef struct client_scope {
    char where[160 + 2 * CLIENT_SCOPE_MAX_IDS];
    const char *args[4 + CLIENT_SCOPE_MAX_IDS];
    int nargs;
    int listed; /* a short list of ids (args after the workspace): the health score's other queries
                 * narrow to them too */
} client_scope;

/* The workspace's active clients (only owner_id's when set), or the one client client_id of any stage. */
void client_scope_init(client_scope *cs, const char *workspace_id, const char *client_id, const char *owner_id);
/* The active clients the stored health scores do not settle: not stored healthy (watch, at risk, never
 * scored), or among ids (at most CLIENT_SCOPE_MAX_IDS: those written since the scores were stored). */
void client_scope_unsettled(client_scope *cs, const char *workspace_id, char *const *ids, size_t n);
/* The clients active at instant `at` (an RFC 3339 text the scope points to): started by then and not
 * ended (docs/metrics.md), whatever their stage today — for looking back at the book as it was. */
void client_scope_active_at(client_scope *cs, const char *workspace_id, const char *at);
/* The clients ids[0..n) (n at most CLIENT_SCOPE_MAX_IDS; the scope points to the ids). */
void client_scope_ids(client_scope *cs, const char *workspace_id, char *const *ids, size_t n);

#define LATENCY_MAX_VIEWS 8 /* the health score's two instants, each with its three weekly looks back */

/* Reads the interactions of the clients in scope once, for every as_of in as_of[0..nviews), filling
 * out[view * n + i] for ids[i] (the scope's ids; rows of others are skipped). One join of the scope to a
 * covering (client_id, occurred_at, direction, type) index: a seek per client and only its own rows,
 * whatever else the workspace holds. */
int latency_collect(db *d, const bizcal *cal, const client_scope *scope, char *const *ids, size_t n,
                    const int64_t *as_of, int nviews, const latency_opts *opts, latency_stats *out, err_t *e);

/* GET /clients/{id}/latency: {"client_id", "as_of", "unit": "business_hours", "theirs": {"recent":
 * {"median_hours", "replies"}, "baseline": {...}}, "ours": {...}, "interactions": {"recent", "baseline"}} */
int latency_client(db *d, const actor *who, const char *client_id, int64_t as_of, strbuf *out, err_t *e);

#endif
