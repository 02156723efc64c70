/* workspace: creating a workspace with its owner (init, workspace add), and its defaults. The demo
 * workspace is core/bulk/demo.h. */
#ifndef RAPPORT_WORKSPACE_H
#define RAPPORT_WORKSPACE_H
#include "core/model/entity.h"

/* Creates a workspace named name and its owner; fills owner with the owner's actor. One transaction. */
int workspace_create(db *d, const char *name, const char *owner_email, const char *password, actor *owner, err_t *e);

/* Gives a workspace what a firm starts with: pipeline stages and a standard onboarding template (only
 * those it lacks). Runs inside the caller's transaction. */
int workspace_add_defaults(db *d, const actor *who, err_t *e);
/* The same for every existing workspace (the migration that introduced them). */
int workspace_add_defaults_all(db *d, err_t *e);

#endif
