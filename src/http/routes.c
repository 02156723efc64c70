/* routes: the HTTP binding of the route table (api/routes.c: each route's handler) and the request
 * pipeline: route → authenticate → parse body → handler → error shape. Every failure leaves the same JSON error, from the same err table the CLI uses. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access/auth.h"
#include "util/log.h"
#include "util/public_url.h"
#include "util/utf8.h"
#include "http/assets.h"
#include "http/http.h"

/* Each route of api/routes.c to its handler, sorted by operationId (a unit test keeps it so, and checks
 * that every route has exactly one handler). */
const http_binding http_bindings[] = {
    {"applyClientOnboarding", handle_onboarding_apply},
    {"approveOutboxMessage", handle_outbox_approve},
    {"bulkUpdate{Entities}", handle_bulk_update},
    {"cancelImport", handle_import_cancel},
    {"composeFollowUp", handle_followup},
    {"create{Entity}", handle_create},
    {"delete{Entity}", handle_delete},
    {"export{Entities}", handle_export},
    {"getClientHealth", handle_client_health},
    {"getClientLatency", handle_client_latency},
    {"getClientOnboarding", handle_onboarding_get},
    {"getClientRevenue", handle_client_revenue},
    {"getClientTimeline", handle_timeline},
    {"getEmailSettings", handle_email_settings_get},
    {"getHealthBandsChart", handle_chart},
    {"getHealthSettings", handle_health_settings},
    {"getImport", handle_import_show},
    {"getIndex", handle_index},
    {"getLiveness", handle_healthz},
    {"getMe", handle_me},
    {"getMetrics", handle_metrics},
    {"getOpenApi", handle_openapi},
    {"getPipeline", handle_pipeline},
    {"getProjectScope", handle_project_scope},
    {"getResponseTimesChart", handle_chart},
    {"getRetentionChart", handle_chart},
    {"getRevenue", handle_revenue},
    {"getRevenueChart", handle_chart},
    {"getToday", handle_today},
    {"getUnsubscribe", handle_unsubscribe},
    {"get{Entity}", handle_get},
    {"import{Entities}", handle_import},
    {"listAtRiskClients", handle_at_risk},
    {"listCheckInsDue", handle_checkins_due},
    {"listDuplicates", handle_duplicates},
    {"listImports", handle_import_list},
    {"listOnboarding", handle_onboarding_list},
    {"listOutbox", handle_outbox_list},
    {"listSlaBreaches", handle_sla_breaches},
    {"list{Entities}", handle_list},
    {"login", handle_login},
    {"logout", handle_logout},
    {"markFeedbackActedOn", handle_feedback_acted_on},
    {"mergeRecords", handle_merge},
    {"previewTemplate", handle_template_preview},
    {"rotateWebhookSecret", handle_webhook_rotate_secret},
    {"search", handle_search},
    {"sendWebhookTest", handle_webhook_test},
    {"undoMerge", handle_merge_undo},
    {"unsubscribeOneClick", handle_unsubscribe},
    {"updateEmailSettings", handle_email_settings_update},
    {"update{Entity}", handle_update},
};
const int http_binding_count = (int)(sizeof http_bindings / sizeof http_bindings[0]);

static int compare_binding(const void *key, const void *b)
{
    return strcmp(key, ((const http_binding *)b)->operation_id);
}

http_handler http_handler_for(const api_route *rt)
{
    const http_binding *b = bsearch(rt->operation_id, http_bindings, (size_t)http_binding_count, sizeof *http_bindings,
                                    compare_binding);
    return b ? b->handler : NULL;
}

void http_request_init(http_request *r)
{
    memset(r, 0, sizeof *r);
    strbuf_init(&r->out, HTTP_MAX_RESPONSE);
    r->content_type_out = "application/json";
}

void http_request_release(http_request *r)
{
    for (int i = 0; i < r->nseg; i++)
        free(r->segv[i]);
    r->nseg = 0;
    json_decref(r->json);
    r->json = NULL;
    strbuf_release(&r->out);
}

static int hexval(int c)
{
    return isdigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
}

int http_unescape(char *s, int plus_space)
{
    char *w = s;
    for (char *p = s; *p; p++) {
        if (*p == '%') {
            int h = hexval((unsigned char)p[1]), l = h < 0 ? -1 : hexval((unsigned char)p[2]);
            if (l < 0)
                return -1;
            *w++ = (char)(h * 16 + l);
            p += 2;
        } else {
            *w++ = (plus_space && *p == '+') ? ' ' : *p;
        }
    }
    *w = '\0';
    return (int)(w - s);
}

int http_query_each(const char *query, http_param_fn fn, void *ctx, err_t *e)
{
    if (!query || !*query)
        return 0;
    char *copy = strdup(query), *save = NULL;
    int rc = 0;
    for (char *pair = strtok_r(copy, "&", &save); pair && rc == 0; pair = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(pair, '=');
        char *value = eq ? eq + 1 : pair + strlen(pair);
        if (eq)
            *eq = '\0';
        int kl = http_unescape(pair, 1), vl = kl < 0 ? -1 : http_unescape(value, 1);
        if (kl < 0 || vl < 0 || !utf8_valid(pair, (size_t)kl) || !utf8_valid(value, (size_t)vl) ||
            memchr(value, '\0', (size_t)vl) != NULL || (int)strlen(value) != vl)
            rc = err_set(e, E_INVALID_PARAMETER, NULL, "the query string is not valid percent-encoded UTF-8");
        else if (!*pair)
            continue;
        else
            rc = fn(ctx, pair, value, e);
    }
    free(copy);
    return rc;
}

/* Splits and decodes the path; refuses dot segments and encoded slashes, so no path can climb. */
static int split_path(http_request *r)
{
    const char *p = r->path;
    if (*p != '/')
        return -1;
    if (!p[1])
        return 0; /* "/" has no segments */
    while (*p == '/') {
        p++;
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (r->nseg == HTTP_MAX_SEGMENTS || (n == 0 && end))
            return -1;
        char *seg = strndup(p, n);
        r->segv[r->nseg++] = seg;
        int len = http_unescape(seg, 0);
        if (len < 0 || (size_t)len != strlen(seg) || strchr(seg, '/') || !strcmp(seg, ".") || !strcmp(seg, "..") ||
            !utf8_valid(seg, (size_t)len))
            return -1;
        p += n;
    }
    return 0;
}

static int match(const api_route *rt, http_request *r)
{
    const char *p = rt->pattern;
    int score = 0;
    if (!strcmp(p, "/"))
        return r->nseg == 0 ? 1 : -1;
    for (int i = 0; i < r->nseg; i++) {
        if (*p != '/')
            return -1;
        p++;
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (*p == '{')
            ;
        else if (strlen(r->segv[i]) == n && !strncmp(p, r->segv[i], n))
            score++;
        else
            return -1;
        p += n;
    }
    return *p ? -1 : score + 1;
}

static const api_route *find_route(http_request *r, err_t *e)
{
    if (split_path(r) < 0)
        return err_set(e, E_NOT_FOUND, NULL, "no such resource"), NULL;
    const api_route *best = NULL;
    int best_score = 0, path_matched = 0;
    for (int i = 0; i < api_route_count; i++) {
        int s = match(&api_routes[i], r);
        if (s <= 0)
            continue;
        path_matched = 1;
        if (strcmp(api_routes[i].method, r->method))
            continue;
        if (s > best_score)
            best = &api_routes[i], best_score = s;
    }
    if (!best) {
        if (path_matched)
            err_set(e, E_METHOD_NOT_ALLOWED, NULL, "%s is not allowed here", r->method);
        else
            err_set(e, E_NOT_FOUND, NULL, "no such resource");
    }
    /* a literal route may lose on method to a wildcard one; both scores keep the literal first */
    return best;
}

/* An entity whose writes hash a password (users) */
static int hashes_passwords(const entity *en)
{
    for (int i = 0; en && i < en->nfields; i++)
        if (en->fields[i].type == &FT_PASSWORD)
            return 1;
    return 0;
}

enum write_kind { WRITE_NONE, WRITE_BATCHED, WRITE_DIRECT, WRITE_HASHING };

static int write_kind(const char *method, const char *path)
{
    if (!strcmp(method, "GET"))
        return WRITE_NONE;
    http_request r;
    http_request_init(&r);
    r.method = method;
    r.path = path;
    err_t e;
    const api_route *rt = find_route(&r, &e);
    /* the generic routes name their entity in the third segment, as their pattern says */
    const entity *en = rt && !strncmp(rt->pattern, "/api/v1/{entity}", 16) ? entity_by_path(r.segv[2]) : NULL;
    int kind = !rt                                                           ? WRITE_NONE
               : !strcmp(rt->pattern, "/api/v1/login") || hashes_passwords(en) ? WRITE_HASHING
               : (rt->flags & R_DIRECT)                                       ? WRITE_DIRECT
                                                                              : WRITE_BATCHED;
    http_request_release(&r);
    return kind;
}

int http_joins_group_commit(const char *method, const char *path)
{
    return write_kind(method, path) == WRITE_BATCHED;
}

int http_hashes_passwords(const char *method, const char *path)
{
    return write_kind(method, path) == WRITE_HASHING;
}

const char *http_cookie(const char *cookies, const char *name, char *buf, size_t n)
{
    size_t nl = strlen(name);
    for (const char *p = cookies; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nl && !strncmp(p, name, nl) && p[nl] == '=') {
            size_t vl = len - nl - 1;
            if (vl >= n)
                return NULL;
            memcpy(buf, p + nl + 1, vl);
            buf[vl] = '\0';
            return buf;
        }
        p = end;
    }
    return NULL;
}

static int authenticate(http_request *r, err_t *e)
{
    if (r->authorization) {
        if (strncasecmp(r->authorization, "Bearer ", 7))
            return err_set(e, E_UNAUTHORIZED, NULL, "use Authorization: Bearer TOKEN");
        return auth_by_token(r->db, r->authorization + 7, &r->who, e);
    }
    char sid[AUTH_SECRET_MAX + 1];
    if (http_cookie(r->cookie, "rapport_session", sid, sizeof sid)) {
        r->via_cookie = 1;
        return auth_by_session(r->db, sid, &r->who, e);
    }
    return err_set(e, E_UNAUTHORIZED, NULL, "sign in, or send Authorization: Bearer TOKEN");
}

static int is_json(const char *ct)
{
    return ct && !strncasecmp(ct, "application/json", 16) && (!ct[16] || ct[16] == ';' || ct[16] == ' ');
}

static int is_csv(const char *ct)
{
    return ct && !strncasecmp(ct, "text/csv", 8) && (!ct[8] || ct[8] == ';' || ct[8] == ' ');
}

/* A CSV body stays text for its handler; like JSON, it is a type no cross-site form can send. */
static int check_csv_body(http_request *r, err_t *e)
{
    if (r->body_len > HTTP_MAX_CSV_BODY)
        return err_set(e, E_PAYLOAD_TOO_LARGE, NULL, "the body is over %d bytes; split the file, or use rapport import",
                       HTTP_MAX_CSV_BODY);
    if (!is_csv(r->content_type))
        return err_set(e, E_UNSUPPORTED_MEDIA_TYPE, NULL, "send the body as Content-Type: text/csv");
    return 0;
}

static int parse_body(http_request *r, err_t *e)
{
    if (r->body_len > HTTP_MAX_BODY)
        return err_set(e, E_PAYLOAD_TOO_LARGE, NULL, "the body is over %d bytes", HTTP_MAX_BODY);
    /* application/json only: a cross-site form cannot send it, which protects cookie sessions too */
    if (!is_json(r->content_type))
        return err_set(e, E_UNSUPPORTED_MEDIA_TYPE, NULL, "send the body as Content-Type: application/json");
    json_error_t je;
    r->json = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!r->json)
        return err_set(e, E_INVALID_JSON, NULL, "the body is not valid JSON: %s (line %d, column %d)", je.text, je.line,
                       je.column);
    if (!json_is_object(r->json))
        return err_set(e, E_INVALID_JSON, NULL, "the body must be a JSON object");
    return 0;
}

/* A browser names the page a request came from; one that writes with a cookie, or signs in to get
 * one, must come from the address users reach (RAPPORT_PUBLIC_URL), when one is set. Scripts send no
 * Origin and are not browsers a page could misuse. */
static int check_origin(http_request *r, err_t *e)
{
    const char *want = public_url_origin();
    if (!want || !r->origin || !strcasecmp(r->origin, want))
        return 0;
    return err_set(e, E_FORBIDDEN, NULL, "this request comes from another site (Origin %.100s)", r->origin);
}

void http_respond_error(http_request *r, const err_t *e)
{
    const err_info *info = err_lookup(e->code);
    r->status = info->http_status;
    r->content_type_out = "application/json";
    strbuf_reset(&r->out);
    strbuf_adds(&r->out, "{\"error\":{\"code\":");
    strbuf_add_json_str(&r->out, info->name);
    strbuf_adds(&r->out, ",\"message\":");
    strbuf_add_json_str(&r->out, e->message[0] ? e->message : info->name);
    strbuf_adds(&r->out, ",\"field\":");
    strbuf_add_json_str(&r->out, e->field[0] ? e->field : NULL);
    strbuf_adds(&r->out, "}}");
    r->retry_after = e->retry_after;
}

void http_dispatch(http_request *r)
{
    err_t e;
    err_clear(&e);
    int rc;
    http_request_id_set(r);
    log_set_request_id(r->request_id); /* every line logged while answering carries it */
    if (web_dispatch(r)) { /* the web app's pages and files; everything else is the API's */
        log_set_request_id(NULL);
        return;
    }
    const api_route *rt = find_route(r, &e);
    http_handler handler = rt ? http_handler_for(rt) : NULL;
    if (!rt)
        rc = e.code;
    else if (!handler) /* a unit test keeps every route bound; this keeps a slip from crashing */
        rc = err_set(&e, E_INTERNAL, NULL, "route %s has no handler", rt->operation_id);
    else if (!(rt->flags & R_PUBLIC) && (rc = authenticate(r, &e)) < 0)
        ;
    else if (r->via_cookie && strcmp(r->method, "GET") && !is_json(r->content_type) &&
             !((rt->flags & R_CSV) && is_csv(r->content_type)))
        /* a cross-site form cannot send application/json, so a cookie alone can never change data */
        rc = err_set(&e, E_UNSUPPORTED_MEDIA_TYPE, NULL,
                     "requests signed in by cookie that change data must send Content-Type: application/json");
    else if ((r->via_cookie || !strcmp(rt->pattern, "/api/v1/login")) && strcmp(r->method, "GET") &&
             (rc = check_origin(r, &e)) < 0)
        ;
    else if ((rt->flags & R_NO_QUERY) && r->query && *r->query)
        rc = err_set(&e, E_INVALID_PARAMETER, NULL, "%s takes no parameters", r->path);
    else if ((rt->flags & R_BODY) && (rc = parse_body(r, &e)) < 0)
        ;
    else if ((rt->flags & R_CSV) && (rc = check_csv_body(r, &e)) < 0)
        ;
    else
        rc = handler(r, &e);
    if (rc < 0 || r->out.overflow) {
        if (rc >= 0)
            err_set(&e, E_INTERNAL, NULL, "response too large");
        if (e.code == E_INTERNAL || e.code == E_UNAVAILABLE)
            log_error("%s %s: %s", r->method, r->path, e.message);
        if (e.code == E_INTERNAL) /* details stay in the log, not in the answer */
            snprintf(e.message, sizeof e.message, "internal error; the server log has the details");
        http_respond_error(r, &e);
    } else if (!r->status) {
        r->status = 200;
    }
    log_set_request_id(NULL);
}
