/* rules_util: what the entities' rules share — the value a write leaves, reading and patching related
 * records through the generic paths (so their own rules, checks and audit run). */
#include <string.h>

#include "util/clock.h"
#include "core/engine/record.h"
#include "core/rules/rules.h"

json_t *rules_value(const write_ctx *c, const char *key)
{
    json_t *v = json_object_get(c->body, key);
    if (!v && c->old)
        v = json_object_get(c->old, key);
    return json_is_null(v) ? NULL : v;
}

const char *rules_str(const write_ctx *c, const char *key) { return json_string_value(rules_value(c, key)); }

void rules_set_now(json_t *body, const char *key)
{
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    json_object_set_new(body, key, json_string(now));
}

/* Rules name entities by their table name; a name not in the table is a typo in the rules. */
static const entity *named(const char *entity_name)
{
    const entity *en = entity_by_name(entity_name);
    if (!en)
        BUG("the rules name an entity %s that the table lacks", entity_name);
    return en;
}

json_t *rules_fetch(const write_ctx *c, const char *entity_name, const char *id)
{
    actor sys = *c->who;
    sys.role = ROLE_SYSTEM;
    return record_read(c->d, &sys, named(entity_name), id, c->e);
}

int rules_patch(const write_ctx *c, const char *entity_name, const char *id, json_t *patch)
{
    json_t *rec = rules_fetch(c, entity_name, id);
    if (!rec)
        return c->e->code ? c->e->code : E_INTERNAL;
    actor sys = *c->who;
    sys.role = ROLE_SYSTEM; /* the rule decides; the caller's right to the first write was checked */
    json_object_set(patch, "version", json_object_get(rec, "version"));
    strbuf out = STRBUF_INIT;
    int rc = record_update(c->d, &sys, named(entity_name), id, patch, &out, c->e);
    strbuf_release(&out);
    json_decref(rec);
    return rc;
}

int rules_default_currency(const write_ctx *c, const char *key)
{
    if (c->old || json_object_get(c->body, key))
        return 0;
    db_stmt *s;
    const char *args[] = {c->who->workspace_id};
    int rc = db_query_row(c->d, &s, c->e, "SELECT currency FROM workspaces WHERE id = ?", 1, args);
    if (rc == DB_ROW) {
        json_object_set_new(c->body, key, json_string(db_col_text(s, 0, NULL)));
        db_finalize(s);
    }
    return rc < 0 ? rc : 0;
}

void rules_set_today(json_t *body, const char *key)
{
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    now[10] = '\0'; /* "YYYY-MM-DD" of the UTC instant */
    json_object_set_new(body, key, json_string(now));
}
