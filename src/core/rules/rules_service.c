/* rules_service: tickets held against the client's promised response time in business hours, and
 * feedback with its score and the acted-on loop (see docs/service.md). */
#include <string.h>

#include "util/clock.h"
#include "core/rules/rules.h"
#include "core/practice/sla.h"

static int sent(const write_ctx *c, const char *key) { return json_object_get(c->body, key) != NULL; }
static int sent_null(const write_ctx *c, const char *key) { return json_is_null(json_object_get(c->body, key)); }

/* The value a write leaves in key, if it is one of the field's enum values (else validation reports it). */
static const char *known_value(const write_ctx *c, const char *key)
{
    const char *s = rules_str(c, key);
    return field_has_value(entity_field(c->en, key), s) ? s : NULL;
}

/* The time a write leaves in key: 0 when none, 1 when parsed into *t, -1 when not a time (validation
 * reports it, so the rules leave it alone). */
static int time_value(const write_ctx *c, const char *key, int64_t *t)
{
    const char *s = rules_str(c, key);
    if (!s)
        return 0;
    return clock_parse(s, t) ? -1 : 1;
}

static void set_time(json_t *body, const char *key, int64_t t)
{
    char buf[CLOCK_RFC3339_LEN];
    clock_format(t, buf);
    json_object_set_new(body, key, json_string(buf));
}

/* The client's promise in business hours, 0 for none. A missing client is left to the reference check. */
static int promised_hours(const write_ctx *c, int64_t *hours)
{
    *hours = 0;
    const char *client = rules_str(c, "client_id");
    if (!client)
        return 0;
    json_t *rec = rules_fetch(c, "clients", client);
    if (!rec) {
        if (c->e->code != E_NOT_FOUND)
            return c->e->code ? c->e->code : E_INTERNAL;
        err_clear(c->e);
        return 0;
    }
    json_t *h = json_object_get(rec, "response_time_hours");
    *hours = json_is_integer(h) ? json_integer_value(h) : 0;
    json_decref(rec);
    return 0;
}

/* The status moves the times: answering records the first response, resolving the resolution (and
 * the first response if there was none), reopening clears the resolution. */
static int ticket_status_times(write_ctx *c, const char *status)
{
    const char *was = c->old ? json_string_value(json_object_get(c->old, "status")) : NULL;
    int moved = !was || strcmp(was, status);
    int is_open = !strcmp(status, "open"), is_resolved = !strcmp(status, "resolved");
    if (!is_open && sent_null(c, "first_response_at"))
        return err_set(c->e, E_INVALID_VALUE, "first_response_at",
                       "an %s ticket has a first response time; correct it rather than clear it", status);
    if (is_resolved && sent_null(c, "resolved_at"))
        return err_set(c->e, E_INVALID_VALUE, "resolved_at", "a resolved ticket has a resolved time");
    if (is_resolved && moved && !sent(c, "resolved_at"))
        rules_set_now(c->body, "resolved_at");
    if (!is_open && !rules_value(c, "first_response_at")) {
        json_t *at = is_resolved ? rules_value(c, "resolved_at") : NULL;
        if (at)
            json_object_set(c->body, "first_response_at", at);
        else
            rules_set_now(c->body, "first_response_at");
    }
    if (is_open && moved && was && !sent(c, "resolved_at")) /* reopened */
        json_object_set_new(c->body, "resolved_at", json_null());
    if (is_open && json_is_string(json_object_get(c->body, "first_response_at")) &&
        !json_is_string(c->old ? json_object_get(c->old, "first_response_at") : NULL)) {
        json_object_set_new(c->body, "status", json_string("answered")); /* the first answer was just recorded */
        status = "answered";
    }
    if (strcmp(status, "resolved") && rules_value(c, "resolved_at"))
        return err_set(c->e, E_INVALID_VALUE, "resolved_at",
                       "only a resolved ticket has a resolved time, not an %s one", status);
    return 0;
}

/* Business minutes from the opening to key's time, stored in minutes_key (null without that time). */
static void set_minutes(write_ctx *c, const bizcal *cal, int64_t opened, const char *key, const char *minutes_key)
{
    int64_t t;
    if (time_value(c, key, &t) == 1)
        json_object_set_new(c->body, minutes_key, json_integer(bizhours_between(cal, opened, t) / 60));
    else
        json_object_set_new(c->body, minutes_key, json_null());
}

/* Due time, minutes: computed when the times they come from are written, never on other edits, so a
 * later change of the workspace's calendar or the client's promise leaves past tickets as they were. */
/* A resolved time resolves the ticket (unless an update names its status), before its move is checked.
 * The moves are the table's: a reopened ticket keeps its first response, and answered → open is refused. */
int rules_ticket_imply(write_ctx *c)
{
    const char *status = known_value(c, "status");
    if (status && json_is_string(json_object_get(c->body, "resolved_at")) && strcmp(status, "resolved") &&
        !(c->old && sent(c, "status")))
        json_object_set_new(c->body, "status", json_string("resolved"));
    return 0;
}

int rules_ticket_before_write(write_ctx *c)
{
    int creating = !c->old, rc;
    json_t *opened_in = json_object_get(c->body, "opened_at");
    if (creating && (!opened_in || json_is_null(opened_in)))
        rules_set_now(c->body, "opened_at");
    const char *status = known_value(c, "status");
    if (!status)
        return 0;
    if ((rc = ticket_status_times(c, status)) < 0)
        return rc;
    int64_t opened, first, resolved;
    int ho = time_value(c, "opened_at", &opened), hf = time_value(c, "first_response_at", &first),
        hr = time_value(c, "resolved_at", &resolved);
    if (ho != 1 || hf < 0 || hr < 0)
        return 0;
    if (hf && first < opened)
        return err_set(c->e, E_INVALID_VALUE, "first_response_at",
                       "the first response (%s) cannot come before the ticket was opened (%s)",
                       rules_str(c, "first_response_at"), rules_str(c, "opened_at"));
    if (hr && resolved < opened)
        return err_set(c->e, E_INVALID_VALUE, "resolved_at",
                       "the ticket cannot be resolved (%s) before it was opened (%s)", rules_str(c, "resolved_at"),
                       rules_str(c, "opened_at"));
    if (hr && hf && resolved < first)
        return err_set(c->e, E_INVALID_VALUE, "resolved_at",
                       "the ticket cannot be resolved (%s) before its first response (%s)",
                       rules_str(c, "resolved_at"), rules_str(c, "first_response_at"));
    int due = creating || sent(c, "opened_at") || sent(c, "client_id");
    int fr = due || sent(c, "first_response_at"), res = due || sent(c, "resolved_at");
    if (!fr && !res)
        return 0;
    bizcal cal;
    if ((rc = sla_calendar(c->d, c->who, &cal, c->e)) < 0)
        return rc;
    int64_t hours = 0;
    if (due && (rc = promised_hours(c, &hours)) == 0) {
        int64_t at = hours > 0 ? bizhours_add(&cal, opened, hours * 3600) : INT64_MAX;
        if (at == INT64_MAX) /* no promise (or one the calendar cannot meet in 20 years): never a breach */
            json_object_set_new(c->body, "response_due_at", json_null());
        else
            set_time(c->body, "response_due_at", at);
    }
    if (rc == 0 && fr)
        set_minutes(c, &cal, opened, "first_response_at", "first_response_minutes");
    if (rc == 0 && res)
        set_minutes(c, &cal, opened, "resolved_at", "resolution_minutes");
    bizcal_release(&cal);
    return rc;
}

/* Score ranges per kind; a debrief may go without a score. */
static const struct score_rule {
    const char *kind;
    int min, max, required;
} SCORES[] = {{"csat", 1, 5, 1}, {"nps", 0, 10, 1}, {"pulse", 1, 5, 1}, {"debrief", 1, 5, 0}};

static int feedback_score(write_ctx *c)
{
    const char *kind = known_value(c, "kind");
    json_t *score = rules_value(c, "score");
    for (size_t i = 0; kind && i < sizeof SCORES / sizeof SCORES[0]; i++) {
        const struct score_rule *r = &SCORES[i];
        if (strcmp(r->kind, kind))
            continue;
        if (!score && r->required)
            return err_set(c->e, E_REQUIRED, "score", "a %s needs a score from %d to %d", kind, r->min, r->max);
        json_int_t v = json_integer_value(score);
        if (json_is_integer(score) && (v < r->min || v > r->max))
            return err_set(c->e, E_INVALID_VALUE, "score", "a %s score goes from %d to %d, not %lld", kind, r->min,
                           r->max, (long long)v);
    }
    return 0;
}

/* Sending an action note marks the feedback acted on; once it is, its kind and score are what was acted
 * upon and stay. */
int rules_feedback_before_write(write_ctx *c)
{
    int creating = !c->old, rc;
    json_t *received = json_object_get(c->body, "received_at");
    if (creating && (!received || json_is_null(received)))
        rules_set_now(c->body, "received_at");
    const char *acted = c->old ? json_string_value(json_object_get(c->old, "acted_on_at")) : NULL;
    static const char *const fixed[] = {"kind", "score"};
    for (int i = 0; acted && i < 2; i++) {
        json_t *v = json_object_get(c->body, fixed[i]);
        if (v && !json_equal(v, json_object_get(c->old, fixed[i])))
            return err_set(c->e, E_CONFLICT, fixed[i], "this feedback was acted on at %s; its %s cannot change", acted,
                           fixed[i]);
    }
    if ((creating || sent(c, "kind") || sent(c, "score")) && (rc = feedback_score(c)) < 0)
        return rc;
    const char *note = rules_str(c, "action_note");
    int has_note = note && *note;
    if (has_note && sent(c, "action_note") && !acted && !sent(c, "acted_on_at"))
        rules_set_now(c->body, "acted_on_at");
    if (rules_value(c, "acted_on_at") && !has_note)
        return err_set(c->e, E_REQUIRED, "action_note",
                       "feedback marked acted on needs an action_note saying what was done");
    return 0; /* a project of another client is refused by the engine (check_client_refs) */
}
