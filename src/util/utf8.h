/* utf8: strict UTF-8 validation (no overlongs, no surrogates, nothing past U+10FFFF), for input that
 * does not pass through the JSON parser: query strings, command-line values. */
#ifndef RAPPORT_UTF8_H
#define RAPPORT_UTF8_H
#include <stddef.h>

int utf8_valid(const char *s, size_t n);

#endif
