/* import_impl: what the files of the CSV import share (not for use outside core/bulk/import*.c): the
 * importer's state, and the parts each file gives the others.
 *   import.c         parsing, slices and passes, the report, import_csv and import_run
 *   import_header.c  the header row: each column to a field, the client, the notes or nowhere
 *   import_row.c     one data row: its values checked, its client found, the record written or matched
 *   import_names.c   the workspace's clients by name
 *   import_fields.c  custom fields: the workspace's by column, a type suggested for a column without a
 *                    field, the fields made for such columns, a row's custom values
 *   import_note.c    the note keeping a contact's other columns */
#ifndef RAPPORT_IMPORT_IMPL_H
#define RAPPORT_IMPORT_IMPL_H
#include <csv.h>

#include "util/clock.h"
#include "core/bulk/import.h"
#include "core/bulk/import_match.h"

/* COL_LEFT_OUT: the caller's mapping said to leave it out ("" in the mapping); COL_IGNORED: it names
 * nothing we know (reported, and kept in the notes where the entity has them). */
enum col_kind { COL_IGNORED, COL_FIELD, COL_CLIENT_NAME, COL_NOTES, COL_LEFT_OUT, COL_FULL_NAME, COL_CUSTOM };

/* What put a column where it goes, for the report's column_sources. */
enum col_source { SRC_HEADER, SRC_MAPPING, SRC_SAVED, SRC_PRESET, SRC_GUESS, SRC_CREATED };

/* Which values a column without a field has held so far, for the type of the custom field it could be. */
enum { LOOKS_DATE = 1, LOOKS_NUMBER = 2, LOOKS_EMAIL = 4, LOOKS_URL = 8 };

typedef struct column {
    char *header;
    int kind;
    const field *f;
    int chosen; /* by the caller's mapping or a preset: no guess overrides it */
    int source; /* enum col_source */
    int custom; /* COL_CUSTOM: the custom field, an index into importer.defs */
    unsigned looks; /* LOOKS_* every non-empty value so far fits */
    long filled;    /* ...and how many there were */
    int create;     /* to become a custom field (import_opts.create_fields) */
    /* One of several email or phone columns a preset offers for one field ("Phone", "Mobile"): 1 + the
     * index of the column that gives the field. Kept in the notes, it gives the field instead in a row
     * where that column is empty (import_row.c: cell). 0: none. */
    int spare_of;
} column;

/* One of the workspace's custom fields of the entity. */
typedef struct custom_def {
    char key[48], type[16];
    json_t *options;
} custom_def;

/* Client names (lower-cased) to ids: the workspace's, then the ones the import
 * creates. Open addressing, grown at half full. */
typedef struct name_table {
    char **name, **id;
    size_t cap, n;
} name_table;

typedef struct importer {
    db *d;
    const actor *who;
    const entity *en;
    const import_opts *o;
    column *cols;
    int ncols, header_done;
    /* the row being read: cells packed in one buffer */
    strbuf cells;
    size_t *off;
    int ncells, capcells;
    long row; /* records read, the header included: row 1 is the header, as in a
                 spreadsheet */
    long imported, invalid, clients_created;
    strbuf errors;
    int nerrors;
    int stop;    /* a database failure or a bad header: no further rows */
    err_t fatal; /* ...and what it was */
    err_t first; /* the first invalid row's error */
    int client_name_col;
    const field *client_field;
    const field *notes_field; /* where columns without a field of their own are kept, or NULL */
    int notes_as_note;        /* no notes field (contacts): they are kept in a note on the record */
    int full_name_col;        /* "Display Name": first and last name when the row has neither, or -1 */
    int individual;           /* a contact with no company is a client of their own */
    const entity *interactions;
    name_table names;
    strbuf made;               /* keys of the clients created in the open transaction, NUL-separated */
    long skip;                 /* data rows an earlier run kept: read, not acted on */
    long acted;                /* data rows acted on (kept or refused) since the counter was last read */
    int nul_col;               /* a cell of the row being read holds a NUL: its column, or -1 */
    const char *preset;        /* the preset the header was recognised as, or NULL */
    int keep_going;            /* the write pass after a clean check: a row that fails now is skipped, not the rest */
    char fixed_client[ID_MAX]; /* --client given as an id */
    strbuf extra;              /* this row's values kept in the notes for want of a place: "Phone 2: ..." */
    import_match *match;       /* the workspace's records by key, when rows that match are updated or skipped */
    long updated, unchanged;
    strbuf actions; /* the first matches: {"row", "action", "id", "matched_by"} */
    int nactions;
    struct csv_parser parser;
    int parser_live;
    /* the prepared-insert path */
    int row_by_row; /* the entity has rules: each row goes through record_create
                     */
    int savepoints; /* the entity has unique fields: each insert in its own
                       savepoint */
    db_stmt *ins;
    const field *ins_f[ENTITY_MAX_FIELDS];
    int ins_col[ENTITY_MAX_FIELDS], nins;
    json_t *def[ENTITY_MAX_FIELDS];
    char last_ref[ENTITY_MAX_FIELDS][ID_MAX]; /* the last reference each field checked, to skip
                                  repeats */
    char now[CLOCK_RFC3339_LEN];
    char region[8]; /* ISO 3166: the country national phone numbers are in, for matching, or "" */
    custom_def *defs; /* the entity's custom fields (ENT_CUSTOM) */
    int ndefs;
    const json_t *created; /* {column: key} of the custom fields import_run made for this file, or NULL */
    int custom_cols;       /* columns that go to custom fields */
    db_stmt *note_ins; /* the notes' INSERT (import_note.c), prepared at the first note */
    int spares;            /* columns with spare_of set */
} importer;

/* import_names.c */
void import_name_key(const char *s, char *out, size_t n);
const char *import_names_find(const name_table *t, const char *key);
int import_names_add(name_table *t, const char *key, const char *id);
int import_names_forget(name_table *t, const char *key);
int import_names_known(const name_table *t, const char *key);
void import_names_release(name_table *t);

/* import_header.c: reads the header row (the cells in im), or stops the import saying why. */
void import_read_header(importer *im);

/* import_row.c */
void import_add_error(importer *im, const char *col, const err_t *e);
int import_load_client_names(importer *im, err_t *e);
int import_prepare_insert(importer *im, err_t *e);
/* Deals with a row that matches an existing record (--on-match); 0 when it matches none. */
int import_row_matched(importer *im);
void import_create_row(importer *im);
void import_insert_row(importer *im);

/* import_fields.c */
int import_load_custom_defs(importer *im, err_t *e);
void import_release_custom_defs(importer *im);
/* The custom field a header names (by key, or by label, written any way), or -1. */
int import_custom_for_header(const importer *im, const char *header);
int import_custom_by_key(const importer *im, const char *key);
/* "Shoe size (EU)" → "shoe_size_eu": a custom field's key from a column's name. */
void import_custom_key(const char *header, char *out, size_t n);
/* Whether a column has no field and could become a custom field. */
int import_column_unknown(const importer *im, const column *col);
/* LOOKS_* a value fits: a date (YYYY-MM-DD), a number (not "01234"), an email address, a web address. */
unsigned import_value_looks(const char *text);
/* Notes what the row's values in unknown columns look like. */
void import_observe_row(importer *im);
/* The custom field type the values seen in col suggest: date, number, email, url or text. */
const char *import_suggest_type(const column *col);
/* Marks the unknown columns import_opts.create_fields names; an error when it names another. */
int import_mark_create(importer *im, err_t *e);
/* Appends "unknown_columns": [{"column", "key", "type", "create"}] to the report. */
void import_report_unknown(const importer *im, strbuf *out);
/* The row's custom values as a JSON object ({} when none), checked against their fields' types; on an
 * error, *bad_col names the column. */
int import_row_custom(importer *im, json_t **out, const char **bad_col, err_t *e);
/* import_note.c: whether text may be the note's summary (checked before the contact is written), and
 * the note "Imported details" on a contact, holding text (its INSERT prepared at the first call). */
int import_note_check(importer *im, const char *text, err_t *e);
int import_note_write(importer *im, const char *contact_id, const char *client_id, const char *text, err_t *e);

/* import.c: stops the import for good (a database failure, a bad header); returns the error's code. */
int import_stop(importer *im, err_t *from);

#endif
