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

extern const automation automation_table[];
extern const int automation_count;

void automation_settings_of(json_t *settings, const automation *a, automation_settings *out);

#endif
