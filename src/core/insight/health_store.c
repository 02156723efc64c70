/* health_store: each active client's health score and band kept on its row (clients.health_*), so lists
 * filter and sort by health and the at-risk list scores only the few clients it shows.
 *
 * The worker refreshes a workspace in two ways: in full (every active client, at start and once a UTC
 * day, since time alone moves a score: a cadence lapses, a deliverable falls overdue), and in between
 * only the clients whose inputs changed, found in the audit log (every write leaves an entry naming
 * the record, whose JSON names its client) after the mark the last refresh left in health_marks. A row
 * is written only when its score or band changed; a change of band keeps the band before it and when,
 * which is what "dropped a band since" reads. */
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "core/events/events.h"
#include "util/clock.h"
#include "core/insight/health_impl.h"
#include "core/insight/health_store.h"
#include "core/engine/record.h"

#define DAY 86400
#define BATCH 500 /* rows per transaction: the writer lock is held briefly, and the search vocabulary's
                   * note of written rows stays small */

static const char *col(db_stmt *s, int i) { return db_col_type(s, i) == DB_NULL ? NULL : db_col_text(s, i, NULL); }

int health_mark_read(db *d, const actor *who, health_mark *m, err_t *e)
{
    memset(m, 0, sizeof *m);
    db_stmt *s;
    const char *args[] = {who->workspace_id};
    int rc = db_query_row(d, &s, e, "SELECT audit_id, audit_at, full_at FROM health_marks WHERE workspace_id = ?",
                          1, args);
    if (rc < 0)
        return rc;
    if (rc == DB_ROW) {
        m->found = 1;
        snprintf(m->audit_id, sizeof m->audit_id, "%s", col(s, 0) ? col(s, 0) : "");
        snprintf(m->audit_at, sizeof m->audit_at, "%s", col(s, 1) ? col(s, 1) : "");
        clock_parse(col(s, 2), &m->full_at);
        db_finalize(s);
    }
    return 0;
}

/* The newest audit entry of the workspace: where the next refresh starts reading. */
static int newest_audit(db *d, const actor *who, health_mark *m, err_t *e)
{
    db_stmt *s;
    const char *args[] = {who->workspace_id};
    int rc = db_query_row(d, &s, e,
                          "SELECT id, created_at FROM audit WHERE workspace_id = ? ORDER BY id DESC LIMIT 1",
                          1, args);
    if (rc < 0)
        return rc;
    if (rc == DB_ROW) {
        snprintf(m->audit_id, sizeof m->audit_id, "%s", col(s, 0));
        snprintf(m->audit_at, sizeof m->audit_at, "%s", col(s, 1));
        db_finalize(s);
    }
    return 0;
}

static int add_id(health_dirty *dt, const char *id)
{
    if (!id)
        return 0;
    for (size_t i = 0; i < dt->n; i++)
        if (!strcmp(dt->ids[i], id))
            return 0;
    if (dt->n == HEALTH_DIRTY_MAX) {
        dt->overflow = 1;
        return 0;
    }
    dt->ids[dt->n] = strdup(id);
    if (!dt->ids[dt->n])
        return -1;
    dt->n++;
    return 0;
}

/* the client a record belongs to, from its JSON (before or after the change) */
static const char *client_of(json_t *j) { return json_string_value(json_object_get(j, "client_id")); }

/* Audit ids start with the real clock's milliseconds (util/ids.h). The entries to read again start this
 * long before the mark's: read twice is harmless, and a write that took its id before the mark's but
 * committed after it (another server's, on PostgreSQL) is not missed. */
#define AUDIT_MARGIN_MS 2000

static void audit_bound(const char *mark_id, char out[ID_MAX])
{
    static const char b32[] = "0123456789abcdefghjkmnpqrstvwxyz";
    const char *p = strchr(mark_id, '_');
    uint64_t ms = 0;
    for (int i = 1; p && i <= 10 && p[i]; i++) {
        const char *at = strchr(b32, p[i]);
        ms = ms * 32 + (uint64_t)(at ? at - b32 : 0);
    }
    unsigned char zero[10] = {0};
    id_make("aud", ms > AUDIT_MARGIN_MS ? ms - AUDIT_MARGIN_MS : 0, zero, out);
}

int health_dirty_since(db *d, const actor *who, const health_mark *m, health_dirty *out, err_t *e)
{
    memset(out, 0, sizeof *out);
    char from[ID_MAX];
    audit_bound(m->audit_id, from);
    db_stmt *s;
    int rc = db_prepare(d, "SELECT entity, record_id, \"before\", \"after\" FROM audit WHERE id >= ? AND "
                           "workspace_id = ? AND entity IN ('clients', 'interactions', 'deliverables', 'feedback', "
                           "'tickets', 'invoices', 'projects', 'workspaces')",
                        &s, e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, from);
    db_bind_text(s, 2, who->workspace_id);
    while ((rc = db_step(s, e)) == DB_ROW && !out->overflow) {
        const char *kind = col(s, 0);
        if (!strcmp(kind, "workspaces")) { /* the health settings may have changed: everyone */
            out->overflow = 1;
            break;
        }
        if (!strcmp(kind, "clients")) {
            rc = add_id(out, col(s, 1));
        } else {
            json_t *before = col(s, 2) ? json_loads(col(s, 2), 0, NULL) : NULL,
                   *after = col(s, 3) ? json_loads(col(s, 3), 0, NULL) : NULL;
            rc = add_id(out, client_of(before));
            if (rc == 0)
                rc = add_id(out, client_of(after)); /* a record moved to another client: both */
            json_decref(before);
            json_decref(after);
        }
        if (rc < 0) {
            rc = err_set(e, E_INTERNAL, NULL, "out of memory");
            break;
        }
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

void health_dirty_release(health_dirty *dt)
{
    for (size_t i = 0; i < dt->n; i++)
        free(dt->ids[i]);
    dt->n = 0;
}

typedef struct stored {
    char *id, *band;
    int score, change;
} stored;

/* Writes one client's score, band and change over 30 days when one of them changed (was NULL: never
 * scored). */
static int store(db *d, const actor *who, const char *id, const health_result *r, int change, const stored *was,
                 const char *now, err_t *e)
{
    const char *band = health_band_names[r->band];
    if (was && was->band && was->score == r->score && was->change == change && !strcmp(was->band, band))
        return 0;
    db_stmt *s;
    int rc = db_prepare(d,
                        "UPDATE clients SET health_score = ?, health_band = ?, health_change_30_days = ?, "
                        "health_band_before = CASE WHEN health_band IS NULL OR health_band = ? THEN health_band_before "
                        "ELSE health_band END, "
                        "health_band_changed_at = CASE WHEN health_band IS NULL OR health_band = ? THEN "
                        "health_band_changed_at ELSE ? END, health_scored_at = ? WHERE id = ? AND workspace_id = ?",
                        &s, e);
    if (rc < 0)
        return rc;
    db_bind_int(s, 1, r->score);
    db_bind_text(s, 2, band);
    db_bind_int(s, 3, change);
    db_bind_text(s, 4, band);
    db_bind_text(s, 5, band);
    db_bind_text(s, 6, now);
    db_bind_text(s, 7, now);
    db_bind_text(s, 8, id);
    db_bind_text(s, 9, who->workspace_id);
    rc = db_step(s, e);
    db_finalize(s);
    if (rc >= 0 && was && was->band && strcmp(was->band, band)) {
        /* a move to another band is an event subscribers hear of (webhooks), in the same transaction */
        json_t *data = json_pack("{s:s,s:s,s:s,s:i}", "client_id", id, "from", was->band, "to", band, "score", r->score);
        char *text = data ? json_dumps(data, JSON_COMPACT) : NULL;
        rc = text ? events_emit(d, who, "health.band_changed", text, e) : err_set(e, E_INTERNAL, NULL, "out of memory");
        free(text);
        json_decref(data);
    }
    return rc < 0 ? rc : 1;
}

static int stored_by_id(const void *a, const void *b) { return strcmp(((const stored *)a)->id, ((const stored *)b)->id); }

/* what is stored now for the active clients (or the listed ones), sorted by id */
static int load_stored(db *d, const client_scope *scope, stored **out, size_t *n, err_t *e)
{
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "SELECT c.id, c.health_score, c.health_band, c.health_change_30_days FROM clients c WHERE %s",
                scope->where);
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    for (int i = 0; i < scope->nargs; i++)
        db_bind_text(s, i + 1, scope->args[i]);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            stored *grown = realloc(*out, cap * sizeof *grown);
            if (!grown) {
                rc = err_set(e, E_INTERNAL, NULL, "out of memory");
                break;
            }
            *out = grown;
        }
        stored *x = &(*out)[(*n)++];
        x->id = strdup(col(s, 0));
        x->score = (int)db_col_int(s, 1);
        x->band = col(s, 2) ? strdup(col(s, 2)) : NULL;
        x->change = (int)db_col_int(s, 3);
    }
    db_finalize(s);
    if (*n)
        qsort(*out, *n, sizeof **out, stored_by_id);
    return rc < 0 ? rc : 0;
}

static void free_stored(stored *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].band);
    }
    free(v);
}

/* Scores the clients of scope now and writes what changed, in batches. */
static int rescore(db *d, const actor *who, const client_scope *scope, int64_t now, long *written, err_t *e)
{
    stored *old = NULL;
    size_t nold = 0;
    health_set hs;
    int rc = load_stored(d, scope, &old, &nold, e);
    if (rc == 0)
        rc = health_gather_scope(d, who, scope, now, &hs, e);
    else
        memset(&hs, 0, sizeof hs);
    char at[CLOCK_RFC3339_LEN];
    clock_format(now, at);
    int in_tx = 0, pending = 0;
    for (size_t i = 0; rc == 0 && i < hs.n; i++) {
        health_result r, then;
        health_evaluate(&hs, i, 0, &r);
        health_evaluate(&hs, i, 1, &then);
        stored key = {.id = hs.c[i].id}, *was = nold ? bsearch(&key, old, nold, sizeof *old, stored_by_id) : NULL;
        if (!in_tx && (rc = db_begin(d, e)) < 0)
            break;
        in_tx = 1;
        int w = store(d, who, hs.c[i].id, &r, r.score - then.score, was, at, e);
        if (w < 0) {
            rc = w;
            break;
        }
        *written += w;
        if (++pending == BATCH) {
            if ((rc = db_commit(d, e)) < 0)
                in_tx = 0;
            in_tx = pending = 0;
        }
    }
    if (in_tx) {
        if (rc == 0)
            rc = db_commit(d, e);
        else
            db_rollback(d);
    }
    health_set_release(&hs);
    free_stored(old, nold);
    return rc;
}

static int save_mark(db *d, const actor *who, const health_mark *m, err_t *e)
{
    char full[CLOCK_RFC3339_LEN];
    clock_format(m->full_at, full);
    const char *del[] = {who->workspace_id}, *ins[] = {who->workspace_id, m->audit_id, m->audit_at, full};
    db_stmt *s;
    int rc = db_begin(d, e);
    if (rc == 0 && (rc = db_query_row(d, &s, e, "DELETE FROM health_marks WHERE workspace_id = ?", 1, del)) >= 0)
        rc = db_query_row(d, &s, e,
                          "INSERT INTO health_marks (workspace_id, audit_id, audit_at, full_at) VALUES (?, ?, ?, ?)",
                          4, ins);
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d, e);
}

/* The clients no longer active keep no score (the health of a relationship that is over is not news). */
static int clear_inactive(db *d, const actor *who, err_t *e)
{
    db_stmt *s;
    const char *args[] = {who->workspace_id};
    int rc = db_query_row(d, &s, e,
                          "UPDATE clients SET health_score = NULL, health_band = NULL, health_change_30_days = NULL, "
                          "health_band_before = NULL, "
                          "health_band_changed_at = NULL, health_scored_at = NULL "
                          "WHERE workspace_id = ? AND stage <> 'active' AND health_band IS NOT NULL",
                          1, args);
    return rc < 0 ? rc : 0;
}

int health_store_refresh(db *d, const actor *who, int full, long *written, err_t *e)
{
    *written = 0;
    int64_t now = clock_now();
    health_mark m, next;
    int rc = health_mark_read(d, who, &m, e);
    if (rc < 0)
        return rc;
    /* a full refresh at least once a UTC day (and the first time) */
    full = full || !m.found || m.full_at / DAY != now / DAY;
    memset(&next, 0, sizeof next);
    next.full_at = full ? now : m.full_at;
    if ((rc = newest_audit(d, who, &next, e)) < 0) /* read before scoring: later writes are read next time */
        return rc;
    health_dirty dt = {0};
    if (!full) {
        if (!strcmp(next.audit_id, m.audit_id))
            return 0; /* nothing written since */
        if ((rc = health_dirty_since(d, who, &m, &dt, e)) < 0)
            return rc;
        full = dt.overflow;
        next.full_at = full ? now : m.full_at;
    }
    client_scope scope;
    if (full) {
        client_scope_init(&scope, who->workspace_id, NULL, NULL);
        rc = rescore(d, who, &scope, now, written, e);
        if (rc == 0)
            rc = clear_inactive(d, who, e);
    } else if (dt.n) {
        /* the listed clients that are active; those that are not lose their score */
        client_scope_ids(&scope, who->workspace_id, dt.ids, dt.n);
        size_t k = (size_t)strlen(scope.where);
        snprintf(scope.where + k, sizeof scope.where - k, " AND c.stage = 'active'");
        rc = rescore(d, who, &scope, now, written, e);
        if (rc == 0)
            rc = clear_inactive(d, who, e);
    }
    health_dirty_release(&dt);
    if (rc == 0)
        rc = save_mark(d, who, &next, e);
    return rc;
}

int health_store_refresh_all(db *d, int full, long *written, err_t *e)
{
    *written = 0;
    db_stmt *s;
    int rc = db_prepare(d, "SELECT id FROM workspaces", &s, e);
    if (rc < 0)
        return rc;
    char (*ids)[ID_MAX] = NULL;
    size_t n = 0, cap = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            void *grown = realloc(ids, cap * sizeof *ids);
            if (!grown) {
                rc = err_set(e, E_INTERNAL, NULL, "out of memory");
                break;
            }
            ids = grown;
        }
        snprintf(ids[n++], ID_MAX, "%s", col(s, 0));
    }
    db_finalize(s);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        actor system = {.role = ROLE_SYSTEM};
        snprintf(system.workspace_id, sizeof system.workspace_id, "%s", ids[i]);
        long w = 0;
        rc = health_store_refresh(d, &system, full, &w, e);
        *written += w;
    }
    free(ids);
    return rc < 0 ? rc : 0;
}

int health_dropped_since(db *d, const actor *who, int64_t since, const char *owner_id, health_drop **out, size_t *n,
                         err_t *e)
{
    *out = NULL;
    *n = 0;
    int rc = access_whole(who, entity_by_name("clients"), OP_LIST, e);
    if (rc < 0)
        return rc;
    char at[CLOCK_RFC3339_LEN];
    clock_format(since, at);
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "SELECT id, name, owner_id, health_score, health_band, health_band_before, health_band_changed_at "
                      "FROM clients WHERE workspace_id = ? AND stage = 'active' AND health_band_changed_at >= ?%s",
                owner_id ? " AND owner_id = ?" : "");
    db_stmt *s;
    rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, who->workspace_id);
    db_bind_text(s, 2, at);
    if (owner_id)
        db_bind_text(s, 3, owner_id);
    size_t cap = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        int band = health_band_parse(col(s, 4)), before = health_band_parse(col(s, 5));
        if (band < 0 || before < 0 || band <= before) /* bands run best first: a drop is to a higher one */
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            health_drop *grown = realloc(*out, cap * sizeof *grown);
            if (!grown) {
                rc = err_set(e, E_INTERNAL, NULL, "out of memory");
                break;
            }
            *out = grown;
        }
        health_drop *x = &(*out)[(*n)++];
        memset(x, 0, sizeof *x);
        snprintf(x->client_id, sizeof x->client_id, "%s", col(s, 0));
        x->name = strdup(col(s, 1) ? col(s, 1) : "");
        x->owner_id = col(s, 2) ? strdup(col(s, 2)) : NULL;
        x->score = (int)db_col_int(s, 3);
        x->band = band;
        x->band_before = before;
        clock_parse(col(s, 6), &x->changed_at);
    }
    db_finalize(s);
    if (rc < 0) {
        health_drops_free(*out, *n);
        *out = NULL;
        *n = 0;
        return rc;
    }
    return 0;
}

void health_drops_free(health_drop *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].owner_id);
    }
    free(v);
}
