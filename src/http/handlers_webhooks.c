/* handlers_webhooks: "send test" and "rotate secret" of a webhook subscription (the rest of webhooks is the generic entity
 * routes: /api/v1/webhooks and the delivery log at /api/v1/webhook-deliveries). */
#include "core/events/webhooks.h"
#include "http/http.h"

int handle_webhook_test(http_request *r, err_t *e)
{
    int rc = webhook_send_test(r->db, &r->who, r->segv[3], &r->out, e);
    if (rc >= 0)
        r->status = 202;
    return rc;
}

int handle_webhook_rotate_secret(http_request *r, err_t *e)
{
    int rc = webhook_rotate_secret(r->db, &r->who, r->segv[3], &r->out, e);
    if (rc >= 0)
        r->status = 200;
    return rc;
}
