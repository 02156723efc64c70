/* cmd_token: API tokens from the command line — the secret is printed once, on stdout, alone. */
#include <stdio.h>
#include <string.h>

#include "core/access/auth.h"
#include "core/engine/record.h"
#include "cmd/cmd.h"

int cmd_token_create(cli *c, err_t *e)
{
    const char *user = cli_opt(c, "user"), *name = cli_opt(c, "name"), *expires = cli_opt(c, "expires");
    if (!user)
        return err_set(e, E_USAGE, "user", "--user EMAIL is required");
    int rc = cli_check_unused(c, e);
    actor owner;
    if (rc == 0)
        rc = auth_actor_by_email(c->db, user, &owner, e);
    if (rc < 0)
        return rc;
    strbuf out = STRBUF_INIT;
    json_t *body = json_pack("{s:s}", "name", name ? name : "cli");
    if (expires) /* RFC 3339, like 2027-01-31T00:00:00Z; checked by the tokens' rules */
        json_object_set_new(body, "expires_at", json_string(expires));
    rc = record_create(c->db, &owner, entity_by_name("tokens"), body, &out, e);
    if (rc == 0) {
        json_t *rec = json_loads(out.buf, 0, NULL);
        puts(c->json ? out.buf : json_string_value(json_object_get(rec, "token")));
        json_decref(rec);
    }
    json_decref(body);
    strbuf_release(&out);
    return rc;
}

int cmd_token_revoke(cli *c, err_t *e)
{
    if (c->nargs != 1)
        return err_set(e, E_USAGE, "id", "usage: rapport token revoke ID");
    int rc = cli_check_unused(c, e);
    if (rc == 0)
        rc = record_delete(c->db, &c->who, entity_by_name("tokens"), c->args[0], e);
    if (rc == 0 && !c->json)
        printf("revoked %s\n", c->args[0]);
    return rc;
}

int cmd_token_list(cli *c, err_t *e)
{
    c->en = entity_by_name("tokens");
    return cmd_entity(c, "list", e);
}
