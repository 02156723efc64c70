/* token_use: when each API token was last used, written at most hourly and never on the request path.
 * Authenticating notes a token whose last use on record is over an hour old (or none); the server's
 * background thread writes the noted ones in one transaction. A full list drops notes: the next use
 * notes again. Thread-safe. */
#ifndef RAPPORT_TOKEN_USE_H
#define RAPPORT_TOKEN_USE_H
#include "core/model/entity.h"

#define TOKEN_USE_EVERY_S 3600

/* Notes that token id was used now, if last_used (RFC 3339, or NULL) is over TOKEN_USE_EVERY_S old. */
void token_use_note(const char *id, const char *last_used);
/* Writes the noted uses; the background worker calls it about twice a second. */
int token_use_flush(db *d, err_t *e);

#endif
