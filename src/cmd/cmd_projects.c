/* cmd_projects: `rapport project scope ID`, the project's scope report (the same JSON as
 * GET /api/v1/projects/{id}/scope with --json, a short page for people otherwise). The entity verbs
 * (project add|list|show|edit|rm) are the generic ones. */
#include <stdio.h>

#include "core/practice/project_scope.h"
#include "cmd/cmd.h"

static const char *s(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "-";
}

static long long n(json_t *o, const char *key) { return (long long)json_integer_value(json_object_get(o, key)); }

static void print_report(json_t *r)
{
    json_t *cr = json_object_get(r, "change_requests"), *dl = json_object_get(r, "deliverables"),
           *ms = json_object_get(r, "milestones"), *g = json_object_get(r, "scope_growth");
    printf("%s (%s, %s)\n", s(r, "name"), s(r, "status"), s(r, "project_id"));
    printf("budget:       %s %s (agreed %s, approved changes %s)\n", s(r, "budget"), s(r, "currency"),
           s(r, "original_budget"), s(r, "approved_change_cost"));
    if (json_is_number(g))
        printf("scope growth: %.1f%%\n", json_number_value(g) * 100);
    else
        printf("scope growth: - (no agreed budget)\n");
    printf("due:          %s (agreed %s, %+lld days from changes)\n", s(r, "due_date"), s(r, "original_due_date"),
           n(r, "days_added"));
    printf("changes:      %lld proposed, %lld approved, %lld rejected\n", n(cr, "proposed"), n(cr, "approved"),
           n(cr, "rejected"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(cr, "data"), i, x)
        printf("  %-9s %+4lld days %12s  %s\n", s(x, "status"), n(x, "impact_days"), s(x, "impact_cost"),
               s(x, "description"));
    printf("deliverables: %lld (%lld todo, %lld in progress, %lld delivered, %lld accepted); "
           "%lld on time, %lld late, %lld overdue\n",
           n(dl, "total"), n(dl, "todo"), n(dl, "in_progress"), n(dl, "delivered"), n(dl, "accepted"),
           n(dl, "on_time"), n(dl, "late"), n(dl, "overdue"));
    printf("milestones:   %lld (%lld reached, %lld overdue)\n", n(ms, "total"), n(ms, "reached"), n(ms, "overdue"));
    json_array_foreach(json_object_get(ms, "data"), i, x)
        printf("  %-10s %-10s %s\n", s(x, "due_date"), s(x, "reached_on"), s(x, "name"));
}

int cmd_project_scope(cli *c, err_t *e)
{
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    if (c->nargs != 1)
        return err_set(e, E_USAGE, NULL, "usage: rapport project scope ID");
    strbuf out = STRBUF_INIT;
    rc = project_scope(c->db, &c->who, c->args[0], &out, e);
    if (rc == 0 && c->json) {
        puts(out.buf);
    } else if (rc == 0) {
        json_t *r = json_loads(out.buf, 0, NULL);
        print_report(r);
        json_decref(r);
    }
    strbuf_release(&out);
    return rc;
}
