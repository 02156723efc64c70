/* cmd_lifecycle: the client practice on the command line — today, due, timeline, onboarding, follow-up.
 * Each prints the same JSON as its REST twin with --json, else a short human listing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched/mail_followup.h"
#include "core/practice/lifecycle.h"
#include "cmd/cmd.h"


static int one_arg(cli *c, const char *what, err_t *e)
{
    if (c->nargs != 1)
        return err_set(e, E_USAGE, NULL, "give the %s's id", what);
    return cli_check_unused(c, e);
}

/* A client's name for a line, or a dash when the item has none (a task of no client). */
static const char *client_of(json_t *it)
{
    const char *name = cli_str(it, "client_name");
    return *name ? name : "-";
}

static void show_tasks(const char *heading, json_t *tasks)
{
    size_t i;
    json_t *t;
    printf("%s (%zu)\n", heading, json_array_size(tasks));
    json_array_foreach(tasks, i, t) {
        printf("  %-16.16s  %-24.24s  %s  (%s)\n", cli_str(t, "due_at"), client_of(t), cli_str(t, "title"),
               cli_str(t, "id"));
    }
}

/* "last update 2026-11-02", or what "never" means: no update from us since the relationship began. */
static void last_update_words(json_t *ci, char *buf, size_t n)
{
    if (*cli_str(ci, "last_update_at"))
        snprintf(buf, n, "last update from us %.10s", cli_str(ci, "last_update_at"));
    else
        snprintf(buf, n, "no update from us since the client started on %.10s", cli_str(ci, "client_since"));
}

static void show_checkins(json_t *list)
{
    size_t i;
    json_t *ci;
    printf("Check-ins due (%zu)\n", json_array_size(list));
    json_array_foreach(list, i, ci) {
        char last[120], heard[64];
        last_update_words(ci, last, sizeof last);
        if (*cli_str(ci, "last_inbound_at"))
            snprintf(heard, sizeof heard, "they last reached us %.10s", cli_str(ci, "last_inbound_at"));
        else
            snprintf(heard, sizeof heard, "nothing from them yet");
        printf("  %-24.24s  %-9s  due %-10.10s (%lld days over)  %s; %s; via %s\n", cli_str(ci, "client_name"),
               cli_str(ci, "cadence"), cli_str(ci, "due_at"),
               (long long)json_integer_value(json_object_get(ci, "days_overdue")), last, heard,
               *cli_str(ci, "channel") ? cli_str(ci, "channel") : "any channel");
    }
}

static void show_section(json_t *j, const char *key, const char *heading, void (*line)(json_t *it))
{
    json_t *list = json_object_get(j, key), *it;
    size_t i;
    printf("%s (%zu)\n", heading, json_array_size(list));
    json_array_foreach(list, i, it) line(it);
}

static void summary_line(json_t *in)
{
    printf("  %-16.16s  %-24.24s  %s %s  (%s)\n", cli_str(in, "occurred_at"), client_of(in), cli_str(in, "type"),
           cli_str(in, "subject"), cli_str(in, "id"));
}

static void ticket_line(json_t *t)
{
    printf("  %-16.16s  %-24.24s  %s %s: %s  (%s)\n", cli_str(t, "response_due_at"), client_of(t),
           json_is_true(json_object_get(t, "late")) ? "LATE" : "due soon", cli_str(t, "priority"), cli_str(t, "subject"),
           cli_str(t, "id"));
}

static void risk_line(json_t *r)
{
    json_t *why = json_array_get(json_object_get(r, "reasons"), 0);
    printf("  %-24.24s  %3lld  %-8s%s  %s\n", client_of(r), (long long)json_integer_value(json_object_get(r, "score")),
           cli_str(r, "band"), json_is_true(json_object_get(r, "dropped_this_week")) ? " (fell this week)" : "",
           why ? cli_str(why, "evidence") : "");
}

static void invoice_line(json_t *v)
{
    printf("  %-10.10s  %-24.24s  %s %s %s, %lld days overdue  (%s)\n", cli_str(v, "due_on"), client_of(v),
           cli_str(v, "number"), cli_str(v, "currency"), cli_str(v, "amount"),
           (long long)json_integer_value(json_object_get(v, "days_overdue")), cli_str(v, "id"));
}

static void deliverable_line(json_t *d)
{
    printf("  %-10.10s  %-24.24s  %s%s  (%s)\n", cli_str(d, "due_date"), client_of(d), cli_str(d, "name"),
           json_is_true(json_object_get(d, "late")) ? " (late)" : "", cli_str(d, "id"));
}

static void show_today(json_t *j)
{
    printf("Today, %s\n\n", cli_str(j, "date"));
    show_tasks("Overdue", json_object_get(j, "overdue"));
    show_tasks("Due today", json_object_get(j, "due_today"));
    show_checkins(json_object_get(j, "check_ins"));
    show_section(j, "needs_summary", "Conversations without a summary", summary_line);
    show_section(j, "tickets", "Tickets near or past their promised response", ticket_line);
    show_section(j, "at_risk", "Clients at risk or fallen a band this week", risk_line);
    show_section(j, "invoices_overdue", "Invoices overdue", invoice_line);
    show_section(j, "deliverables_due", "Deliverables due this week", deliverable_line);
}

int cmd_today(cli *c, err_t *e)
{
    const char *all = cli_opt(c, "all");
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return cli_print_report(c, today_report(c->db, &c->who, all != NULL, &out, e), &out, show_today);
}

static void show_due(json_t *j) { show_checkins(json_object_get(j, "data")); }

int cmd_due(cli *c, err_t *e)
{
    const char *mine = cli_opt(c, "mine");
    int limit, rc = cli_limit(c, 100, 1000, &limit, e);
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return cli_print_report(c, checkins_due(c->db, &c->who, mine ? c->who.user_id : NULL, limit, &out, e), &out, show_due);
}

static void show_timeline(json_t *j)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "data"), i, it) {
        printf("%-20s  %-14s  %s\n", cli_str(it, "at"), cli_str(it, "type"), cli_str(it, "title"));
    }
    if (json_string_value(json_object_get(j, "next_cursor")))
        printf("(more: --cursor %s)\n", cli_str(j, "next_cursor"));
}

int cmd_timeline(cli *c, err_t *e)
{
    const char *cursor = cli_opt(c, "cursor"), *types = cli_opt(c, "types");
    int limit, rc = cli_limit(c, 50, TIMELINE_MAX, &limit, e);
    if (rc == 0)
        rc = one_arg(c, "client", e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    rc = timeline_page(c->db, &c->who, c->args[0], limit, cursor, types, &out, e);
    if (rc == 0 && !c->json) { /* whose timeline it is, by name */
        json_t *names = json_object();
        json_object_set_new(names, c->args[0], json_null());
        cli_titles(c, entity_by_name("clients"), names);
        const char *name = json_string_value(json_object_get(names, c->args[0]));
        printf("%s (%s)\n\n", name ? name : "", c->args[0]);
        json_decref(names);
    }
    return cli_print_report(c, rc, &out, show_timeline);
}

static void show_onboarding(json_t *j)
{
    json_t *pct = json_object_get(j, "percent"), *t, *q;
    size_t i;
    printf("%s: %lld of %lld steps done", *cli_str(j, "template") ? cli_str(j, "template") : "no onboarding",
           (long long)json_integer_value(json_object_get(j, "done")),
           (long long)json_integer_value(json_object_get(j, "total")));
    if (json_is_integer(pct))
        printf(" (%lld%%)", (long long)json_integer_value(pct));
    printf("\n");
    json_array_foreach(json_object_get(j, "steps"), i, t) {
        printf("  [%c] %-10.10s  %s\n", strcmp(cli_str(t, "status"), "done") ? ' ' : 'x', cli_str(t, "due_at"),
               cli_str(t, "title"));
    }
    json_array_foreach(json_object_get(j, "questions"), i, q) {
        printf("  Q: %s\n     %s\n", cli_str(q, "question"), *cli_str(q, "answer") ? cli_str(q, "answer") : "(no answer yet)");
    }
}

int cmd_onboarding(cli *c, err_t *e)
{
    int rc = one_arg(c, "client", e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return cli_print_report(c, onboarding_progress(c->db, &c->who, c->args[0], &out, e), &out, show_onboarding);
}

static void show_applied(json_t *j) { show_tasks("Onboarding tasks created", json_object_get(j, "tasks")); }

int cmd_onboard(cli *c, err_t *e)
{
    const char *tpl = cli_opt(c, "template_id"), *start = cli_opt(c, "start_date");
    int rc = one_arg(c, "client", e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return cli_print_report(c, onboarding_apply(c->db, &c->who, c->args[0], tpl, start, &out, e), &out, show_applied);
}

static void show_followup(json_t *j)
{
    printf("To: %s\nSubject: %s\n\n%s", cli_str(j, "to"), cli_str(j, "subject"), cli_str(j, "body"));
    if (*cli_str(j, "logged_interaction_id"))
        printf("\n(logged as %s)\n", cli_str(j, "logged_interaction_id"));
    if (*cli_str(j, "outbox_id"))
        printf("(queued to send as %s: rapport outbox list)\n", cli_str(j, "outbox_id"));
}

int cmd_followup(cli *c, err_t *e)
{
    const char *record = cli_opt(c, "record"), *send = cli_opt(c, "send");
    int rc = one_arg(c, "interaction", e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    if (send) /* logged on the timeline and queued in the outbox, together */
        return cli_print_report(c, mail_followup_send(c->db, &c->who, c->args[0], &out, e), &out, show_followup);
    return cli_print_report(c, followup_compose(c->db, &c->who, c->args[0], record != NULL, &out, e), &out, show_followup);
}
