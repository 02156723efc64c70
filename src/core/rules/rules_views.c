/* rules_views: saved list views. Each belongs to the person who saved it; a shared one is read by the
 * whole workspace (the entity's shared_field) but changed or deleted only by its owner, or an admin. */
#include "core/rules/rules.h"

#include <string.h>

static int owner_only(write_ctx *c, const char *doing)
{
    const char *owner = json_string_value(json_object_get(c->old, "user_id"));
    if (c->who->role >= ROLE_ADMIN || (owner && !strcmp(owner, c->who->user_id)))
        return 0;
    return err_set(c->e, E_FORBIDDEN, "user_id", "only the view's owner (or an admin) may %s it", doing);
}

int rules_view_before_write(write_ctx *c)
{
    if (c->old) {
        int rc = owner_only(c, "change");
        if (rc < 0)
            return rc;
    } else if (!json_object_get(c->body, "user_id")) {
        json_object_set_new(c->body, "user_id", json_string(c->who->user_id));
    }
    json_t *query = json_object_get(c->body, "query");
    if (query && !json_is_object(query))
        return err_set(c->e, E_INVALID_VALUE, "query", "query must be an object of the list's parameters");
    return 0;
}

int rules_view_before_delete(write_ctx *c) { return owner_only(c, "delete"); }
