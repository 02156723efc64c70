/* tz_country: the country a time zone is in, from the tz database's zone.tab ("Europe/London" → "GB"), for
 * a default when nothing better says where a workspace is. Read on each call: it is asked once per import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/tz.h"

int tz_country(const char *zone, char *out, size_t n)
{
    if (n)
        *out = '\0';
    if (!zone || !*zone || n < 3)
        return -1;
    const char *dir = getenv("TZDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/zone.tab", dir && *dir ? dir : "/usr/share/zoneinfo");
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    int found = -1;
    /* "GB\t+513030-0000731\tEurope/London[\tcomment]": country, coordinates, zone */
    while (found < 0 && fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *save = NULL, *cc = strtok_r(line, "\t\n", &save), *coords = strtok_r(NULL, "\t\n", &save),
             *name = strtok_r(NULL, "\t\n", &save);
        if (cc && coords && name && strlen(cc) == 2 && !strcmp(name, zone)) {
            snprintf(out, n, "%s", cc);
            found = 0;
        }
    }
    fclose(f);
    return found;
}
