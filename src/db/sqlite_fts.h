/* sqlite_fts: the upkeep of SQLite's full-text indexes beside what FTS5 does itself (the SQLite backend's
 * own helper; nothing outside src/db/ sees it): their vocabulary, and their merges.
 *
 * VOCABULARY, so a prefix search costs what an exact one does. FTS5 answers a prefix term ("pric"*) by reading and merging the whole doclist of every term with that
 * prefix before it can return the first match: at 5M interactions a common word cost 25 ms a search,
 * whatever the LIMIT. An exact term is walked lazily, newest first, and a LIMIT stops it at once. So
 * every term the indexes hold is also kept in one small table, `fts_terms`, and a prefix is expanded
 * there into the terms it stands for ("pricing" OR "pricings"), which FTS5 walks lazily.
 *
 * The table is kept by the connection itself, beside the triggers that keep the indexes: an update hook
 * notes each row written to a table with a full-text index, and before the transaction commits, those
 * rows are read back, cut into terms by FTS5's own tokenizer (the same one, with the same options, as
 * the indexes use) and added. A transaction that writes more rows than it is worth noting one by one
 * (a bulk load, a copy) instead adds the whole vocabulary of the tables it touched, from fts5vocab.
 * Terms are never removed: a term with no rows left only adds an empty branch to a query.
 *
 * The expansion always keeps the word itself as an exact term, and falls back to FTS5's own prefix
 * query when a prefix stands for too many terms or a word is several tokens ("o'brien"), so a search
 * finds exactly what FTS5's prefix query would, provided the vocabulary is complete. Rows written by
 * another program (the sqlite3 shell) are found by their exact words until the next bulk refill.
 *
 * MERGES, off the write path. FTS5 writes each transaction's new entries as a segment (and each savepoint's:
 * the group commit's writer has one per request), and by default merges segments as it goes, inside the
 * write that tipped a level over four. At 5M interactions that merge read megabytes of old segments in the
 * middle of one request: p99 of creates 360-740 ms. The indexes are created with `automerge` off (and a
 * crisis merge only at 64 segments on a level, which stays small), and the server's worker thread merges
 * levels of 16 segments or more, a bounded slice at a time, between the writer's batches
 * (sqlite_fts_merge). A bulk load's rebuild merges as it goes instead (automerge on for its length). */
#ifndef RAPPORT_SQLITE_FTS_H
#define RAPPORT_SQLITE_FTS_H
#include <sqlite3.h>

#include "util/strbuf.h"

typedef struct sqlite_fts sqlite_fts;

/* The tokenizer options every full-text index is created with (sq_fts_ddl) and terms are cut with. */
#define SQLITE_FTS_TOKENIZER "unicode61 remove_diacritics 2"

/* Starts noting writes on connection h. Returns NULL when out of memory or without FTS5. */
sqlite_fts *sqlite_fts_open(sqlite3 *h);
void sqlite_fts_close(sqlite_fts *t);
/* Adds the terms of the rows noted since the last flush, inside the caller's transaction. SQLITE_OK or
 * an SQLite error code (the caller then rolls back). */
int sqlite_fts_flush(sqlite_fts *t);
/* Are rows noted that no flush has seen (written outside a transaction, when one begins)? */
int sqlite_fts_pending(const sqlite_fts *t);
/* Forgets the rows noted: their transaction rolled back. */
void sqlite_fts_discard(sqlite_fts *t);
/* For a migration: creates fts_terms if missing and adds the whole vocabulary of every full-text index,
 * and gives every index the merge settings above. */
int sqlite_fts_migrate(sqlite_fts *t);
/* Adds every term of table's index, from fts5vocab: after a bulk load rebuilt it (the rows were written
 * while its triggers were suspended, so the terms noted at their commits came from an outdated index).
 * The table's rows noted so far are then forgotten: the flush has nothing left to add for them. */
int sqlite_fts_refill(sqlite_fts *t, const char *table);
/* The SQL that rebuilds the index of table after a bulk load, leaving one segment and the settings below. */
void sqlite_fts_rebuild(strbuf *sql, const char *table);
/* The SQL that sets those merge settings on the index "<table>_fts", for its DDL. */
void sqlite_fts_merge_settings(strbuf *sql, const char *table);
/* Merges up to `pages` pages' worth of segments in each index whose levels have grown (none: no work).
 * Runs in the caller's transaction; *merged says whether any index had work. */
int sqlite_fts_merge(sqlite_fts *t, int pages, int *merged);
/* Appends an FTS5 query for the user's words: each word a term or its expansion, joined by AND. */
void sqlite_fts_query(sqlite_fts *t, strbuf *out, const char *words);

#endif
