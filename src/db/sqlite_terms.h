/* sqlite_terms: the vocabulary of SQLite's full-text indexes, so a prefix search costs what an exact one
 * does (the SQLite backend's own helper; nothing outside src/db/ sees it).
 *
 * FTS5 answers a prefix term ("pric"*) by reading and merging the whole doclist of every term with that
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
 * another program (the sqlite3 shell) are found by their exact words until the next bulk refill. */
#ifndef RAPPORT_SQLITE_TERMS_H
#define RAPPORT_SQLITE_TERMS_H
#include <sqlite3.h>

#include "../util/strbuf.h"

typedef struct sq_terms sq_terms;

/* The tokenizer options every full-text index is created with (sq_fts_ddl) and terms are cut with. */
#define SQ_TERMS_TOKENIZER "unicode61 remove_diacritics 2"

/* Starts noting writes on connection h. Returns NULL when out of memory or without FTS5. */
sq_terms *sq_terms_open(sqlite3 *h);
void sq_terms_close(sq_terms *t);
/* Adds the terms of the rows noted since the last flush, inside the caller's transaction. SQLITE_OK or
 * an SQLite error code (the caller then rolls back). */
int sq_terms_flush(sq_terms *t);
/* Forgets the rows noted: their transaction rolled back. */
void sq_terms_discard(sq_terms *t);
/* Creates fts_terms if missing and adds the whole vocabulary of every full-text index. */
int sq_terms_fill_all(sq_terms *t);
/* Appends an FTS5 query for the user's words: each word a term or its expansion, joined by AND. */
void sq_terms_query(sq_terms *t, strbuf *out, const char *words);

#endif
