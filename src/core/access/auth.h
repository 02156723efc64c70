/* auth: who is calling. API tokens and session cookies resolve to an actor (user, workspace, role);
 * passwords are Argon2id hashes checked in constant time; only hashes of secrets are stored. */
#ifndef RAPPORT_AUTH_H
#define RAPPORT_AUTH_H
#include "core/model/entity.h"

#define AUTH_SESSION_DAYS 14
#define AUTH_SECRET_MAX 96

int auth_by_token(db *d, const char *token, actor *out, err_t *e);
int auth_by_session(db *d, const char *session, actor *out, err_t *e);
/* Checks email and password; on success starts a session and writes its secret to session_out. */
int auth_login(db *d, const char *email, const char *password, actor *out, char session_out[AUTH_SECRET_MAX],
               err_t *e);
int auth_logout(db *d, const char *session, err_t *e);
/* Ends user_id's sessions but the one who acts with (a password change); inside the caller's
 * transaction. */
int auth_end_sessions(db *d, const actor *who, const char *user_id, err_t *e);
/* The actor for a user given by email (CLI: --as, token create); E_NOT_FOUND when there is none. */
int auth_actor_by_email(db *d, const char *email, actor *out, err_t *e);
/* The owner of the only workspace, the CLI's default actor; E_USAGE when there are several. */
int auth_default_actor(db *d, actor *out, err_t *e);

#endif
