/* import: records of one entity from CSV, driven by the entity table (RFC 4180 through libcsv).
 *
 * The header names the fields, by name or by label ("first_name" or "First name", any case). Rows are
 * validated by the same field types as the API; a "company" (or "client") column finds the client by
 * name for entities that belong to a client, creating the clients it does not know. Every row is
 * checked before anything is kept: by default one bad row refuses the whole file (nothing written,
 * every problem reported with its row and column); with skip_invalid the good rows go in and the bad
 * ones are listed. One transaction; one audit entry for the import (the clients it creates get their
 * own). Entities with rules (before/after write hooks) go row by row through record_create, so their
 * rules run; the others take a prepared-insert path fast enough for a million rows. */
#ifndef RAPPORT_IMPORT_H
#define RAPPORT_IMPORT_H
#include "core/model/entity.h"

#define IMPORT_MAX_ERRORS 20

typedef struct import_opts {
    int dry_run;        /* validate and report; keep nothing */
    int skip_invalid;   /* keep the valid rows, list the invalid ones */
    const char *source; /* the file's name, for the audit entry (or NULL) */
} import_opts;

/* Imports the CSV text in buf into en for who, appending the report as JSON to out:
 * {"entity", "dry_run", "rows", "imported", "skipped", "clients_created", "columns": {header: field},
 *  "ignored_columns": [...], "errors": [{"row", "column", "field", "message"}]} (the first
 * IMPORT_MAX_ERRORS). Returns 0 when the import was kept (or would be, in a dry run), E_INVALID_VALUE
 * (or the first row's own error code) with the report still in out when invalid rows refused it, or
 * another error (bad header, not allowed) with nothing in out. */
int import_csv(db *d, const actor *who, const entity *en, const char *buf, size_t len, const import_opts *o,
               strbuf *out, err_t *e);

/* True when en takes imports: creatable by members, no secrets among its fields. */
int import_allowed_entity(const entity *en);

#endif
