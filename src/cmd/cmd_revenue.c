/* cmd_revenue: `rapport pipeline` and `rapport revenue` — the reports of core/revenue.c, as tables or,
 * with --json, exactly what the REST API answers. */
#include <stdio.h>
#include <stdlib.h>

#include "core/practice/revenue.h"
#include "cmd/cmd.h"


static long long i_(json_t *o, const char *key) { return (long long)json_integer_value(json_object_get(o, key)); }


/* One line per currency of a stage or status: count, value and (open deals) weighted value. */
static void pipeline_line(const char *name, json_t *group)
{
    json_t *list = json_object_get(group, "by_currency"), *x;
    size_t i;
    if (!json_array_size(list))
        printf("%-16s %5lld\n", name, i_(group, json_object_get(group, "open_count") ? "open_count" : "count"));
    json_array_foreach(list, i, x) {
        printf("%-16s %5lld  %-3s %14s", i ? "" : name, i_(x, "count"), cli_str(x, "currency"), cli_str(x, "value"));
        if (json_object_get(x, "weighted_value")) /* open deals only */
            printf(" %14s", cli_str(x, "weighted_value"));
        putchar('\n');
    }
}

static void pipeline_table(json_t *report)
{
    printf("%-16s %5s  %-3s %14s %14s\n", "STAGE", "DEALS", "CUR", "VALUE", "WEIGHTED");
    json_t *stage;
    size_t i;
    json_array_foreach(json_object_get(report, "stages"), i, stage) pipeline_line(cli_str(stage, "name"), stage);
    printf("\n");
    pipeline_line("open (all)", json_object_get(report, "open"));
    pipeline_line("won", json_object_get(report, "won"));
    pipeline_line("lost", json_object_get(report, "lost"));
}

int cmd_pipeline(cli *c, err_t *e)
{
    int rc = cli_check_unused(c, e);
    if (rc == 0 && c->nargs)
        rc = err_set(e, E_USAGE, NULL, "rapport pipeline takes no arguments");
    strbuf out = STRBUF_INIT;
    if (rc == 0)
        rc = revenue_pipeline(c->db, &c->who, &out, e);
    return cli_print_report(c, rc, &out, pipeline_table);
}

static void client_table(json_t *report)
{
    printf("%s (%s), as of %s\n", cli_str(report, "name"), cli_str(report, "client_id"), cli_str(report, "as_of"));
    printf("%-3s %14s %14s %14s %14s %14s  %-10s  %s\n", "CUR", "LIFETIME", "LAST_12_MONTHS", "OUTSTANDING",
           "OVERDUE", "MONTHLY", "FIRST_PAID", "LAST_PAID");
    json_t *x;
    size_t i;
    json_array_foreach(json_object_get(report, "by_currency"), i, x) {
        char overdue[40];
        snprintf(overdue, sizeof overdue, "%s (%lld)", cli_str(x, "overdue"), i_(x, "overdue_count"));
        printf("%-3s %14s %14s %14s %14s %14s  %-10s  %s\n", cli_str(x, "currency"), cli_str(x, "paid_total"),
               cli_str(x, "paid_last_12_months"), cli_str(x, "outstanding"), overdue, cli_str(x, "monthly_recurring"),
               cli_str(x, "first_paid_on"), cli_str(x, "last_paid_on"));
    }
    if (!json_array_size(json_object_get(report, "by_currency")))
        printf("(no invoices or retainers yet)\n");
}

static void period_table(json_t *report)
{
    printf("paid revenue %s to %s (to excluded); %lld client(s) active in the period\n", cli_str(report, "from"),
           cli_str(report, "to"), i_(report, "active_clients"));
    json_t *x, *cl;
    size_t i, j;
    json_array_foreach(json_object_get(report, "by_currency"), i, x) {
        printf("\n%-3s %s paid by %lld client(s); per active client: %s\n", cli_str(x, "currency"), cli_str(x, "paid_total"),
               i_(x, "clients_with_revenue"), json_is_null(json_object_get(x, "revenue_per_client"))
                                                  ? "-" : cli_str(x, "revenue_per_client"));
        json_array_foreach(json_object_get(x, "clients"), j, cl) printf("  %-36.36s %14s  %lld invoice(s)\n",
                                                                        cli_str(cl, "name"), cli_str(cl, "paid_total"),
                                                                        i_(cl, "invoice_count"));
    }
    if (!json_array_size(json_object_get(report, "by_currency")))
        printf("(nothing paid in the period)\n");
}

int cmd_revenue(cli *c, err_t *e)
{
    const char *from = cli_opt(c, "from"), *to = cli_opt(c, "to");
    int rc = cli_check_unused(c, e);
    if (rc == 0 && (c->nargs > 1 || (c->nargs == 1 && (from || to)) || (c->nargs == 0 && (!from || !to))))
        rc = err_set(e, E_USAGE, NULL, "use rapport revenue CLIENT_ID, or rapport revenue --from DATE --to DATE");
    strbuf out = STRBUF_INIT;
    if (rc == 0 && c->nargs == 1)
        return cli_print_report(c, revenue_client(c->db, &c->who, c->args[0], &out, e), &out, client_table);
    if (rc == 0)
        rc = revenue_period(c->db, &c->who, from, to, &out, e);
    return cli_print_report(c, rc, &out, period_table);
}
