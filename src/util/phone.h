/* phone: telephone numbers in E.164 ("+442079460001"), through Google's libphonenumber (Debian's
 * libphonenumber-dev, C++) behind this small C interface (phone.cc). A national number ("020 7946 0001")
 * needs the country it was written in: an ISO 3166 region ("GB"). Thread-safe: the library's one
 * PhoneNumberUtil instance is immutable once made. */
#ifndef RAPPORT_PHONE_H
#define RAPPORT_PHONE_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PHONE_E164_MAX 24 /* "+" and at most 15 digits, with room to spare */

/* text as E.164 into out ("+442079460001"). region: the ISO 3166 code a national number is in ("GB"), or
 * NULL/"" when there is none (then only an international number, "+44 ..." or "0044 ...", is read).
 * Returns 0, or -1 (out "") when text is no number libphonenumber can read for that region. An
 * extension ("x12") is not part of the number. */
int phone_e164(const char *text, const char *region, char *out, size_t n);

/* The region libphonenumber gives a calling code ("44" → "GB", "1" → "US"); -1 when it knows none. */
int phone_region_of_calling_code(const char *digits, char *out, size_t n);

/* 1 when region is a two-letter ISO 3166 region libphonenumber has numbers for ("GB", "de": any case). */
int phone_region_known(const char *region);

#ifdef __cplusplus
}
#endif
#endif
