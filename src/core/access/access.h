/* access: who may do what — the one check every read and write passes, whoever calls (HTTP, CLI,
 * scheduler), fed by the entity table's roles (read_role, write_role, self_field) and the actor's kind
 * and client scope.
 *
 * The rule has two halves. On the entity: the operation must be one the entity offers and the actor's role
 * at least the entity's read or write role; a client-scoped actor may touch only entities that belong to a
 * client (the clients themselves, and those with a client_id). On the row: a self-scoped entity (tokens)
 * shows roles below admin only rows whose self_field is their user id, and a client-scoped actor only the
 * rows of its client. The row half exists in two forms that say the same thing: access_check on a JSON
 * row, and access_scope_sql as conditions a query adds, so lists never fetch rows they then drop (a unit
 * test holds the two forms to the same answers). The program itself (ROLE_SYSTEM) passes every check. */
#ifndef RAPPORT_ACCESS_H
#define RAPPORT_ACCESS_H
#include "core/model/entity.h"

/* How many values access_scope_sql may add. */
#define ACCESS_SCOPE_MAX 2

/* May who do op (one enum entity_op) on en? row NULL judges the entity alone (a list, a view); a row (a
 * JSON object) is also judged on the scope fields it carries: for OP_CREATE and OP_UPDATE it holds the
 * values being written, and one outside the actor's scope is E_FORBIDDEN naming the field; for reads and
 * deletes it is the stored record, and one outside the scope is E_NOT_FOUND (its existence not revealed).
 * Returns 0, E_METHOD_NOT_ALLOWED, E_FORBIDDEN or E_NOT_FOUND, with e filled. */
int access_check(const actor *who, const entity *en, int op, json_t *row, err_t *e);

/* access_check on the entity alone, as a yes or no: views across entities leave out what it refuses. */
int access_may(const actor *who, const entity *en, int op);

/* May who do op on every row of en in its workspace, as reports and aggregates read (metrics, revenue,
 * the health list) and bulk paths write (import)? An actor limited to some rows of en may not:
 * E_FORBIDDEN. */
int access_whole(const actor *who, const entity *en, int op, err_t *e);

/* Appends to sql the conditions (" AND ...", over alias) that keep a query of en to the rows who may see,
 * and puts their values in args; returns how many values (0: every row of the workspace). The caller binds
 * them, in order, where the conditions stand. */
int access_scope_sql(const actor *who, const entity *en, const char *alias, strbuf *sql,
                     const char *args[ACCESS_SCOPE_MAX]);

/* The column naming the client a row of en belongs to ("id" for clients, "client_id" where it references
 * one), or NULL when en belongs to no client. */
const char *access_client_field(const entity *en);

#endif
