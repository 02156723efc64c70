/* cmd_service: `rapport breaches` (tickets past the client's promised response time) and
 * `rapport feedback act` (mark feedback acted on). The rules live in core (sla.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/record.h"
#include "core/practice/sla.h"
#include "cmd/cmd.h"

static void print_breaches(const char *json)
{
    json_t *res = json_loads(json, 0, NULL), *b;
    size_t i;
    json_t *data = json_object_get(res, "data");
    if (json_array_size(data))
        printf("%-24s %-20s %-28s %-20s %-20s %s\n", "ID", "CLIENT", "SUBJECT", "DUE", "RESPONDED", "LATE (BUS. MIN)");
    json_array_foreach(data, i, b) {
        const char *responded = json_string_value(json_object_get(b, "first_response_at"));
        printf("%-24s %-20.20s %-28.28s %-20s %-20s %lld\n", json_string_value(json_object_get(b, "id")),
               json_string_value(json_object_get(b, "client_name")), json_string_value(json_object_get(b, "subject")),
               json_string_value(json_object_get(b, "response_due_at")), responded ? responded : "(not yet)",
               (long long)json_integer_value(json_object_get(b, "late_minutes")));
    }
    if (!json_array_size(data))
        fprintf(stderr, "(no breaches)\n");
    json_decref(res);
}

int cmd_breaches(cli *c, err_t *e)
{
    sla_breach_query q = {.client_id = cli_opt(c, "client_id"), .limit = 50};
    const char *open = cli_opt(c, "open");
    int rc = cli_limit(c, 50, LIST_MAX_LIMIT, &q.limit, e);
    if (rc == 0)
        rc = c->nargs ? err_set(e, E_USAGE, NULL, "unexpected argument %s", c->args[0]) : cli_check_unused(c, e);
    if (rc)
        return rc;
    if (open && strcmp(open, "true") && strcmp(open, "false"))
        return err_set(e, E_USAGE, "open", "--open takes no value, or true or false");
    q.open_only = open && !strcmp(open, "true");
    strbuf out = STRBUF_INIT;
    rc = sla_breaches(c->db, &c->who, &q, &out, e);
    if (rc == 0 && c->json)
        puts(out.buf);
    else if (rc == 0)
        print_breaches(out.buf);
    strbuf_release(&out);
    return rc;
}

int cmd_feedback_act(cli *c, err_t *e)
{
    const char *action = cli_opt(c, "action_note"), *reply = cli_opt(c, "reply_note");
    int rc = c->nargs != 1 ? err_set(e, E_USAGE, "id", "usage: rapport feedback act ID --action-note TEXT "
                                                      "[--reply-note TEXT]")
                           : cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    rc = feedback_act(c->db, &c->who, c->args[0], action, reply, &out, e);
    if (rc == 0)
        cli_print_record(c, entity_by_name("feedback"), out.buf);
    strbuf_release(&out);
    return rc;
}
