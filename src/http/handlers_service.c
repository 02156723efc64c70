/* handlers_service: the SLA breach list and marking feedback acted on (the rules live in core). */
#include <stdlib.h>
#include <string.h>

#include "core/engine/record.h"
#include "core/practice/sla.h"
#include "http/http.h"

static int breach_param(void *ctx, const char *key, const char *value, err_t *e)
{
    sla_breach_query *q = ctx;
    if (!strcmp(key, "client_id")) {
        free((char *)q->client_id); /* the walk's buffer goes away after it; keep a copy */
        q->client_id = strdup(value);
        return 0;
    }
    if (!strcmp(key, "open")) {
        if (strcmp(value, "true") && strcmp(value, "false"))
            return err_set(e, E_INVALID_PARAMETER, "open", "open must be true or false");
        q->open_only = !strcmp(value, "true");
        return 0;
    }
    if (!strcmp(key, "limit"))
        return list_parse_limit(value, LIST_MAX_LIMIT, &q->limit, e);
    return err_set(e, E_INVALID_PARAMETER, key, "unknown parameter %.60s", key);
}

int handle_sla_breaches(http_request *r, err_t *e)
{
    sla_breach_query q = {.limit = 50};
    int rc = http_query_each(r->query, breach_param, &q, e);
    if (rc == 0)
        rc = sla_breaches(r->db, &r->who, &q, &r->out, e);
    free((char *)q.client_id);
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
