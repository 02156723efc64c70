/* search: one full-text query across every searchable entity (clients, contacts, interactions). */
#ifndef RAPPORT_SEARCH_H
#define RAPPORT_SEARCH_H
#include "core/model/entity.h"

/* Appends {"data": [{"type", "id", "title", "snippet"}...]}, newest activity first. */
int search_all(db *d, const actor *who, const char *words, int limit, strbuf *out, err_t *e);

#endif
