/* webhooks: subscriptions to events, their deliveries, and the Standard Webhooks signature.
 *
 * A subscription (entity `webhooks`, admin-only) names a URL and the event types it wants; its signing
 * secret, `whsec_` + base64 of 32 random bytes, is shown once in the create answer and kept hidden,
 * sealed under the server's key (util/secret.h), so a copy of the database alone cannot forge a message.
 * Rotating it issues a new one and keeps the old one signing beside it for WEBHOOK_ROTATION_OVERLAP. Each
 * event becomes one delivery per subscription (entity `webhook_deliveries`, read-only): its id is the
 * `webhook-id` every attempt sends, its body is fixed when queued, so a retry is byte for byte the same
 * message. A delivery is sent by a job of kind "webhook" (sched/webhook_send.c does the HTTP); this file
 * decides what an attempt's outcome means: delivered, another attempt later (exponential backoff for up
 * to WEBHOOK_RETRY_SECONDS), or failed — and a failed delivery disables its subscription, with the
 * reason on the subscription and an audit entry. The tables are shaped like an outbox's (one row per
 * message, its attempts, its next time) so they can move onto a shared outbox later. */
#ifndef RAPPORT_WEBHOOKS_H
#define RAPPORT_WEBHOOKS_H
#include "core/model/entity.h"

#define WEBHOOK_RETRY_SECONDS (3 * 24 * 3600) /* no attempt is made later than this after the first */
#define WEBHOOK_FIRST_DELAY 5                 /* seconds before the second attempt; each wait is 4 times the last */
#define WEBHOOK_MAX_DELAY (12 * 3600)
#define WEBHOOK_JOB "webhook" /* the job kind that sends one delivery; its payload {"delivery_id": ...} */
#define WEBHOOK_ROTATION_OVERLAP (24 * 3600) /* seconds the secret before a rotation still signs */
#define WEBHOOK_SIGNATURES_LEN 128           /* "v1,<44>" twice, a space and the NUL, with room */

/* The signature header's value for one message: "v1," + base64(HMAC-SHA256(key, id "." ts "." body)),
 * where key is the base64 after "whsec_" in secret. out needs 64 bytes; returns 0, or -1 for a bad secret. */
int webhook_sign(const char *secret, const char *msg_id, long long timestamp, const char *body, size_t body_len,
                 char out[64]);
/* A new secret: "whsec_" + base64 of 32 random bytes (libsodium). out needs 64 bytes. */
void webhook_new_secret(char out[64]);
/* The whole webhook-signature header value: the signature under secret, then, when previous is not NULL
 * (a rotation's overlap), a space and the signature under previous, as Standard Webhooks lists several.
 * Returns 0, or -1 when a secret is not a whsec_ secret. */
int webhook_signatures(const char *secret, const char *previous, const char *msg_id, long long timestamp,
                       const char *body, size_t body_len, char out[WEBHOOK_SIGNATURES_LEN]);

/* POST /api/v1/webhooks/{id}/rotate-secret: a new secret for the subscription (admins), the current one kept
 * as the previous secret for WEBHOOK_ROTATION_OVERLAP (a rotation inside an overlap drops the oldest). out
 * receives the subscription with "secret": the new one, shown this once. */
int webhook_rotate_secret(db *d, const actor *who, const char *webhook_id, strbuf *out, err_t *e);

/* Migration 17: seals every secret still stored in the clear (it starts "whsec_"; a sealed one is base64,
 * which has no "_"). Without the server's key it fails when there is one to seal, saying so. */
int webhook_seal_stored_secrets(db *d, err_t *e);

/* When the attempt after `attempts` failed ones may run, for a delivery first queued at `first`: 0 when
 * none may (past WEBHOOK_RETRY_SECONDS). */
int64_t webhook_next_attempt(int attempts, int64_t first, int64_t now);

/* Queues one delivery of event `type` with `data` (a JSON object's text) to subscription webhook_id, and
 * the job that sends it, inside the caller's transaction. id (may be NULL) receives the delivery's id. */
int webhook_queue(db *d, const char *workspace_id, const char *webhook_id, const char *type, const char *data,
                  char id[ID_MAX], err_t *e);

/* POST /api/v1/webhooks/{id}/test: queues a webhook.test delivery to the subscription (disabled or not)
 * and appends the delivery. */
int webhook_send_test(db *d, const actor *who, const char *webhook_id, strbuf *out, err_t *e);

/* What a sender needs for one attempt. */
typedef struct webhook_message {
    char id[ID_MAX];
    char workspace_id[ID_MAX];
    char webhook_id[ID_MAX];
    char *url, *body;          /* owned */
    char *secret, *previous;   /* owned, opened: previous only inside a rotation's overlap, else NULL */
    char secret_error[256];    /* why secret is NULL (the key is missing or another): the attempt fails so */
    int attempts;              /* made so far */
} webhook_message;

/* Loads delivery id when it is still pending and its subscription active (or it is a test): 1 with m
 * filled, 0 when there is nothing to send (delivered, cancelled now — a disabled subscription — or gone),
 * <0 on error. */
int webhook_message_load(db *d, const char *id, webhook_message *m, err_t *e);
void webhook_message_clear(webhook_message *m);

/* One attempt's outcome: the receiver's status (0 when none came: refused, timed out, unreachable),
 * how long it took, and why it failed (NULL when it did not). */
typedef struct webhook_attempt {
    int status;
    int64_t duration_ms;
    const char *error;
} webhook_attempt;

/* Records an attempt of m in one transaction: a 2xx delivers it; anything else schedules the next
 * attempt (a job at that time), or, past the retry window, fails it and disables the subscription. */
int webhook_record_attempt(db *d, const webhook_message *m, const webhook_attempt *a, err_t *e);

/* The webhooks entity's rule: checks the URL and events, makes the secret on create (sealed; shown once), and
 * clears the disabled reason when an admin switches a subscription back on. */
int rules_webhook_before_write(write_ctx *c);

#endif
