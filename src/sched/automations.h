/* automations: the scheduler's built-in automations (docs/automation.md). Each is a row of one table
 * with a name, whether it is on by default, what it may be tuned by, and a function that finds what is
 * due in a workspace and fires it.
 *
 * A due item fires exactly once per (automation, record, due time): firing is an INSERT into
 * automation_runs whose primary key refuses a second, in the same transaction as the message it queues
 * or the task it writes, so a restart, a second `rapport jobs run` or another server on the same
 * PostgreSQL database never fires it again. */
#ifndef RAPPORT_AUTOMATIONS_H
#define RAPPORT_AUTOMATIONS_H
#include <jansson.h>

#include "db/db.h"
#include "util/strbuf.h"

/* Checks a workspace's automations settings: {"name": {"enabled": bool, tunable: value, ...}, ...}. */
int automations_check(json_t *settings, err_t *e);
/* Appends every automation's effective settings (defaults with the workspace's on top) as an object. */
void automations_describe(json_t *settings, strbuf *out);
/* Runs every enabled automation of every workspace once; returns how many items fired, or <0. */
int automations_run(db *d, err_t *e);

#endif
