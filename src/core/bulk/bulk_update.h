/* bulk_update: one change to every record a list's filters select — "select all N matching", then set
 * a field or add a tag on the server. Each record goes through the generic update path on its own (its
 * rules, status moves, audit entry and events), so a change the API refuses for one record is reported
 * for that record and the others still change. */
#ifndef RAPPORT_BULK_UPDATE_H
#define RAPPORT_BULK_UPDATE_H
#include "core/engine/record.h"

/* The most records one bulk change touches: past it the caller narrows the filter. */
#define BULK_MAX 10000

/* body: {"set": {field: value, ...}, "add": {tags_field: ["a", ...]}, "dry_run": bool}. Every record of
 * en that q's filters select (all pages; q's limit and cursor are its own) gets set's values and add's
 * tags beside its own, each at its current version. Appends {"matched", "updated", "unchanged",
 * "failed": [{"id", "title", "code", "field", "message"}]}; a dry run only counts ("matched"). Refused
 * whole (nothing written): a body of the wrong shape (E_INVALID_VALUE naming set, add or the field),
 * a caller who may not update en, or more than BULK_MAX matches. */
int bulk_update(db *d, const actor *who, const entity *en, list_query *q, json_t *body, strbuf *out, err_t *e);

#endif
