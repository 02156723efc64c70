/* access: the one check of who may do what (see access.h). */
#include "core/access/access.h"

#include <string.h>

static int is_read(int op) { return op == OP_LIST || op == OP_GET; }

const char *access_client_field(const entity *en)
{
    if (!strcmp(en->name, "clients"))
        return "id";
    const field *f = entity_field(en, "client_id");
    return f && f->ref && !strcmp(f->ref, "clients") ? "client_id" : NULL;
}

/* Rows of en visible only where self_field is the actor's user id? */
static int self_scoped(const actor *who, const entity *en) { return en->self_field && who->role < ROLE_ADMIN; }

static int client_scoped(const actor *who) { return who->client_id[0] != '\0'; }

static int check_entity(const actor *who, const entity *en, int op, err_t *e)
{
    if (!(en->ops & op))
        return err_set(e, E_METHOD_NOT_ALLOWED, NULL, "%s cannot be %s", en->path,
                       op == OP_CREATE ? "created here" : op == OP_UPDATE ? "changed" : op == OP_DELETE ? "deleted" : "read");
    int need = is_read(op) ? en->read_role : en->write_role;
    if (who->role < need)
        return err_set(e, E_FORBIDDEN, NULL, "your role (%s) cannot %s %s", role_name(who->role),
                       is_read(op) ? "read" : "change", en->path);
    /* a portal principal without its client would see everything: it sees nothing instead */
    if (who->kind == PRINCIPAL_CLIENT_CONTACT && !client_scoped(who))
        return err_set(e, E_FORBIDDEN, NULL, "a client's contact acts only within their client");
    if (client_scoped(who) && !access_client_field(en))
        return err_set(e, E_FORBIDDEN, NULL, "%s belong to no client: only the firm sees them", en->path);
    return 0;
}

/* Does the row's value of name (when the row carries it) equal want? */
static int row_matches(json_t *row, const char *name, const char *want)
{
    json_t *v = json_object_get(row, name);
    if (!v)
        return 1; /* a partial change that leaves this field alone */
    const char *s = json_string_value(v);
    return s && !strcmp(s, want);
}

static int outside(const entity *en, int op, const char *name, err_t *e)
{
    if (op == OP_CREATE || op == OP_UPDATE)
        return err_set(e, E_FORBIDDEN, name, "%s: you may not write %s outside your own", name, en->path);
    return err_set(e, E_NOT_FOUND, "id", "no such %s", en->singular);
}

int access_check(const actor *who, const entity *en, int op, json_t *row, err_t *e)
{
    if (who->role == ROLE_SYSTEM)
        return 0;
    int rc = check_entity(who, en, op, e);
    if (rc || !row)
        return rc;
    if (self_scoped(who, en) && !row_matches(row, en->self_field, who->user_id) &&
        !(is_read(op) && en->shared_field && json_is_true(json_object_get(row, en->shared_field))))
        return outside(en, op, en->self_field, e);
    const char *cf = client_scoped(who) ? access_client_field(en) : NULL;
    /* a new client has no id yet in its body; a client-scoped actor cannot make one */
    if (cf && !strcmp(cf, "id") && op == OP_CREATE)
        return err_set(e, E_FORBIDDEN, NULL, "a client's contact cannot add clients");
    if (cf && !row_matches(row, cf, who->client_id))
        return outside(en, op, cf, e);
    return 0;
}

int access_may(const actor *who, const entity *en, int op)
{
    err_t ignored;
    return en && access_check(who, en, op, NULL, &ignored) == 0;
}

int access_whole(const actor *who, const entity *en, int op, err_t *e)
{
    int rc = access_check(who, en, op, NULL, e);
    if (rc == 0 && who->role != ROLE_SYSTEM && (self_scoped(who, en) || client_scoped(who)))
        rc = err_set(e, E_FORBIDDEN, NULL, "your access to %s is limited to some of them: no totals over all", en->path);
    return rc;
}

int access_scope_sql(const actor *who, const entity *en, const char *alias, strbuf *sql,
                     const char *args[ACCESS_SCOPE_MAX])
{
    if (who->role == ROLE_SYSTEM)
        return 0;
    int n = 0;
    if (self_scoped(who, en) && en->shared_field) {
        /* a shared row is fetched for a write too: the entity's rules keep its writes to the owner */
        strbuf_addf(sql, " AND (%s.\"%s\" = ? OR %s.\"%s\" = TRUE)", alias, en->self_field, alias, en->shared_field);
        args[n++] = who->user_id;
    } else if (self_scoped(who, en)) {
        strbuf_addf(sql, " AND %s.\"%s\" = ?", alias, en->self_field);
        args[n++] = who->user_id;
    }
    if (client_scoped(who) || who->kind == PRINCIPAL_CLIENT_CONTACT) {
        const char *cf = access_client_field(en);
        if (cf && client_scoped(who)) {
            strbuf_addf(sql, " AND %s.\"%s\" = ?", alias, cf);
            args[n++] = who->client_id;
        } else {
            strbuf_adds(sql, " AND 1 = 0"); /* fails closed where the entity check was skipped */
        }
    }
    return n;
}
