/* handlers_lifecycle: the client practice's views and actions over HTTP (see core/practice/lifecycle.h).
 * Who may see what is decided in core, as for the CLI: these only read parameters. */
#include <stdlib.h>
#include <string.h>

#include "core/practice/lifecycle.h"
#include "core/engine/record.h"
#include "sched/mail_followup.h"
#include "http/http.h"

static int parse_limit(const char *s, int dflt, int max, int *out, err_t *e)
{
    *out = dflt;
    return s ? list_parse_limit(s, max, out, e) : 0;
}

int handle_timeline(http_request *r, err_t *e)
{
    http_params p = {.names = {"limit", "cursor", "types", NULL}};
    int limit, rc = http_params_read(r->query, &p, e);
    if (rc == 0)
        rc = parse_limit(p.values[0], 50, TIMELINE_MAX, &limit, e);
    if (rc == 0)
        rc = timeline_page(r->db, &r->who, r->segv[3], limit, p.values[1], p.values[2], &r->out, e);
    http_params_release(&p);
    return rc;
}

int handle_onboarding_get(http_request *r, err_t *e)
{
    return onboarding_progress(r->db, &r->who, r->segv[3], &r->out, e);
}

int handle_onboarding_apply(http_request *r, err_t *e)
{
    json_t *tpl = json_object_get(r->json, "template_id"), *start = json_object_get(r->json, "start_date");
    if (tpl && !json_is_string(tpl))
        return err_set(e, E_INVALID_TYPE, "template_id", "template_id must be a string");
    if (start && !json_is_null(start) && !json_is_string(start))
        return err_set(e, E_INVALID_TYPE, "start_date", "start_date must be a date string, YYYY-MM-DD");
    const char *key;
    json_t *v;
    json_object_foreach(r->json, key, v) {
        if (strcmp(key, "template_id") && strcmp(key, "start_date"))
            return err_set(e, E_UNKNOWN_FIELD, key, "onboarding takes template_id and start_date only");
    }
    r->status = 201;
    return onboarding_apply(r->db, &r->who, r->segv[3], json_string_value(tpl), json_string_value(start), &r->out, e);
}

int handle_checkins_due(http_request *r, err_t *e)
{
    http_params p = {.names = {"limit", "owner_id", "mine", NULL}};
    int limit, rc = http_params_read(r->query, &p, e);
    if (rc == 0)
        rc = parse_limit(p.values[0], 100, 1000, &limit, e);
    int mine = 0;
    if (rc == 0)
        rc = http_param_bool(&p, "mine", &mine, e);
    const char *owner = mine ? r->who.user_id : p.values[1];
    if (rc == 0)
        rc = checkins_due(r->db, &r->who, owner, limit, &r->out, e);
    http_params_release(&p);
    return rc;
}

int handle_onboarding_list(http_request *r, err_t *e)
{
    http_params p = {.names = {"limit", NULL}};
    int limit, rc = http_params_read(r->query, &p, e);
    if (rc == 0)
        rc = parse_limit(p.values[0], 100, 1000, &limit, e);
    if (rc == 0)
        rc = onboarding_list(r->db, &r->who, limit, &r->out, e);
    http_params_release(&p);
    return rc;
}

int handle_followup(http_request *r, err_t *e)
{
    json_t *rec = json_object_get(r->json, "record");
    if (rec && !json_is_boolean(rec))
        return err_set(e, E_INVALID_TYPE, "record", "record must be true or false");
    const char *key;
    json_t *v;
    json_t *send = json_object_get(r->json, "send");
    if (send && !json_is_boolean(send))
        return err_set(e, E_INVALID_TYPE, "send", "send must be true or false");
    json_object_foreach(r->json, key, v) {
        if (strcmp(key, "record") && strcmp(key, "send"))
            return err_set(e, E_UNKNOWN_FIELD, key,
                           "a follow-up takes record (true to log it as sent) and send (true to email it)");
    }
    int record = json_is_true(rec);
    if (record || json_is_true(send))
        r->status = 201;
    if (json_is_true(send)) /* logged and queued in the outbox together */
        return mail_followup_send(r->db, &r->who, r->segv[3], &r->out, e);
    return followup_compose(r->db, &r->who, r->segv[3], record, &r->out, e);
}

int handle_today(http_request *r, err_t *e)
{
    http_params p = {.names = {"all", NULL}};
    int rc = http_params_read(r->query, &p, e);
    if (rc == 0 && p.values[0] && strcmp(p.values[0], "true") && strcmp(p.values[0], "false"))
        rc = err_set(e, E_INVALID_PARAMETER, "all", "all must be true or false");
    if (rc == 0)
        rc = today_report(r->db, &r->who, p.values[0] && !strcmp(p.values[0], "true"), &r->out, e);
    http_params_release(&p);
    return rc;
}
