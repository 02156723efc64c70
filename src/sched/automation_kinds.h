/* automation_kinds: the table of built-in automations and what their run functions share. */
#ifndef RAPPORT_AUTOMATION_KINDS_H
#define RAPPORT_AUTOMATION_KINDS_H
#include <jansson.h>

#include "db/db.h"

typedef struct automation_settings {
    int enabled;
    int value; /* the tunable's value (hours, days) */
    int send;  /* mode "send" rather than "draft" */
} automation_settings;

typedef struct automation_ctx {
    db *d;
    const char *workspace_id;
    const char *workspace_name;
    automation_settings set;
    int64_t now;
    int fired;
} automation_ctx;

typedef struct automation {
    const char *name;
    int on_by_default;
    const char *tunable; /* the one number it is tuned by, or NULL */
    int def, min, max;
    int has_mode;        /* client-facing: a draft to approve, or sent */
    const char *help;
    int (*run)(automation_ctx *c, err_t *e);
} automation;

/* Fires one due item of automation `name` for record_id due at due_at, queueing m (NULL: record the
 * firing alone): 1 when it fired now, 0 when it had fired before (here or on another server), <0. */
struct outbox_email;
int automation_fire(automation_ctx *c, const char *name, const char *record_id, const char *due_at,
                    struct outbox_email *m, err_t *e);

/* automation_client.c */
int automation_checkin_email(automation_ctx *c, err_t *e);
int automation_onboarding_welcome(automation_ctx *c, err_t *e);
int automation_morning_digest(automation_ctx *c, err_t *e);
int automation_health_drop(automation_ctx *c, err_t *e);

extern const automation automation_table[];
extern const int automation_count;

void automation_settings_of(json_t *settings, const automation *a, automation_settings *out);

#endif
