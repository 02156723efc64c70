/* workspace: workspace creation and the demo data (see workspace.h). Both go through record_create, so
 * the demo is validated, audited and indexed like anything a user types. */
#include "core/access/workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/engine/record.h"

static int create(db *d, const actor *who, const char *entity_name, json_t *body, char id[ID_MAX], err_t *e)
{
    strbuf out = STRBUF_INIT;
    int rc = record_create(d, who, entity_by_name(entity_name), body, &out, e);
    json_decref(body);
    if (rc == 0 && id) {
        json_t *rec = json_loads(out.buf, 0, NULL);
        snprintf(id, ID_MAX, "%s", json_string_value(json_object_get(rec, "id")));
        json_decref(rec);
    }
    strbuf_release(&out);
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

/* Times relative to the clock, so the demo looks alive on any day (and is fixed under RAPPORT_NOW). */
static json_t *ago(int64_t days, int hour)
{
    char buf[CLOCK_RFC3339_LEN];
    int64_t t = clock_now() - days * 86400;
    t = t - t % 86400 + hour * 3600;
    clock_format(t, buf);
    return json_string(buf);
}

int workspace_seed_demo(db *d, const actor *who, err_t *e)
{
    static const struct {
        const char *name, *stage, *rel, *cadence, *email, *website, *tags;
        int response_hours, since_days;
        const char *first, *last, *title, *contact_email;
    } clients[] = {
        {"Northwind Studio", "active", "loyalty", "weekly", "hello@northwind.example", "https://northwind.example",
         "retainer,design", 24, 420, "Maya", "Okafor", "Creative Director", "maya@northwind.example"},
        {"Harbor & Finch LLP", "active", "advisory", "monthly", "office@harborfinch.example", "https://harborfinch.example",
         "legal", 8, 900, "Daniel", "Reyes", "Managing Partner", "d.reyes@harborfinch.example"},
        {"Bluebell Bakery", "active", "transactional", "biweekly", "orders@bluebell.example", NULL, "retail", 48, 120,
         "Sofia", "Lindqvist", "Owner", "sofia@bluebell.example"},
        {"Quarry Labs", "prospect", "need_based", "none", "team@quarrylabs.example", "https://quarrylabs.example", "saas",
         24, 0, "Arjun", "Mehta", "CTO", "arjun@quarrylabs.example"},
        {"Elm Street Dental", "lead", NULL, "none", NULL, NULL, "", 24, 0, "Grace", "Kim", "Practice Manager",
         "grace@elmdental.example"},
        {"Copperline Media", "past", "loyalty", "quarterly", "studio@copperline.example", NULL, "design", 24, 1400,
         "Tom", "Becker", "Head of Brand", "tom@copperline.example"},
    };
    static const struct {
        int client;
        const char *type, *direction, *subject, *summary;
        int days_ago, hour;
    } talks[] = {
        {0, "meeting", "outbound", "Quarterly brand review",
         "Walked through Q3 results. Maya wants the spring campaign moved up two weeks; agreed to send a revised "
         "timeline by Friday. Budget unchanged.", 3, 14},
        {0, "email", "inbound", "Re: revised timeline", "Maya approved the revised timeline and asked for the "
         "kickoff deck.", 1, 9},
        {1, "call", "outbound", "Monthly update", "Covered the contract template refresh. Daniel raised concerns "
         "about turnaround on redlines; promised 8 business hours going forward.", 12, 16},
        {1, "note", NULL, "Renewal", "Engagement renews in January; Daniel hinted at adding the employment practice.",
         40, 10},
        {2, "call", "inbound", "Packaging reprint", "Sofia called about a misprint on the seasonal boxes; we will "
         "reprint at our cost. Follow up with the printer tomorrow.", 5, 11},
        {3, "meeting", "outbound", "Discovery session", "Quarry Labs needs onboarding docs and a pricing page. "
         "Decision by end of month; Arjun is the champion, CFO signs.", 8, 15},
        {4, "email", "outbound", "Introduction", "Sent portfolio and two case studies after the referral from "
         "Harbor & Finch.", 2, 10},
        {5, "note", NULL, "Wrap-up", "Project closed; final invoice paid. Tom moved to a new company; keep in touch.",
         200, 12},
    };
    char ids[6][ID_MAX], contacts[6][ID_MAX];
    int rc = db_begin(d, e);
    for (size_t i = 0; rc == 0 && i < sizeof clients / sizeof clients[0]; i++) {
        json_t *b = json_pack("{s:s,s:s,s:s,s:i,s:s}", "name", clients[i].name, "stage", clients[i].stage, "cadence",
                              clients[i].cadence, "response_time_hours", clients[i].response_hours, "owner_id",
                              who->user_id);
        if (clients[i].rel)
            json_object_set_new(b, "relationship_type", json_string(clients[i].rel));
        if (clients[i].email)
            json_object_set_new(b, "email", json_string(clients[i].email));
        if (clients[i].website)
            json_object_set_new(b, "website", json_string(clients[i].website));
        if (clients[i].since_days)
            json_object_set_new(b, "started_at", ago(clients[i].since_days, 9));
        if (!strcmp(clients[i].stage, "past"))
            json_object_set_new(b, "ended_at", ago(200, 17));
        json_t *tags = json_array();
        char buf[64];
        snprintf(buf, sizeof buf, "%s", clients[i].tags);
        for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
            json_array_append_new(tags, json_string(t));
        json_object_set_new(b, "tags", tags);
        rc = create(d, who, "clients", b, ids[i], e);
        if (rc == 0)
            rc = create(d, who, "contacts",
                        json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "client_id", ids[i], "first_name", clients[i].first,
                                  "last_name", clients[i].last, "title", clients[i].title, "email",
                                  clients[i].contact_email, "is_primary", 1),
                        contacts[i], e);
    }
    for (size_t i = 0; rc == 0 && i < sizeof talks / sizeof talks[0]; i++) {
        json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:o}", "client_id", ids[talks[i].client], "contact_id",
                              contacts[talks[i].client], "type", talks[i].type, "subject", talks[i].subject,
                              "occurred_at", ago(talks[i].days_ago, talks[i].hour));
        json_object_set_new(b, "summary", json_string(talks[i].summary));
        if (talks[i].direction)
            json_object_set_new(b, "direction", json_string(talks[i].direction));
        rc = create(d, who, "interactions", b, NULL, e);
    }
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d, e);
}
