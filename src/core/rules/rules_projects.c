/* rules_projects: projects, their milestones, deliverables and change requests (see rules.h).
 *
 * A project becomes agreed or active only with a recorded agreement (who approved it at the client,
 * and when); at that first agreement its budget and due date are frozen as the baseline. Change
 * requests are decided once; approving one moves the project's due date and budget through
 * rules_patch, so the project's own audit log keeps every move, and scope growth is measured against
 * the baseline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/money.h"
#include "core/engine/transition.h"
#include "core/rules/rules.h"

static const char *str(json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

static int is(const char *s, const char *want) { return s && !strcmp(s, want); }

/* An amount as a write may carry it (a decimal string, or a JSON integer of whole units); 0 when null. */
static int money_of(json_t *v, int64_t *cents)
{
    *cents = 0;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_integer(v)) {
        if (llabs(json_integer_value(v)) > MONEY_MAX / 100)
            return -1;
        *cents = json_integer_value(v) * 100;
        return 0;
    }
    return json_is_string(v) ? money_parse(json_string_value(v), cents) : -1;
}

/* The client a contact belongs to, into client (empty when there is no such contact). */
static int contact_client(const write_ctx *c, const char *contact_id, char client[ID_MAX])
{
    client[0] = '\0';
    db_stmt *s;
    const char *args[] = {contact_id, c->who->workspace_id};
    int rc = db_query_row(c->d, &s, c->e, "SELECT client_id FROM contacts WHERE id = ? AND workspace_id = ?", 2, args);
    if (rc == DB_ROW) {
        snprintf(client, ID_MAX, "%s", db_col_text(s, 0, NULL));
        db_finalize(s);
    }
    return rc < 0 ? rc : 0;
}

/* A contact named in field must work at client_id; an unknown id is left to the reference check. */
static int check_client_contact(const write_ctx *c, const char *key, const char *contact_id, const char *client_id)
{
    char owner[ID_MAX];
    int rc = contact_client(c, contact_id, owner);
    if (rc < 0 || !owner[0] || !client_id || !strcmp(owner, client_id))
        return rc;
    return err_set(c->e, E_INVALID_VALUE, key, "%s must be a contact of the project's client (%s works for another client)",
                   key, contact_id);
}

/* A project stays proposed or cancelled without an agreement; every other status needs one. */
static int needs_agreement(const char *status) { return status && !is(status, "proposed") && !is(status, "cancelled"); }

/* A project's client cannot move once records of the project carry it. */
static int check_client_move(const write_ctx *c)
{
    const char *to = str(c->body, "client_id");
    if (!c->old || !to || is(str(c->old, "client_id"), to))
        return 0;
    db_stmt *s;
    const char *args[] = {c->id, c->id, c->id};
    int rc = db_query_row(c->d, &s, c->e,
                          "SELECT (SELECT COUNT(*) FROM milestones WHERE project_id = ?) + "
                          "(SELECT COUNT(*) FROM deliverables WHERE project_id = ?) + "
                          "(SELECT COUNT(*) FROM change_requests WHERE project_id = ?)",
                          3, args);
    if (rc < 0)
        return rc;
    int64_t parts = db_col_int(s, 0);
    db_finalize(s);
    if (parts > 0)
        return err_set(c->e, E_CONFLICT, "client_id",
                       "a project's client cannot change once it has milestones, deliverables or change requests");
    return 0;
}

int rules_project_before_write(write_ctx *c)
{
    int rc;
    if ((rc = rules_default_currency(c, "currency")) < 0 || (rc = check_client_move(c)) < 0)
        return rc;
    if (is(rules_str(c, "billing"), "hourly") && !rules_value(c, "hourly_rate"))
        return err_set(c->e, E_REQUIRED, "hourly_rate", "an hourly project needs its hourly_rate");
    const char *start = rules_str(c, "start_date"), *due = rules_str(c, "due_date");
    if (start && due && !clock_parse_date(start, NULL) && !clock_parse_date(due, NULL) && strcmp(due, start) < 0)
        return err_set(c->e, E_INVALID_VALUE, "due_date", "due_date (%s) is before start_date (%s)", due, start);

    /* agreed_by_id, a contact of another client, is refused by the engine (check_client_refs) */
    const char *status = rules_str(c, "status"), *by = rules_str(c, "agreed_by_id");
    if (needs_agreement(status) && !by)
        return err_set(c->e, E_REQUIRED, "agreed_by_id",
                       "a project needs a recorded agreement (who approved it at the client, and when) before it "
                       "becomes %s",
                       status);
    if (by && !rules_value(c, "agreed_at"))
        rules_set_now(c->body, "agreed_at");
    /* The first agreement freezes the baseline that scope growth is measured against. */
    const char *was = c->old ? str(c->old, "status") : NULL;
    if (needs_agreement(status) && (!c->old || is(was, "proposed"))) {
        json_t *budget = rules_value(c, "budget"), *due_v = rules_value(c, "due_date");
        json_object_set(c->body, "original_budget", budget ? budget : json_null());
        json_object_set(c->body, "original_due_date", due_v ? due_v : json_null());
    }
    return 0;
}

/* Status and client of the project a part names (status NULL when there is no such project). */
typedef struct project_head {
    char client[ID_MAX], status[16];
} project_head;

static int project_head_of(const write_ctx *c, const char *project_id, project_head *h)
{
    h->client[0] = h->status[0] = '\0';
    db_stmt *s;
    const char *args[] = {project_id, c->who->workspace_id};
    int rc = db_query_row(c->d, &s, c->e, "SELECT client_id, status FROM projects WHERE id = ? AND workspace_id = ?",
                          2, args);
    if (rc == DB_ROW) {
        snprintf(h->client, sizeof h->client, "%s", db_col_text(s, 0, NULL));
        snprintf(h->status, sizeof h->status, "%s", db_col_text(s, 1, NULL));
        db_finalize(s);
    }
    return rc < 0 ? rc : 0;
}

/* The part carries its project's client, set on create and whenever it moves to another project. */
int rules_project_part_before_write(write_ctx *c)
{
    const char *pid = str(c->body, "project_id");
    if (!pid || (c->old && is(str(c->old, "project_id"), pid)))
        return 0;
    project_head h;
    int rc = project_head_of(c, pid, &h);
    if (rc == 0 && h.client[0]) /* an unknown project is the reference check's to report */
        json_object_set_new(c->body, "client_id", json_string(h.client));
    return rc;
}

int rules_deliverable_before_write(write_ctx *c)
{
    int rc;
    if ((rc = rules_project_part_before_write(c)) < 0)
        return rc;
    const char *to = str(c->body, "status"), *from = c->old ? str(c->old, "status") : NULL;
    if (!to || is(from, to))
        return 0;
    int delivered = is(to, "delivered") || is(to, "accepted");
    if (delivered && !rules_value(c, "delivered_at"))
        rules_set_now(c->body, "delivered_at");
    if (is(to, "accepted") && !json_object_get(c->body, "accepted_at"))
        rules_set_now(c->body, "accepted_at");
    /* rework: the earlier hand-over did not count, the next delivery sets the date again */
    if (is(to, "in_progress") && is(from, "delivered") && !json_object_get(c->body, "delivered_at"))
        json_object_set_new(c->body, "delivered_at", json_null());
    return 0;
}

static int decided(const char *status) { return is(status, "approved") || is(status, "rejected"); }

/* After a decision the change's cost, time and project are what was decided on. */
static int check_frozen(const write_ctx *c)
{
    json_t *v;
    if ((v = json_object_get(c->body, "impact_days")) && !json_equal(v, json_object_get(c->old, "impact_days")))
        return err_set(c->e, E_CONFLICT, "impact_days", "impact_days cannot change after the change request was %s",
                       str(c->old, "status"));
    int64_t was, now;
    if ((v = json_object_get(c->body, "impact_cost")) &&
        (money_of(v, &now) || money_of(json_object_get(c->old, "impact_cost"), &was) || was != now))
        return err_set(c->e, E_CONFLICT, "impact_cost", "impact_cost cannot change after the change request was %s",
                       str(c->old, "status"));
    const char *pid = str(c->body, "project_id");
    if (pid && !is(pid, str(c->old, "project_id")))
        return err_set(c->e, E_CONFLICT, "project_id", "a decided change request cannot move to another project");
    return 0;
}

/* A decided change request moves no more (the table's moves); the refusal says when it was decided. */
int rules_change_request_refuse_move(write_ctx *c, const field *f, const char *from, const char *to)
{
    if (!decided(from))
        return transition_refused(c, f, from, to);
    return err_set(c->e, E_CONFLICT, f->name, "this change request was already %s on %.10s", from,
                   str(c->old, "decided_at") ? str(c->old, "decided_at") : "an earlier date");
}

int rules_change_request_before_write(write_ctx *c)
{
    int rc;
    if ((rc = rules_project_part_before_write(c)) < 0)
        return rc;
    const char *to = rules_str(c, "status"), *from = c->old ? str(c->old, "status") : NULL;
    if (decided(from))
        return check_frozen(c);
    int deciding = decided(to);
    project_head h;
    if ((rc = project_head_of(c, rules_str(c, "project_id"), &h)) < 0)
        return rc;
    if (!h.status[0])
        return 0; /* the reference check reports the unknown project */
    if ((!c->old || deciding || json_object_get(c->body, "project_id")) &&
        !is(h.status, "agreed") && !is(h.status, "active") && !is(h.status, "on_hold"))
        return err_set(c->e, E_INVALID_VALUE, "project_id",
                       "change requests are for agreed, active or on-hold projects; this project is %s", h.status);
    const char *by = rules_str(c, "decided_by_id");
    if (by && (rc = check_client_contact(c, "decided_by_id", by, h.client)) < 0)
        return rc;
    if (!deciding)
        return 0;
    if (is(to, "approved") && !by)
        return err_set(c->e, E_REQUIRED, "decided_by_id",
                       "approving a change request needs decided_by_id: who approved it at the client");
    rules_set_now(c->body, "decided_at");
    return 0;
}

/* The project moves by the approved change: due date by its days, budget by its cost, and the running
 * totals of approved changes with them — one update of the project, so its audit log shows the move. */
int rules_change_request_after_write(write_ctx *c)
{
    const char *from = c->old ? str(c->old, "status") : NULL;
    if (!is(rules_str(c, "status"), "approved") || is(from, "approved"))
        return 0;
    const char *pid = rules_str(c, "project_id");
    json_t *prj = rules_fetch(c, "projects", pid);
    if (!prj)
        return c->e->code ? c->e->code : E_INTERNAL;
    int64_t days = json_integer_value(rules_value(c, "impact_days")), cost, budget, total;
    int rc = 0;
    if (money_of(rules_value(c, "impact_cost"), &cost) || money_of(json_object_get(prj, "budget"), &budget) ||
        money_of(json_object_get(prj, "approved_change_cost"), &total)) {
        rc = err_set(c->e, E_INTERNAL, "impact_cost", "an amount could not be read");
        goto out;
    }
    char b[MONEY_LEN], t[MONEY_LEN];
    money_format(budget + cost, b);
    money_format(total + cost, t);
    json_t *patch = json_pack("{s:s, s:s, s:I}", "budget", b, "approved_change_cost", t, "approved_change_days",
                              (json_int_t)(json_integer_value(json_object_get(prj, "approved_change_days")) + days));
    int64_t day;
    const char *due = str(prj, "due_date");
    if (due && !clock_parse_date(due, &day)) { /* calendar days; a project without a due date keeps none */
        char moved[CLOCK_RFC3339_LEN];
        clock_format(day + days * 86400, moved);
        moved[10] = '\0';
        json_object_set_new(patch, "due_date", json_string(moved));
    }
    rc = rules_patch(c, "projects", pid, patch);
    json_decref(patch);
out:
    json_decref(prj);
    return rc < 0 ? rc : 0;
}
