/* cmd_webhooks: `rapport webhook test`, `rotate-secret` and `deliveries`. Subscriptions themselves are
 * records (`rapport webhook add --url URL --events client.created,deal.won`, list, show, edit, rm). */
#include <stdio.h>
#include <string.h>

#include "core/engine/record.h"
#include "core/events/webhooks.h"
#include "cmd/cmd.h"

int cmd_webhook_test(cli *c, err_t *e)
{
    int rc = c->nargs != 1 ? err_set(e, E_USAGE, "id", "usage: rapport webhook test WEBHOOK_ID") : cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    rc = webhook_send_test(c->db, &c->who, c->args[0], &out, e);
    if (rc >= 0) {
        cli_print_record(c, entity_by_name("webhook_deliveries"), out.buf);
        if (!c->json)
            fprintf(stderr, "queued; a running server sends it (or run: rapport jobs run)\n");
    }
    strbuf_release(&out);
    return rc < 0 ? rc : 0;
}

/* The new secret alone on stdout (like `token create`), for a script to hand to the receiver; --json: the
 * whole answer. */
int cmd_webhook_rotate_secret(cli *c, err_t *e)
{
    int rc = c->nargs != 1 ? err_set(e, E_USAGE, "id", "usage: rapport webhook rotate-secret WEBHOOK_ID")
                           : cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    rc = webhook_rotate_secret(c->db, &c->who, c->args[0], &out, e);
    if (rc >= 0) {
        json_t *rec = json_loads(out.buf, 0, NULL);
        puts(c->json ? out.buf : json_string_value(json_object_get(rec, "secret")));
        if (!c->json)
            fprintf(stderr, "the secret before it still signs every message until %s\n",
                    json_string_value(json_object_get(rec, "previous_secret_expires_at")));
        json_decref(rec);
    }
    strbuf_release(&out);
    return rc < 0 ? rc : 0;
}

int cmd_webhook_deliveries(cli *c, err_t *e)
{
    const entity *en = entity_by_name("webhook_deliveries");
    if (c->nargs > 1)
        return err_set(e, E_USAGE, NULL, "unexpected argument %s", c->args[1]);
    list_query q;
    list_query_init(&q);
    int rc = 0, limit = 50;
    const char *status = cli_opt(c, "status");
    if (c->nargs == 1)
        rc = list_query_set(en, &q, "webhook_id", c->args[0], e);
    if (rc == 0 && status)
        rc = list_query_set(en, &q, "status", status, e);
    if (rc == 0)
        rc = cli_limit(c, 50, LIST_MAX_LIMIT, &limit, e);
    if (rc == 0)
        rc = cli_check_unused(c, e);
    q.limit = limit;
    strbuf out = STRBUF_INIT;
    if (rc == 0)
        rc = record_list(c->db, &c->who, en, &q, &out, e);
    if (rc == 0)
        cli_print_list(c, en, out.buf);
    strbuf_release(&out);
    list_query_clear(&q);
    return rc;
}
