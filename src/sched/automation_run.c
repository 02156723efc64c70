/* automation_run: walks the workspaces and runs each enabled automation (see automations.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched/automation_kinds.h"
#include "sched/automations.h"
#include "sched/mail_settings.h"
#include "util/clock.h"

typedef struct ws_row {
    char id[64];
    char name[201];
} ws_row;

int automations_run(db *d, err_t *e)
{
    db_stmt *s;
    int rc = db_prepare(d, "SELECT id, name FROM workspaces ORDER BY id", &s, e);
    if (rc < 0)
        return rc;
    ws_row *rows = NULL;
    int n = 0, cap = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            rows = realloc(rows, (size_t)cap * sizeof *rows);
        }
        snprintf(rows[n].id, sizeof rows[n].id, "%s", db_col_text(s, 0, NULL));
        snprintf(rows[n].name, sizeof rows[n].name, "%s", db_col_text(s, 1, NULL));
        n++;
    }
    db_finalize(s);
    int fired = 0;
    for (int w = 0; w < n && rc >= 0; w++) {
        mail_config cfg;
        if (mail_config_for(d, rows[w].id, &cfg, NULL) < 0)
            continue; /* email is off here: nothing is due to anyone until it is on */
        memset(&cfg.server, 0, sizeof cfg.server);
        json_t *settings = mail_settings_automations(d, rows[w].id);
        for (int i = 0; i < automation_count && rc >= 0; i++) {
            automation_ctx c = {.d = d, .workspace_id = rows[w].id, .workspace_name = rows[w].name,
                                .now = clock_now()};
            automation_settings_of(settings, &automation_table[i], &c.set);
            if (!c.set.enabled || !automation_table[i].run)
                continue;
            rc = automation_table[i].run(&c, e);
            fired += c.fired;
        }
        json_decref(settings);
    }
    free(rows);
    return rc < 0 ? rc : fired;
}
