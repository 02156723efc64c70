/* user_roles: who may change whom. The rules that keep a workspace owned and keep roles from climbing:
 * only an owner changes an owner (role, active, delete), no one removes, deactivates or demotes the
 * last active owner, and a token acts as its user, so minting one for another user is granting that
 * user's power. Small checks, each called from the users' and tokens' rules. */
#ifndef RAPPORT_USER_ROLES_H
#define RAPPORT_USER_ROLES_H
#include "core/model/entity.h"

/* The role and active flag of a user of who's workspace; E_NOT_FOUND (field `key`) when none. */
int user_roles_lookup(db *d, const actor *who, const char *user_id, const char *key, int *role, int *active,
                      err_t *e);
/* A caller mints tokens for themselves; an owner also for users who are not owners. */
int user_roles_may_mint_token(const actor *who, const char *user_id, int target_role, err_t *e);
/* A user of role old_role (active or not) becomes new_role / new_active; deleting passes new_role 0. */
int user_roles_may_change(db *d, const actor *who, int old_role, int old_active, int new_role, int new_active,
                          err_t *e);

/* New users per workspace are rate-limited (emails are unique across the server, so each attempt tells
 * whether an address is taken): USER_CREATE_FREE an hour, then growing waits (E_TOO_MANY_REQUESTS). */
#define USER_CREATE_FREE 30
int user_roles_may_create(const actor *who, err_t *e);

#endif
