/* export: moving out. Records of one entity as CSV or JSON Lines, through the same filters as a list;
 * and a whole workspace as JSON Lines (every entity, users without their secrets, the audit log) that
 * loads into another database with its ids and times, so export → load → export is identical. */
#ifndef RAPPORT_EXPORT_H
#define RAPPORT_EXPORT_H
#include <stdio.h>

#include "core/engine/record.h"

enum export_format { EXPORT_CSV = 0, EXPORT_JSONL = 1 };
/* "csv" or "jsonl" (also "json-lines", "ndjson") → 0 with *format set; E_INVALID_PARAMETER naming format. */
int export_parse_format(const char *s, int *format, err_t *e);

/* Receives the export in pieces; returns 0, or <0 (with e set) to stop it. */
typedef int (*export_sink)(void *ctx, const char *buf, size_t n, err_t *e);

/* Every record of en that q's filters select (q's limit and cursor are the export's own: it pages
 * through all of them), in q's sort order. CSV: a header row of the entity's fields (custom fields as
 * custom.KEY), then one row per record; JSON Lines: one record per line, as the API returns it.
 * columns ("name,stage,custom.tier"; NULL or "" for all) chooses the columns and their order, in both
 * formats; a name that is not one of the columns is E_INVALID_PARAMETER naming columns. */
int export_records(db *d, const actor *who, const entity *en, list_query *q, int format, const char *columns,
                   export_sink sink, void *ctx, err_t *e);

/* The actor's whole workspace (admins and owners only), JSON Lines: a header line, then one line per row
 * of every entity, parents first, rows in id order. Secrets (password hashes, API tokens, sessions) are
 * never written. */
int export_workspace(db *d, const actor *who, export_sink sink, void *ctx, err_t *e);

/* One stored row of en (every column, secrets included: for moving rows inside the server, never out)
 * as a JSON object of column → value, or NULL with E_NOT_FOUND. */
json_t *export_read_row(db *d, const entity *en, const char *workspace, const char *id, err_t *e);
/* Inserts such a row object as it is, after checking each column and that it belongs to workspace;
 * `where` names it in messages ("line 12", "the merged record"). */
int export_insert_row(db *d, const entity *en, json_t *row, const char *workspace, const char *where, err_t *e);

typedef struct load_report {
    char workspace_id[ID_MAX];
    int64_t rows;
} load_report;

/* Loads a workspace export from in, in one transaction: refused when its workspace already exists, when
 * it is from a newer schema, or on any malformed line (E_INVALID_VALUE naming the line); then nothing
 * is written. Users arrive without passwords: they set one before they sign in. */
int export_load(db *d, FILE *in, load_report *r, err_t *e);

#endif
