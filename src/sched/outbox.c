/* outbox: queue, claim, send, record (see outbox.h). */
#include "sched/outbox.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/engine/record.h"
#include "io/mime.h"
#include "sched/mail_settings.h"
#include "sched/smtp.h"
#include "util/clock.h"
#include "util/log.h"

static int one_line_ok(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < ' ' || *s == 127)
            return 0;
    return 1;
}

/* The outbound email on the client's timeline; its id into out. */
static int log_interaction(db *d, const actor *who, const char *client_id, const char *contact_id, const char *subject,
                           const char *text, char out[ID_MAX], err_t *e)
{
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?}", "client_id", client_id, "type", "email", "direction",
                             "outbound", "subject", subject, "summary", text, "contact_id", contact_id);
    strbuf made = STRBUF_INIT;
    int rc = record_create(d, who, entity_by_name("interactions"), body, &made, e);
    json_decref(body);
    json_t *j = rc == 0 ? json_loads(made.buf, 0, NULL) : NULL;
    snprintf(out, ID_MAX, "%s", json_string_value(json_object_get(j, "id")) ? json_string_value(json_object_get(j, "id")) : "");
    json_decref(j);
    strbuf_release(&made);
    return rc;
}

int outbox_queue_email(db *d, const outbox_email *m, char id[ID_MAX], err_t *e)
{
    if (!mime_address_ok(m->to))
        return err_set(e, E_INVALID_VALUE, "to", "the recipient has no usable email address");
    if (!m->subject || !*m->subject || !one_line_ok(m->subject))
        return err_set(e, E_INVALID_VALUE, "subject", "the subject must be one line of text (no CR, LF or controls)");
    if (!one_line_ok(m->to_name))
        return err_set(e, E_INVALID_VALUE, "to_name", "the recipient's name must be one line");
    mail_config cfg;
    int rc = mail_config_for(d, m->workspace_id, &cfg, e);
    if (rc < 0)
        return rc;
    id_new("mail", id);
    const char *domain = strrchr(cfg.from, '@') + 1;
    char message_id[ID_MAX + 300];
    snprintf(message_id, sizeof message_id, "%s@%s", id, domain);
    json_t *p = json_pack("{s:s,s:s,s:s,s:s?,s:s,s:s,s:s?}", "from", cfg.from, "from_name", cfg.from_name, "to",
                          m->to, "to_name", m->to_name, "subject", m->subject, "text", m->text ? m->text : "", "html",
                          m->html);
    memset(&cfg.server, 0, sizeof cfg.server);
    if (m->unsubscribe_url) /* RFC 8058: one click, by POST, without a confirmation page */
        json_object_set_new(p, "list_unsubscribe", json_string(m->unsubscribe_url));
    if (m->automation)
        json_object_set_new(p, "automation", json_string(m->automation));
    char *payload = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    char now[CLOCK_RFC3339_LEN], real[CLOCK_RFC3339_LEN], logged[ID_MAX] = "";
    clock_format(clock_now(), now);
    clock_format(clock_real_ms() / 1000, real);
    if (m->log_interaction && !m->draft && m->client_id) { /* the program writes it, as the automation it is */
        actor sys = {.role = ROLE_SYSTEM, .kind = PRINCIPAL_SYSTEM};
        snprintf(sys.workspace_id, sizeof sys.workspace_id, "%s", m->workspace_id);
        if ((rc = log_interaction(d, &sys, m->client_id, m->contact_id, m->subject, m->text ? m->text : "", logged, e)) < 0) {
            free(payload);
            return rc;
        }
    }
    db_stmt *s;
    const char *args[] = {id, m->workspace_id, m->draft ? "draft" : "queued", message_id, m->to, m->subject,
                          m->client_id, m->contact_id, logged[0] ? logged : m->interaction_id, m->automation, payload,
                          real, now, now};
    rc = db_query_row(d, &s, e,
                      "INSERT INTO outbox (id, workspace_id, kind, status, message_id, recipient, subject, client_id, "
                      "contact_id, interaction_id, automation, payload, next_attempt_at, created_at, updated_at) "
                      "VALUES (?, ?, 'email', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      14, args);
    free(payload);
    return rc < 0 ? rc : 0;
}

int outbox_approve(db *d, const actor *who, const char *id, err_t *e)
{
    const char *workspace_id = who->workspace_id;
    char now[CLOCK_RFC3339_LEN], real[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    clock_format(clock_real_ms() / 1000, real);
    db_stmt *s;
    int rc = db_begin(d, e);
    const char *args[] = {real, now, id, workspace_id};
    if (rc == 0)
        rc = db_query_row(d, &s, e,
                          "UPDATE outbox SET status = 'queued', next_attempt_at = ?, updated_at = ? "
                          "WHERE id = ? AND workspace_id = ? AND status = 'draft' "
                          "RETURNING client_id, contact_id, subject, payload",
                          4, args);
    if (rc == DB_ROW) { /* approved: to a client's contact, it goes on the client's timeline now */
        char client[ID_MAX] = "", contact[ID_MAX] = "", logged[ID_MAX];
        snprintf(client, sizeof client, "%s", db_col_text(s, 0, NULL) ? db_col_text(s, 0, NULL) : "");
        snprintf(contact, sizeof contact, "%s", db_col_text(s, 1, NULL) ? db_col_text(s, 1, NULL) : "");
        char *subject = strdup(db_col_text(s, 2, NULL) ? db_col_text(s, 2, NULL) : "");
        json_t *p = json_loads(db_col_text(s, 3, NULL), 0, NULL);
        while (db_step(s, NULL) == DB_ROW)
            ;
        db_finalize(s);
        rc = client[0] ? log_interaction(d, who, client, contact[0] ? contact : NULL, subject,
                                         json_string_value(json_object_get(p, "text")), logged, e)
                       : 0;
        if (rc == 0 && client[0]) {
            const char *a[] = {logged, id};
            rc = db_query_row(d, &s, e, "UPDATE outbox SET interaction_id = ? WHERE id = ?", 2, a);
        }
        free(subject);
        json_decref(p);
        if (rc < 0) {
            db_rollback(d);
            return rc;
        }
        return db_commit(d, e);
    }
    db_rollback(d);
    if (rc < 0)
        return rc;
    const char *a2[] = {id, workspace_id};
    rc = db_query_row(d, &s, e, "SELECT status FROM outbox WHERE id = ? AND workspace_id = ?", 2, a2);
    if (rc != DB_ROW)
        return rc < 0 ? rc : err_set(e, E_NOT_FOUND, "id", "no message %.40s in the outbox", id);
    rc = err_set(e, E_CONFLICT, "status", "message %.40s is %s, not a draft", id, db_col_text(s, 0, NULL));
    db_finalize(s);
    return rc;
}

/* ---- listing ---- */

/* The attempts of the page's messages (ids from..to in one workspace), in one query: a JSON array per
 * message id, into logs. */
static int load_attempts(db *d, const char *workspace_id, const char *from, const char *to, json_t *logs, err_t *e)
{
    db_stmt *s;
    int rc = db_prepare(d,
                        "SELECT a.outbox_id, a.attempt, a.started_at, a.duration_ms, a.outcome, a.detail, a.sent_by "
                        "FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id "
                        "WHERE o.workspace_id = ? AND a.outbox_id >= ? AND a.outbox_id <= ? "
                        "ORDER BY a.outbox_id, a.attempt",
                        &s, e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, workspace_id);
    db_bind_text(s, 2, from);
    db_bind_text(s, 3, to);
    while ((rc = db_step(s, e)) == DB_ROW) {
        const char *id = db_col_text(s, 0, NULL);
        json_t *list = json_object_get(logs, id);
        if (!list)
            continue; /* a message in the range the page does not show (another status) */
        json_array_append_new(list, json_pack("{s:I,s:s,s:I,s:s,s:s?,s:s?}", "attempt", (json_int_t)db_col_int(s, 1),
                                              "started_at", db_col_text(s, 2, NULL), "duration_ms",
                                              (json_int_t)db_col_int(s, 3), "outcome", db_col_text(s, 4, NULL),
                                              "detail", db_col_text(s, 5, NULL), "sent_by", db_col_text(s, 6, NULL)));
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

int outbox_list(db *d, const char *workspace_id, const char *status, int limit, const char *cursor, strbuf *out,
                err_t *e)
{
    static const char *const cols[] = {"id", "kind", "status", "message_id", "recipient", "subject", "client_id",
                                       "contact_id", "interaction_id", "automation", "attempts", "next_attempt_at",
                                       "last_error", "sent_at", "created_at", "payload"};
    enum { NCOLS = sizeof cols / sizeof cols[0] };
    db_stmt *s;
    int rc = db_prepare(d,
                        "SELECT id, kind, status, message_id, recipient, subject, client_id, contact_id, "
                        "interaction_id, automation, attempts, next_attempt_at, last_error, sent_at, created_at, "
                        "payload FROM outbox WHERE workspace_id = ? AND (CAST(? AS TEXT) IS NULL OR status = ?) "
                        "AND (CAST(? AS TEXT) IS NULL OR id < ?) ORDER BY id DESC LIMIT ?",
                        &s, e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, workspace_id);
    db_bind_text(s, 2, status);
    db_bind_text(s, 3, status);
    db_bind_text(s, 4, cursor);
    db_bind_text(s, 5, cursor);
    db_bind_int(s, 6, limit + 1);
    /* each message is written whole but for its closing brace's place, where its attempt log goes once
     * the page's attempts are read (one query, after this one) */
    strbuf page = STRBUF_INIT;
    char last[ID_MAX] = "", first[ID_MAX] = "";
    int n = 0;
    char (*ids)[ID_MAX] = calloc((size_t)limit + 1, ID_MAX);
    size_t *ends = calloc((size_t)limit + 1, sizeof *ends);
    json_t *logs = json_object();
    while ((rc = db_step(s, e)) == DB_ROW && n < limit) {
        for (int i = 0; i < NCOLS; i++) {
            strbuf_addf(&page, "%s\"%s\":", i ? "," : "", i == NCOLS - 1 ? "message" : cols[i]);
            const char *v = db_col_text(s, i, NULL);
            if (i == 10)
                strbuf_addf(&page, "%lld", (long long)db_col_int(s, i));
            else if (i == NCOLS - 1 && v)
                strbuf_adds(&page, v); /* the stored JSON: from, to, subject, text, html */
            else
                strbuf_add_json_str(&page, v);
        }
        snprintf(ids[n], ID_MAX, "%s", db_col_text(s, 0, NULL));
        json_object_set_new(logs, ids[n], json_array());
        ends[n] = page.len;
        snprintf(last, sizeof last, "%s", ids[n]);
        if (!n)
            snprintf(first, sizeof first, "%s", ids[n]);
        n++;
    }
    int more = rc == DB_ROW;
    db_finalize(s);
    if (rc >= 0 && n)
        rc = load_attempts(d, workspace_id, last, first, logs, e); /* newest first: last is the smallest id */
    strbuf_adds(out, "{\"data\":[");
    for (int i = 0; rc >= 0 && i < n; i++) {
        size_t start = i ? ends[i - 1] : 0;
        strbuf_adds(out, i ? ",{" : "{");
        strbuf_add(out, page.buf + start, ends[i] - start);
        char *log = json_dumps(json_object_get(logs, ids[i]), JSON_COMPACT);
        strbuf_addf(out, ",\"attempt_log\":%s}", log);
        free(log);
    }
    free(ids);
    free(ends);
    json_decref(logs);
    strbuf_release(&page);
    if (rc < 0)
        return rc;
    strbuf_adds(out, "],\"next_cursor\":");
    strbuf_add_json_str(out, more ? last : NULL);
    strbuf_addc(out, '}');
    return 0;
}

/* ---- sending ---- */

typedef struct claimed {
    char id[ID_MAX];
    char kind[24];
    char workspace_id[ID_MAX];
    char *payload;
    char message_id[ID_MAX + 300];
    int attempts;
    int64_t created;
} claimed;

static void real_now(char out[CLOCK_RFC3339_LEN], int64_t plus)
{
    clock_format(clock_real_ms() / 1000 + plus, out);
}

/* Claims one due message for sender: 1 with c filled, 0 when none is due, <0 on error. */
static int claim(db *d, const char *sender, claimed *c, err_t *e)
{
    char now[CLOCK_RFC3339_LEN];
    real_now(now, 0);
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql,
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_by = ?, claimed_at = ? "
                "WHERE id = (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? "
                "ORDER BY next_attempt_at, id LIMIT 1%s) AND status = 'queued' "
                "RETURNING id, workspace_id, payload, message_id, attempts, created_at, kind",
                d->be->skip_locked);
    db_stmt *s;
    const char *args[] = {sender, now, now};
    int rc = db_query_row(d, &s, e, sql.buf, 3, args);
    strbuf_release(&sql);
    if (rc != DB_ROW)
        return rc < 0 ? rc : 0;
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s", db_col_text(s, 0, NULL));
    snprintf(c->workspace_id, sizeof c->workspace_id, "%s", db_col_text(s, 1, NULL));
    c->payload = strdup(db_col_text(s, 2, NULL));
    snprintf(c->message_id, sizeof c->message_id, "%s", db_col_text(s, 3, NULL));
    c->attempts = (int)db_col_int(s, 4);
    clock_parse(db_col_text(s, 5, NULL), &c->created);
    snprintf(c->kind, sizeof c->kind, "%s", db_col_text(s, 6, NULL));
    while (db_step(s, NULL) == DB_ROW) /* RETURNING rows are read to the end on SQLite */
        ;
    db_finalize(s);
    return 1;
}

static int64_t backoff_seconds(int attempts)
{
    const char *env = getenv("RAPPORT_OUTBOX_RETRY_SECONDS");
    int64_t base = env ? strtoll(env, NULL, 10) : 60, cap = 6 * 3600;
    if (base <= 0)
        base = 60;
    int64_t wait = base;
    for (int i = 1; i < attempts && wait < cap; i++)
        wait *= 2;
    return wait < cap ? wait : cap;
}

/* Records the outcome of an attempt: the attempt's row and the message's new state, together, and only
 * while this sender still holds the claim. */
static int record(db *d, const char *sender, const claimed *c, int outcome, const char *detail, int64_t started_ms,
                  err_t *e)
{
    char started[CLOCK_RFC3339_LEN], now[CLOCK_RFC3339_LEN], next[CLOCK_RFC3339_LEN], attempt[16], ms[24];
    clock_format(started_ms / 1000, started);
    real_now(now, 0);
    const char *status = outcome == SMTP_SENT ? "sent" : outcome == SMTP_FAILED ? "failed" : "queued";
    char reason[700];
    snprintf(reason, sizeof reason, "%s", detail);
    if (outcome == SMTP_RETRY && c->attempts >= OUTBOX_MAX_ATTEMPTS) {
        status = "failed";
        snprintf(reason, sizeof reason, "gave up after %d attempts; the last: %.600s", c->attempts, detail);
    }
    real_now(next, outcome == SMTP_RETRY ? backoff_seconds(c->attempts) : 0);
    snprintf(attempt, sizeof attempt, "%d", c->attempts);
    snprintf(ms, sizeof ms, "%lld", (long long)(clock_real_ms() - started_ms));
    const char *outcome_name = outcome == SMTP_SENT ? "sent" : !strcmp(status, "failed") ? "failed" : "retry";
    int rc = db_begin(d, e);
    db_stmt *s;
    if (rc == 0) {
        const char *a[] = {c->id, attempt, started, ms, outcome_name, detail, sender};
        rc = db_query_row(d, &s, e,
                          "INSERT INTO outbox_attempts (outbox_id, attempt, started_at, duration_ms, outcome, detail, "
                          "sent_by) VALUES (?, ?, ?, CAST(? AS INTEGER), ?, ?, ?) ON CONFLICT DO NOTHING",
                          7, a);
    }
    if (rc >= 0) {
        const char *a[] = {status, next, outcome == SMTP_SENT ? NULL : reason, outcome == SMTP_SENT ? now : NULL,
                           now, c->id, sender};
        rc = db_query_row(d, &s, e,
                          "UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ?, sent_at = ?, "
                          "updated_at = ?, claimed_by = NULL, claimed_at = NULL WHERE id = ? AND claimed_by = ?",
                          7, a);
    }
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d, e);
}

/* Builds and submits one claimed email; returns the outcome and fills detail. */
static int deliver_email(db *d, const claimed *c, char *detail, size_t n)
{
    err_t e;
    err_clear(&e);
    mail_config cfg;
    if (mail_config_for(d, c->workspace_id, &cfg, &e) < 0) {
        snprintf(detail, n, "%s", e.message);
        return e.code == E_CONFLICT || e.code == E_INVALID_VALUE ? SMTP_FAILED : SMTP_RETRY;
    }
    json_t *p = json_loads(c->payload, 0, NULL);
    const char *s_unsub = json_string_value(json_object_get(p, "list_unsubscribe"));
    const char *automation = json_string_value(json_object_get(p, "automation"));
    mime_header extra[4];
    int nx = 0;
    if (s_unsub) {
        char *bracketed = NULL;
        if (asprintf(&bracketed, "<%s>", s_unsub) < 0)
            bracketed = NULL;
        extra[nx++] = (mime_header){"List-Unsubscribe", bracketed};
        extra[nx++] = (mime_header){"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"};
    }
    if (automation) { /* RFC 3834: machines do not answer automated mail */
        extra[nx++] = (mime_header){"Auto-Submitted", "auto-generated"};
        extra[nx++] = (mime_header){"X-Rapport-Automation", automation};
    }
    mime_message m = {
        .from_name = json_string_value(json_object_get(p, "from_name")),
        .from = json_string_value(json_object_get(p, "from")),
        .to_name = json_string_value(json_object_get(p, "to_name")),
        .to = json_string_value(json_object_get(p, "to")),
        .subject = json_string_value(json_object_get(p, "subject")),
        .text = json_string_value(json_object_get(p, "text")),
        .html = json_string_value(json_object_get(p, "html")),
        .message_id = c->message_id,
        .date = c->created,
        .extra = extra,
        .n_extra = nx,
    };
    strbuf msg = STRBUF_INIT;
    int outcome;
    if (mime_build(&m, &msg, &e) < 0) {
        snprintf(detail, n, "%s", e.message);
        outcome = SMTP_FAILED;
    } else {
        /* the envelope sender is the workspace's configured address: the one its server lets it use */
        outcome = smtp_send(&cfg.server, cfg.from, m.to, msg.buf, msg.len, detail, n);
    }
    if (s_unsub)
        free((char *)extra[0].value);
    strbuf_release(&msg);
    json_decref(p);
    memset(&cfg.server, 0, sizeof cfg.server);
    return outcome;
}

/* How each kind of message goes out: the outbox claims, retries and records; a kind only delivers. A
 * webhook delivery would be one more row here, its payload the request and its outcome the answer's. */
static const struct {
    const char *kind;
    int (*deliver)(db *d, const claimed *c, char *detail, size_t n); /* enum smtp_outcome */
} KINDS[] = {{"email", deliver_email}};

static int deliver(db *d, const claimed *c, char *detail, size_t n)
{
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (!strcmp(KINDS[i].kind, c->kind))
            return KINDS[i].deliver(d, c, detail, n);
    snprintf(detail, n, "no way to send a message of kind %.24s", c->kind);
    return SMTP_FAILED;
}

/* Messages whose sender died: claimed long ago, or by a process of this host that no longer exists. */
static void requeue_orphans(db *d, const char *host)
{
    char stale[CLOCK_RFC3339_LEN];
    real_now(stale, -OUTBOX_STALE_SECONDS);
    db_stmt *s;
    const char *a[] = {stale};
    db_query_row(d, &s, NULL,
                 "UPDATE outbox SET status = 'queued', claimed_by = NULL, claimed_at = NULL, "
                 "last_error = 'its sender stopped mid-send; sent again with the same Message-ID' "
                 "WHERE status = 'sending' AND claimed_at < ?",
                 1, a);
    char prefix[80];
    snprintf(prefix, sizeof prefix, "%s:%%", host);
    const char *b[] = {prefix};
    char ids[16][ID_MAX], owners[16][96];
    int n = 0;
    if (db_prepare(d, "SELECT id, claimed_by FROM outbox WHERE status = 'sending' AND claimed_by LIKE ? LIMIT 16", &s,
                   NULL) == 0) {
        db_bind_text(s, 1, b[0]);
        while (n < 16 && db_step(s, NULL) == DB_ROW) {
            snprintf(ids[n], ID_MAX, "%s", db_col_text(s, 0, NULL));
            snprintf(owners[n], sizeof owners[n], "%s", db_col_text(s, 1, NULL));
            n++;
        }
        db_finalize(s);
    }
    for (int i = 0; i < n; i++) {
        /* host:pid:slot */
        long pid = strtol(owners[i] + strlen(host) + 1, NULL, 10);
        if (pid <= 0 || (kill((pid_t)pid, 0) < 0 && errno == ESRCH)) {
            const char *c[] = {ids[i], owners[i]};
            db_query_row(d, &s, NULL,
                         "UPDATE outbox SET status = 'queued', claimed_by = NULL, claimed_at = NULL, "
                         "last_error = 'its sender stopped mid-send; sent again with the same Message-ID' "
                         "WHERE id = ? AND status = 'sending' AND claimed_by = ?",
                         2, c);
        }
    }
}

/* One message: claim, send, record. 1 when one was tried, 0 when none was due, <0 on a database error. */
static int send_one(db *d, const char *sender, err_t *e)
{
    claimed c;
    int rc = claim(d, sender, &c, e);
    if (rc <= 0)
        return rc;
    char detail[700] = "";
    int64_t started = clock_real_ms();
    int outcome = deliver(d, &c, detail, sizeof detail);
    if (outcome == SMTP_SENT)
        log_info("outbox: %s sent (attempt %d)", c.id, c.attempts);
    else
        log_warn("outbox: %s attempt %d: %s", c.id, c.attempts, detail);
    rc = record(d, sender, &c, outcome, detail, started, e);
    free(c.payload);
    return rc < 0 ? rc : 1;
}

static void sender_name(char *out, size_t n, int slot, char *host, size_t host_n)
{
    snprintf(host, host_n, "localhost");
    gethostname(host, host_n - 1);
    host[host_n - 1] = 0;
    snprintf(out, n, "%s:%d:%d", host, (int)getpid(), slot);
}

int outbox_send_due(db *d, err_t *e)
{
    char name[160], host[64];
    sender_name(name, sizeof name, 0, host, sizeof host);
    requeue_orphans(d, host);
    int n = 0, rc;
    while ((rc = send_one(d, name, e)) == 1)
        n++;
    return rc < 0 ? rc : n;
}

/* ---- the sender threads ---- */

typedef struct sender {
    pthread_t thread;
    int slot;
    const char *db_target;
    volatile sig_atomic_t *stopping;
} sender;

static sender senders[OUTBOX_SENDERS];
static int senders_running;

static void *run_sender(void *arg)
{
    sender *me = arg;
    char name[160], host[64];
    /* claimed_by is host:pid:slot, so a restarted server on this host knows the claims of a dead one */
    sender_name(name, sizeof name, me->slot, host, sizeof host);
    db *d = NULL;
    int64_t swept = 0;
    while (!*me->stopping) {
        err_t e;
        err_clear(&e);
        if (!d && db_open(me->db_target, &d, &e) < 0) {
            d = NULL;
            sleep(1);
            continue;
        }
        if (me->slot == 0 && clock_real_ms() - swept > 10 * 1000) {
            swept = clock_real_ms();
            requeue_orphans(d, host);
        }
        int rc = send_one(d, name, &e);
        if (rc < 0 && e.code != E_UNAVAILABLE && e.code != E_CONFLICT)
            log_error("outbox: %s", e.message);
        if (rc <= 0)
            usleep(250 * 1000);
    }
    db_close(d);
    return NULL;
}

int outbox_senders_start(const char *db_target, volatile sig_atomic_t *stopping, err_t *e)
{
    (void)e;
    for (int i = 0; i < OUTBOX_SENDERS; i++) {
        senders[i] = (sender){.slot = i, .db_target = db_target, .stopping = stopping};
        if (pthread_create(&senders[i].thread, NULL, run_sender, &senders[i]) != 0)
            break;
        senders_running = i + 1;
    }
    return 0;
}

void outbox_senders_join(void)
{
    for (int i = 0; i < senders_running; i++)
        pthread_join(senders[i].thread, NULL);
    senders_running = 0;
}
