/* sqlite_fts: the upkeep of SQLite's full-text indexes: vocabulary and merges (see sqlite_fts.h). */
#include "db/sqlite_fts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"

#define MAX_TABLES 256 /* each index has shadow tables that write too: 12 indexes make ~50 */
/* Rows noted one by one in a transaction; past this many, the tables they belong to are refilled from
 * their whole vocabulary instead (one scan of the index, cheaper than a million small inserts). */
#define NOTE_MAX 10000
/* A prefix standing for more terms than this is left to FTS5's own prefix query. */
#define EXPAND_MAX 64

enum table_state { UNKNOWN, PLAIN, INDEXED };

typedef struct {
    char name[64];
    int state;
    int overflow;       /* more rows than NOTE_MAX: refill from the vocabulary at the flush */
    sqlite3_stmt *read; /* SELECT the indexed columns of one row, by rowid */
} table_info;

struct sqlite_fts {
    sqlite3 *h;
    fts5_tokenizer tok;
    Fts5Tokenizer *tk;
    table_info tables[MAX_TABLES];
    int ntables;
    int lost; /* a write to a table there was no room to note: the flush refills every index's terms */
    int schema_version; /* of the schema the table states were read from */
    struct note { int table; sqlite3_int64 rowid; } *notes;
    size_t nnotes, cap;
    sqlite3_stmt *add, *expand, *version;
    strbuf merge_sql; /* the worker's merge slice over every index, for the schema at merge_version */
    int merge_version, merge_pages, merge_tables;
};

static fts5_api *fts5_of(sqlite3 *h)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

/* The update hook: runs inside sqlite3_step, so it only notes; the SQL happens at the flush. */
static void on_write(void *arg, int op, const char *dbname, const char *table, sqlite3_int64 rowid)
{
    sqlite_fts *t = arg;
    if (op == SQLITE_DELETE || strcmp(dbname, "main"))
        return;
    int i = 0;
    while (i < t->ntables && strcmp(t->tables[i].name, table))
        i++;
    if (i == t->ntables) {
        if (i == MAX_TABLES || strlen(table) >= sizeof t->tables[i].name) {
            t->lost = 1; /* a schema with far more tables than Rapport makes: refill them all */
            return;
        }
        memset(&t->tables[i], 0, sizeof t->tables[i]);
        snprintf(t->tables[i].name, sizeof t->tables[i].name, "%s", table);
        t->ntables++;
    }
    table_info *ti = &t->tables[i];
    if (ti->state == PLAIN || ti->overflow)
        return;
    if (t->nnotes == NOTE_MAX) {
        ti->overflow = 1;
        return;
    }
    if (t->nnotes == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct note *n = realloc(t->notes, cap * sizeof *n);
        if (!n) {
            ti->overflow = 1;
            return;
        }
        t->notes = n, t->cap = cap;
    }
    t->notes[t->nnotes++] = (struct note){i, rowid};
}

sqlite_fts *sqlite_fts_open(sqlite3 *h)
{
    fts5_api *api = fts5_of(h);
    sqlite_fts *t = api ? calloc(1, sizeof *t) : NULL;
    if (!t)
        return NULL;
    t->h = h;
    void *ctx = NULL;
    static const char *const args[] = {"remove_diacritics", "2"}; /* as SQLITE_FTS_TOKENIZER */
    if (api->xFindTokenizer(api, "unicode61", &ctx, &t->tok) != SQLITE_OK ||
        t->tok.xCreate(ctx, (const char **)args, 2, &t->tk) != SQLITE_OK) {
        free(t);
        return NULL;
    }
    t->schema_version = t->merge_version = -1;
    strbuf_init(&t->merge_sql, 0);
    sqlite3_update_hook(h, on_write, t);
    return t;
}

static void forget_tables(sqlite_fts *t)
{
    for (int i = 0; i < t->ntables; i++)
        sqlite3_finalize(t->tables[i].read);
    t->ntables = 0;
}

void sqlite_fts_close(sqlite_fts *t)
{
    if (!t)
        return;
    sqlite3_update_hook(t->h, NULL, NULL);
    forget_tables(t);
    sqlite3_finalize(t->add);
    sqlite3_finalize(t->expand);
    sqlite3_finalize(t->version);
    t->tok.xDelete(t->tk);
    strbuf_release(&t->merge_sql);
    free(t->notes);
    free(t);
}

int sqlite_fts_pending(const sqlite_fts *t) { return t && (t->nnotes || t->lost); }

void sqlite_fts_discard(sqlite_fts *t)
{
    if (!t)
        return;
    t->nnotes = 0;
    t->lost = 0;
    for (int i = 0; i < t->ntables; i++)
        t->tables[i].overflow = 0;
}

static int schema_version(sqlite_fts *t)
{
    int v = -1;
    if (!t->version &&
        sqlite3_prepare_v3(t->h, "PRAGMA schema_version", -1, SQLITE_PREPARE_PERSISTENT, &t->version, NULL) != SQLITE_OK)
        return v;
    if (sqlite3_step(t->version) == SQLITE_ROW)
        v = sqlite3_column_int(t->version, 0);
    sqlite3_reset(t->version);
    return v;
}

/* Is there a `<table>_fts` index, and which columns does it hold? Prepares the row reader if so. */
static int resolve(sqlite_fts *t, table_info *ti)
{
    char fts[80];
    snprintf(fts, sizeof fts, "%s_fts", ti->name);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(t->h, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, "SELECT ");
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n++)
            strbuf_adds(&sql, ", ");
        strbuf_add_sql_ident(&sql, (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    if (n) {
        strbuf_adds(&sql, " FROM ");
        strbuf_add_sql_ident(&sql, ti->name);
        strbuf_adds(&sql, " WHERE rowid = ?1");
        rc = sqlite3_prepare_v3(t->h, sql.buf, -1, SQLITE_PREPARE_PERSISTENT, &ti->read, NULL);
    }
    strbuf_release(&sql);
    if (rc == SQLITE_OK) /* else still UNKNOWN: the next flush tries again */
        ti->state = n ? INDEXED : PLAIN;
    return rc;
}

static int have_terms_table(sqlite_fts *t)
{
    if (t->add)
        return 1;
    return sqlite3_prepare_v3(t->h, "INSERT OR IGNORE INTO fts_terms (term) VALUES (?1)", -1,
                              SQLITE_PREPARE_PERSISTENT, &t->add, NULL) == SQLITE_OK;
}

struct cut { sqlite_fts *t; int rc; };

static int add_token(void *arg, int flags, const char *token, int n, int start, int end)
{
    (void)flags, (void)start, (void)end;
    struct cut *c = arg;
    sqlite3_bind_text(c->t->add, 1, token, n, SQLITE_STATIC);
    int rc = sqlite3_step(c->t->add);
    sqlite3_reset(c->t->add);
    if (rc != SQLITE_DONE)
        c->rc = rc;
    return SQLITE_OK;
}

/* Every term of one table's index, from fts5vocab: for bulk loads and for databases made before the
 * vocabulary was kept. */
static int fill_table(sqlite_fts *t, const char *table)
{
    if (!have_terms_table(t))
        return SQLITE_OK; /* before migration 6, which fills it */
    strbuf sql = STRBUF_INIT, fts = STRBUF_INIT;
    strbuf_addf(&fts, "%s_fts", table);
    strbuf_adds(&sql, "DROP TABLE IF EXISTS temp.fts_vocab; CREATE VIRTUAL TABLE temp.fts_vocab USING fts5vocab(main, ");
    strbuf_add_sql_ident(&sql, fts.buf);
    strbuf_adds(&sql, ", 'row'); INSERT OR IGNORE INTO fts_terms (term) SELECT term FROM temp.fts_vocab; "
                      "DROP TABLE temp.fts_vocab;");
    int rc = sqlite3_exec(t->h, sql.buf, NULL, NULL, NULL);
    strbuf_release(&sql);
    strbuf_release(&fts);
    return rc;
}

int sqlite_fts_flush(sqlite_fts *t)
{
    if (!t || (!t->nnotes && !t->lost))
        return SQLITE_OK;
    int rc = SQLITE_OK, v = schema_version(t);
    if (v != t->schema_version) { /* a migration may have added or dropped an index */
        int keep = t->ntables; /* the notes refer to the tables by position: keep names, re-resolve */
        for (int i = 0; i < keep; i++) {
            sqlite3_finalize(t->tables[i].read);
            t->tables[i].read = NULL;
            t->tables[i].state = UNKNOWN;
        }
        t->schema_version = v;
    }
    if (!have_terms_table(t)) { /* before migration 6: it fills the table from the indexes */
        sqlite_fts_discard(t);
        return SQLITE_OK;
    }
    struct cut c = {t, SQLITE_OK};
    for (size_t i = 0; i < t->nnotes && rc == SQLITE_OK && c.rc == SQLITE_OK; i++) {
        table_info *ti = &t->tables[t->notes[i].table];
        if (ti->state == UNKNOWN && (rc = resolve(t, ti)) != SQLITE_OK)
            break;
        if (ti->state != INDEXED || ti->overflow)
            continue;
        sqlite3_bind_int64(ti->read, 1, t->notes[i].rowid);
        int step = sqlite3_step(ti->read);
        if (step == SQLITE_ROW) /* no row: its savepoint rolled back */
            for (int col = 0; col < sqlite3_column_count(ti->read) && c.rc == SQLITE_OK; col++) {
                const char *text = (const char *)sqlite3_column_text(ti->read, col);
                int trc = text ? t->tok.xTokenize(t->tk, &c, FTS5_TOKENIZE_DOCUMENT, text,
                                                  sqlite3_column_bytes(ti->read, col), add_token)
                               : SQLITE_OK;
                if (trc != SQLITE_OK)
                    c.rc = trc;
            }
        else if (step != SQLITE_DONE)
            rc = step;
        sqlite3_reset(ti->read);
    }
    if (rc == SQLITE_OK)
        rc = c.rc;
    if (rc == SQLITE_OK && t->lost)
        rc = sqlite_fts_migrate(t);
    for (int i = 0; i < t->ntables && rc == SQLITE_OK && !t->lost; i++)
        if (t->tables[i].overflow) {
            if (t->tables[i].state == UNKNOWN && (rc = resolve(t, &t->tables[i])) != SQLITE_OK)
                break;
            if (t->tables[i].state == INDEXED)
                rc = fill_table(t, t->tables[i].name);
        }
    sqlite_fts_discard(t);
    return rc;
}

/* The tables with a full-text index, as NUL-separated names in *names. */
static int indexed_tables(sqlite_fts *t, strbuf *names)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(t->h,
                                "SELECT substr(name, 1, length(name) - 4) FROM sqlite_master WHERE type = 'table' "
                                "AND name LIKE '%\\_fts' ESCAPE '\\' AND sql LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    while (sqlite3_step(st) == SQLITE_ROW)
        strbuf_add(names, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0) + 1);
    return sqlite3_finalize(st);
}

#define NO_VALUE (-1) /* a command without a number ('rebuild', 'optimize') */

/* Appends one FTS5 command ('merge', 'automerge', 'rebuild', ...) with its number on the index of table. */
static void fts5_command(strbuf *sql, const char *table, const char *command, int value)
{
    strbuf fts = STRBUF_INIT;
    strbuf_addf(&fts, "%s_fts", table);
    strbuf_adds(sql, "INSERT INTO ");
    strbuf_add_sql_ident(sql, fts.buf);
    strbuf_addc(sql, '(');
    strbuf_add_sql_ident(sql, fts.buf);
    if (value == NO_VALUE)
        strbuf_addf(sql, ") VALUES ('%s');\n", command);
    else
        strbuf_addf(sql, ", rank) VALUES ('%s', %d);\n", command, value);
    strbuf_release(&fts);
}

void sqlite_fts_merge_settings(strbuf *sql, const char *table)
{
    fts5_command(sql, table, "automerge", 0);
    fts5_command(sql, table, "crisismerge", 64);
    /* the worker merges only levels of 16 segments or more: the small ones new writes keep filling, not
     * a level holding a bulk load's large segments (rewriting those for a few new rows cost 100-500 ms
     * slices at 5M interactions) */
    fts5_command(sql, table, "usermerge", 16);
}

void sqlite_fts_rebuild(strbuf *sql, const char *table)
{
    /* the rebuild merges as it goes (FTS5's automerge) and ends as one segment, or it leaves hundreds of
     * segments that a crisis merge would join inside some later write; merges go back to the worker after */
    fts5_command(sql, table, "automerge", 4);
    fts5_command(sql, table, "rebuild", NO_VALUE);
    fts5_command(sql, table, "optimize", NO_VALUE);
    sqlite_fts_merge_settings(sql, table);
}

int sqlite_fts_migrate(sqlite_fts *t)
{
    int rc = sqlite3_exec(t->h, "CREATE TABLE IF NOT EXISTS fts_terms (term TEXT PRIMARY KEY) WITHOUT ROWID", NULL,
                          NULL, NULL);
    strbuf names = STRBUF_INIT, sql = STRBUF_INIT;
    if (rc == SQLITE_OK)
        rc = indexed_tables(t, &names);
    for (size_t off = 0; off < names.len && rc == SQLITE_OK; off += strlen(names.buf + off) + 1) {
        strbuf_reset(&sql);
        sqlite_fts_merge_settings(&sql, names.buf + off);
        if ((rc = sqlite3_exec(t->h, sql.buf, NULL, NULL, NULL)) == SQLITE_OK)
            rc = fill_table(t, names.buf + off);
    }
    strbuf_release(&names);
    strbuf_release(&sql);
    return rc;
}

/* After a refill the table's whole vocabulary is in: the rows of it noted so far need no cutting at the
 * flush, nor, if it overflowed, a second refill (a bulk load's commit spent 3 % of an import on that). */
static void forget_notes_of(sqlite_fts *t, const char *table)
{
    int i = 0;
    while (i < t->ntables && strcmp(t->tables[i].name, table))
        i++;
    if (i == t->ntables)
        return;
    t->tables[i].overflow = 0;
    size_t kept = 0;
    for (size_t k = 0; k < t->nnotes; k++)
        if (t->notes[k].table != i)
            t->notes[kept++] = t->notes[k];
    t->nnotes = kept;
}

int sqlite_fts_refill(sqlite_fts *t, const char *table)
{
    if (!t)
        return SQLITE_OK;
    int rc = fill_table(t, table);
    if (rc == SQLITE_OK)
        forget_notes_of(t, table);
    return rc;
}

int sqlite_fts_merge(sqlite_fts *t, int pages, int *merged)
{
    *merged = 0;
    /* ten times a second: the statements are built again only when the schema changed */
    int rc = SQLITE_OK, v = schema_version(t);
    if (v != t->merge_version || pages != t->merge_pages) {
        strbuf names = STRBUF_INIT;
        strbuf_reset(&t->merge_sql);
        rc = indexed_tables(t, &names);
        t->merge_tables = 0;
        for (size_t off = 0; off < names.len; off += strlen(names.buf + off) + 1, t->merge_tables++)
            fts5_command(&t->merge_sql, names.buf + off, "merge", pages);
        strbuf_release(&names);
        t->merge_version = rc == SQLITE_OK ? v : -1;
        t->merge_pages = pages;
    }
    if (rc == SQLITE_OK && t->merge_sql.len) {
        /* each command counts as one change; a merge also rewrites rows of the index's %_data table */
        sqlite3_int64 before = sqlite3_total_changes64(t->h);
        rc = sqlite3_exec(t->h, t->merge_sql.buf, NULL, NULL, NULL);
        *merged = sqlite3_total_changes64(t->h) - before > t->merge_tables;
    }
    return rc;
}

/* The tokens of one word, as the index would cut them; returns how many (up to 2 are kept apart). */
struct word_tokens { int n; char first[256]; int first_len; };

static int keep_token(void *arg, int flags, const char *token, int n, int start, int end)
{
    (void)start, (void)end;
    struct word_tokens *w = arg;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    if (w->n++ == 0 && n < (int)sizeof w->first) {
        memcpy(w->first, token, (size_t)n);
        w->first_len = n;
    }
    return SQLITE_OK;
}

/* Appends ("term" OR "term2" ...) for the terms starting with the token, the token itself first; 0 if
 * they are too many or the vocabulary cannot be read. */
static int expand(sqlite_fts *t, strbuf *out, const char *token, int n)
{
    if (!t->expand && sqlite3_prepare_v3(t->h,
                                         "SELECT term FROM fts_terms WHERE term > ?1 AND term < ?2 ORDER BY term LIMIT ?3",
                                         -1, SQLITE_PREPARE_PERSISTENT, &t->expand, NULL) != SQLITE_OK)
        return 0;
    char upper[256];
    memcpy(upper, token, (size_t)n);
    upper[n - 1]++; /* tokens are UTF-8, which never holds 0xff: the next prefix is past every term */
    sqlite3_bind_text(t->expand, 1, token, n, SQLITE_STATIC);
    sqlite3_bind_text(t->expand, 2, upper, n, SQLITE_STATIC);
    sqlite3_bind_int(t->expand, 3, EXPAND_MAX + 1);
    size_t start = out->len;
    strbuf_addc(out, '(');
    strbuf_add_quoted(out, token, (size_t)n, '"');
    int terms = 1, rc;
    while ((rc = sqlite3_step(t->expand)) == SQLITE_ROW && terms <= EXPAND_MAX) {
        strbuf_adds(out, " OR ");
        strbuf_add_quoted(out, (const char *)sqlite3_column_text(t->expand, 0),
                          (size_t)sqlite3_column_bytes(t->expand, 0), '"');
        terms++;
    }
    sqlite3_reset(t->expand);
    if (rc != SQLITE_DONE || terms > EXPAND_MAX) {
        strbuf_truncate(out, start);
        return 0;
    }
    strbuf_addc(out, ')');
    return 1;
}

void sqlite_fts_query(sqlite_fts *t, strbuf *out, const char *words)
{
    const char *p = words, *w;
    size_t n;
    while (db_next_word(&p, &w, &n)) {
        if (out->len)
            strbuf_adds(out, " AND ");
        struct word_tokens tw = {0};
        if (t && n < 1024)
            t->tok.xTokenize(t->tk, &tw, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX, w, (int)n, keep_token);
        if (tw.n == 1 && tw.first_len > 0 && expand(t, out, tw.first, tw.first_len))
            continue;
        /* FTS5's own prefix query: a quoted phrase, so user text is never query syntax */
        strbuf_add_quoted(out, w, n, '"');
        strbuf_addc(out, '*');
    }
}
