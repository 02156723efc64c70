/* mail_unsubscribe: signed links and the opt-out (see mail_unsubscribe.h). */
#include "sched/mail_unsubscribe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/record.h"
#include "util/public_url.h"
#include "util/secret.h"

#define PURPOSE "unsubscribe"

const char *mail_public_url(char *buf, size_t n)
{
    const char *url = public_url(); /* the server checked and set it at start */
    if (!url && getenv("RAPPORT_PUBLIC_URL") && public_url_set(getenv("RAPPORT_PUBLIC_URL"), NULL) == 0)
        url = public_url(); /* a command without a server (rapport jobs run): the same check, here */
    if (!url)
        return NULL;
    snprintf(buf, n, "%s", url);
    return buf;
}

int mail_unsubscribe_url(const char *contact_id, char *out, size_t n, err_t *e)
{
    char base[512], sig[SECRET_SIGNATURE_LEN];
    if (!mail_public_url(base, sizeof base))
        return err_set(e, E_CONFLICT, "public_url", "automated mail needs RAPPORT_PUBLIC_URL for its unsubscribe link");
    int rc = secret_sign(PURPOSE, contact_id, sig, e);
    if (rc < 0)
        return rc;
    snprintf(out, n, "%s/unsubscribe/%s.%s", base, contact_id, sig);
    return 0;
}

int mail_unsubscribe(db *d, const char *token, int apply, char *workspace_name, size_t n, err_t *e)
{
    const char *dot = token ? strchr(token, '.') : NULL;
    char contact[ID_MAX];
    if (!dot || (size_t)(dot - token) >= sizeof contact)
        return err_set(e, E_NOT_FOUND, "token", "this unsubscribe link is not valid");
    memcpy(contact, token, (size_t)(dot - token));
    contact[dot - token] = 0;
    if (!secret_verify(PURPOSE, contact, dot + 1))
        return err_set(e, E_NOT_FOUND, "token", "this unsubscribe link is not valid");
    db_stmt *s;
    const char *args[] = {contact};
    int rc = db_query_row(d, &s, e,
                          "SELECT c.workspace_id, w.name FROM contacts c JOIN workspaces w ON w.id = c.workspace_id "
                          "WHERE c.id = ?",
                          1, args);
    if (rc != DB_ROW)
        return rc < 0 ? rc : err_set(e, E_NOT_FOUND, "token", "this contact no longer exists");
    actor sys = {.role = ROLE_SYSTEM, .kind = PRINCIPAL_SYSTEM};
    snprintf(sys.workspace_id, sizeof sys.workspace_id, "%s", db_col_text(s, 0, NULL));
    snprintf(workspace_name, n, "%s", db_col_text(s, 1, NULL));
    db_finalize(s);
    if (!apply)
        return 0;
    const entity *contacts = entity_by_name("contacts");
    json_t *now = record_read(d, &sys, contacts, contact, e);
    if (!now)
        return e->code;
    rc = 0;
    if (!json_is_true(json_object_get(now, "email_opt_out"))) { /* a second click changes nothing */
        json_t *patch = json_pack("{s:b,s:O}", "email_opt_out", 1, "version", json_object_get(now, "version"));
        strbuf out = STRBUF_INIT;
        rc = record_update(d, &sys, contacts, contact, patch, &out, e);
        strbuf_release(&out);
        json_decref(patch);
    }
    json_decref(now);
    return rc;
}
