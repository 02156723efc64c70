/* handlers_email: the outbox and the workspace's email settings over HTTP. Who may see them is decided in
 * core: the outbox holds messages to clients' contacts, so it takes read access to every interaction;
 * the settings are the workspace's own (read to read them, the owner's write to change them). */
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "core/engine/record.h"
#include "core/practice/template_fill.h"
#include "sched/mail_settings.h"
#include "sched/mail_unsubscribe.h"
#include "sched/outbox.h"
#include "http/http.h"

static const char *const STATUSES[] = {"draft", "queued", "sending", "sent", "failed", NULL};

typedef struct outbox_params {
    char *status, *cursor;
    int limit;
} outbox_params;

static int outbox_param(void *ctx, const char *key, const char *value, err_t *e)
{
    outbox_params *p = ctx;
    if (!strcmp(key, "status")) {
        int ok = 0;
        for (int i = 0; STATUSES[i]; i++)
            ok |= !strcmp(STATUSES[i], value);
        if (!ok)
            return err_set(e, E_INVALID_PARAMETER, "status", "status is draft, queued, sending, sent or failed");
        free(p->status);
        p->status = strdup(value);
        return 0;
    }
    if (!strcmp(key, "cursor")) {
        free(p->cursor);
        p->cursor = strdup(value);
        return 0;
    }
    if (!strcmp(key, "limit"))
        return list_parse_limit(value, 500, &p->limit, e);
    return err_set(e, E_INVALID_PARAMETER, key, "unknown parameter %.60s (the outbox takes status, limit, cursor)",
                   key);
}

int handle_outbox_list(http_request *r, err_t *e)
{
    int rc = access_whole(&r->who, entity_by_name("interactions"), OP_LIST, e);
    if (rc)
        return rc;
    outbox_params p = {.limit = 50};
    rc = http_query_each(r->query, outbox_param, &p, e);
    if (rc == 0)
        rc = outbox_list(r->db, r->who.workspace_id, p.status, p.limit, p.cursor, &r->out, e);
    free(p.status);
    free(p.cursor);
    return rc;
}

int handle_outbox_approve(http_request *r, err_t *e)
{
    /* approving sends an email to a client's contact: as writing an interaction to every client */
    int rc = access_whole(&r->who, entity_by_name("interactions"), OP_CREATE, e);
    if (rc == 0)
        rc = outbox_approve(r->db, &r->who, r->segv[3], e);
    if (rc == 0) {
        strbuf_adds(&r->out, "{\"id\":");
        strbuf_add_json_str(&r->out, r->segv[3]);
        strbuf_adds(&r->out, ",\"status\":\"queued\"}");
    }
    return rc;
}

int handle_template_preview(http_request *r, err_t *e)
{
    return template_preview(r->db, &r->who, r->segv[3], r->json, &r->out, e);
}

int handle_email_settings_get(http_request *r, err_t *e)
{
    int rc = access_check(&r->who, entity_by_name("workspaces"), OP_GET, NULL, e);
    return rc ? rc : mail_settings_get(r->db, r->who.workspace_id, &r->out, e);
}

int handle_email_settings_update(http_request *r, err_t *e)
{
    int rc = access_check(&r->who, entity_by_name("workspaces"), OP_UPDATE, NULL, e);
    return rc ? rc : mail_settings_put(r->db, r->who.workspace_id, r->json, &r->out, e);
}

/* The unsubscribe link of automated mail (sched/mail_unsubscribe.h): a page with one button on GET (mail
 * scanners follow links; they must not unsubscribe anyone), the opt-out itself on POST, which is also
 * what a mail client's one-click unsubscribe sends (RFC 8058). No inline style: the CSP forbids it. */
int handle_unsubscribe(http_request *r, err_t *e)
{
    int apply = !strcmp(r->method, "POST");
    char ws[201] = "";
    int rc = mail_unsubscribe(r->db, r->segv[1], apply, ws, sizeof ws, e);
    r->content_type_out = "text/html; charset=utf-8";
    strbuf_adds(&r->out, "<!doctype html><html lang=en><meta charset=utf-8><title>Unsubscribe</title>");
    if (rc == E_NOT_FOUND) {
        r->status = 404;
        strbuf_adds(&r->out, "<h1>This link is not valid</h1><p>It may have been cut short by your mail program.</p>"
                             "</html>");
        return 0;
    }
    if (rc < 0) {
        strbuf_reset(&r->out);
        return rc;
    }
    strbuf h = STRBUF_INIT;
    strbuf_add_html(&h, ws);
    if (apply)
        strbuf_addf(&r->out, "<h1>Unsubscribed</h1><p>You will get no more automated email from %s. Messages a "
                             "person writes to you still arrive.</p></html>", h.buf);
    else
        strbuf_addf(&r->out, "<h1>Unsubscribe</h1><p>Stop automated email from %s?</p><form method=post>"
                             "<button type=submit>Unsubscribe</button></form></html>", h.buf);
    strbuf_release(&h);
    return 0;
}
