/* sign_in: a sign-in with its defences. Throttled per account and per client address with growing
 * delays (throttle.h), checked before any hashing, so a guesser costs the server nothing while it
 * waits; every failure logged with the email and address (never the password); one answer for an
 * unknown email, a wrong password and a deactivated account. */
#ifndef RAPPORT_SIGN_IN_H
#define RAPPORT_SIGN_IN_H
#include "core/access/auth.h"

#define SIGN_IN_FREE_PER_ACCOUNT 5
#define SIGN_IN_FREE_PER_ADDRESS 20

/* client: the caller's address ("" when unknown). On E_TOO_MANY_REQUESTS, e->retry_after is set. */
int sign_in(db *d, const char *email, const char *password, const char *client, actor *out,
            char session_out[AUTH_SECRET_MAX], err_t *e);

#endif
