/* public_url: the address users reach Rapport at (see public_url.h). Set before any thread starts,
 * read-only afterwards. */
#include "util/public_url.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static char url[512], origin[300];

int public_url_set(const char *s, err_t *e)
{
    url[0] = origin[0] = '\0';
    if (!s || !*s)
        return 0;
    size_t scheme = !strncasecmp(s, "https://", 8) ? 8 : !strncasecmp(s, "http://", 7) ? 7 : 0;
    const char *host = s + scheme, *end = host + strcspn(host, "/");
    int ok = scheme && end > host && (size_t)(end - s) < sizeof origin && strlen(s) < sizeof url;
    for (const char *p = s; ok && *p; p++)
        ok = (unsigned char)*p > ' ' && *p != '?' && *p != '#' && *p != '"' && *p != '<' && *p != '>' && *p != '\\' &&
             (unsigned char)*p < 0x7f;
    for (const char *p = host; ok && p < end; p++)
        ok = isalnum((unsigned char)*p) || strchr(".-:[]", *p);
    if (ok && host[0] == ':')
        ok = 0;
    if (!ok)
        return err_set(e, E_USAGE, "RAPPORT_PUBLIC_URL",
                       "RAPPORT_PUBLIC_URL wants the address users reach, like https://crm.example.com (no query)");
    size_t n = strlen(s);
    while (n > (size_t)(end - s) && s[n - 1] == '/')
        n--;
    snprintf(url, sizeof url, "%.*s", (int)n, s);
    for (size_t i = 0; i < (size_t)(end - s); i++) /* scheme and host are case-insensitive: lowercase them */
        origin[i] = (char)tolower((unsigned char)s[i]);
    origin[end - s] = '\0';
    return 0;
}

const char *public_url(void) { return url[0] ? url : NULL; }
const char *public_url_origin(void) { return origin[0] ? origin : NULL; }
