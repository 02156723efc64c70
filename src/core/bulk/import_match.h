/* import_match: finding the record a row of an import already is, so moving in twice (or from two
 * products) does not make duplicates. Contacts match by email (ignoring case) or by phone number
 * (normalised to E.164: "+44 20 7946 0000", "0044 20 7946 0000" and, with country code 44, "020 7946
 * 0000" are one number); clients by name (ignoring case) or by domain (their website's, or their email's
 * unless it is a mail provider's). The workspace's records are loaded once into a sorted table. */
#ifndef RAPPORT_IMPORT_MATCH_H
#define RAPPORT_IMPORT_MATCH_H
#include "core/model/entity.h"

typedef struct import_match import_match;

/* The existing records of en in who's workspace, keyed; *out NULL when en has no keys to match by. */
int import_match_open(db *d, const actor *who, const entity *en, const char *country_code, import_match **out,
                      err_t *e);
/* The id of the record a row with these values (any may be "") matches, or NULL; *by names the key. */
const char *import_match_find(const import_match *m, const char *email, const char *phone, const char *name,
                              const char *website, const char **by);
void import_match_close(import_match *m);

/* A phone number as digits with its country: "+442079460000"; a national number ("020 7946 0000") takes
 * country_code (digits, or NULL: then it stays national, "02079460000"). "" when there are no digits. */
void import_phone_key(const char *phone, const char *country_code, char *out, size_t n);

#endif
