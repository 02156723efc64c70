/* demo_work: the demo's deals, projects (deliverables, change requests), tasks, the onboarding in
 * progress and a saved view (see demo.h). Each goes through the generic write path; where a rule dates
 * something "now" (a deal's close, a change request's decision, a task done) and the story places it
 * earlier, the program dates it afterwards, as an import of history would. */
#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "core/bulk/demo_internal.h"
#include "core/practice/lifecycle.h"

#define NONE 99999      /* no such day */
#define THIS_WEEK 88888 /* the Friday of this week (today, at a weekend): Today's "due this week" */

static int days_ago(const demo *D, int d)
{
    if (d != THIS_WEEK)
        return d;
    int weekday = (int)((D->now / 86400 + 3) % 7); /* 0 = Monday: 1970-01-01 was a Thursday */
    return weekday <= 4 ? -(4 - weekday) : 0;
}

/* The pipeline: open deals in each stage, the deals won that made clients of three of them (Juniper's
 * nine days ago: winning it makes Juniper active, from that day), and one lost with its reason. */
static const struct {
    int client;
    const char *title, *value, *stage, *status, *lost_reason;
    int close_ago; /* expected close (open) or closed (won, lost), in days before today */
} DEALS[] = {
    {QUARRY, "Onboarding docs and pricing page", "14500.00", "proposal", "open", NULL, -20},
    {ELM, "Patient booking site", "6800.00", "qualified", "open", NULL, -45},
    {HARBOR, "Employment practice templates", "9000.00", "negotiation", "open", NULL, -40},
    {NORTHWIND, "Spring campaign", "24000.00", "negotiation", "won", NULL, 62},
    {BLUEBELL, "Seasonal packaging", "3800.00", "proposal", "won", NULL, 120},
    {COPPERLINE, "Rebrand, phase two", "22000.00", "proposal", "lost", "Budget frozen after their acquisition", 230},
    {JUNIPER, "Studio identity and wayfinding", "18000.00", "negotiation", "won", NULL, 9},
};

int demo_pipeline(demo *D)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof DEALS / sizeof DEALS[0]; i++) {
        char id[ID_MAX];
        int c = DEALS[i].client, open = !strcmp(DEALS[i].status, "open");
        json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s}", "client_id", D->client[c], "title", DEALS[i].title,
                              "value", DEALS[i].value, "stage", DEALS[i].stage, "status", DEALS[i].status,
                              "expected_close", demo_day(D, DEALS[i].close_ago), "owner_id", D->who->user_id);
        if (DEALS[i].lost_reason)
            json_object_set_new(b, "lost_reason", json_string(DEALS[i].lost_reason));
        rc = demo_add(D, "deals", b, id);
        if (rc == 0 && !open)
            rc = demo_set(D, "deals", id, json_pack("{s:o}", "closed_at", demo_at(D, DEALS[i].close_ago, 16)), 1);
    }
    /* the won deal made Juniper active today; the relationship began the day it was won */
    if (rc == 0)
        rc = demo_set(D, "clients", D->client[JUNIPER], json_pack("{s:o}", "started_at", demo_at(D, 9, 9)), 0);
    return rc;
}

typedef struct demo_part {
    const char *name, *status;
    int due_ago, delivered_ago, accepted_ago; /* NONE: not (yet) */
} demo_part;

static const struct {
    int client;
    const char *name, *status, *budget, *hourly_rate, *scope;
    int start_ago, due_ago, agreed_ago; /* agreed_ago NONE: no agreement yet */
    demo_part parts[4];
} PROJECTS[] = {
    {NORTHWIND, "Spring campaign", "active", "24000.00", NULL,
     "Campaign concept, key visuals and a launch toolkit (social, print, landing page) for the spring collection. "
     "Two rounds of revisions per deliverable.",
     60, -45, 62,
     {{"Campaign concept", "accepted", 40, 41, 38},
      {"Key visuals", "delivered", 10, 11, NONE},
      {"Launch toolkit", "in_progress", THIS_WEEK, NONE, NONE}}},
    {HARBOR, "Contract template refresh", "done", "12000.00", "180.00",
     "Refresh the firm's NDA, MSA and supplier agreement templates; redlines within 8 business hours.", 150, 10, 152,
     {{"NDA and MSA templates", "accepted", 90, 92, 88}, {"Supplier agreement redlines", "accepted", 21, 16, 14}}},
    {BLUEBELL, "Seasonal packaging", "done", "3800.00", NULL,
     "Designs and print-ready files for the seasonal boxes and bags.", 118, 60, 119,
     {{"Box and bag designs", "accepted", 80, 82, 79}, {"Print-ready files", "accepted", 62, 61, 58}}},
    {COPPERLINE, "Brand guidelines", "done", "16000.00", NULL, "A brand book: logo, type, colour, voice and templates.",
     420, 230, 421, {{"Guidelines book", "accepted", 235, 232, 226}}},
    {QUARRY, "Onboarding docs and pricing page", "proposed", "14500.00", NULL,
     "Rewrite the onboarding documentation and design a pricing page, pending the CFO's sign-off.", NONE, NONE, NONE,
     {{0}}},
    {JUNIPER, "Studio identity and wayfinding", "active", "18000.00", NULL,
     "A visual identity for the studio and wayfinding for its new two-floor office.", 7, -60, 8,
     {{"Discovery workshop summary", "delivered", 3, 3, NONE},
      {"Identity concepts", "todo", -10, NONE, NONE},
      {"Wayfinding drawings", "todo", -35, NONE, NONE}}},
};

/* Northwind's project grew: one change approved (its budget and due date moved), one waiting on Maya. */
static const struct {
    int client;
    const char *description, *cost;
    int days, decided_ago; /* decided_ago NONE: still proposed */
} CHANGES[] = {
    {NORTHWIND, "Two extra social cut-downs for launch week", "1800.00", 4, 30},
    {NORTHWIND, "A German version of the landing page", "2400.00", 6, NONE},
};

static int parts(demo *D, const char *project, const demo_part *p)
{
    int rc = 0;
    for (; rc == 0 && p->name; p++) {
        json_t *b = json_pack("{s:s,s:s,s:s,s:o}", "project_id", project, "name", p->name, "status", p->status,
                              "due_date", demo_day(D, days_ago(D, p->due_ago)));
        if (p->delivered_ago != NONE)
            json_object_set_new(b, "delivered_at", demo_at(D, p->delivered_ago, 15));
        if (p->accepted_ago != NONE)
            json_object_set_new(b, "accepted_at", demo_at(D, p->accepted_ago, 11));
        rc = demo_add(D, "deliverables", b, NULL);
    }
    return rc;
}

int demo_projects(demo *D)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof PROJECTS / sizeof PROJECTS[0]; i++) {
        int c = PROJECTS[i].client;
        json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:s}", "client_id", D->client[c], "name", PROJECTS[i].name, "status",
                              PROJECTS[i].status, "budget", PROJECTS[i].budget, "scope", PROJECTS[i].scope);
        if (PROJECTS[i].start_ago != NONE)
            json_object_set_new(b, "start_date", demo_day(D, PROJECTS[i].start_ago));
        if (PROJECTS[i].due_ago != NONE)
            json_object_set_new(b, "due_date", demo_day(D, PROJECTS[i].due_ago));
        if (PROJECTS[i].hourly_rate) {
            json_object_set_new(b, "billing", json_string("hourly"));
            json_object_set_new(b, "hourly_rate", json_string(PROJECTS[i].hourly_rate));
        }
        if (PROJECTS[i].agreed_ago != NONE) {
            json_object_set_new(b, "agreed_by_id", json_string(D->contact[c]));
            json_object_set_new(b, "agreed_at", demo_at(D, PROJECTS[i].agreed_ago, 15));
        }
        rc = demo_add(D, "projects", b, D->project[c]);
        if (rc == 0)
            rc = parts(D, D->project[c], PROJECTS[i].parts);
    }
    for (size_t i = 0; rc == 0 && i < sizeof CHANGES / sizeof CHANGES[0]; i++) {
        char id[ID_MAX];
        int c = CHANGES[i].client;
        rc = demo_add(D, "change_requests",
                      json_pack("{s:s,s:s,s:i,s:s}", "project_id", D->project[c], "description",
                                CHANGES[i].description, "impact_days", CHANGES[i].days, "impact_cost", CHANGES[i].cost),
                      id);
        if (rc == 0 && CHANGES[i].decided_ago != NONE) { /* approving moves the project's budget and due date */
            rc = demo_set(D, "change_requests", id,
                          json_pack("{s:s,s:s}", "status", "approved", "decided_by_id", D->contact[c]), 0);
            if (rc == 0)
                rc = demo_set(D, "change_requests", id,
                              json_pack("{s:o}", "decided_at", demo_at(D, CHANGES[i].decided_ago, 11)), 1);
        }
    }
    return rc;
}

static const struct {
    int client;
    const char *title, *notes, *kind;
    int due_ago, hour;
} TASKS[] = {
    {BLUEBELL, "Chase the printer about Bluebell's reprint",
     "Sofia needs the reprinted boxes before the weekend market; the printer promised a date.", "follow_up", 4, 17},
    {QUARRY, "Call Arjun about the CFO's questions", "The CFO wants the pricing page's scope split from the docs.",
     "todo", 0, 17},
    {NORTHWIND, "Book the launch-week review with Maya", NULL, "todo", -3, 12},
    {HARBOR, "Draft the renewal proposal for Harbor & Finch", "Include the employment practice templates.", "todo",
     -10, 17},
};

/* Juniper's onboarding from the standard template, started the day it was won: the welcome, the
 * questionnaire and the start meeting done on their days, the timeline overdue; its intake answers. */
static int onboarding(demo *D)
{
    db_stmt *s;
    const char *args[] = {D->who->workspace_id, "Standard onboarding"};
    char tpl[ID_MAX];
    int rc = db_query_row(D->d, &s, D->e, "SELECT id FROM onboarding_templates WHERE workspace_id = ? AND name = ?",
                          2, args);
    if (rc != DB_ROW)
        return rc < 0 ? rc : err_set(D->e, E_INTERNAL, NULL, "the demo: no standard onboarding template");
    snprintf(tpl, sizeof tpl, "%s", db_col_text(s, 0, NULL));
    db_finalize(s);
    strbuf out = STRBUF_INIT;
    rc = onboarding_apply(D->d, D->who, D->client[JUNIPER], tpl, NULL, &out, D->e);
    json_t *made = rc == 0 ? json_loads(out.buf, 0, NULL) : NULL;
    strbuf_release(&out);
    static const int done_ago[] = {9, 7, 4}; /* the steps done, in order, and when */
    for (size_t i = 0; rc == 0 && i < sizeof done_ago / sizeof done_ago[0]; i++) {
        const char *id = json_string_value(json_object_get(json_array_get(json_object_get(made, "tasks"), i), "id"));
        if (!id)
            rc = err_set(D->e, E_INTERNAL, NULL, "the demo: the onboarding made fewer steps than it has done");
        else if ((rc = demo_set(D, "tasks", id, json_pack("{s:s}", "status", "done"), 0)) == 0)
            rc = demo_set(D, "tasks", id, json_pack("{s:o}", "done_at", demo_at(D, done_ago[i], 16)), 1);
    }
    json_decref(made);
    if (rc == 0)
        rc = demo_set(D, "clients", D->client[JUNIPER],
                      json_pack("{s:{s:s,s:s,s:s}}", "intake", "What does success look like for you in six months?",
                                "A studio clients recognise from the street, and visitors who find the right floor.",
                                "Who decides, and who should we keep informed?",
                                "The two partners decide; keep Hana informed of everything.",
                                "How and how often would you like to hear from us?",
                                "An email every other Friday; a call when something needs a decision."),
                      0);
    return rc;
}

int demo_tasks(demo *D)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof TASKS / sizeof TASKS[0]; i++) {
        json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:o}", "title", TASKS[i].title, "client_id", D->client[TASKS[i].client],
                              "assignee_id", D->who->user_id, "kind", TASKS[i].kind, "due_at",
                              demo_at(D, TASKS[i].due_ago, TASKS[i].hour));
        if (TASKS[i].notes)
            json_object_set_new(b, "notes", json_string(TASKS[i].notes));
        rc = demo_add(D, "tasks", b, NULL);
    }
    if (rc == 0)
        rc = onboarding(D);
    if (rc == 0) /* a view the whole workspace sees in the clients list */
        rc = demo_add(D, "views",
                      json_pack("{s:s,s:s,s:b,s:{s:s,s:s,s:s}}", "entity", "clients", "name", "Active retainers",
                                "shared", 1, "query", "stage", "active", "tags", "retainer", "sort", "name"),
                      NULL);
    return rc;
}
