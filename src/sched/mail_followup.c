/* mail_followup: compose, log, queue (see mail_followup.h). */
#include "sched/mail_followup.h"

#include <stdlib.h>
#include <string.h>

#include "core/practice/lifecycle.h"
#include "sched/outbox.h"

int mail_followup_send(db *d, const actor *who, const char *interaction_id, strbuf *out, err_t *e)
{
    int rc = db_begin(d, e);
    if (rc < 0)
        return rc;
    strbuf composed = STRBUF_INIT;
    rc = followup_compose(d, who, interaction_id, 1, &composed, e);
    json_t *j = rc == 0 ? json_loads(composed.buf, 0, NULL) : NULL;
    strbuf_release(&composed);
    char id[ID_MAX];
    if (rc == 0 && !j)
        rc = err_set(e, E_INTERNAL, NULL, "the composed follow-up is not JSON");
    if (rc == 0) {
        const char *to = json_string_value(json_object_get(j, "to"));
        if (!to)
            rc = err_set(e, E_INVALID_VALUE, "to", "no one to send it to: the client and its contacts have no email "
                                                   "address");
    }
    if (rc == 0) {
        outbox_email m = {
            .workspace_id = who->workspace_id,
            .to = json_string_value(json_object_get(j, "to")),
            .to_name = json_string_value(json_object_get(j, "to_name")),
            .subject = json_string_value(json_object_get(j, "subject")),
            .text = json_string_value(json_object_get(j, "body")),
            .client_id = json_string_value(json_object_get(j, "client_id")),
            .contact_id = json_string_value(json_object_get(j, "contact_id")),
            .interaction_id = json_string_value(json_object_get(j, "logged_interaction_id")),
        };
        rc = outbox_queue_email(d, &m, id, e);
    }
    if (rc < 0) {
        json_decref(j);
        db_rollback(d);
        return rc;
    }
    if ((rc = db_commit(d, e)) < 0) {
        json_decref(j);
        return rc;
    }
    json_object_set_new(j, "outbox_id", json_string(id));
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    strbuf_adds(out, text);
    free(text);
    json_decref(j);
    return 0;
}
