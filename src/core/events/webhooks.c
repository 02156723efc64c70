/* webhooks: signing, queueing, and what an attempt's outcome means (see webhooks.h). */
#include "core/events/webhooks.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/access/access.h"
#include "core/engine/record.h"
#include "core/events/events.h"
#include "core/rules/rules.h"
#include "util/clock.h"
#include "util/secret.h"

#define SECRET_PREFIX "whsec_"

int webhook_sign(const char *secret, const char *msg_id, long long timestamp, const char *body, size_t body_len,
                 char out[64])
{
    unsigned char key[64], mac[crypto_auth_hmacsha256_BYTES];
    size_t key_len = 0;
    size_t plen = strlen(SECRET_PREFIX);
    if (!secret || strncmp(secret, SECRET_PREFIX, plen) ||
        sodium_base642bin(key, sizeof key, secret + plen, strlen(secret + plen), NULL, &key_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || key_len == 0)
        return -1;
    char ts[24];
    snprintf(ts, sizeof ts, "%lld", timestamp);
    /* the signed content is "{id}.{timestamp}.{body}", the body exactly as sent */
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, key_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg_id, strlen(msg_id));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, body_len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(key, sizeof key);
    memcpy(out, "v1,", 3);
    sodium_bin2base64(out + 3, 64 - 3, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
    return 0;
}

void webhook_new_secret(char out[64])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    size_t plen = strlen(SECRET_PREFIX);
    memcpy(out, SECRET_PREFIX, plen);
    sodium_bin2base64(out + plen, 64 - plen, raw, sizeof raw, sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(raw, sizeof raw);
}

int webhook_signatures(const char *secret, const char *previous, const char *msg_id, long long timestamp,
                       const char *body, size_t body_len, char out[WEBHOOK_SIGNATURES_LEN])
{
    char now[64], before[64];
    if (webhook_sign(secret, msg_id, timestamp, body, body_len, now) < 0)
        return -1;
    if (!previous) {
        snprintf(out, WEBHOOK_SIGNATURES_LEN, "%s", now);
        return 0;
    }
    if (webhook_sign(previous, msg_id, timestamp, body, body_len, before) < 0)
        return -1;
    /* the new secret's first: a receiver trying them in order finds the one it should be moving to */
    snprintf(out, WEBHOOK_SIGNATURES_LEN, "%s %s", now, before);
    return 0;
}

int64_t webhook_next_attempt(int attempts, int64_t first, int64_t now)
{
    int64_t delay = WEBHOOK_FIRST_DELAY;
    for (int i = 1; i < attempts && delay < WEBHOOK_MAX_DELAY; i++)
        delay *= 4;
    if (delay > WEBHOOK_MAX_DELAY)
        delay = WEBHOOK_MAX_DELAY;
    int64_t next = now + delay;
    return next > first + WEBHOOK_RETRY_SECONDS ? 0 : next;
}

/* The job that sends a delivery. Written here rather than through sched/jobs.h, which core may not call;
 * the row is the one jobs_enqueue writes, and sched/jobs.c claims and runs it. */
static int queue_job(db *d, const char *workspace_id, const char *delivery_id, int64_t run_at, err_t *e)
{
    char id[ID_MAX], now[CLOCK_RFC3339_LEN], at[CLOCK_RFC3339_LEN], payload[ID_MAX + 32];
    id_new("job", id);
    clock_format(clock_now(), now);
    clock_format(run_at, at);
    snprintf(payload, sizeof payload, "{\"delivery_id\":\"%s\"}", delivery_id);
    db_stmt *s;
    const char *args[] = {id, workspace_id, WEBHOOK_JOB, payload, at, now};
    int rc = db_query_row(d, &s, e,
                          "INSERT INTO jobs (id, workspace_id, kind, payload, status, run_at, created_at) "
                          "VALUES (?, ?, ?, ?, 'queued', ?, ?)",
                          6, args);
    return rc < 0 ? rc : 0;
}

int webhook_queue(db *d, const char *workspace_id, const char *webhook_id, const char *type, const char *data,
                  char out_id[ID_MAX], err_t *e)
{
    char id[ID_MAX], now[CLOCK_RFC3339_LEN];
    id_new("msg", id); /* the Standard Webhooks message id: "msg_..." */
    clock_format(clock_now(), now);
    /* the body as the specification shapes it: type, timestamp, data */
    strbuf body = STRBUF_INIT;
    strbuf_adds(&body, "{\"type\":");
    strbuf_add_json_str(&body, type);
    strbuf_adds(&body, ",\"timestamp\":");
    strbuf_add_json_str(&body, now);
    strbuf_adds(&body, ",\"data\":");
    strbuf_adds(&body, data && *data ? data : "{}");
    strbuf_addc(&body, '}');
    db_stmt *s;
    const char *args[] = {id, workspace_id, now, now, webhook_id, type, body.buf, now};
    int rc = db_query_row(d, &s, e,
                          "INSERT INTO webhook_deliveries (id, workspace_id, created_at, updated_at, version, webhook_id, "
                          "event, status, attempts, payload, next_attempt_at, attempt_log) "
                          "VALUES (?, ?, ?, ?, 1, ?, ?, 'pending', 0, ?, ?, '[]')",
                          8, args);
    strbuf_release(&body);
    if (rc >= 0)
        rc = queue_job(d, workspace_id, id, clock_now(), e);
    if (rc >= 0 && out_id)
        snprintf(out_id, ID_MAX, "%s", id);
    return rc < 0 ? rc : 0;
}

int webhook_send_test(db *d, const actor *who, const char *webhook_id, strbuf *out, err_t *e)
{
    const entity *hooks = entity_by_name("webhooks"), *deliveries = entity_by_name("webhook_deliveries");
    int rc = access_check(who, hooks, OP_UPDATE, NULL, e);
    if (rc < 0)
        return rc;
    strbuf sub = STRBUF_INIT; /* the subscription must be one the caller can see: else 404 */
    rc = record_get(d, who, hooks, webhook_id, &sub, e);
    strbuf_release(&sub);
    if (rc < 0)
        return rc;
    strbuf data = STRBUF_INIT;
    strbuf_adds(&data, "{\"webhook_id\":");
    strbuf_add_json_str(&data, webhook_id);
    strbuf_adds(&data, ",\"message\":\"a test from Rapport: this subscription is reachable and its signatures verify\"}");
    char id[ID_MAX];
    if ((rc = db_begin(d, e)) >= 0) {
        rc = webhook_queue(d, who->workspace_id, webhook_id, EVENT_TEST, data.buf, id, e);
        rc = rc < 0 ? (db_rollback(d), rc) : db_commit(d, e);
    }
    strbuf_release(&data);
    if (rc >= 0) {
        actor sys = *who;
        sys.role = ROLE_SYSTEM;
        rc = record_get(d, &sys, deliveries, id, out, e);
    }
    return rc;
}

void webhook_message_clear(webhook_message *m)
{
    free(m->url);
    free(m->body);
    if (m->secret)
        sodium_memzero(m->secret, strlen(m->secret));
    if (m->previous)
        sodium_memzero(m->previous, strlen(m->previous));
    free(m->secret);
    free(m->previous);
    m->url = m->secret = m->previous = m->body = NULL;
}

/* Opens the subscription's sealed secrets into m: the previous one only while its overlap lasts. A secret
 * that does not open leaves m->secret NULL and says why in m->secret_error: the attempt fails with that
 * reason (and is retried), so an operator who restores the key file loses no message. */
static void open_secrets(webhook_message *m, const char *sealed, const char *previous, const char *until)
{
    err_t e;
    err_clear(&e);
    m->secret = sealed ? secret_open_dup(sealed, &e) : NULL;
    if (!m->secret) {
        snprintf(m->secret_error, sizeof m->secret_error, "the subscription's signing secret cannot be used: %.200s",
                 sealed ? e.message : "it has none (restored from an export? rotate it)");
        return;
    }
    int64_t end = 0;
    if (previous && until && clock_parse(until, &end) == 0 && clock_now() < end)
        m->previous = secret_open_dup(previous, &e); /* one that does not open is left out: the new one signs */
}

static int set_delivery(db *d, const char *id, const char *status, const char *error, err_t *e)
{
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    db_stmt *s;
    const char *args[] = {status, error, now, id};
    int rc = db_query_row(d, &s, e,
                          "UPDATE webhook_deliveries SET status = ?, last_error = ?, next_attempt_at = NULL, "
                          "updated_at = ?, version = version + 1 WHERE id = ?",
                          4, args);
    return rc < 0 ? rc : 0;
}

int webhook_message_load(db *d, const char *id, webhook_message *m, err_t *e)
{
    memset(m, 0, sizeof *m);
    db_stmt *s;
    const char *args[] = {id};
    int rc = db_query_row(d, &s, e,
                          "SELECT d.status, d.attempts, d.payload, d.event, d.workspace_id, d.webhook_id, w.url, "
                          "w.secret, w.active, w.previous_secret, w.previous_secret_expires_at "
                          "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?",
                          1, args);
    if (rc != DB_ROW)
        return rc < 0 ? rc : 0;
    int pending = !strcmp(db_col_text(s, 0, NULL), "pending");
    int active = db_col_int(s, 8) != 0, test = !strcmp(db_col_text(s, 3, NULL), EVENT_TEST);
    snprintf(m->id, sizeof m->id, "%s", id);
    m->attempts = (int)db_col_int(s, 1);
    m->body = strdup(db_col_text(s, 2, NULL));
    snprintf(m->workspace_id, sizeof m->workspace_id, "%s", db_col_text(s, 4, NULL));
    snprintf(m->webhook_id, sizeof m->webhook_id, "%s", db_col_text(s, 5, NULL));
    m->url = strdup(db_col_text(s, 6, NULL));
    open_secrets(m, db_col_text(s, 7, NULL), db_col_text(s, 9, NULL), db_col_text(s, 10, NULL));
    db_finalize(s);
    if (pending && !active && !test) {
        webhook_message_clear(m);
        rc = set_delivery(d, id, "cancelled", "the subscription is disabled", e);
        return rc < 0 ? rc : 0;
    }
    if (!pending)
        webhook_message_clear(m);
    return pending;
}

/* Switches the subscription off with the reason on it; the generic update writes its audit entry. */
static int disable_subscription(db *d, const webhook_message *m, const char *reason, err_t *e)
{
    actor sys = {.role = ROLE_SYSTEM, .kind = PRINCIPAL_SYSTEM};
    snprintf(sys.workspace_id, sizeof sys.workspace_id, "%s", m->workspace_id);
    const entity *hooks = entity_by_name("webhooks");
    json_t *sub = record_read(d, &sys, hooks, m->webhook_id, e);
    if (!sub)
        return e->code == E_NOT_FOUND ? 0 : e->code;
    int rc = 0;
    if (json_is_true(json_object_get(sub, "active"))) {
        char now[CLOCK_RFC3339_LEN];
        clock_format(clock_now(), now);
        json_t *patch = json_pack("{s:O,s:b,s:s,s:s}", "version", json_object_get(sub, "version"), "active", 0,
                                  "disabled_reason", reason, "disabled_at", now);
        strbuf out = STRBUF_INIT;
        rc = record_update(d, &sys, hooks, m->webhook_id, patch, &out, e);
        strbuf_release(&out);
        json_decref(patch);
    }
    json_decref(sub);
    return rc;
}

int webhook_record_attempt(db *d, const webhook_message *m, const webhook_attempt *a, err_t *e)
{
    int64_t now = clock_now(), first = now;
    char nows[CLOCK_RFC3339_LEN], next_s[CLOCK_RFC3339_LEN];
    clock_format(now, nows);
    int rc = db_begin(d, e);
    if (rc < 0)
        return rc;
    db_stmt *s;
    const char *key[] = {m->id};
    json_t *log = NULL;
    rc = db_query_row(d, &s, e, "SELECT created_at, attempt_log, status FROM webhook_deliveries WHERE id = ?", 1, key);
    if (rc == DB_ROW) {
        clock_parse(db_col_text(s, 0, NULL), &first);
        log = json_loads(db_col_text(s, 1, NULL), 0, NULL);
        int pending = !strcmp(db_col_text(s, 2, NULL), "pending");
        db_finalize(s);
        if (!pending) /* recorded already (a stale job ran twice): keep the first outcome */
            return db_rollback(d), 0;
    } else {
        db_rollback(d);
        return rc < 0 ? rc : 0; /* the subscription (and so the delivery) was deleted meanwhile */
    }
    if (!json_is_array(log)) {
        json_decref(log);
        log = json_array();
    }
    int attempts = m->attempts + 1;
    json_array_append_new(log, json_pack("{s:i,s:s,s:o,s:I,s:o}", "attempt", attempts, "at", nows, "status",
                                         a->status ? json_integer(a->status) : json_null(), "duration_ms",
                                         (json_int_t)a->duration_ms, "error",
                                         a->error ? json_string(a->error) : json_null()));
    char *log_text = json_dumps(log, JSON_COMPACT);
    json_decref(log);
    const char *status = "pending", *disable = NULL;
    char reason[300] = "";
    int64_t next = 0;
    if (a->status >= 200 && a->status < 300) {
        status = "delivered";
    } else if (a->status == 410) { /* Gone: the receiver asks to be forgotten */
        status = "failed";
        snprintf(reason, sizeof reason, "the receiver answered 410 Gone to delivery %s", m->id);
        disable = reason;
    } else if (!(next = webhook_next_attempt(attempts, first, now))) {
        status = "failed";
        snprintf(reason, sizeof reason, "delivery %s still failed after %d attempts over three days: %s", m->id,
                 attempts, a->error ? a->error : "no 2xx answer");
        disable = reason;
    }
    if (next)
        clock_format(next, next_s);
    char code[16], ms[24], count[16];
    snprintf(code, sizeof code, "%d", a->status);
    snprintf(ms, sizeof ms, "%lld", (long long)a->duration_ms);
    snprintf(count, sizeof count, "%d", attempts);
    const char *args[] = {status,         count, a->status ? code : NULL, ms,   a->error, next ? next_s : NULL,
                          strcmp(status, "delivered") ? NULL : nows,       log_text, nows, m->id};
    rc = db_query_row(d, &s, e,
                      "UPDATE webhook_deliveries SET status = ?, attempts = ?, response_code = ?, duration_ms = ?, "
                      "last_error = ?, next_attempt_at = ?, delivered_at = ?, attempt_log = ?, updated_at = ?, "
                      "version = version + 1 WHERE id = ?",
                      10, args);
    free(log_text);
    if (rc >= 0 && next)
        rc = queue_job(d, m->workspace_id, m->id, next, e);
    if (rc >= 0 && disable)
        rc = disable_subscription(d, m, disable, e);
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d, e);
}

int rules_webhook_before_write(write_ctx *c)
{
    const char *url = json_string_value(json_object_get(c->body, "url"));
    if (url && strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))
        return err_set(c->e, E_INVALID_VALUE, "url", "url must start with http:// or https://");
    json_t *events = json_object_get(c->body, "events");
    if (json_is_array(events) && json_array_size(events) == 0)
        return err_set(c->e, E_INVALID_VALUE, "events", "events must name at least one event type");
    if (!c->old) { /* the secret is made here, stored sealed, and shown once in the create answer */
        char secret[64];
        webhook_new_secret(secret);
        char *sealed = secret_seal_dup(secret, c->e);
        if (sealed) {
            json_object_set_new(c->body, "secret", json_string(sealed));
            json_object_set_new(c->extra, "secret", json_string(secret));
            free(sealed);
        }
        sodium_memzero(secret, sizeof secret);
        if (!sealed)
            return c->e->code;
    } else if (json_is_true(json_object_get(c->body, "active")) &&
               !json_is_true(json_object_get(c->old, "active"))) {
        json_object_set_new(c->body, "disabled_reason", json_null());
        json_object_set_new(c->body, "disabled_at", json_null());
    }
    return 0;
}

int webhook_rotate_secret(db *d, const actor *who, const char *webhook_id, strbuf *out, err_t *e)
{
    const entity *hooks = entity_by_name("webhooks");
    int rc = access_check(who, hooks, OP_UPDATE, NULL, e);
    if (rc < 0)
        return rc;
    char secret[64];
    webhook_new_secret(secret);
    char *sealed = secret_seal_dup(secret, e);
    if (!sealed) {
        sodium_memzero(secret, sizeof secret);
        return e->code;
    }
    strbuf before = STRBUF_INIT;
    size_t start = out->len;
    if ((rc = db_begin(d, e)) < 0)
        goto out;
    /* the subscription must be one the caller can see (else 404); its JSON before is the audit's */
    if ((rc = record_get(d, who, hooks, webhook_id, &before, e)) >= 0) {
        /* Written here rather than through record_update: the secrets are hidden fields, which no patch
         * may carry. The current secret moves to previous as it is, sealed; it signs until `until`. */
        char now[CLOCK_RFC3339_LEN], until[CLOCK_RFC3339_LEN];
        clock_format(clock_now(), now);
        clock_format(clock_now() + WEBHOOK_ROTATION_OVERLAP, until);
        db_stmt *s;
        const char *args[] = {sealed, until, now, webhook_id, who->workspace_id};
        rc = db_query_row(d, &s, e,
                          "UPDATE webhooks SET previous_secret = secret, secret = ?, previous_secret_expires_at = ?, "
                          "updated_at = ?, version = version + 1 WHERE id = ? AND workspace_id = ?",
                          5, args);
    }
    if (rc >= 0)
        rc = record_get(d, who, hooks, webhook_id, out, e);
    if (rc >= 0)
        rc = record_audit(d, who, hooks, "update", webhook_id, before.buf, out->buf + start, e);
    if (rc < 0) {
        strbuf_truncate(out, start);
        db_rollback(d);
    } else if ((rc = db_commit(d, e)) >= 0 && out->len > start) {
        strbuf_truncate(out, out->len - 1); /* the record's closing brace: the new secret goes before it */
        strbuf_adds(out, ",\"secret\":");
        strbuf_add_json_str(out, secret);
        strbuf_addc(out, '}');
    } else {
        strbuf_truncate(out, start);
    }
out:
    sodium_memzero(secret, sizeof secret);
    free(sealed);
    strbuf_release(&before);
    return rc < 0 ? rc : 0;
}

int webhook_seal_stored_secrets(db *d, err_t *e)
{
    /* a handful of rows at most (subscriptions, not messages): read them all, then seal each */
    db_stmt *s;
    int rc = db_prepare(d,
                        "SELECT id, secret FROM webhooks WHERE substr(secret, 1, 6) = 'whsec_' ORDER BY id", &s, e);
    if (rc < 0)
        return rc;
    json_t *clear = json_object();
    while ((rc = db_step(s, e)) == DB_ROW)
        json_object_set_new(clear, db_col_text(s, 0, NULL), json_string(db_col_text(s, 1, NULL)));
    db_finalize(s);
    if (rc >= 0 && json_object_size(clear) && !secret_ready())
        rc = err_set(e, E_UNAVAILABLE, "secret_key",
                     "%zu webhook signing secrets are stored in the clear and this server has no key to seal them "
                     "with: set RAPPORT_SECRET_KEY_FILE to a file every server can read (it is created if missing)",
                     json_object_size(clear));
    const char *id;
    json_t *v;
    json_object_foreach(clear, id, v)
    {
        if (rc < 0)
            break;
        char *sealed = secret_seal_dup(json_string_value(v), e);
        if (!sealed) {
            rc = e->code;
            break;
        }
        const char *args[] = {sealed, id};
        rc = db_query_row(d, &s, e, "UPDATE webhooks SET secret = ? WHERE id = ?", 2, args);
        free(sealed);
    }
    json_decref(clear);
    return rc < 0 ? rc : 0;
}
