/* ids: opaque record ids and secrets.
 *
 * A record id is the entity's prefix, "_", then 26 Crockford base32 characters: 48 bits of real-clock
 * milliseconds then 80 random bits. Ids created later sort later, which keeps B-tree inserts at the
 * right edge and makes `id` a stable tie-breaker for paging. */
#ifndef RAPPORT_IDS_H
#define RAPPORT_IDS_H
#include <stddef.h>
#include <stdint.h>

#define ID_MAX 40

void id_new(const char *prefix, char out[ID_MAX]);
/* The same layout from given parts: deterministic ids for generated data. */
void id_make(const char *prefix, uint64_t ms, const unsigned char random[10], char out[ID_MAX]);
/* A URL-safe random secret of `bytes` random bytes, base64url without padding, into out (size >= 2*bytes). */
void id_secret(size_t bytes, char *out, size_t outlen);
/* Hex of the BLAKE2b-256 hash of s: how tokens and session ids are stored. */
void id_hash_secret(const char *s, char out[65]);
/* Checks that s looks like an id (prefix, underscore, base32); cheap guard before any lookup. */
int id_valid(const char *s);

#endif
