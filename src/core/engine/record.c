/* record: generic CRUD over the entity table (see record.h). */
#include "core/engine/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/access/access.h"
#include "core/engine/transition.h"
#include "core/events/events.h"
#include "core/model/custom.h"

/* An INSERT binds every field, the custom column and five system columns. */
_Static_assert(ENTITY_MAX_FIELDS + 6 <= DB_MAX_PARAMS,
               "a record's INSERT would bind more values than a statement takes");

static const char *const SYSTEM_FIELDS[] = {"id", "workspace_id", "created_at", "updated_at", "created_by", "version",
                                            NULL};

void record_emit(const entity *en, db_stmt *s, strbuf *out)
{
    size_t n;
    const char *t = db_col_text(s, 0, &n);
    strbuf_adds(out, "{\"id\":");
    strbuf_add_json_strn(out, t, n);
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        if (f->flags & (F_WRITEONLY | F_HIDDEN))
            continue;
        /* ,"name": — names are plain identifiers, so no escaping and no printf on this hot path */
        strbuf_add(out, ",\"", 2);
        strbuf_adds(out, f->name);
        strbuf_add(out, "\":", 2);
        if (db_col_type(s, 5 + i) == DB_NULL)
            strbuf_adds(out, "null");
        else
            f->type->emit(f, s, 5 + i, out);
    }
    if (en->flags & ENT_CUSTOM) {
        strbuf_adds(out, ",\"custom\":");
        t = db_col_text(s, 5 + en->nfields, &n);
        if (t)
            strbuf_add(out, t, n);
        else
            strbuf_adds(out, "{}");
    }
    static const char *const sys[] = {",\"created_at\":", ",\"updated_at\":", ",\"created_by\":"};
    for (int i = 0; i < 3; i++) {
        strbuf_adds(out, sys[i]);
        t = db_col_text(s, 1 + i, &n);
        if (t)
            strbuf_add_json_strn(out, t, n);
        else
            strbuf_adds(out, "null");
    }
    strbuf_addf(out, ",\"version\":%lld}", (long long)db_col_int(s, 4));
}

/* Reads one record of the actor's workspace into out, if the actor may see it (access_scope_sql);
 * E_NOT_FOUND when there is none. */
static int fetch(db *d, const actor *who, const entity *en, const char *id, strbuf *out, err_t *e)
{
    if (!id_valid(id))
        return err_set(e, E_NOT_FOUND, "id", "no %s with id %.60s", en->singular, id);
    /* built once at start: this is every read's and write's hot path; a row scope (a member's own tokens,
     * a client's contact) adds its conditions to a copy */
    strbuf scope = STRBUF_INIT, scoped = STRBUF_INIT;
    const char *scope_args[ACCESS_SCOPE_MAX];
    int nscope = access_scope_sql(who, en, "r", &scope, scope_args);
    if (scope.len) {
        strbuf_adds(&scoped, entity_fetch_sql(en));
        strbuf_add(&scoped, scope.buf, scope.len);
    }
    db_stmt *s;
    int rc = db_prepare(d, scope.len ? scoped.buf : entity_fetch_sql(en), &s, e);
    strbuf_release(&scope);
    strbuf_release(&scoped);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, who->workspace_id);
    for (int i = 0; i < nscope; i++)
        db_bind_text(s, 3 + i, scope_args[i]);
    rc = db_step(s, e);
    if (rc == DB_ROW)
        record_emit(en, s, out);
    db_finalize(s);
    if (rc == DB_DONE)
        return err_set(e, E_NOT_FOUND, "id", "no %s with id %.60s", en->singular, id);
    return rc < 0 ? rc : 0;
}

int record_get(db *d, const actor *who, const entity *en, const char *id, strbuf *out, err_t *e)
{
    int rc = access_check(who, en, OP_GET, NULL, e);
    return rc ? rc : fetch(d, who, en, id, out, e);
}

static void add_extra(strbuf *out, size_t start, json_t *extra);

json_t *record_read(db *d, const actor *who, const entity *en, const char *id, err_t *e)
{
    strbuf out = STRBUF_INIT;
    json_t *rec = NULL;
    if (record_get(d, who, en, id, &out, e) == 0 && !(rec = json_loads(out.buf, 0, NULL)))
        err_set(e, E_INTERNAL, NULL, "unreadable %s", en->singular);
    strbuf_release(&out);
    return rec;
}

int record_show(db *d, const actor *who, const entity *en, const char *id, strbuf *out, err_t *e)
{
    size_t start = out->len;
    int rc = record_get(d, who, en, id, out, e);
    if (rc || !en->describe || out->len <= start)
        return rc;
    strbuf_truncate(out, out->len - 1); /* the record's closing brace: the hook's keys go before it */
    if ((rc = en->describe(d, who, id, out, e)) < 0)
        strbuf_truncate(out, start);
    else
        strbuf_addc(out, '}');
    return rc;
}

int record_audit(db *d, const actor *who, const entity *en, const char *action, const char *id, const char *before,
                 const char *after, err_t *e)
{
    if (!(en->flags & ENT_AUDITED))
        return 0;
    char aid[ID_MAX], now[CLOCK_RFC3339_LEN];
    id_new("aud", aid);
    clock_format(clock_now(), now);
    db_stmt *s;
    int rc = db_prepare(d,
                        "INSERT INTO audit (id, workspace_id, created_at, updated_at, created_by, version, action, "
                        "entity, record_id, \"before\", \"after\") VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
                        &s, e);
    if (rc < 0)
        return rc;
    const char *vals[] = {aid, who->workspace_id, now, now, who->user_id[0] ? who->user_id : NULL,
                          action, en->name, id, before, after};
    for (int i = 0; i < 10; i++)
        db_bind_text(s, i + 1, vals[i]);
    rc = db_step(s, e);
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

/* Rejects keys the caller may not send: unknown fields, server-set fields, hidden ones. The program
 * itself (ROLE_SYSTEM: a rule patching a related record through rules_patch) may send read-only fields,
 * which are exactly the ones rules maintain. */
static int check_keys(const actor *who, const entity *en, json_t *body, int creating, err_t *e)
{
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        if (!creating && !strcmp(key, "version"))
            continue;
        if (!strcmp(key, "custom") && (en->flags & ENT_CUSTOM))
            continue;
        for (const char *const *s = SYSTEM_FIELDS; *s; s++)
            if (!strcmp(*s, key))
                return err_set(e, E_READ_ONLY, key, "%s is set by the server", key);
        const field *f = entity_field(en, key);
        if (!f || (f->flags & F_HIDDEN))
            return err_set(e, E_UNKNOWN_FIELD, key, "%s has no field %.60s", en->path, key);
        if ((f->flags & F_READONLY) && who->role != ROLE_SYSTEM)
            return err_set(e, E_READ_ONLY, key, "%s is set by the server", key);
    }
    return 0;
}

int record_check_reference(db *d, const actor *who, const field *f, const char *id, err_t *e)
{
    const entity *target = entity_by_name(f->ref);
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "SELECT 1 FROM \"%s\" WHERE id = ? AND workspace_id = ?", target->name);
    db_stmt *s;
    const char *args[] = {id, who->workspace_id};
    int rc = db_query_row(d, &s, e, sql.buf, 2, args);
    strbuf_release(&sql);
    if (rc == DB_ROW) {
        db_finalize(s);
        return 0;
    }
    if (rc == DB_DONE)
        return err_set(e, E_INVALID_REFERENCE, f->name, "%s: no %s with id %.60s", f->name, target->singular, id);
    return rc;
}

typedef struct parsed {
    const field *f;
    field_value v;
} parsed;

/* A value of the record as it will be: sent now, else as it was. */
static const char *merged_str(const write_ctx *c, const char *key)
{
    json_t *v = json_object_get(c->body, key);
    if (!v && c->old)
        v = json_object_get(c->old, key);
    return json_string_value(v);
}

/* Whether field f of en names a record that belongs to a client (a contact, a project, a deal, a ticket...)
 * on an entity that has a client of its own: check_client_refs reads that record once, for both whether it
 * exists and whose it is. */
static int client_bound(const entity *en, const field *f)
{
    const entity *target = f->ref ? entity_by_name(f->ref) : NULL;
    return target && strcmp(f->name, "client_id") && entity_field(en, "client_id") && entity_field(target, "client_id");
}

/* The client-bound references (client_bound) exist, and name records of this record's own client:
 * Bluebell's contact on Quarry's interaction is refused, naming the field. Checked for the references sent,
 * and for all of them when the client is sent (a record moved to another client while it names the first
 * one's contact); a record without a client, or a target without one, is free. */
static int check_client_refs(const write_ctx *c)
{
    const entity *en = c->en;
    const char *client = merged_str(c, "client_id");
    int client_sent = json_object_get(c->body, "client_id") != NULL;
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        if (!client_bound(en, f) || !(json_object_get(c->body, f->name) || (client_sent && client)))
            continue;
        const char *id = merged_str(c, f->name);
        if (!id)
            continue;
        const entity *target = entity_by_name(f->ref);
        strbuf sql = STRBUF_INIT;
        strbuf_addf(&sql, "SELECT client_id FROM \"%s\" WHERE id = ? AND workspace_id = ?", target->name);
        db_stmt *s;
        const char *args[] = {id, c->who->workspace_id};
        int rc = db_query_row(c->d, &s, c->e, sql.buf, 2, args);
        strbuf_release(&sql);
        if (rc == DB_DONE)
            return err_set(c->e, E_INVALID_REFERENCE, f->name, "%s: no %s with id %.60s", f->name, target->singular, id);
        if (rc < 0)
            return rc;
        const char *owner = db_col_type(s, 0) == DB_NULL ? NULL : db_col_text(s, 0, NULL);
        rc = client && owner && strcmp(owner, client)
                 ? err_set(c->e, E_INVALID_VALUE, f->name, "%s: %s %.60s belongs to another client, not this %s's",
                           f->name, target->singular, id, en->singular)
                 : 0;
        db_finalize(s);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Validates every field present in body (and, on create, the missing required ones) into vals. */
static int parse_body(write_ctx *c, int creating, parsed *vals, int *nvals)
{
    const entity *en = c->en;
    *nvals = 0;
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        json_t *v = json_object_get(c->body, f->name);
        if (!v && !creating)
            continue;
        parsed *p = &vals[(*nvals)++];
        p->f = f;
        int rc = field_parse_json(f, v, &p->v, c->e);
        if (rc < 0)
            return rc;
        if (f->ref && !p->v.is_null && !client_bound(en, f) &&
            (rc = record_check_reference(c->d, c->who, f, p->v.s, c->e)) < 0)
            return rc;
    }
    return 0;
}

static void free_vals(parsed *vals, int n)
{
    for (int i = 0; i < n; i++)
        field_value_clear(&vals[i].v);
}

static json_t *load_json(const char *text)
{
    return text ? json_loads(text, 0, NULL) : NULL;
}

/* The write path shared by create and update, inside the caller's transaction. */
static int write_record(write_ctx *c, int creating, int64_t version, strbuf *out)
{
    const entity *en = c->en;
    parsed vals[ENTITY_MAX_FIELDS];
    int nvals = 0, rc;
    char *custom = NULL;
    strbuf sql = STRBUF_INIT;
    if ((en->imply && (rc = en->imply(c)) < 0) || (rc = transition_check(c)) < 0 ||
        (en->before_write && (rc = en->before_write(c)) < 0))
        goto done;
    /* the values written, server-set ones included, stay inside the actor's scope (its own tokens, its client) */
    if ((rc = access_check(c->who, en, creating ? OP_CREATE : OP_UPDATE, c->body, c->e)) < 0)
        goto done;
    if ((rc = parse_body(c, creating, vals, &nvals)) < 0 || (rc = check_client_refs(c)) < 0)
        goto done;
    json_t *cj = json_object_get(c->body, "custom");
    if (en->flags & ENT_CUSTOM) {
        json_t *oldc = c->old ? json_object_get(c->old, "custom") : NULL;
        if ((cj || creating) && (rc = custom_validate(c->d, c->who, en, cj, oldc, &custom, c->e)) < 0)
            goto done;
    }
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    db_stmt *s;
    int bind = 1;
    if (creating) {
        strbuf_addf(&sql, "INSERT INTO \"%s\" (id, workspace_id, created_at, updated_at, created_by, version", en->name);
        for (int i = 0; i < nvals; i++)
            strbuf_addf(&sql, ", \"%s\"", vals[i].f->name);
        if (custom)
            strbuf_adds(&sql, ", custom");
        strbuf_adds(&sql, ") VALUES (?, ?, ?, ?, ?, 1");
        for (int i = 0; i < nvals + (custom != NULL); i++)
            strbuf_adds(&sql, ", ?");
        strbuf_adds(&sql, ")");
        if ((rc = db_prepare(c->d, sql.buf, &s, c->e)) < 0)
            goto done;
        db_bind_text(s, bind++, c->id);
        db_bind_text(s, bind++, (en->flags & ENT_WORKSPACE_ROOT) ? c->id : c->who->workspace_id);
        db_bind_text(s, bind++, now);
        db_bind_text(s, bind++, now);
        db_bind_text(s, bind++, c->who->user_id[0] ? c->who->user_id : NULL);
    } else {
        strbuf_addf(&sql, "UPDATE \"%s\" SET version = version + 1, updated_at = ?", en->name);
        for (int i = 0; i < nvals; i++)
            strbuf_addf(&sql, ", \"%s\" = ?", vals[i].f->name);
        if (custom)
            strbuf_adds(&sql, ", custom = ?");
        strbuf_adds(&sql, " WHERE id = ? AND workspace_id = ? AND version = ?");
        if ((rc = db_prepare(c->d, sql.buf, &s, c->e)) < 0)
            goto done;
        db_bind_text(s, bind++, now);
    }
    for (int i = 0; i < nvals; i++)
        field_bind(s, bind++, &vals[i].v);
    if (custom)
        db_bind_text(s, bind++, custom);
    if (!creating) {
        db_bind_text(s, bind++, c->id);
        db_bind_text(s, bind++, c->who->workspace_id);
        db_bind_int(s, bind++, version);
    }
    rc = db_step(s, c->e);
    db_finalize(s);
    if (rc < 0)
        goto done;
    if (!creating && db_changes(c->d) == 0) {
        rc = err_set(c->e, E_VERSION_CONFLICT, "version",
                     "the %s was changed by someone else since version %lld; reload it and try again",
                     en->singular, (long long)version);
        goto done;
    }
    if (en->after_write && (rc = en->after_write(c)) < 0)
        goto done;
    size_t start = out->len;
    rc = fetch(c->d, c->who, en, c->id, out, c->e);
    if (rc >= 0) /* the events this write raises, queued in its transaction (core/events) */
        rc = events_after_write(c, creating, out->buf + start);
done:
    free_vals(vals, nvals);
    free(custom);
    strbuf_release(&sql);
    return rc;
}

/* Splices extra keys (a new token's secret) into the record's JSON object. */
static void add_extra(strbuf *out, size_t start, json_t *extra)
{
    if (!json_object_size(extra) || out->len <= start)
        return;
    char *x = json_dumps(extra, JSON_COMPACT);
    if (!x)
        return;
    strbuf_truncate(out, out->len - 1); /* the closing brace */
    strbuf_addc(out, ',');
    strbuf_adds(out, x + 1);
    free(x);
}

static int finish(db *d, int rc, err_t *e)
{
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d, e);
}

int record_create(db *d, const actor *who, const entity *en, json_t *body, strbuf *out, err_t *e)
{
    int rc = access_check(who, en, OP_CREATE, NULL, e);
    if (rc)
        return rc;
    if (!json_is_object(body))
        return err_set(e, E_INVALID_JSON, NULL, "the body must be a JSON object");
    if ((rc = check_keys(who, en, body, 1, e)) < 0)
        return rc;
    json_t *work = json_deep_copy(body);
    for (int i = 0; i < en->nfields; i++) /* defaults for fields not given */
        if (en->fields[i].def && !json_object_get(work, en->fields[i].name))
            json_object_set_new(work, en->fields[i].name, json_loads(en->fields[i].def, JSON_DECODE_ANY, NULL));
    char id[ID_MAX];
    id_new(en->id_prefix, id);
    actor root;
    if (en->flags & ENT_WORKSPACE_ROOT) { /* a new workspace is its own workspace, audit entry included */
        root = *who;
        snprintf(root.workspace_id, sizeof root.workspace_id, "%s", id);
        who = &root;
    }
    write_ctx c = {.d = d, .who = who, .en = en, .body = work, .extra = json_object(), .id = id, .e = e};
    if ((rc = db_begin(d, e)) < 0)
        goto out;
    size_t start = out->len;
    rc = write_record(&c, 1, 0, out);
    if (rc >= 0)
        rc = record_audit(d, who, en, "create", id, NULL, out->buf + start, e);
    if (rc >= 0)
        add_extra(out, start, c.extra);
    else
        strbuf_truncate(out, start);
    rc = finish(d, rc, e);
out:
    json_decref(work);
    json_decref(c.extra);
    return rc;
}

int record_create_id(db *d, const actor *who, const entity *en, json_t *body, char id[ID_MAX], err_t *e)
{
    strbuf out = STRBUF_INIT;
    int rc = record_create(d, who, en, body, &out, e);
    if (rc == 0 && id) {
        json_t *rec = json_loads(out.buf, 0, NULL);
        snprintf(id, ID_MAX, "%s", rec ? json_string_value(json_object_get(rec, "id")) : "");
        json_decref(rec);
    }
    strbuf_release(&out);
    return rc;
}

int record_update(db *d, const actor *who, const entity *en, const char *id, json_t *body, strbuf *out, err_t *e)
{
    int rc = access_check(who, en, OP_UPDATE, NULL, e);
    if (rc)
        return rc;
    if (!json_is_object(body))
        return err_set(e, E_INVALID_JSON, NULL, "the body must be a JSON object");
    json_t *ver = json_object_get(body, "version");
    if (!ver || json_is_null(ver))
        return err_set(e, E_REQUIRED, "version", "version is required: send the version you read");
    if (!json_is_integer(ver))
        return err_set(e, E_INVALID_TYPE, "version", "version must be an integer");
    if ((rc = check_keys(who, en, body, 0, e)) < 0)
        return rc;
    strbuf before = STRBUF_INIT;
    json_t *work = json_deep_copy(body), *old = NULL;
    json_object_del(work, "version");
    write_ctx c = {.d = d, .who = who, .en = en, .body = work, .extra = json_object(), .id = id, .e = e};
    if ((rc = db_begin(d, e)) < 0)
        goto out;
    if ((rc = fetch(d, who, en, id, &before, e)) >= 0) {
        c.old = old = load_json(before.buf);
        size_t start = out->len;
        rc = write_record(&c, 0, json_integer_value(ver), out);
        if (rc >= 0)
            rc = record_audit(d, who, en, "update", id, before.buf, out->buf + start, e);
        if (rc < 0)
            strbuf_truncate(out, start);
    }
    rc = finish(d, rc, e);
out:
    strbuf_release(&before);
    json_decref(work);
    json_decref(old);
    json_decref(c.extra);
    return rc;
}

/* Optional references to a deleted record are cleared here rather than by ON DELETE SET NULL alone, so
 * the records that held them count it as a change (version and updated_at move) and a client holding
 * the old version learns of it. */
static int clear_references(db *d, const actor *who, const entity *target, const char *id, err_t *e)
{
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    for (int i = 0; i < entity_count; i++) {
        const entity *en = entity_table[i];
        for (int f = 0; f < en->nfields; f++) {
            const field *fd = &en->fields[f];
            if (!fd->ref || strcmp(fd->ref, target->name) || fd->on_delete != REF_SET_NULL)
                continue;
            strbuf sql = STRBUF_INIT;
            strbuf_addf(&sql, "UPDATE \"%s\" SET \"%s\" = NULL, version = version + 1, updated_at = ? "
                              "WHERE workspace_id = ? AND \"%s\" = ?", en->name, fd->name, fd->name);
            db_stmt *s;
            const char *args[] = {now, who->workspace_id, id};
            int rc = db_query_row(d, &s, e, sql.buf, 3, args);
            strbuf_release(&sql);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

int record_delete(db *d, const actor *who, const entity *en, const char *id, err_t *e)
{
    int rc = access_check(who, en, OP_DELETE, NULL, e);
    if (rc)
        return rc;
    strbuf before = STRBUF_INIT, sql = STRBUF_INIT;
    if ((rc = db_begin(d, e)) < 0)
        goto out;
    if ((rc = fetch(d, who, en, id, &before, e)) >= 0 && en->before_delete) {
        json_t *old = load_json(before.buf), *none = json_object();
        write_ctx c = {.d = d, .who = who, .en = en, .body = none, .old = old, .id = id, .e = e};
        rc = en->before_delete(&c);
        json_decref(old);
        json_decref(none);
    }
    if (rc >= 0)
        rc = clear_references(d, who, en, id, e);
    if (rc >= 0) {
        strbuf_addf(&sql, "DELETE FROM \"%s\" WHERE id = ? AND workspace_id = ?", en->name);
        db_stmt *s;
        const char *args[] = {id, who->workspace_id};
        rc = db_query_row(d, &s, e, sql.buf, 2, args);
        if (rc >= 0)
            rc = record_audit(d, who, en, "delete", id, before.buf, NULL, e);
    }
    rc = finish(d, rc, e);
out:
    strbuf_release(&before);
    strbuf_release(&sql);
    return rc;
}

int record_emit_where(db *d, const actor *who, const entity *en, const char *where, const char *order, int limit,
                      const char *const *args, int nargs, strbuf *out, err_t *e)
{
    if (!access_may(who, en, OP_LIST)) { /* a view shows only what the actor may read */
        strbuf_adds(out, "[]");
        return 0;
    }
    strbuf sql = STRBUF_INIT;
    const char *scope_args[ACCESS_SCOPE_MAX];
    strbuf_addf(&sql, "SELECT %s FROM \"%s\" r WHERE r.workspace_id = ?", entity_select_cols(en), en->name);
    int nscope = access_scope_sql(who, en, "r", &sql, scope_args);
    strbuf_addf(&sql, " AND %s ORDER BY %s LIMIT %d", where, order, limit);
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e), n = 0, b = 1;
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    db_bind_text(s, b++, who->workspace_id);
    for (int i = 0; i < nscope; i++)
        db_bind_text(s, b++, scope_args[i]);
    for (int i = 0; i < nargs; i++)
        db_bind_text(s, b++, args[i]);
    strbuf_addc(out, '[');
    while ((rc = db_step(s, e)) == DB_ROW) {
        if (n++)
            strbuf_addc(out, ',');
        record_emit(en, s, out);
    }
    strbuf_addc(out, ']');
    db_finalize(s);
    return rc < 0 ? rc : 0;
}
