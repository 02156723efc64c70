/* import: records of one entity from CSV, driven by the entity table (RFC 4180 through libcsv).
 *
 * The header names the fields, by name or by label ("first_name" or "First name", any case), or through
 * a mapping (a preset recognised from the header, overridden by the caller's own). Rows are validated by
 * the same field types as the API; a "company" (or "client") column finds the client by name for
 * entities that belong to a client, creating the clients it does not know. Entities with rules
 * (before/after write hooks) go row by row through record_create, so their rules run; the others take
 * a prepared-insert path fast enough for a million rows.
 *
 * Two ways to drive it:
 * - import_run: the background way. The file is read in bounded slices (IMPORT_SLICE_ROWS rows or
 *   IMPORT_SLICE_MS, whichever comes first), each in a transaction of its own, with a pause after each
 *   so other writers get the database in between. Unless skip_invalid, a check pass (each slice rolled
 *   back) comes first, so one bad row refuses the whole file before anything is written. The import
 *   job (sched/import_job.c) and the CLI both use it.
 * - import_csv: the whole file in the caller's one transaction, with SQLite's bulk load when the file is
 *   as large as the table: the fastest way into a database no server is using (`rapport import --bulk`).
 *
 * Spreadsheet formulas: a text cell Rapport writes that starts with = + - @ tab or CR gets a leading
 * ' (util/strbuf.h); the importer removes it again, so an export imported back is unchanged. */
#ifndef RAPPORT_IMPORT_H
#define RAPPORT_IMPORT_H
#include <jansson.h>

#include "core/model/entity.h"

#define IMPORT_MAX_ERRORS 20
#define IMPORT_SLICE_ROWS 500
#define IMPORT_SLICE_MS 25
#define IMPORT_MAX_COLUMNS 1000 /* a header wider than this is refused (a file of 20,000 columns) */

typedef struct import_opts {
    int dry_run;              /* validate and report; keep nothing */
    int skip_invalid;         /* keep the valid rows, list the invalid ones */
    const char *source;       /* the file's name, for the audit entry (or NULL) */
    const json_t *mapping;    /* {header: target} overriding the header's own names and any preset: a field
                                name, "company" (the client by name), "notes" (kept in the notes), or "" to
                                leave the column out; NULL for none */
    const char *preset;       /* a preset by name ("google"), or NULL to recognise it from the header */
    const char *client;       /* the client (id or name) of rows that name none; without it a contact with no
                                 company becomes a client of their own */
    int on_match;             /* a row that is an existing record (core/bulk/import_match.h): IMPORT_CREATE
                                 another, IMPORT_UPDATE it with the row's values, IMPORT_SKIP the row */
    const char *country_code; /* the calling code national phone numbers are in ("44"), for matching; NULL: the
                                 workspace's default country (core/bulk/import_match.h) */
    const json_t *saved;      /* a saved mapping's {column: target} (import_mapping_load), under the caller's own
                                 mapping and over any preset; NULL for none */
    const char *saved_id, *saved_name; /* ...which one, for the report */
    const char *create_fields; /* columns without a field to make custom fields of: "all", or names separated by
                                  commas; NULL for none (they go to the notes) */
    const json_t *fields_made; /* {column: "custom.KEY"}: the custom fields an earlier run of this import made
                                  (import_driver.fields_made kept them), so a run resumed after a restart fills
                                  and reports them as its own; NULL for none */
} import_opts;

enum { IMPORT_CREATE, IMPORT_UPDATE, IMPORT_SKIP };
/* "create", "update", "skip" to IMPORT_*; -1 for anything else. */
int import_on_match(const char *word);

/* What import_run reports between slices. */
typedef struct import_progress {
    const char *phase; /* "check" or "write" */
    long rows_done;    /* data rows this phase has finished */
    long imported, skipped, clients_created;
    const char *errors; /* JSON array of the first IMPORT_MAX_ERRORS problems so far */
} import_progress;

/* Called after each slice. In the write phase it runs inside the slice's transaction, before its
 * commit, so what it records (rows done) is kept with the slice or not at all; in the check phase after
 * the rollback. A non-zero return stops the import (cancelled): the slice it was called in is kept. */
typedef int (*import_progress_fn)(void *ctx, db *d, const import_progress *p);

typedef struct import_driver {
    import_progress_fn progress; /* or NULL */
    void *ctx;
    long resume_rows; /* write phase rows an earlier run already kept: read, not written again */
    long resume_imported, resume_skipped, resume_clients; /* ...and their counts */
    int pause_percent; /* pause after each slice, as a share of the slice's time (at least 2 ms) */
    /* after each slice, outside any transaction: the upkeep a long import must not hold up (the server's
     * full-text merges and checkpoints, which its worker thread does between jobs), or NULL */
    void (*between)(void *ctx, db *d);
    /* once the custom fields create_fields asked for are made, in the transaction that makes them (before
     * its commit), with {column: "custom.KEY"}: where to keep them for a resumed run (import_opts.fields_made);
     * an error undoes the fields. Or NULL. */
    int (*fields_made)(void *ctx, db *d, const json_t *made, err_t *e);
} import_driver;

/* Imports buf into en for who in slices (see above), appending the report as JSON to out:
 * {"entity", "dry_run", "status", "rows", "imported", "skipped", "clients_created", "preset",
 *  "columns": {header: target}, "ignored_columns": [...], "errors": [{"row", "column", "field",
 *  "message"}], "on_match", "updated", "unchanged", "actions": [{"row", "action", "id", "matched_by"}],
 *  "mapping": {header: target as a mapping names it}, "column_sources": {header: "mapping", "saved mapping",
 *  "preset", "header", "guess" or "new custom field"}, "saved_mapping": {"id", "name"} or null,
 *  "phone_country": the ISO 3166 country national phones were matched in (null: none, or not matching),
 *  "unknown_columns": [{"column", "key", "type", "create"}], "custom_fields_created": [keys]}
 * (imported counts the records created, updated those changed, unchanged the matched rows skipped;
 * actions the first IMPORT_MAX_ERRORS matches). status is "done", "refused" (invalid rows, nothing kept), or
 * "cancelled". Returns 0 when the report is in out (whatever its status), or an error (bad header, unreadable CSV, a
 * database failure) with nothing in out; rows kept before a database failure stay kept. */
int import_run(db *d, const actor *who, const entity *en, const char *buf, size_t len, const import_opts *o,
               const import_driver *drv, strbuf *out, err_t *e);

/* Imports the CSV text in buf into en for who in one transaction of its own, appending the report as
 * JSON to out (as import_run's). Returns 0 when the import was kept (or would be, in a dry
 * run), E_INVALID_VALUE (or the first row's own error code) with the report still in out when invalid
 * rows refused it, or another error (bad header, not allowed) with nothing in out. */
int import_csv(db *d, const actor *who, const entity *en, const char *buf, size_t len, const import_opts *o,
               strbuf *out, err_t *e);

/* The saved mapping ref (its id, or its name) of en's imports in who's workspace: *mapping (the caller
 * json_decref's it), and its id and name. E_NOT_FOUND naming field when there is none. */
int import_mapping_load(db *d, const actor *who, const entity *en, const char *ref, const char *param,
                        json_t **mapping, char *id, size_t idn, char *name, size_t namen, err_t *e);
/* Saves the mapping a report used (its "mapping") under name for en, with the file's columns: a new saved
 * mapping, or the one of that name changed. Appends the saved mapping as JSON to out. */
int import_mapping_save(db *d, const actor *who, const entity *en, const char *name, const char *report,
                        strbuf *out, err_t *e);

/* True when en takes imports: creatable by members, no secrets among its fields. */
int import_allowed_entity(const entity *en);

#endif
