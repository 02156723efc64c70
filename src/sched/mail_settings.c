/* mail_settings: a workspace's mail server (see mail_settings.h). */
#include "sched/mail_settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/mime.h"
#include "sched/automations.h"
#include "util/clock.h"
#include "util/secret.h"

static const char *HOW_TO =
    "email is off: set RAPPORT_SMTP_URL=smtp://user:password@host:587 and RAPPORT_MAIL_FROM=you@example.com "
    "for the server, or PUT /api/v1/settings/email (rapport email settings) for this workspace";

int mail_config_for(db *d, const char *workspace_id, mail_config *out, err_t *e)
{
    memset(out, 0, sizeof *out);
    db_stmt *s;
    const char *args[] = {workspace_id};
    int rc = db_query_row(d, &s, e,
                          "SELECT m.smtp_url, m.password_box, m.mail_from, w.name FROM workspaces w "
                          "LEFT JOIN mail_settings m ON m.workspace_id = w.id WHERE w.id = ?",
                          1, args);
    if (rc < 0)
        return rc;
    char *url = NULL, *box = NULL, *from = NULL;
    if (rc == DB_ROW) {
        const char *v;
        if ((v = db_col_text(s, 0, NULL)))
            url = strdup(v);
        if ((v = db_col_text(s, 1, NULL)))
            box = strdup(v);
        if ((v = db_col_text(s, 2, NULL)))
            from = strdup(v);
        snprintf(out->from_name, sizeof out->from_name, "%s", (v = db_col_text(s, 3, NULL)) ? v : "");
        db_finalize(s);
    }
    const char *env_url = getenv("RAPPORT_SMTP_URL"), *env_from = getenv("RAPPORT_MAIL_FROM");
    rc = 0;
    if (url) {
        out->source = "workspace";
        rc = smtp_parse_url(url, &out->server, e);
        if (rc == 0 && box) {
            char *pw = secret_open_dup(box, e);
            if (!pw)
                rc = e ? e->code : E_INVALID_VALUE;
            else
                snprintf(out->server.password, sizeof out->server.password, "%s", pw);
            free(pw);
        }
    } else if (env_url && *env_url) {
        out->source = "server";
        rc = smtp_parse_url(env_url, &out->server, e);
    } else {
        rc = err_set(e, E_CONFLICT, "email", "%s", HOW_TO);
    }
    const char *sender = from ? from : env_from;
    if (rc == 0 && !(sender && *sender))
        rc = err_set(e, E_CONFLICT, "email", "%s", HOW_TO);
    else if (rc == 0 && !mime_address_ok(sender))
        rc = err_set(e, E_INVALID_VALUE, "mail_from", "the sender address is not one email address");
    if (rc == 0)
        snprintf(out->from, sizeof out->from, "%s", sender);
    free(url);
    free(box);
    free(from);
    return rc;
}

int mail_settings_get(db *d, const char *workspace_id, strbuf *out, err_t *e)
{
    db_stmt *s;
    const char *args[] = {workspace_id};
    int rc = db_query_row(d, &s, e, "SELECT smtp_url, password_box, mail_from, automations FROM mail_settings "
                                    "WHERE workspace_id = ?", 1, args);
    if (rc < 0)
        return rc;
    const char *url = rc == DB_ROW ? db_col_text(s, 0, NULL) : NULL;
    int has_pw = rc == DB_ROW && db_col_text(s, 1, NULL) != NULL;
    const char *env_url = getenv("RAPPORT_SMTP_URL"), *env_from = getenv("RAPPORT_MAIL_FROM");
    strbuf_adds(out, "{\"smtp_url\":");
    strbuf_add_json_str(out, url);
    strbuf_addf(out, ",\"smtp_password_set\":%s,\"mail_from\":", has_pw ? "true" : "false");
    strbuf_add_json_str(out, rc == DB_ROW ? db_col_text(s, 2, NULL) : NULL);
    /* the server's default, shown without its password */
    strbuf_adds(out, ",\"server_default\":{\"smtp_url\":");
    smtp_server srv;
    char shown[600];
    if (env_url && *env_url && smtp_parse_url(env_url, &srv, NULL) == 0) {
        smtp_display_url(&srv, shown, sizeof shown);
        strbuf_add_json_str(out, shown);
    } else {
        strbuf_adds(out, "null");
    }
    strbuf_adds(out, ",\"mail_from\":");
    strbuf_add_json_str(out, env_from && *env_from ? env_from : NULL);
    strbuf_adds(out, "},\"automations\":");
    json_t *mine = NULL;
    if (rc == DB_ROW)
        mine = json_loads(db_col_text(s, 3, NULL), 0, NULL);
    if (rc == DB_ROW)
        db_finalize(s);
    automations_describe(mine, out);
    json_decref(mine);
    mail_config cfg;
    int on = mail_config_for(d, workspace_id, &cfg, NULL) == 0;
    strbuf_addf(out, ",\"email_enabled\":%s,\"source\":", on ? "true" : "false");
    strbuf_add_json_str(out, on ? cfg.source : NULL);
    memset(&cfg, 0, sizeof cfg);
    strbuf_addc(out, '}');
    return 0;
}

json_t *mail_settings_automations(db *d, const char *workspace_id)
{
    db_stmt *s;
    const char *args[] = {workspace_id};
    json_t *j = NULL;
    if (db_query_row(d, &s, NULL, "SELECT automations FROM mail_settings WHERE workspace_id = ?", 1, args) == DB_ROW) {
        j = json_loads(db_col_text(s, 0, NULL), 0, NULL);
        db_finalize(s);
    }
    return json_is_object(j) ? j : (json_decref(j), json_object());
}

static int one_line(json_t *v, const char *field, err_t *e)
{
    if (!json_is_string(v) && !json_is_null(v))
        return err_set(e, E_INVALID_TYPE, field, "%s must be a string or null", field);
    const char *s = json_string_value(v);
    for (; s && *s; s++)
        if ((unsigned char)*s < ' ')
            return err_set(e, E_INVALID_VALUE, field, "%s must be one line without control characters", field);
    return 0;
}

int mail_settings_put(db *d, const char *workspace_id, json_t *body, strbuf *out, err_t *e)
{
    static const char *const KEYS[] = {"smtp_url", "smtp_password", "mail_from", "automations", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        int known = 0;
        for (int i = 0; KEYS[i]; i++)
            known |= !strcmp(KEYS[i], key);
        if (!known)
            return err_set(e, E_UNKNOWN_FIELD, key, "email settings take smtp_url, smtp_password, mail_from and "
                                                    "automations");
    }
    int rc = 0;
    json_t *url = json_object_get(body, "smtp_url"), *pw = json_object_get(body, "smtp_password"),
           *from = json_object_get(body, "mail_from"), *autos = json_object_get(body, "automations");
    if ((url && (rc = one_line(url, "smtp_url", e))) || (pw && (rc = one_line(pw, "smtp_password", e))) ||
        (from && (rc = one_line(from, "mail_from", e))))
        return rc;
    if (json_string_value(from) && !mime_address_ok(json_string_value(from)))
        return err_set(e, E_INVALID_VALUE, "mail_from", "mail_from must be one email address (you@example.com)");
    if (autos && (rc = automations_check(autos, e)) < 0)
        return rc;
    smtp_server srv;
    char shown[600], *sealed = NULL;
    const char *password = json_string_value(pw);
    if (json_string_value(url)) {
        if ((rc = smtp_parse_url(json_string_value(url), &srv, e)) < 0)
            return rc;
        smtp_display_url(&srv, shown, sizeof shown);
        if (srv.password[0] && !password)
            password = srv.password; /* a password in the URL is kept sealed, never in the URL column */
    }
    if (password && *password && !(sealed = secret_seal_dup(password, e)))
        return e ? e->code : E_UNAVAILABLE;
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    if ((rc = db_begin(d, e)) < 0) {
        free(sealed);
        return rc;
    }
    db_stmt *s;
    const char *ins[] = {workspace_id, now};
    rc = db_query_row(d, &s, e, "INSERT INTO mail_settings (workspace_id, updated_at) VALUES (?, ?) "
                                "ON CONFLICT (workspace_id) DO NOTHING", 2, ins);
    char *autos_text = NULL;
    if (autos) { /* a PATCH: each automation's given keys change, the rest of what was set stays */
        json_t *merged = mail_settings_automations(d, workspace_id);
        const char *name;
        json_t *given;
        json_object_foreach(autos, name, given) {
            json_t *mine = json_object_get(merged, name);
            if (json_is_object(mine))
                json_object_update(mine, given);
            else
                json_object_set(merged, name, given);
        }
        autos_text = json_dumps(merged, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(merged);
    }
    /* each given key changes its column; a key left out keeps it */
    struct { json_t *given; const char *sql; const char *value; } changes[] = {
        {url, "UPDATE mail_settings SET smtp_url = ? WHERE workspace_id = ?", json_string_value(url) ? shown : NULL},
        {url && json_is_null(url) ? url : pw, "UPDATE mail_settings SET password_box = ? WHERE workspace_id = ?",
         sealed},
        {from, "UPDATE mail_settings SET mail_from = ? WHERE workspace_id = ?", json_string_value(from)},
        {autos, "UPDATE mail_settings SET automations = ? WHERE workspace_id = ?", autos_text},
    };
    for (size_t i = 0; i < sizeof changes / sizeof changes[0] && rc >= 0; i++) {
        json_t *given = changes[i].given;
        if (i == 1 && sealed && !given)
            given = url; /* the password came inside the URL */
        if (!given)
            continue;
        const char *a[] = {changes[i].value, workspace_id};
        rc = db_query_row(d, &s, e, changes[i].sql, 2, a);
    }
    if (rc >= 0) {
        const char *a[] = {now, workspace_id};
        rc = db_query_row(d, &s, e, "UPDATE mail_settings SET updated_at = ? WHERE workspace_id = ?", 2, a);
    }
    free(autos_text);
    free(sealed);
    memset(&srv, 0, sizeof srv);
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    if ((rc = db_commit(d, e)) < 0)
        return rc;
    return mail_settings_get(d, workspace_id, out, e);
}
