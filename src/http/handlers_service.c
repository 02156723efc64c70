/* handlers_service: the SLA breach list and marking feedback acted on (the rules live in core). */
#include <stdlib.h>
#include <string.h>

#include "core/engine/record.h"
#include "core/practice/sla.h"
#include "http/http.h"

int handle_sla_breaches(http_request *r, err_t *e)
{
    http_params p = {.names = {"client_id", "open", "limit", NULL}};
    sla_breach_query q = {.limit = 50};
    int rc = http_params_read(r->query, &p, e);
    q.client_id = p.values[0];
    if (rc == 0)
        rc = http_param_bool(&p, "open", &q.open_only, e);
    if (rc == 0 && p.values[2])
        rc = list_parse_limit(p.values[2], LIST_MAX_LIMIT, &q.limit, e);
    if (rc == 0)
        rc = sla_breaches(r->db, &r->who, &q, &r->out, e);
    http_params_release(&p);
    return rc;
}

int handle_feedback_acted_on(http_request *r, err_t *e)
{
    const char *key;
    json_t *v;
    json_object_foreach(r->json, key, v) {
        if (strcmp(key, "action_note") && strcmp(key, "reply_note"))
            return err_set(e, E_UNKNOWN_FIELD, key, "acted-on takes action_note and reply_note, not %.60s", key);
        if (!json_is_string(v) && !json_is_null(v))
            return err_set(e, E_INVALID_TYPE, key, "%s must be a string", key);
    }
    return feedback_act(r->db, &r->who, r->segv[3], json_string_value(json_object_get(r->json, "action_note")),
                        json_string_value(json_object_get(r->json, "reply_note")), &r->out, e);
}
