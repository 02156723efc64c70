/* mail_settings: where a workspace's email goes out — its own SMTP server and sender (mail_settings
 * table, the password sealed under the server's key, util/secret.h), else the server-wide default from
 * RAPPORT_SMTP_URL and RAPPORT_MAIL_FROM, else nowhere: email is off until one of them is set. */
#ifndef RAPPORT_MAIL_SETTINGS_H
#define RAPPORT_MAIL_SETTINGS_H
#include <jansson.h>

#include "db/db.h"
#include "sched/smtp.h"

typedef struct mail_config {
    smtp_server server;
    char from[256];      /* the sender's address */
    char from_name[201]; /* the workspace's name */
    const char *source;  /* "workspace" or "server" */
} mail_config;

/* The workspace's mail configuration: 0, or E_CONFLICT (409) naming "email" and saying how to switch
 * it on when there is none. */
int mail_config_for(db *d, const char *workspace_id, mail_config *out, err_t *e);
/* The settings as JSON (never the password: only whether one is stored), with the automations'. */
int mail_settings_get(db *d, const char *workspace_id, strbuf *out, err_t *e);
/* Changes the settings from a JSON object: smtp_url (its password, if any, is taken out and sealed),
 * smtp_password, mail_from, automations (checked by automations_check); null clears one. Answers as
 * mail_settings_get. */
int mail_settings_put(db *d, const char *workspace_id, json_t *body, strbuf *out, err_t *e);
/* The workspace's automations settings object (a new reference; {} when none). */
json_t *mail_settings_automations(db *d, const char *workspace_id);

#endif
