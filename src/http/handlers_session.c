/* handlers_session: signing in and out of the web app, and who am I. */
#include <stdio.h>
#include <string.h>

#include "core/access/auth.h"
#include "core/access/sign_in.h"
#include "core/engine/record.h"
#include "http/http.h"

static int who_am_i(http_request *r, err_t *e)
{
    actor self = r->who;
    self.role = ROLE_SYSTEM; /* reading one's own user and workspace needs no role */
    strbuf_adds(&r->out, "{\"user\":");
    int rc = record_get(r->db, &self, entity_by_name("users"), r->who.user_id, &r->out, e);
    if (rc == 0) {
        strbuf_adds(&r->out, ",\"workspace\":");
        rc = record_get(r->db, &self, entity_by_name("workspaces"), r->who.workspace_id, &r->out, e);
    }
    strbuf_addc(&r->out, '}');
    return rc;
}

int handle_login(http_request *r, err_t *e)
{
    json_t *email = json_object_get(r->json, "email"), *password = json_object_get(r->json, "password");
    if (!json_is_string(email))
        return err_set(e, E_REQUIRED, "email", "email is required");
    if (!json_is_string(password))
        return err_set(e, E_REQUIRED, "password", "password is required");
    char secret[AUTH_SECRET_MAX];
    int rc = sign_in(r->db, json_string_value(email), json_string_value(password), r->client_addr, &r->who, secret, e);
    if (rc < 0)
        return rc;
    snprintf(r->set_cookie, sizeof r->set_cookie,
             "rapport_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", secret, AUTH_SESSION_DAYS * 86400,
             r->secure ? "; Secure" : "");
    return who_am_i(r, e);
}

int handle_logout(http_request *r, err_t *e)
{
    char sid[AUTH_SECRET_MAX + 1];
    if (http_cookie(r->cookie, "rapport_session", sid, sizeof sid)) {
        int rc = auth_logout(r->db, sid, e);
        if (rc < 0)
            return rc;
    }
    snprintf(r->set_cookie, sizeof r->set_cookie, "rapport_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             r->secure ? "; Secure" : "");
    r->status = 204;
    return 0;
}

int handle_me(http_request *r, err_t *e) { return who_am_i(r, e); }
