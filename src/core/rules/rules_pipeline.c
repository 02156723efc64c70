/* rules_pipeline: deals and the workspace's deal stages (see rules.h).
 *
 * A deal's stage names one of the workspace's deal_stages (so the pipeline report can order and weigh
 * them); its probability follows the stage unless sent; its status moves are the table's (open → won |
 * lost, lost → open, won is final).
 * Winning a deal makes its client active through the client's own rules, so started_at and the audit
 * come from one place. */
#include <ctype.h>
#include <string.h>

#include "core/engine/transition.h"
#include "core/rules/rules.h"

static const char *str(json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

/* The stage named `name` (or, name NULL, the first by position): its name and default probability
 * (JSON null when it has none) into *stage, a new object. 1 found, 0 not, <0 error. */
static int find_stage(const write_ctx *c, const char *name, json_t **stage)
{
    db_stmt *s;
    const char *args[] = {c->who->workspace_id, name};
    int rc = db_query_row(c->d, &s, c->e,
                          name ? "SELECT name, probability FROM deal_stages WHERE workspace_id = ? AND name = ?"
                               : "SELECT name, probability FROM deal_stages WHERE workspace_id = ? "
                                 "ORDER BY \"position\", name LIMIT 1",
                          name ? 2 : 1, args);
    if (rc != DB_ROW)
        return rc;
    *stage = json_pack("{s:s,s:o}", "name", db_col_text(s, 0, NULL), "probability",
                       db_col_type(s, 1) == DB_NULL ? json_null() : json_integer(db_col_int(s, 1)));
    db_finalize(s);
    return 1;
}

/* 422 naming the stages a deal may be in, in pipeline order. */
static int unknown_stage(const write_ctx *c, const char *name)
{
    db_stmt *s;
    int rc = db_prepare(c->d, "SELECT name FROM deal_stages WHERE workspace_id = ? ORDER BY \"position\", name", &s, c->e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, c->who->workspace_id);
    strbuf names = STRBUF_INIT;
    while ((rc = db_step(s, c->e)) == DB_ROW)
        strbuf_addf(&names, "%s%s", names.len ? ", " : "", db_col_text(s, 0, NULL));
    db_finalize(s);
    if (rc >= 0)
        rc = names.len ? err_set(c->e, E_INVALID_VALUE, "stage", "no deal stage %.60s; the stages are: %s", name, names.buf)
                       : err_set(c->e, E_INVALID_VALUE, "stage", "the workspace has no deal stages yet; add one first");
    strbuf_release(&names);
    return rc;
}

/* Sets stage (on create without one) and probability (when the stage is new and none is sent). */
static int apply_stage(write_ctx *c)
{
    json_t *sent = json_object_get(c->body, "stage");
    if (sent && !json_is_string(sent))
        return 0; /* null or a wrong type: validation names it */
    if (!sent && c->old)
        return 0;
    const char *name = json_string_value(sent);
    if (c->old && !strcmp(name, str(c->old, "stage")))
        return 0;
    json_t *stage = NULL;
    int rc = find_stage(c, name, &stage);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return unknown_stage(c, name ? name : "");
    if (!sent)
        json_object_set(c->body, "stage", json_object_get(stage, "name"));
    if (!json_object_get(c->body, "probability") && !json_is_null(json_object_get(stage, "probability")))
        json_object_set(c->body, "probability", json_object_get(stage, "probability"));
    json_decref(stage);
    return 0;
}

static int blank(const char *s)
{
    while (s && isspace((unsigned char)*s))
        s++;
    return !s || !*s;
}

/* True when this write moves the deal into status `to` (creating one in it counts). */
static int becomes(const write_ctx *c, const char *to)
{
    const char *now = str(c->body, "status");
    return now && !strcmp(now, to) && (!c->old || strcmp(str(c->old, "status"), to));
}

/* Leaving won says since when the deal is final. */
int rules_deal_refuse_move(write_ctx *c, const field *f, const char *from, const char *to)
{
    if (!strcmp(from, "won"))
        return err_set(c->e, E_CONFLICT, f->name, "the deal was won on %.10s; a won deal is final",
                       str(c->old, "closed_at") ? str(c->old, "closed_at") : "an earlier day");
    return transition_refused(c, f, from, to);
}

int rules_deal_before_write(write_ctx *c)
{
    int rc;
    if ((rc = rules_default_currency(c, "currency")) < 0 || (rc = apply_stage(c)) < 0)
        return rc;
    const char *status = rules_str(c, "status");
    if (status && !strcmp(status, "lost") && blank(rules_str(c, "lost_reason")))
        return err_set(c->e, E_REQUIRED, "lost_reason", "a lost deal needs its lost_reason: say why it was lost");
    if (becomes(c, "won") || becomes(c, "lost"))
        rules_set_now(c->body, "closed_at");
    if (becomes(c, "won"))
        json_object_set_new(c->body, "probability", json_integer(100));
    if (becomes(c, "open") && c->old)
        json_object_set_new(c->body, "closed_at", json_null());
    return 0;
}

/* A won deal turns its client active (unless it already is): the client's rules set started_at. */
int rules_deal_after_write(write_ctx *c)
{
    if (!becomes(c, "won"))
        return 0;
    const char *client_id = rules_str(c, "client_id");
    json_t *client = rules_fetch(c, "clients", client_id);
    if (!client)
        return c->e->code ? c->e->code : E_INTERNAL;
    int rc = 0;
    if (strcmp(str(client, "stage"), "active")) {
        json_t *patch = json_pack("{s:s}", "stage", "active");
        rc = rules_patch(c, "clients", client_id, patch);
        json_decref(patch);
    }
    json_decref(client);
    return rc;
}

/* How many open deals stand in the stage named `name`; <0 on error. */
static int open_deals_in(const write_ctx *c, const char *name)
{
    db_stmt *s;
    const char *args[] = {c->who->workspace_id, name};
    int rc = db_query_row(c->d, &s, c->e,
                          "SELECT COUNT(*) FROM deals WHERE workspace_id = ? AND stage = ? AND status = 'open'", 2, args);
    if (rc != DB_ROW)
        return rc < 0 ? rc : 0;
    int n = (int)db_col_int(s, 0);
    db_finalize(s);
    return n;
}

/* Open deals name their stage: renaming it would strand them, so it waits until they move. */
int rules_deal_stage_before_write(write_ctx *c)
{
    const char *to = str(c->body, "name");
    if (!c->old || !to || !strcmp(to, str(c->old, "name")))
        return 0;
    int n = open_deals_in(c, str(c->old, "name"));
    if (n > 0)
        return err_set(c->e, E_CONFLICT, "name", "the stage %s holds %d open deal%s; move them before renaming it",
                       str(c->old, "name"), n, n == 1 ? "" : "s");
    return n < 0 ? n : 0;
}

int rules_deal_stage_before_delete(write_ctx *c)
{
    int n = open_deals_in(c, str(c->old, "name"));
    if (n > 0)
        return err_set(c->e, E_CONFLICT, "id", "the stage %s holds %d open deal%s; move them to another stage first",
                       str(c->old, "name"), n, n == 1 ? "" : "s");
    return n < 0 ? n : 0;
}
