/* cmd_lifecycle: the client practice on the command line — today, due, timeline, onboarding, follow-up.
 * Each prints the same JSON as its REST twin with --json, else a short human listing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/lifecycle.h"
#include "cmd.h"

static const char *s_of(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static int one_arg(cli *c, const char *what, err_t *e)
{
    if (c->nargs != 1)
        return err_set(e, E_USAGE, NULL, "give the %s's id", what);
    return cli_check_unused(c, e);
}

static int limit_opt(cli *c, int dflt, int *out, err_t *e)
{
    const char *l = cli_opt(c, "limit");
    char *end = NULL;
    *out = l ? (int)strtol(l, &end, 10) : dflt;
    if (l && (!*l || *end || *out < 1))
        return err_set(e, E_USAGE, "limit", "--limit takes a positive whole number");
    return 0;
}

/* Prints JSON as is for --json, or hands the parsed document to show. */
static int finish(cli *c, int rc, strbuf *out, void (*show)(json_t *))
{
    if (rc == 0 && c->json) {
        puts(out->buf);
    } else if (rc == 0) {
        json_t *j = json_loads(out->buf, 0, NULL);
        show(j);
        json_decref(j);
    }
    strbuf_release(out);
    return rc;
}

static void show_tasks(const char *heading, json_t *tasks)
{
    size_t i;
    json_t *t;
    printf("%s (%zu)\n", heading, json_array_size(tasks));
    json_array_foreach(tasks, i, t) {
        printf("  %-16.16s  %-32s  %s\n", s_of(t, "due_at"), s_of(t, "id"), s_of(t, "title"));
    }
}

static void show_checkins(json_t *list)
{
    size_t i;
    json_t *ci;
    printf("Check-ins due (%zu)\n", json_array_size(list));
    json_array_foreach(list, i, ci) {
        printf("  %-24.24s  %-9s  last update %-10.10s  due %-10.10s  %lld days over  via %s\n", s_of(ci, "client_name"),
               s_of(ci, "cadence"), *s_of(ci, "last_update_at") ? s_of(ci, "last_update_at") : "never",
               s_of(ci, "due_at"), (long long)json_integer_value(json_object_get(ci, "days_overdue")),
               *s_of(ci, "channel") ? s_of(ci, "channel") : "any channel");
    }
}

static void show_today(json_t *j)
{
    printf("Today, %s\n\n", s_of(j, "date"));
    show_tasks("Overdue", json_object_get(j, "overdue"));
    show_tasks("Due today", json_object_get(j, "due_today"));
    show_checkins(json_object_get(j, "check_ins"));
    json_t *calls = json_object_get(j, "needs_summary"), *in;
    size_t i;
    printf("Conversations without a summary (%zu)\n", json_array_size(calls));
    json_array_foreach(calls, i, in) {
        printf("  %-16.16s  %-32s  %s %s\n", s_of(in, "occurred_at"), s_of(in, "id"), s_of(in, "type"),
               s_of(in, "subject"));
    }
}

int cmd_today(cli *c, err_t *e)
{
    const char *all = cli_opt(c, "all");
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return finish(c, today_report(c->db, &c->who, all != NULL, &out, e), &out, show_today);
}

static void show_due(json_t *j) { show_checkins(json_object_get(j, "data")); }

int cmd_due(cli *c, err_t *e)
{
    const char *mine = cli_opt(c, "mine");
    int limit, rc = limit_opt(c, 100, &limit, e);
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return finish(c, checkins_due(c->db, &c->who, mine ? c->who.user_id : NULL, limit, &out, e), &out, show_due);
}

static void show_timeline(json_t *j)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "data"), i, it) {
        printf("%-20s  %-14s  %s\n", s_of(it, "at"), s_of(it, "type"), s_of(it, "title"));
    }
    if (json_string_value(json_object_get(j, "next_cursor")))
        printf("(more: --cursor %s)\n", s_of(j, "next_cursor"));
}

int cmd_timeline(cli *c, err_t *e)
{
    const char *cursor = cli_opt(c, "cursor"), *types = cli_opt(c, "types");
    int limit, rc = limit_opt(c, 50, &limit, e);
    if (rc == 0)
        rc = one_arg(c, "client", e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return finish(c, timeline_page(c->db, &c->who, c->args[0], limit, cursor, types, &out, e), &out, show_timeline);
}

static void show_onboarding(json_t *j)
{
    json_t *pct = json_object_get(j, "percent"), *t, *q;
    size_t i;
    printf("%s: %lld of %lld steps done", *s_of(j, "template") ? s_of(j, "template") : "no onboarding",
           (long long)json_integer_value(json_object_get(j, "done")),
           (long long)json_integer_value(json_object_get(j, "total")));
    if (json_is_integer(pct))
        printf(" (%lld%%)", (long long)json_integer_value(pct));
    printf("\n");
    json_array_foreach(json_object_get(j, "steps"), i, t) {
        printf("  [%c] %-10.10s  %s\n", strcmp(s_of(t, "status"), "done") ? ' ' : 'x', s_of(t, "due_at"),
               s_of(t, "title"));
    }
    json_array_foreach(json_object_get(j, "questions"), i, q) {
        printf("  Q: %s\n     %s\n", s_of(q, "question"), *s_of(q, "answer") ? s_of(q, "answer") : "(no answer yet)");
    }
}

int cmd_onboarding(cli *c, err_t *e)
{
    int rc = one_arg(c, "client", e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return finish(c, onboarding_progress(c->db, &c->who, c->args[0], &out, e), &out, show_onboarding);
}

static void show_applied(json_t *j) { show_tasks("Onboarding tasks created", json_object_get(j, "tasks")); }

int cmd_onboard(cli *c, err_t *e)
{
    const char *tpl = cli_opt(c, "template_id"), *start = cli_opt(c, "start_date");
    int rc = one_arg(c, "client", e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return finish(c, onboarding_apply(c->db, &c->who, c->args[0], tpl, start, &out, e), &out, show_applied);
}

static void show_followup(json_t *j)
{
    printf("To: %s\nSubject: %s\n\n%s", s_of(j, "to"), s_of(j, "subject"), s_of(j, "body"));
    if (*s_of(j, "logged_interaction_id"))
        printf("\n(logged as %s)\n", s_of(j, "logged_interaction_id"));
}

int cmd_followup(cli *c, err_t *e)
{
    const char *record = cli_opt(c, "record");
    int rc = one_arg(c, "interaction", e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return finish(c, followup_compose(c->db, &c->who, c->args[0], record != NULL, &out, e), &out, show_followup);
}
