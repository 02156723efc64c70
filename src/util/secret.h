/* secret: the server's own secret key, and what it protects — stored SMTP passwords and webhook signing
 * secrets (sealed with libsodium's secretbox) and signed links (unsubscribe), so a database copy alone
 * reveals no password, forges no webhook, and no one can forge a link.
 *
 * The key is 32 random bytes in a file of its own, mode 0600: RAPPORT_SECRET_KEY_FILE, else beside a
 * SQLite database (rapport.db → rapport.db.key). It is created on first use of a database (rapport init);
 * a PostgreSQL store has no "beside", so there RAPPORT_SECRET_KEY_FILE must name it (every server of one
 * database reads the same file). The key is read once at start (secret_init) and never logged. */
#ifndef RAPPORT_SECRET_H
#define RAPPORT_SECRET_H
#include <stddef.h>

#include "util/err.h"

#define SECRET_SIGNATURE_LEN 44 /* base64url of 32 bytes, with the NUL */

/* Finds (and if missing creates) the key for the store at db_target. Returns 0; or <0 when a key file
 * cannot be read or made (permissions), which callers report. With no place for the key (PostgreSQL
 * without RAPPORT_SECRET_KEY_FILE) it returns 0 and secret_ready() stays false. */
int secret_init(const char *db_target, err_t *e);
/* 1 when a key is loaded. */
int secret_ready(void);
/* Sets the key directly (unit tests, fuzzing). */
void secret_set_key(const unsigned char key[32]);

/* Seals plain text: base64 of nonce || secretbox. Returns a malloc'd string, or NULL with e set. */
char *secret_seal_dup(const char *plain, err_t *e);
/* Opens what secret_seal_dup made: the malloc'd plain text, or NULL with e set (wrong key, tampered). */
char *secret_open_dup(const char *sealed, err_t *e);
/* A keyed signature of msg under `purpose` (a subkey per purpose), as base64url without padding. */
int secret_sign(const char *purpose, const char *msg, char out[SECRET_SIGNATURE_LEN], err_t *e);
/* 1 when sig is msg's signature for purpose (compared in constant time). */
int secret_verify(const char *purpose, const char *msg, const char *sig);

#endif
