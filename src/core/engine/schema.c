/* schema: DDL from the entity table, and the migration runner (see schema.h).
 *
 * A migration step is either generated (create the tables of the entities whose `since` is that
 * version, add the columns of fields whose `since` is) or an embedded schema/NNNN-*.sql file, or both:
 * the entity table stays the one description of each entity, and what it cannot describe (sessions)
 * is plain SQL. Applied versions are recorded in schema_migrations. */
#include "core/engine/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/access/workspace.h"
#include "core/events/webhooks.h"

struct embedded { const char *name; const char *text; };
extern const struct embedded schema_files[];
extern const size_t schema_files_count;

/* What a backend keeps beside its full-text indexes, brought up to date: a migration that adds or changes
 * one runs it. */
static int search_upkeep(db *d, err_t *e) { return d->be->fts_migrate ? d->be->fts_migrate(d, e) : 0; }

static const struct migration {
    int version;
    const char *name;
    const char *sql_file; /* embedded schema/ file run after the generated DDL, or NULL */
    int (*after)(db *d, err_t *e); /* C run last in the same transaction (defaults for existing data) */
} migrations[] = {
    {1, "foundation: workspaces, users, clients, contacts, interactions, tags, tokens, custom fields, audit",
     "0001-sessions.sql", NULL},
    {2, "background jobs", "0002-jobs.sql", NULL},
    {3, "client lifecycle: pipeline, onboarding, projects and scope, tasks, tickets, feedback, revenue",
     "0003-lifecycle.sql", workspace_add_defaults_all},
    {4, "client health: per-workspace health score settings, interactions by time with who and what",
     "0004-health.sql", NULL},
    {5, "each client's interactions by time with direction and type, one covering index",
     "0005-client-interactions.sql", NULL},
    {6, "search: the full-text indexes' vocabulary, so a prefix search walks exact terms; their merges off the write path",
     NULL, search_upkeep},
    {7, "each client's outbound updates by time, so the last one is one seek", "0007-client-updates.sql", NULL},
    {8, "the index of each client's outbound updates covers its own condition, so the planner always takes it",
     "0008-client-updates-covering.sql", NULL},
    {9, "merges of duplicates, kept so each can be undone", NULL, NULL},
    {10, "each client's health score and band stored, and how far the worker has refreshed them",
     "0010-health-store.sql", NULL},
    {11, "API tokens: an optional expiry and when each was last used", NULL, NULL},
    {12, "webhooks: subscriptions to events, their signed deliveries, and marks of events raised by time",
     "0012-webhooks.sql", NULL},
    {13, "imports as background jobs: the waiting file and its progress", "0013-imports.sql", NULL},
    {14, "email out: the outbox and its attempts, per-workspace mail settings, automations fired once",
     "0014-outbox.sql", NULL},
    {15, "the web app: saved list views, and each workspace's locale", NULL, NULL},
    {16, "imports: saved mappings, and each workspace's default country for phone numbers", NULL, NULL},
    {17, "webhooks: signing secrets sealed under the server's key, and the previous secret a rotation keeps a day",
     NULL, webhook_seal_stored_secrets},
};

int schema_latest(void) { return migrations[sizeof migrations / sizeof migrations[0] - 1].version; }

static const char *const ON_DELETE[] = {"SET NULL", "CASCADE", "RESTRICT"};

/* A reference to a table the migration has not created yet (clients → contacts) cannot be inline on
 * backends without forward references; it is added by ALTER TABLE once every table exists. */
static int deferred_ref(db *d, const entity *en, const field *f)
{
    if (d->be->inline_forward_refs || !strcmp(f->ref, en->name))
        return 0;
    for (int i = 0; i < entity_count && entity_table[i] != en; i++)
        if (!strcmp(entity_table[i]->name, f->ref))
            return 0; /* created earlier */
    return 1;
}

/* DEFAULT for a field's JSON default: booleans, numbers (money in cents), and text or JSON as a literal. */
static void default_ddl(const field *f, strbuf *sql)
{
    json_t *j = json_loads(f->def, JSON_DECODE_ANY, NULL);
    if (json_is_boolean(j))
        strbuf_adds(sql, json_is_true(j) ? " DEFAULT TRUE" : " DEFAULT FALSE");
    else if (json_is_integer(j))
        strbuf_addf(sql, " DEFAULT %lld", (long long)json_integer_value(j) * (f->type == &FT_MONEY ? 100 : 1));
    else {
        strbuf_adds(sql, " DEFAULT ");
        char *text = json_is_string(j) ? strdup(json_string_value(j)) : json_dumps(j, JSON_COMPACT);
        strbuf_add_quoted(sql, text, strlen(text), '\'');
        free(text);
    }
    json_decref(j);
}

static void column_ddl(db *d, const entity *en, const field *f, strbuf *sql, strbuf *later)
{
    strbuf_addf(sql, "\"%s\" %s", f->name, d->be->type_name(f->type->db_kind));
    if (f->flags & (F_REQUIRED | F_NOTNULL))
        strbuf_adds(sql, " NOT NULL");
    if (f->since > en->since && (f->flags & F_NOTNULL) && f->def)
        default_ddl(f, sql); /* a column added to existing rows needs a value for them */
    if (!f->ref)
        return;
    strbuf *where = sql;
    if (deferred_ref(d, en, f)) {
        strbuf_addf(later, "ALTER TABLE \"%s\" ADD FOREIGN KEY (\"%s\")", en->name, f->name);
        where = later;
    }
    strbuf_addf(where, " REFERENCES \"%s\"(id) ON DELETE %s%s", f->ref, ON_DELETE[f->on_delete], d->be->fk_suffix);
    if (where == later)
        strbuf_adds(later, ";\n");
}

/* An equality filter on a few distinct values (an enum, a flag) gains little from an index of its own:
 * every write would pay for it, and lists reach such rows as fast through the sort order's index. */
static int worth_an_index(const field *f)
{
    return f->type != &FT_ENUM && f->type != &FT_BOOL && f->type != &FT_TAGS;
}

static int leads_an_index(const entity *en, const char *column)
{
    size_t n = strlen(column);
    for (const char *const *ix = en->indexes; ix && *ix; ix++)
        if (!strncmp(*ix, column, n) && ((*ix)[n] == ',' || !(*ix)[n]))
            return 1;
    return 0;
}

/* Appends en's DDL to sql; constraints that must wait for other tables go to later. */
static void entity_ddl(db *d, const entity *en, strbuf *sql, strbuf *later)
{
    const char *t = en->name, *text = d->be->type_name(DB_KIND_TEXT);
    strbuf_addf(sql, "CREATE TABLE \"%s\" (\n  id %s PRIMARY KEY,\n  workspace_id %s NOT NULL", t, text, text);
    if (!(en->flags & ENT_WORKSPACE_ROOT))
        strbuf_addf(sql, " REFERENCES workspaces(id) ON DELETE CASCADE%s", d->be->fk_suffix);
    strbuf_addf(sql, ",\n  created_at %s NOT NULL,\n  updated_at %s NOT NULL,\n  created_by %s,\n"
                     "  version %s NOT NULL DEFAULT 1",
                text, text, text, d->be->type_name(DB_KIND_INT));
    for (int i = 0; i < en->nfields; i++) {
        if (en->fields[i].since > en->since)
            continue;
        strbuf_adds(sql, ",\n  ");
        column_ddl(d, en, &en->fields[i], sql, later);
    }
    if (en->flags & ENT_CUSTOM)
        strbuf_addf(sql, ",\n  custom %s NOT NULL DEFAULT '{}'", text);
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
            /* named TABLE__FIELD_unique: backends that report the index name recover the field from it */
            strbuf_addf(sql, "CREATE UNIQUE INDEX \"%s__%s_unique\" ON \"%s\" (", t, f->name, t);
            if (f->flags & F_UNIQUE)
                strbuf_adds(sql, "workspace_id, ");
            if (f->unique_with)
                strbuf_addf(sql, "\"%s\", ", f->unique_with);
            strbuf_addf(sql, "\"%s\");\n", f->name);
        } else if (f->ref) {
            /* cascades and SET NULL look rows up by the reference alone (unless a composite index
             * of the entity's starts with it) */
            if (!leads_an_index(en, f->name))
                strbuf_addf(sql, "CREATE INDEX \"%s_%s\" ON \"%s\" (\"%s\");\n", t, f->name, t, f->name);
        } else if ((f->flags & F_SORT) || ((f->flags & F_FILTER) && worth_an_index(f))) {
            strbuf_addf(sql, "CREATE INDEX \"%s_%s\" ON \"%s\" (workspace_id, \"%s\");\n", t, f->name, t, f->name);
        }
        if ((f->flags & F_SEARCH) && nsearch < 32)
            search[nsearch++] = f->name;
    }
    for (const char *const *ix = en->indexes; ix && *ix; ix++) {
        char name[96];
        snprintf(name, sizeof name, "%s_%s", t, *ix);
        for (char *p = name; *p; p++)
            if (*p == ',' || *p == ' ')
                *p = '_';
        strbuf_addf(sql, "CREATE INDEX \"%s\" ON \"%s\" (%s);\n", name, t, *ix);
    }
    if (nsearch)
        d->be->fts_ddl(sql, t, search, nsearch);
}

void schema_entity_ddl(db *d, const entity *en, strbuf *sql)
{
    strbuf later = STRBUF_INIT;
    entity_ddl(d, en, sql, &later);
    strbuf_add(sql, later.buf, later.len);
    strbuf_release(&later);
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
    db_stmt *s;
    int rc = db_query_row(d, &s, e, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", 0, NULL);
    if (rc != DB_ROW)
        return rc < 0 ? rc : 0;
    int v = (int)db_col_int(s, 0);
    db_finalize(s);
    return v;
}

/* The SQL of one migration: generated entity DDL, then the embedded file. */
static int migration_sql(db *d, const struct migration *m, strbuf *sql, err_t *e)
{
    strbuf later = STRBUF_INIT;
    for (int i = 0; i < entity_count; i++) {
        const entity *en = entity_table[i];
        if (en->since == m->version) {
            entity_ddl(d, en, sql, &later);
            continue;
        }
        for (int f = 0; f < en->nfields; f++)
            if (en->fields[f].since == m->version && en->since < m->version) {
                strbuf_addf(sql, "ALTER TABLE \"%s\" ADD COLUMN ", en->name);
                column_ddl(d, en, &en->fields[f], sql, &later);
                strbuf_adds(sql, ";\n");
            }
    }
    strbuf_add(sql, later.buf, later.len);
    strbuf_release(&later);
    if (m->sql_file) {
        const char *text = embedded(m->sql_file);
        if (!text)
            return err_set(e, E_INTERNAL, NULL, "migration file %s is not embedded", m->sql_file);
        strbuf_adds(sql, text);
    }
    return 0;
}

/* One migration in one transaction. The version is read inside it, after the backend's migration lock,
 * so servers starting together apply each migration exactly once. Returns 1 if applied, 0 if another
 * process had, or <0. */
static int apply(db *d, const struct migration *m, int again, err_t *e)
{
    strbuf sql = STRBUF_INIT;
    int rc = db_begin(d, e);
    if (rc >= 0 && d->be->migration_lock)
        rc = db_exec(d, d->be->migration_lock, e);
    if (rc >= 0)
        rc = again ? 0 : current_version(d, e);
    if (rc >= m->version) {
        db_rollback(d);
        return 0;
    }
    if (rc >= 0)
        rc = migration_sql(d, m, &sql, e);
    if (rc >= 0 && sql.len) /* a migration may be C alone (PostgreSQL rejects an empty statement) */
        rc = db_exec(d, sql.buf, e);
    strbuf_release(&sql);
    if (rc >= 0 && m->after)
        rc = m->after(d, e);
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
    rc = db_commit(d, e);
    return rc < 0 ? rc : 1;
}

int schema_apply_again(db *d, int version, err_t *e)
{
    for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++)
        if (migrations[i].version == version)
            return apply(d, &migrations[i], 1, e);
    return err_set(e, E_NOT_FOUND, NULL, "no migration %d", version);
}

int schema_migrate(db *d, err_t *e)
{
    /* under the migration lock too: two servers starting on an empty database both get here */
    int rc = db_begin(d, e);
    if (rc >= 0 && d->be->migration_lock)
        rc = db_exec(d, d->be->migration_lock, e);
    if (rc >= 0)
        rc = db_exec(d,
                     "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                     "applied_at TEXT NOT NULL)",
                     e);
    if (rc < 0)
        db_rollback(d);
    else
        rc = db_commit(d, e);
    int have = rc < 0 ? rc : current_version(d, e);
    if (have < 0)
        return have;
    if (have > schema_latest())
        return err_set(e, E_UNAVAILABLE, "db", "the database is at schema version %d, newer than this rapport (%d)",
                       have, schema_latest());
    int applied = 0;
    for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++) {
        if (migrations[i].version <= have)
            continue;
        if ((rc = apply(d, &migrations[i], 0, e)) < 0)
            return rc;
        applied += rc;
    }
    return applied;
}
