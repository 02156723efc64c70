/* schema: DDL from the entity table, and the migration runner (see schema.h).
 *
 * A migration step is either generated (create the tables of the entities whose `since` is that
 * version, add the columns of fields whose `since` is) or an embedded schema/NNNN-*.sql file, or both:
 * the entity table stays the one description of each entity, and what it cannot describe (sessions)
 * is plain SQL. Applied versions are recorded in schema_migrations. */
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/clock.h"

struct embedded { const char *name; const char *text; };
extern const struct embedded schema_files[];
extern const size_t schema_files_count;

static const struct migration {
    int version;
    const char *name;
    const char *sql_file; /* embedded schema/ file run after the generated DDL, or NULL */
} migrations[] = {
    {1, "foundation: workspaces, users, clients, contacts, interactions, tags, tokens, custom fields, audit",
     "0001-sessions.sql"},
};

int schema_latest(void) { return migrations[sizeof migrations / sizeof migrations[0] - 1].version; }

static void column_ddl(db *d, const field *f, strbuf *sql)
{
    strbuf_addf(sql, "\"%s\" %s", f->name, d->be->type_name(f->type->db_kind));
    if (f->flags & F_REQUIRED)
        strbuf_adds(sql, " NOT NULL");
    if (f->ref) {
        static const char *const actions[] = {"SET NULL", "CASCADE", "RESTRICT"};
        strbuf_addf(sql, " REFERENCES \"%s\"(id) ON DELETE %s", f->ref, actions[f->on_delete]);
    }
}

void schema_entity_ddl(db *d, const entity *en, strbuf *sql)
{
    const char *t = en->name;
    strbuf_addf(sql, "CREATE TABLE \"%s\" (\n  id TEXT PRIMARY KEY,\n  workspace_id TEXT NOT NULL", t);
    if (!(en->flags & ENT_WORKSPACE_ROOT))
        strbuf_adds(sql, " REFERENCES workspaces(id) ON DELETE CASCADE");
    strbuf_addf(sql, ",\n  created_at TEXT NOT NULL,\n  updated_at TEXT NOT NULL,\n  created_by TEXT,\n"
                     "  version %s NOT NULL DEFAULT 1",
                d->be->type_name(DB_KIND_INT));
    for (int i = 0; i < en->nfields; i++) {
        if (en->fields[i].since > en->since)
            continue;
        strbuf_adds(sql, ",\n  ");
        column_ddl(d, &en->fields[i], sql);
    }
    if (en->flags & ENT_CUSTOM)
        strbuf_adds(sql, ",\n  custom TEXT NOT NULL DEFAULT '{}'");
    strbuf_adds(sql, "\n);\n");
    /* the default list order, and paging through it */
    strbuf_addf(sql, "CREATE INDEX \"%s_ws_created\" ON \"%s\" (workspace_id, created_at, id);\n", t, t);
    const char *search[32];
    int nsearch = 0;
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        if (f->since > en->since)
            continue;
        if (f->flags & (F_UNIQUE | F_UNIQUE_ALL)) {
            strbuf_addf(sql, "CREATE UNIQUE INDEX \"%s_%s_unique\" ON \"%s\" (", t, f->name, t);
            if (f->flags & F_UNIQUE)
                strbuf_adds(sql, "workspace_id, ");
            if (f->unique_with)
                strbuf_addf(sql, "\"%s\", ", f->unique_with);
            strbuf_addf(sql, "\"%s\");\n", f->name);
        } else if (f->ref) {
            /* cascades and SET NULL look rows up by the reference alone */
            strbuf_addf(sql, "CREATE INDEX \"%s_%s\" ON \"%s\" (\"%s\");\n", t, f->name, t, f->name);
        } else if ((f->flags & (F_FILTER | F_SORT)) && f->type != &FT_TAGS) {
            strbuf_addf(sql, "CREATE INDEX \"%s_%s\" ON \"%s\" (workspace_id, \"%s\");\n", t, f->name, t, f->name);
        }
        if ((f->flags & F_SEARCH) && nsearch < 32)
            search[nsearch++] = f->name;
    }
    if (nsearch)
        d->be->fts_ddl(sql, t, search, nsearch);
}

static const char *embedded(const char *name)
{
    size_t lo = 0, hi = schema_files_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(schema_files[mid].name, name);
        if (!c)
            return schema_files[mid].text;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int current_version(db *d, err_t *e)
{
    int rc = db_exec(d,
                     "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                     "applied_at TEXT NOT NULL)",
                     e);
    if (rc < 0)
        return rc;
    db_stmt *s;
    rc = db_query_row(d, &s, e, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", 0, NULL);
    if (rc != DB_ROW)
        return rc < 0 ? rc : 0;
    int v = (int)db_col_int(s, 0);
    db_finalize(s);
    return v;
}

static int apply(db *d, const struct migration *m, err_t *e)
{
    strbuf sql = STRBUF_INIT;
    for (int i = 0; i < entity_count; i++) {
        const entity *en = entity_table[i];
        if (en->since == m->version) {
            schema_entity_ddl(d, en, &sql);
            continue;
        }
        for (int f = 0; f < en->nfields; f++)
            if (en->fields[f].since == m->version && en->since < m->version) {
                strbuf_addf(&sql, "ALTER TABLE \"%s\" ADD COLUMN ", en->name);
                column_ddl(d, &en->fields[f], &sql);
                strbuf_adds(&sql, ";\n");
            }
    }
    if (m->sql_file) {
        const char *text = embedded(m->sql_file);
        if (!text) {
            strbuf_release(&sql);
            return err_set(e, E_INTERNAL, NULL, "migration file %s is not embedded", m->sql_file);
        }
        strbuf_adds(&sql, text);
    }
    int rc = db_begin(d, e);
    if (rc >= 0)
        rc = db_exec(d, sql.buf, e);
    strbuf_release(&sql);
    if (rc >= 0) {
        char now[CLOCK_RFC3339_LEN], ver[16];
        clock_format(clock_now(), now);
        snprintf(ver, sizeof ver, "%d", m->version);
        db_stmt *s;
        const char *args[] = {ver, m->name, now};
        rc = db_query_row(d, &s, e, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", 3,
                          args);
    }
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d, e);
}

int schema_migrate(db *d, err_t *e)
{
    int have = current_version(d, e);
    if (have < 0)
        return have;
    if (have > schema_latest())
        return err_set(e, E_UNAVAILABLE, "db", "the database is at schema version %d, newer than this rapport (%d)",
                       have, schema_latest());
    int applied = 0;
    for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++) {
        if (migrations[i].version <= have)
            continue;
        int rc = apply(d, &migrations[i], e);
        if (rc < 0)
            return rc;
        applied++;
    }
    return applied;
}
