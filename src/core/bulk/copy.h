/* copy: moving house — every table of one database into another (SQLite ↔ PostgreSQL), checked by
 * per-table row counts and checksums computed on both sides. */
#ifndef RAPPORT_COPY_H
#define RAPPORT_COPY_H
#include "core/model/entity.h"

typedef struct copy_table_report {
    const char *table;
    int64_t rows_from, rows_to;
    char sum_from[65], sum_to[65];
} copy_table_report;

#define COPY_MAX_TABLES 48
#define COPY_MAX_COLUMNS 48

/* The columns of en's table in one fixed order (the system columns, the fields, then custom), with each
 * one's DB_KIND_*; returns how many. Copy, backup and export all read a record's row through it. */
int copy_entity_columns(const entity *en, const char **cols, int *kinds);

typedef struct copy_report {
    int ntables;
    copy_table_report tables[COPY_MAX_TABLES];
} copy_report;

/* Copies everything from `from` into `to` (both migrated to the same version) in one transaction on the
 * target. A target holding any row is refused (E_CONFLICT) unless overwrite, which empties it first.
 * Fills report; returns 0 only when every table's count and checksum match. */
int copy_database(db *from, db *to, int overwrite, copy_report *report, err_t *e);

#endif
