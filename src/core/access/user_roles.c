/* user_roles: who may change whom (see user_roles.h). */
#include "core/access/user_roles.h"

#include <stdio.h>
#include <string.h>

#include "core/access/throttle.h"
#include "util/clock.h"

int user_roles_lookup(db *d, const actor *who, const char *user_id, const char *key, int *role, int *active,
                      err_t *e)
{
    db_stmt *s;
    const char *args[] = {user_id, who->workspace_id};
    int rc = db_query_row(d, &s, e, "SELECT role, active FROM users WHERE id = ? AND workspace_id = ?", 2, args);
    if (rc == DB_DONE)
        return err_set(e, E_NOT_FOUND, key, "%s: no such user in this workspace", key);
    if (rc < 0)
        return rc;
    *role = role_parse(db_col_text(s, 0, NULL));
    *active = (int)db_col_int(s, 1);
    db_finalize(s);
    return 0;
}

int user_roles_may_mint_token(const actor *who, const char *user_id, int target_role, err_t *e)
{
    if (who->role == ROLE_SYSTEM || !strcmp(user_id, who->user_id))
        return 0;
    if (who->role < ROLE_OWNER)
        return err_set(e, E_FORBIDDEN, "user_id", "only an owner can create a token for another user");
    if (target_role >= ROLE_OWNER)
        return err_set(e, E_FORBIDDEN, "user_id", "no one creates a token for another owner");
    return 0;
}

/* Active owners of the workspace; the caller's transaction sees its own changes. */
static int active_owners(db *d, const actor *who, err_t *e)
{
    db_stmt *s;
    const char *args[] = {who->workspace_id};
    int rc = db_query_row(d, &s, e, "SELECT COUNT(*) FROM users WHERE workspace_id = ? AND role = 'owner' AND active",
                          1, args);
    if (rc < 0)
        return rc;
    int n = rc == DB_ROW ? (int)db_col_int(s, 0) : 0;
    if (rc == DB_ROW)
        db_finalize(s);
    return n;
}

int user_roles_may_change(db *d, const actor *who, int old_role, int old_active, int new_role, int new_active,
                          err_t *e)
{
    if (new_role > who->role)
        return err_set(e, E_FORBIDDEN, "role", "your role (%s) cannot grant the role %s", role_name(who->role),
                       role_name(new_role));
    if (old_role != ROLE_OWNER)
        return 0;
    int stays = new_role == ROLE_OWNER && (new_active || !old_active);
    if (stays && new_active == old_active)
        return 0; /* an owner's name or password: the usual write role decides */
    if (who->role < ROLE_OWNER)
        return err_set(e, E_FORBIDDEN, new_role ? "role" : NULL, "only an owner can change, deactivate or delete an owner");
    if (!old_active || stays)
        return 0;
    int n = active_owners(d, who, e);
    if (n < 0)
        return n;
    if (n <= 1)
        return err_set(e, E_CONFLICT, new_role && new_role != ROLE_OWNER ? "role" : (new_role ? "active" : NULL),
                       "this is the workspace's last owner: make another user owner first");
    return 0;
}

int user_roles_may_create(const actor *who, err_t *e)
{
    if (who->role == ROLE_SYSTEM)
        return 0;
    char key[80];
    snprintf(key, sizeof key, "user-create:%s", who->workspace_id);
    int64_t now = clock_real_ms();
    int wait = throttle_wait(key, now);
    if (wait > 0) {
        int rc = err_set(e, E_TOO_MANY_REQUESTS, NULL, "too many new users at once: try again in %d s", wait);
        e->retry_after = wait;
        return rc;
    }
    throttle_fail(key, USER_CREATE_FREE, now);
    return 0;
}
