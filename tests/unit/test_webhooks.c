/* Unit tests of webhooks: the Standard Webhooks signature (the specification's own example), the secret's
 * form, the retry schedule, which addresses a delivery may connect to, the event table, and events
 * queued by the generic write path — one delivery and one job per active subscriber, in the same
 * transaction (a refused write queues nothing); secrets sealed at rest, rotated with a day's overlap,
 * and migration 17 sealing the ones older versions stored in the clear. On a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/record.h"
#include "core/events/events.h"
#include "core/events/webhooks.h"
#include "util/clock.h"
#include "util/netaddr.h"
#include "util/secret.h"
#include "unit_db.h"

static void signature_matches_the_specification(void **state)
{
    (void)state;
    /* the example of the Standard Webhooks reference libraries' tests */
    const char *body = "{\"test\": 2432232314}";
    char sig[64];
    assert_int_equal(webhook_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                  1614265330, body, strlen(body), sig),
                     0);
    assert_string_equal(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    /* any change to id, time or body changes it */
    char other[64];
    webhook_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, body,
                 strlen(body), other);
    assert_string_not_equal(sig, other);
    assert_int_equal(webhook_sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "m", 1, "", 0, other), -1);
    assert_int_equal(webhook_sign("whsec_!!!", "m", 1, "", 0, other), -1);
}

static void secrets_are_whsec_and_32_random_bytes(void **state)
{
    (void)state;
    char a[64], b[64];
    webhook_new_secret(a);
    webhook_new_secret(b);
    assert_int_equal(strlen(a), 6 + 44);
    assert_memory_equal(a, "whsec_", 6);
    assert_string_not_equal(a, b);
    char sig[64];
    assert_int_equal(webhook_sign(a, "msg_x", 1, "{}", 2, sig), 0); /* and it signs */
}

static void retries_back_off_for_three_days(void **state)
{
    (void)state;
    int64_t first = 1000000, now = first, prev_gap = 0;
    int attempts = 1;
    assert_int_equal(webhook_next_attempt(1, first, first), first + WEBHOOK_FIRST_DELAY);
    for (;;) {
        int64_t next = webhook_next_attempt(attempts, first, now);
        if (!next)
            break;
        int64_t gap = next - now;
        assert_true(gap >= prev_gap);
        assert_true(gap <= WEBHOOK_MAX_DELAY);
        assert_true(next <= first + WEBHOOK_RETRY_SECONDS);
        prev_gap = gap;
        now = next;
        attempts++;
    }
    assert_int_equal(prev_gap, WEBHOOK_MAX_DELAY); /* it reached the cap */
    assert_true(attempts >= 8 && attempts <= 16);
    assert_true(now > first + WEBHOOK_RETRY_SECONDS - WEBHOOK_MAX_DELAY); /* it tried to the end of the window */
}

static const char *refusal4(const char *text)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, text, &a.sin_addr), 1);
    return netaddr_refusal((struct sockaddr *)&a);
}

static const char *refusal6(const char *text)
{
    struct sockaddr_in6 a = {.sin6_family = AF_INET6};
    assert_int_equal(inet_pton(AF_INET6, text, &a.sin6_addr), 1);
    return netaddr_refusal((struct sockaddr *)&a);
}

static void only_public_addresses_pass(void **state)
{
    (void)state;
    static const struct {
        const char *addr, *want;
    } cases[] = {
        {"127.0.0.1", "loopback"},        {"127.255.0.9", "loopback"},     {"10.1.2.3", "private"},
        {"172.16.0.1", "private"},        {"172.31.255.255", "private"},   {"192.168.1.1", "private"},
        {"100.64.0.1", "private"},        {"169.254.169.254", "link-local"}, {"224.0.0.1", "multicast"},
        {"0.0.0.0", "unspecified"},       {"255.255.255.255", "reserved"}, {"8.8.8.8", NULL},
        {"172.32.0.1", NULL},             {"93.184.216.34", NULL},         {"::1", "loopback"},
        {"::", "unspecified"},            {"fe80::1", "link-local"},       {"fd00::1", "private"},
        {"ff02::1", "multicast"},         {"::ffff:127.0.0.1", "loopback"}, {"::ffff:10.0.0.1", "private"},
        {"64:ff9b::a9fe:a9fe", "link-local"}, {"2606:4700::1111", NULL},   {"::ffff:8.8.8.8", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = strchr(cases[i].addr, ':') ? refusal6(cases[i].addr) : refusal4(cases[i].addr);
        if (!cases[i].want != !got || (got && strcmp(got, cases[i].want)))
            fail_msg("%s: want %s, got %s", cases[i].addr, cases[i].want ? cases[i].want : "public",
                     got ? got : "public");
    }
    struct sockaddr_un_like {
        sa_family_t family;
    } unix_addr = {AF_UNIX};
    assert_non_null(netaddr_refusal((struct sockaddr *)(void *)&unix_addr));
}

static void event_table_is_sorted_and_names_real_fields(void **state)
{
    (void)state;
    entity_init();
    for (int i = 0; i < event_type_count; i++) {
        const event_type *t = &event_types[i];
        assert_string_equal(event_type_names[i], t->name);
        if (i > 0 && strcmp(event_types[i - 1].name, t->name) >= 0)
            fail_msg("event types not sorted at %s", t->name);
        assert_ptr_equal(event_type_find(t->name), t);
        assert_true((t->trigger == EV_EXPLICIT) == (t->entity == NULL));
        if (t->entity) {
            const entity *en = entity_by_name(t->entity);
            if (!en)
                fail_msg("%s: no entity %s", t->name, t->entity);
            if (t->trigger == EV_BECOMES) {
                const field *f = entity_field(en, t->field);
                int found = 0;
                for (const char *const *v = f ? f->values : NULL; v && *v; v++)
                    found |= !strcmp(*v, t->value);
                if (!found)
                    fail_msg("%s: %s.%s has no value %s", t->name, t->entity, t->field, t->value);
            }
        }
    }
    assert_null(event_type_names[event_type_count]);
    assert_null(event_type_find(EVENT_TEST)); /* a test goes to one subscription, never by subscribing */
}

static char path[] = "/tmp/rapport-webhooks-XXXXXX";

static int count(db *d, const char *sql)
{
    db_stmt *s;
    err_t e;
    int rc = db_query_row(d, &s, &e, sql, 0, NULL);
    if (rc != DB_ROW)
        fail_msg("%s: %s", sql, e.message);
    int n = (int)db_col_int(s, 0);
    db_finalize(s);
    return n;
}

static void make(db *d, const actor *who, const char *entity_name, const char *json, char id[ID_MAX])
{
    json_t *body = json_loads(json, 0, NULL);
    strbuf out = STRBUF_INIT;
    err_t e;
    if (record_create(d, who, entity_by_name(entity_name), body, &out, &e) < 0)
        fail_msg("create %s: %s", entity_name, e.message);
    json_t *rec = json_loads(out.buf, 0, NULL);
    if (id)
        snprintf(id, ID_MAX, "%s", json_string_value(json_object_get(rec, "id")));
    json_decref(rec);
    json_decref(body);
    strbuf_release(&out);
}

static void writes_queue_deliveries_for_subscribers(void **state)
{
    (void)state;
    db *d;
    actor owner;
    assert_int_equal(unit_db_open(path, "Firm", &d, &owner), 0);
    char wa[ID_MAX], wb[ID_MAX], client[ID_MAX];
    make(d, &owner, "webhooks", "{\"url\":\"https://a.example/h\",\"events\":[\"client.created\",\"deal.won\"]}", wa);
    make(d, &owner, "webhooks", "{\"url\":\"https://b.example/h\",\"events\":[\"client.created\"],\"active\":false}", wb);
    make(d, &owner, "clients", "{\"name\":\"Acme\"}", client);
    /* one delivery, to the active subscriber only, and its job */
    assert_int_equal(count(d, "SELECT COUNT(*) FROM webhook_deliveries"), 1);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM jobs WHERE kind = 'webhook'"), 1);
    /* deal.won on the transition only: not on open, once on won */
    char deal[ID_MAX], body[200];
    snprintf(body, sizeof body, "{\"client_id\":\"%s\",\"title\":\"Deal\"}", client);
    make(d, &owner, "deals", body, deal);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM webhook_deliveries WHERE event = 'deal.won'"), 0);
    json_t *won = json_pack("{s:i,s:s}", "version", 1, "status", "won");
    strbuf out = STRBUF_INIT;
    err_t e;
    assert_int_equal(record_update(d, &owner, entity_by_name("deals"), deal, won, &out, &e), 0);
    json_decref(won);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM webhook_deliveries WHERE event = 'deal.won'"), 1);
    /* a refused write queues nothing: the event is in its transaction */
    json_t *bad = json_pack("{s:s,s:s}", "name", "", "stage", "nonsense");
    strbuf_reset(&out);
    assert_true(record_create(d, &owner, entity_by_name("clients"), bad, &out, &e) < 0);
    json_decref(bad);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM webhook_deliveries"), 2);
    /* a 500 schedules a retry (a second job); a 2xx delivers */
    webhook_message m;
    db_stmt *s;
    assert_int_equal(db_query_row(d, &s, &e, "SELECT id FROM webhook_deliveries WHERE event = 'client.created'", 0, NULL),
                     DB_ROW);
    char msg[ID_MAX];
    snprintf(msg, sizeof msg, "%s", db_col_text(s, 0, NULL));
    db_finalize(s);
    assert_int_equal(webhook_message_load(d, msg, &m, &e), 1);
    assert_string_equal(m.url, "https://a.example/h");
    webhook_attempt a = {.status = 500, .duration_ms = 3, .error = "the receiver answered 500"};
    assert_int_equal(webhook_record_attempt(d, &m, &a, &e), 0);
    webhook_message_clear(&m);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM jobs WHERE kind = 'webhook'"), 3);
    assert_int_equal(webhook_message_load(d, msg, &m, &e), 1);
    assert_int_equal(m.attempts, 1);
    webhook_attempt ok = {.status = 204, .duration_ms = 2};
    assert_int_equal(webhook_record_attempt(d, &m, &ok, &e), 0);
    webhook_message_clear(&m);
    assert_int_equal(webhook_message_load(d, msg, &m, &e), 0); /* delivered: nothing more to send */
    assert_int_equal(count(d, "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered' AND attempts = 2"), 1);
    strbuf_release(&out);
    unit_db_remove(d, path);
}

/* The stored (sealed) secret column of a subscription, malloc'd. */
static char *stored(db *d, const char *column, const char *id)
{
    char sql[120];
    snprintf(sql, sizeof sql, "SELECT %s FROM webhooks WHERE id = ?", column);
    db_stmt *s;
    err_t e;
    const char *args[] = {id};
    if (db_query_row(d, &s, &e, sql, 1, args) != DB_ROW)
        fail_msg("%s: %s", sql, e.message);
    const char *v = db_col_text(s, 0, NULL);
    char *out = v ? strdup(v) : NULL;
    db_finalize(s);
    return out;
}

/* Creates a subscription and one pending delivery to it; fills its id, the secret shown once, and the
 * delivery's id. */
static void subscribe(db *d, const actor *who, char id[ID_MAX], char secret[64], char msg[ID_MAX])
{
    json_t *body = json_loads("{\"url\":\"https://a.example/h\",\"events\":[\"client.created\"]}", 0, NULL);
    strbuf out = STRBUF_INIT;
    err_t e;
    if (record_create(d, who, entity_by_name("webhooks"), body, &out, &e) < 0)
        fail_msg("create: %s", e.message);
    json_t *rec = json_loads(out.buf, 0, NULL);
    snprintf(id, ID_MAX, "%s", json_string_value(json_object_get(rec, "id")));
    snprintf(secret, 64, "%s", json_string_value(json_object_get(rec, "secret")));
    json_decref(rec);
    json_decref(body);
    strbuf_release(&out);
    if (db_begin(d, &e) < 0 || webhook_queue(d, who->workspace_id, id, "client.created", "{}", msg, &e) < 0 ||
        db_commit(d, &e) < 0)
        fail_msg("queue: %s", e.message);
}

static void secrets_are_sealed_at_rest_and_open_for_sending(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "%s", "/tmp/rapport-webhooks-XXXXXX"); /* a fresh file each */
    db *d;
    actor owner;
    assert_int_equal(unit_db_open(path, "Firm", &d, &owner), 0);
    char id[ID_MAX], secret[64], msg[ID_MAX];
    subscribe(d, &owner, id, secret, msg);
    assert_memory_equal(secret, "whsec_", 6);
    /* the row holds no whsec_, nor the secret's random part, only what opens under the server's key */
    char *sealed = stored(d, "secret", id);
    assert_null(strstr(sealed, "whsec_"));
    assert_null(strstr(sealed, secret + 6));
    err_t e;
    char *opened = secret_open_dup(sealed, &e);
    assert_non_null(opened);
    assert_string_equal(opened, secret);
    free(opened);
    free(sealed);
    /* sealing is randomised: the same secret sealed twice reads differently */
    char *a = secret_seal_dup(secret, &e), *b = secret_seal_dup(secret, &e);
    assert_string_not_equal(a, b);
    free(a);
    free(b);
    /* a sender gets it opened; no previous secret outside a rotation */
    webhook_message m;
    assert_int_equal(webhook_message_load(d, msg, &m, &e), 1);
    assert_string_equal(m.secret, secret);
    assert_null(m.previous);
    webhook_message_clear(&m);
    /* under another server's key it does not open: the attempt will say why, rather than sign wrongly */
    unsigned char other[32];
    memset(other, 7, sizeof other);
    secret_set_key(other);
    assert_int_equal(webhook_message_load(d, msg, &m, &e), 1);
    assert_null(m.secret);
    assert_non_null(strstr(m.secret_error, "does not open with this server's key"));
    webhook_message_clear(&m);
    unit_db_remove(d, path);
}

static void rotation_signs_with_both_secrets_for_a_day(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "%s", "/tmp/rapport-webhooks-XXXXXX"); /* a fresh file each */
    setenv("RAPPORT_NOW", "2026-12-01T10:00:00Z", 1);
    assert_int_equal(clock_init(), 0);
    db *d;
    actor owner;
    assert_int_equal(unit_db_open(path, "Firm", &d, &owner), 0);
    char id[ID_MAX], old[64], msg[ID_MAX];
    subscribe(d, &owner, id, old, msg);
    strbuf out = STRBUF_INIT;
    err_t e;
    assert_int_equal(webhook_rotate_secret(d, &owner, id, &out, &e), 0);
    json_t *rec = json_loads(out.buf, 0, NULL);
    const char *fresh = json_string_value(json_object_get(rec, "secret"));
    assert_non_null(fresh);
    assert_memory_equal(fresh, "whsec_", 6);
    assert_string_not_equal(fresh, old);
    assert_string_equal(json_string_value(json_object_get(rec, "previous_secret_expires_at")), "2026-12-02T10:00:00Z");
    assert_int_equal(json_integer_value(json_object_get(rec, "version")), 2);
    /* both sealed: neither is in the row in the clear, and the rotation is audited without them */
    char *cur = stored(d, "secret", id), *prev = stored(d, "previous_secret", id);
    assert_null(strstr(cur, "whsec_"));
    assert_null(strstr(prev, "whsec_"));
    free(cur);
    free(prev);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM audit WHERE entity = 'webhooks' AND action = 'update' AND "
                              "\"after\" LIKE '%previous_secret_expires_at%' AND \"after\" NOT LIKE '%whsec_%'"),
                     1);
    /* inside the day: the header carries the new signature, then the old one, each verifying alone */
    webhook_message m;
    assert_int_equal(webhook_message_load(d, msg, &m, &e), 1);
    assert_string_equal(m.secret, fresh);
    assert_non_null(m.previous);
    assert_string_equal(m.previous, old);
    char header[WEBHOOK_SIGNATURES_LEN], by_new[64], by_old[64];
    assert_int_equal(webhook_signatures(m.secret, m.previous, m.id, 1796307818, m.body, strlen(m.body), header), 0);
    webhook_sign(fresh, m.id, 1796307818, m.body, strlen(m.body), by_new);
    webhook_sign(old, m.id, 1796307818, m.body, strlen(m.body), by_old);
    char want[WEBHOOK_SIGNATURES_LEN];
    snprintf(want, sizeof want, "%s %s", by_new, by_old);
    assert_string_equal(header, want);
    webhook_message_clear(&m);
    /* a day later only the new secret signs */
    setenv("RAPPORT_NOW", "2026-12-02T10:00:01Z", 1);
    assert_int_equal(clock_init(), 0);
    assert_int_equal(webhook_message_load(d, msg, &m, &e), 1);
    assert_string_equal(m.secret, fresh);
    assert_null(m.previous);
    assert_int_equal(webhook_signatures(m.secret, m.previous, m.id, 1796307818, m.body, strlen(m.body), header), 0);
    assert_string_equal(header, by_new);
    webhook_message_clear(&m);
    /* a member may not rotate, and another workspace's subscription is not found */
    actor member = owner;
    member.role = ROLE_MEMBER;
    strbuf_reset(&out);
    assert_int_equal(webhook_rotate_secret(d, &member, id, &out, &e), E_FORBIDDEN);
    actor stranger = owner;
    snprintf(stranger.workspace_id, sizeof stranger.workspace_id, "ws_00000000000000000000000000");
    assert_int_equal(webhook_rotate_secret(d, &stranger, id, &out, &e), E_NOT_FOUND);
    assert_int_equal(out.len, 0);
    json_decref(rec);
    strbuf_release(&out);
    unsetenv("RAPPORT_NOW");
    assert_int_equal(clock_init(), 0);
    unit_db_remove(d, path);
}

static void migration_17_seals_secrets_stored_in_the_clear(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "%s", "/tmp/rapport-webhooks-XXXXXX"); /* a fresh file each */
    db *d;
    actor owner;
    assert_int_equal(unit_db_open(path, "Firm", &d, &owner), 0);
    char id[ID_MAX], secret[64], msg[ID_MAX];
    subscribe(d, &owner, id, secret, msg);
    /* back to before migration 17: the secret in the clear, as version 16 stored it, no rotation columns */
    const char *args[] = {secret, id};
    db_stmt *s;
    err_t e;
    assert_true(db_query_row(d, &s, &e, "UPDATE webhooks SET secret = ? WHERE id = ?", 2, args) >= 0);
    assert_int_equal(db_exec(d,
                             "ALTER TABLE webhooks DROP COLUMN previous_secret; "
                             "ALTER TABLE webhooks DROP COLUMN previous_secret_expires_at; "
                             "DELETE FROM schema_migrations WHERE version = 17",
                             &e),
                     0);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM webhooks WHERE secret LIKE 'whsec_%'"), 1);
    assert_int_equal(schema_apply_again(d, 17, &e), 1);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM webhooks WHERE secret LIKE '%whsec%'"), 0);
    char *sealed = stored(d, "secret", id), *opened = secret_open_dup(sealed, &e);
    assert_non_null(opened);
    assert_string_equal(opened, secret); /* the receiver's secret is unchanged */
    free(opened);
    free(sealed);
    webhook_message m;
    assert_int_equal(webhook_message_load(d, msg, &m, &e), 1);
    assert_string_equal(m.secret, secret);
    webhook_message_clear(&m);
    /* run again (a second server starting), it finds nothing left in the clear and changes nothing */
    sealed = stored(d, "secret", id);
    assert_int_equal(webhook_seal_stored_secrets(d, &e), 0);
    char *again = stored(d, "secret", id);
    assert_string_equal(sealed, again);
    free(sealed);
    free(again);
    unit_db_remove(d, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signature_matches_the_specification),
        cmocka_unit_test(secrets_are_whsec_and_32_random_bytes),
        cmocka_unit_test(retries_back_off_for_three_days),
        cmocka_unit_test(only_public_addresses_pass),
        cmocka_unit_test(event_table_is_sorted_and_names_real_fields),
        cmocka_unit_test(writes_queue_deliveries_for_subscribers),
        cmocka_unit_test(secrets_are_sealed_at_rest_and_open_for_sending),
        cmocka_unit_test(rotation_signs_with_both_secrets_for_a_day),
        cmocka_unit_test(migration_17_seals_secrets_stored_in_the_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
