/* snippet: the few words around the first match of a search, matches marked [like this]. Made here,
 * not by the database, so both backends give the same text, and only for the rows a page shows. */
#ifndef RAPPORT_SNIPPET_H
#define RAPPORT_SNIPPET_H
#include "util/strbuf.h"

/* Appends to out a window of `text` around the first word that starts with one of `words` (ASCII
 * case-insensitive), "..." where it was cut; without a match, the start of the text. */
void snippet_make(const char *text, const char *words, strbuf *out);

#endif
