/* import_match: finding the record a row of an import already is, so moving in twice (or from two
 * products) does not make duplicates. Contacts match by email (ignoring case) or by phone number
 * (normalised to E.164 by libphonenumber: "+44 20 7946 0000", "0044 20 7946 0000" and, in region GB,
 * "020 7946 0000" are one number); clients by name (ignoring case) or by domain (their website's, or their email's
 * unless it is a mail provider's). The workspace's records are loaded once into a sorted table. */
#ifndef RAPPORT_IMPORT_MATCH_H
#define RAPPORT_IMPORT_MATCH_H
#include "core/model/entity.h"

typedef struct import_match import_match;

/* The existing records of en in who's workspace, keyed; *out NULL when en has no keys to match by. */
int import_match_open(db *d, const actor *who, const entity *en, const char *region, import_match **out,
                      err_t *e);
/* The id of the record a row with these values (any may be "") matches, or NULL; *by names the key. */
const char *import_match_find(const import_match *m, const char *email, const char *phone, const char *name,
                              const char *website, const char **by);
void import_match_close(import_match *m);

/* A phone number in E.164, "+442079460000" (util/phone.h); a national number ("020 7946 0000") is read as
 * region's (ISO 3166, "GB"; NULL or "": then it stays national, "02079460000"), and one libphonenumber
 * cannot read keeps its digits (and its "+"). "" when there are no digits. */
void import_phone_key(const char *phone, const char *region, char *out, size_t n);

/* The country (ISO 3166) national phone numbers of an import are in, into out: the calling code's
 * (country_code, "44": E_INVALID_VALUE when no country has it), else the workspace's default_country,
 * else its locale's region ("en-GB"), else its time zone's country ("Europe/London"); "" when none says. */
int import_phone_region(db *d, const actor *who, const char *country_code, char *out, size_t n, err_t *e);

#endif
