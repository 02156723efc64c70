/* public_url: the address users reach Rapport at (RAPPORT_PUBLIC_URL), such as
 * https://crm.example.com. Checked once at start; the server compares a cookie-signed write's Origin
 * with it, and links Rapport writes into emails, calendar feeds or invitations start with it. */
#ifndef RAPPORT_PUBLIC_URL_H
#define RAPPORT_PUBLIC_URL_H
#include "util/err.h"

/* Sets the public URL (NULL or "" to unset): http(s)://host[:port][/path], no query or fragment. */
int public_url_set(const char *url, err_t *e);
/* The URL without a trailing slash, or NULL when none is set. */
const char *public_url(void);
/* Its origin, scheme://host[:port] as a browser's Origin header spells it, or NULL. */
const char *public_url_origin(void);

#endif
