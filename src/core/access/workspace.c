/* workspace: workspace creation and the defaults a firm starts with (see workspace.h), through
 * record_create like anything a user types. The demo workspace is core/bulk/demo.c. */
#include "core/access/workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/record.h"

static int create(db *d, const actor *who, const char *entity_name, json_t *body, char id[ID_MAX], err_t *e)
{
    int rc = record_create_id(d, who, entity_by_name(entity_name), body, id, e);
    json_decref(body);
    return rc;
}

int workspace_create(db *d, const char *name, const char *owner_email, const char *password, actor *owner, err_t *e)
{
    actor sys = {.role = ROLE_SYSTEM, .kind = PRINCIPAL_SYSTEM};
    char ws[ID_MAX], user[ID_MAX];
    int rc = db_begin(d, e);
    if (rc < 0)
        return rc;
    rc = create(d, &sys, "workspaces", json_pack("{s:s}", "name", name), ws, e);
    if (rc == 0) {
        snprintf(sys.workspace_id, sizeof sys.workspace_id, "%s", ws);
        rc = create(d, &sys, "users",
                    json_pack("{s:s,s:s,s:s}", "email", owner_email, "role", "owner", "password", password), user, e);
    }
    if (rc == 0)
        rc = workspace_add_defaults(d, &sys, e);
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    if ((rc = db_commit(d, e)) < 0)
        return rc;
    snprintf(owner->user_id, sizeof owner->user_id, "%s", user);
    snprintf(owner->workspace_id, sizeof owner->workspace_id, "%s", ws);
    owner->role = ROLE_OWNER;
    owner->kind = PRINCIPAL_USER;
    owner->client_id[0] = '\0';
    return 0;
}

static int has_any(db *d, const actor *who, const char *table, err_t *e)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE workspace_id = ? LIMIT 1", table);
    db_stmt *s;
    const char *args[] = {who->workspace_id};
    int rc = db_query_row(d, &s, e, sql, 1, args);
    if (rc == DB_ROW)
        db_finalize(s);
    return rc < 0 ? rc : rc == DB_ROW;
}

int workspace_add_defaults(db *d, const actor *who, err_t *e)
{
    static const struct { const char *name, *label; int probability; } stages[] = {
        {"qualified", "Qualified", 10}, {"proposal", "Proposal sent", 40}, {"negotiation", "Negotiation", 70}};
    int rc = has_any(d, who, "deal_stages", e);
    for (size_t i = 0; rc == 0 && i < sizeof stages / sizeof stages[0]; i++)
        rc = create(d, who, "deal_stages",
                    json_pack("{s:s,s:s,s:i,s:i}", "name", stages[i].name, "label", stages[i].label, "position",
                              (int)(i + 1) * 10, "probability", stages[i].probability),
                    NULL, e);
    if (rc < 0)
        return rc;
    if ((rc = has_any(d, who, "onboarding_templates", e)) != 0)
        return rc < 0 ? rc : 0;
    json_t *steps = json_pack(
        "[{s:s,s:s,s:i,s:s},{s:s,s:s,s:i,s:s},{s:s,s:s,s:i,s:s},{s:s,s:s,s:i,s:s}]", "title", "Send the welcome email",
        "kind", "email", "offset_days", 0, "description", "Who we are, who their point of contact is, what happens next.",
        "title", "Send the intake questionnaire", "kind", "questionnaire", "offset_days", 1, "description",
        "Goals, constraints, stakeholders, how they like to be kept informed.", "title", "Hold the kickoff call", "kind",
        "call", "offset_days", 5, "description", "Walk through the answers, agree the update cadence and channels.",
        "title", "Share the project timeline", "kind", "email", "offset_days", 7, "description",
        "Milestones and deliverables with dates, as agreed at the kickoff.");
    json_t *questions = json_pack("[s,s,s,s]", "What does success look like for you in six months?",
                                  "Who decides, and who should we keep informed?",
                                  "How and how often would you like to hear from us?",
                                  "What has not worked with agencies or consultants before?");
    return create(d, who, "onboarding_templates",
                  json_pack("{s:s,s:o,s:o}", "name", "Standard onboarding", "steps", steps, "questions", questions),
                  NULL, e);
}

int workspace_add_defaults_all(db *d, err_t *e)
{
    db_stmt *s;
    int rc = db_prepare(d, "SELECT id FROM workspaces ORDER BY id", &s, e);
    if (rc < 0)
        return rc;
    actor *all = NULL; /* read them all first: the statement is done before the writes begin */
    size_t n = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        actor *grown = realloc(all, (n + 1) * sizeof *all);
        if (!grown) {
            rc = err_set(e, E_INTERNAL, NULL, "out of memory");
            break;
        }
        all = grown;
        memset(&all[n], 0, sizeof all[n]);
        all[n].role = ROLE_SYSTEM;
        all[n].kind = PRINCIPAL_SYSTEM;
        snprintf(all[n++].workspace_id, ID_MAX, "%s", db_col_text(s, 0, NULL));
    }
    db_finalize(s);
    for (size_t i = 0; rc >= 0 && i < n; i++)
        rc = workspace_add_defaults(d, &all[i], e);
    free(all);
    return rc < 0 ? rc : 0;
}
