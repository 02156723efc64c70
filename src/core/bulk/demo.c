/* demo: the demo workspace's clients, their contacts and conversations, and the order the rest is
 * written in (see demo.h).
 *
 * The clients' health stories are part of the demo (tests/e2e/t1630, the README): Northwind (weekly
 * updates, the last 3 days ago) is healthy; Harbor & Finch (monthly, 8 business hours promised) has never
 * written to us, answered a complaint late and scored us low; Bluebell (biweekly) has never had an
 * update. Conversations written here are what those stories count, so a new one for an existing client
 * changes its score: add with care. */
#include "core/bulk/demo.h"

#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "core/bulk/demo_internal.h"
#include "core/engine/record.h"

json_t *demo_at(const demo *D, int days_ago, int hour)
{
    char buf[CLOCK_RFC3339_LEN];
    int64_t t = D->now - (int64_t)days_ago * 86400;
    t = t - t % 86400 + hour * 3600;
    clock_format(t, buf);
    return json_string(buf);
}

json_t *demo_day(const demo *D, int days_ago)
{
    char buf[CLOCK_RFC3339_LEN];
    clock_format(D->now - (int64_t)days_ago * 86400, buf);
    buf[10] = '\0';
    return json_string(buf);
}

int demo_add(demo *D, const char *entity_name, json_t *body, char id[ID_MAX])
{
    if (!body)
        BUG("a demo %s built from a bad json_pack format", entity_name);
    int rc = record_create_id(D->d, D->who, entity_by_name(entity_name), body, id, D->e);
    json_decref(body);
    return rc;
}

int demo_set(demo *D, const char *entity_name, const char *id, json_t *patch, int as_system)
{
    const entity *en = entity_by_name(entity_name);
    const actor *by = as_system ? &D->sys : D->who;
    if (!patch)
        BUG("a demo %s change built from a bad json_pack format", entity_name);
    json_t *rec = record_read(D->d, by, en, id, D->e);
    int rc = rec ? 0 : (D->e->code ? (int)D->e->code : E_INTERNAL);
    if (rc == 0) {
        strbuf out = STRBUF_INIT;
        json_object_set(patch, "version", json_object_get(rec, "version"));
        rc = record_update(D->d, by, en, id, patch, &out, D->e);
        strbuf_release(&out);
    }
    json_decref(rec);
    json_decref(patch);
    return rc;
}

static const struct {
    const char *name, *stage, *rel, *cadence, *channel, *email, *website, *tags;
    int response_hours, since_days;
    const char *first, *last, *title, *contact_email;
} CLIENTS[DEMO_CLIENTS] = {
    [NORTHWIND] = {"Northwind Studio", "active", "loyalty", "weekly", "email", "hello@northwind.example",
                   "https://northwind.example", "retainer,design", 24, 420, "Maya", "Okafor", "Creative Director",
                   "maya@northwind.example"},
    [HARBOR] = {"Harbor & Finch LLP", "active", "advisory", "monthly", "phone", "office@harborfinch.example",
                "https://harborfinch.example", "legal", 8, 900, "Daniel", "Reyes", "Managing Partner",
                "d.reyes@harborfinch.example"},
    [BLUEBELL] = {"Bluebell Bakery", "active", "transactional", "biweekly", "phone", "orders@bluebell.example", NULL, "retail",
                  48, 120, "Sofia", "Lindqvist", "Owner", "sofia@bluebell.example"},
    [QUARRY] = {"Quarry Labs", "prospect", "need_based", "none", "video", "team@quarrylabs.example",
                "https://quarrylabs.example", "saas", 24, 0, "Arjun", "Mehta", "CTO", "arjun@quarrylabs.example"},
    [ELM] = {"Elm Street Dental", "lead", NULL, "none", NULL, NULL, NULL, "", 24, 0, "Grace", "Kim", "Practice Manager",
             "grace@elmdental.example"},
    [COPPERLINE] = {"Copperline Media", "past", "loyalty", "quarterly", "email", "studio@copperline.example", NULL, "design",
                    24, 1400, "Tom", "Becker", "Head of Brand", "tom@copperline.example"},
    /* won nine days ago (demo_work.c wins its deal and dates the start), onboarding in progress */
    [JUNIPER] = {"Juniper Architects", "prospect", "need_based", "biweekly", "email", "studio@juniperarchitects.example",
                 "https://juniperarchitects.example", "architecture", 24, 0, "Hana", "Sato", "Principal",
                 "hana@juniperarchitects.example"},
};

static const struct {
    int client;
    const char *type, *direction, *subject, *summary;
    int days_ago, hour;
} TALKS[] = {
    {NORTHWIND, "meeting", "outbound", "Quarterly brand review",
     "Walked through Q3 results. Maya wants the spring campaign moved up two weeks; agreed to send a revised "
     "timeline by Friday. Budget unchanged.", 3, 14},
    /* the weekly updates before it, each answered by Maya the next morning */
    {NORTHWIND, "email", "outbound", "Weekly update: concept round", "Shared the three campaign concepts and the "
     "review schedule; Maya to pick one by Tuesday.", 45, 16},
    {NORTHWIND, "email", "inbound", "Re: Weekly update: concept round", "Maya leans to concept B; the founders want "
     "to see it on a shop window first.", 44, 10},
    {NORTHWIND, "email", "outbound", "Weekly update: concept chosen", "Confirmed concept B, the studio's favourite; "
     "key visuals start Monday.", 38, 16},
    {NORTHWIND, "email", "inbound", "Re: Weekly update: concept chosen", "Maya asked for the photographer's "
     "portfolio before the shoot.", 37, 10},
    {NORTHWIND, "email", "outbound", "Weekly update: key visuals", "First key visuals in review; photography booked "
     "for the 12th.", 31, 16},
    {NORTHWIND, "email", "inbound", "Re: Weekly update: key visuals", "Maya confirmed the 12th for the shoot.", 30, 10},
    {NORTHWIND, "email", "outbound", "Weekly update: photography", "Shoot done; retouching this week, key visuals "
     "delivered next Friday.", 24, 16},
    {NORTHWIND, "email", "inbound", "Re: Weekly update: photography", "Maya loved the shoot; two retouching notes "
     "on the window shots.", 23, 10},
    {NORTHWIND, "email", "outbound", "Weekly update: key visuals delivered", "Key visuals delivered for sign-off; the "
     "launch toolkit is next.", 17, 16},
    {NORTHWIND, "email", "inbound", "Re: Weekly update: key visuals delivered", "Maya signed off two of the three "
     "visuals; the third needs a warmer palette.", 16, 10},
    {NORTHWIND, "email", "outbound", "Weekly update: launch toolkit", "Social cut-downs and print adaptations under "
     "way; the landing page in build.", 10, 16},
    {NORTHWIND, "email", "inbound", "Re: Weekly update: launch toolkit", "Maya wants the landing page in German "
     "too; asked what it would cost.", 9, 10},
    {NORTHWIND, "email", "inbound", "Re: revised timeline", "Maya approved the revised timeline and asked for the "
     "kickoff deck.", 1, 9},
    {HARBOR, "call", "outbound", "Monthly update", "Covered the contract template refresh. Daniel raised concerns "
     "about turnaround on redlines; promised 8 business hours going forward.", 12, 16},
    {HARBOR, "note", NULL, "Renewal", "Engagement renews in January; Daniel hinted at adding the employment practice.",
     40, 10},
    {BLUEBELL, "call", "inbound", "Packaging reprint", "Sofia called about a misprint on the seasonal boxes; we will "
     "reprint at our cost. Follow up with the printer tomorrow.", 5, 11},
    {QUARRY, "meeting", "outbound", "Discovery session", "Quarry Labs needs onboarding docs and a pricing page. "
     "Decision by end of month; Arjun is the champion, CFO signs.", 8, 15},
    {ELM, "email", "outbound", "Introduction", "Sent portfolio and two case studies after the referral from "
     "Harbor & Finch.", 2, 10},
    {COPPERLINE, "note", NULL, "Wrap-up", "Project closed; final invoice paid. Tom moved to a new company; keep in touch.",
     200, 12},
    {JUNIPER, "email", "outbound", "Welcome, and what happens next", "Welcomed Hana and the partners: who we are, "
     "who their point of contact is, what happens next, and the intake questionnaire to fill in.", 9, 10},
    {JUNIPER, "email", "inbound", "Re: intake questionnaire", "Hana answered the intake questions: success is a "
     "studio clients recognise from the street; the two partners decide.", 7, 15},
    {JUNIPER, "meeting", "outbound", "Project start meeting", "Agreed the scope of the identity and wayfinding work, "
     "fortnightly updates by email, and the first concepts in two weeks.", 4, 14},
    {JUNIPER, "email", "inbound", "Floor plans for the new office", "Hana sent the floor plans of both floors for the "
     "wayfinding work.", 2, 9},
};

static int clients_and_talks(demo *D)
{
    int rc = 0;
    for (int i = 0; rc == 0 && i < DEMO_CLIENTS; i++) {
        json_t *b = json_pack("{s:s,s:s,s:s,s:i,s:s}", "name", CLIENTS[i].name, "stage", CLIENTS[i].stage, "cadence",
                              CLIENTS[i].cadence, "response_time_hours", CLIENTS[i].response_hours, "owner_id",
                              D->who->user_id);
        if (CLIENTS[i].rel)
            json_object_set_new(b, "relationship_type", json_string(CLIENTS[i].rel));
        if (CLIENTS[i].channel)
            json_object_set_new(b, "preferred_channel", json_string(CLIENTS[i].channel));
        if (CLIENTS[i].email)
            json_object_set_new(b, "email", json_string(CLIENTS[i].email));
        if (CLIENTS[i].website)
            json_object_set_new(b, "website", json_string(CLIENTS[i].website));
        if (CLIENTS[i].since_days)
            json_object_set_new(b, "started_at", demo_at(D, CLIENTS[i].since_days, 9));
        if (!strcmp(CLIENTS[i].stage, "past"))
            json_object_set_new(b, "ended_at", demo_at(D, 200, 17));
        json_t *tags = json_array();
        char buf[64];
        snprintf(buf, sizeof buf, "%s", CLIENTS[i].tags);
        for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
            json_array_append_new(tags, json_string(t));
        json_object_set_new(b, "tags", tags);
        rc = demo_add(D, "clients", b, D->client[i]);
        if (rc == 0)
            rc = demo_add(D, "contacts",
                          json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "client_id", D->client[i], "first_name",
                                    CLIENTS[i].first, "last_name", CLIENTS[i].last, "title", CLIENTS[i].title, "email",
                                    CLIENTS[i].contact_email, "is_primary", 1),
                          D->contact[i]);
        if (rc == 0) /* the primary contact is who we talk to */
            rc = demo_set(D, "clients", D->client[i], json_pack("{s:s}", "point_of_contact_id", D->contact[i]), 0);
    }
    /* a client and a contact typed in twice, for the Duplicates page to find: Juniper's web-form enquiry
     * of last spring, a lead nobody merged, and Harbor's managing partner added again by a colleague */
    if (rc == 0)
        rc = demo_add(D, "clients",
                      json_pack("{s:s,s:s,s:s,s:s,s:s,s:[s]}", "name", "Juniper Architects Ltd", "stage", "lead",
                                "email", "hello@juniperarchitects.example", "website", "https://juniperarchitects.example",
                                "owner_id", D->who->user_id, "tags", "web-form"),
                      NULL);
    if (rc == 0)
        rc = demo_add(D, "contacts",
                      json_pack("{s:s,s:s,s:s,s:s,s:s}", "client_id", D->client[HARBOR], "first_name", "Dan",
                                "last_name", "Reyes", "title", "Partner", "email", CLIENTS[HARBOR].contact_email),
                      NULL);
    for (size_t i = 0; rc == 0 && i < sizeof TALKS / sizeof TALKS[0]; i++) {
        int c = TALKS[i].client;
        json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:o,s:s}", "client_id", D->client[c], "contact_id", D->contact[c],
                              "type", TALKS[i].type, "subject", TALKS[i].subject, "occurred_at",
                              demo_at(D, TALKS[i].days_ago, TALKS[i].hour), "summary", TALKS[i].summary);
        if (TALKS[i].direction)
            json_object_set_new(b, "direction", json_string(TALKS[i].direction));
        rc = demo_add(D, "interactions", b, NULL);
    }
    return rc;
}

int demo_seed(db *d, const actor *who, err_t *e)
{
    demo D = {.d = d, .who = who, .sys = *who, .now = clock_now(), .e = e};
    D.sys.role = ROLE_SYSTEM;
    int rc = db_begin(d, e);
    if (rc == 0)
        rc = clients_and_talks(&D);
    if (rc == 0)
        rc = demo_pipeline(&D);
    if (rc == 0)
        rc = demo_projects(&D);
    if (rc == 0)
        rc = demo_service(&D);
    if (rc == 0)
        rc = demo_money(&D);
    if (rc == 0)
        rc = demo_tasks(&D);
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d, e);
}
