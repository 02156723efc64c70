/* demo_service: the demo's tickets, feedback, retainer and invoices (see demo.h).
 *
 * Tickets: Harbor's complaint answered four days after it was opened (its promise is 8 business hours,
 * so late on any weekday it falls), Harbor's inquiry waiting four days (past its promise on any day),
 * Northwind's request opened yesterday (inside its 24 business hours), the rest answered in time.
 * Feedback: Harbor's low CSAT acted on with a note back, Bluebell's not yet. Invoices, numbered in the
 * order they were issued: paid, outstanding, one overdue (Harbor's), one draft, in the workspace's
 * currency. */
#include <stdio.h>
#include <string.h>

#include "core/bulk/demo_internal.h"

#define NONE 99999 /* not (yet) */

static const struct {
    int client;
    const char *kind, *priority, *subject, *description;
    int opened_ago, opened_hour, first_ago, first_hour, resolved_ago, resolved_hour;
} TICKETS[] = {
    {COPPERLINE, "request", "low", "Final files archive", "All source files of the brand book, for their new agency.",
     205, 10, 205, 15, 204, 11},
    {BLUEBELL, "inquiry", "normal", "Allergen labels on the new boxes", NULL, 45, 9, 44, 10, 43, 16},
    {NORTHWIND, "inquiry", "normal", "Font licence for the campaign", "Can the campaign typeface be used in print ads?",
     30, 11, 30, 14, 29, 10},
    {HARBOR, "complaint", "high", "Redlines on the supplier agreement are late",
     "Daniel: the supplier agreement redlines were promised within the day; three days on, nothing.", 20, 10, 16, 15,
     15, 12},
    {HARBOR, "inquiry", "normal", "Engagement letter for the employment practice",
     "Could you send the draft engagement letter before the partners' meeting?", 4, 10, NONE, 0, NONE, 0},
    {JUNIPER, "request", "normal", "Add the office manager to the project updates", NULL, 3, 11, 3, 13, 2, 10},
    {NORTHWIND, "request", "normal", "Export the campaign assets for the printer",
     "Print-ready PDFs of the key visuals, with bleed, for the shop windows.", 1, 16, NONE, 0, NONE, 0},
};

static const struct {
    int client, on_project;
    const char *kind;
    int score;
    const char *comment;
    int received_ago, acted_ago;
    const char *action_note, *reply_note;
} FEEDBACK[] = {
    {COPPERLINE, 1, "debrief", 4, "The launch went well; we wanted more notice before invoices.", 215, 210,
     "Invoices are now announced a week ahead in the monthly update.",
     "Thank you, Tom: from now on every invoice is announced a week ahead."},
    {COPPERLINE, 0, "nps", 8, "Would work with you again.", 205, NONE, NULL, NULL},
    {HARBOR, 0, "nps", 7, "Solid work; turnaround could be faster.", 200, NONE, NULL, NULL},
    {NORTHWIND, 0, "nps", 9, "We'd recommend you to any studio that cares about craft.", 75, NONE, NULL, NULL},
    {BLUEBELL, 0, "nps", 6, "Nice work, but we only hear from you when we call.", 30, NONE, NULL, NULL},
    {BLUEBELL, 1, "csat", 4, "Lovely boxes, and on time.", 58, NONE, NULL, NULL},
    {NORTHWIND, 1, "csat", 5, "The concept round was spot on.", 37, NONE, NULL, NULL},
    {HARBOR, 1, "csat", 2, "Redlines took four days; we expected one.", 14, 12,
     "Redlines now go to a second reviewer the same day; promised Daniel 8 business hours on the monthly call.",
     "Thank you for telling us. From now on every redline is acknowledged the same day and returned within 8 "
     "business hours."},
    {NORTHWIND, 1, "pulse", 4, "Good pace; a little more notice before review meetings, please.", 12, NONE, NULL, NULL},
    {BLUEBELL, 1, "csat", 2, "The misprint on the seasonal boxes cost us a weekend of sales.", 4, NONE, NULL, NULL},
};

int demo_service(demo *D)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof TICKETS / sizeof TICKETS[0]; i++) {
        int c = TICKETS[i].client;
        json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "client_id", D->client[c], "contact_id", D->contact[c],
                              "kind", TICKETS[i].kind, "priority", TICKETS[i].priority, "subject", TICKETS[i].subject,
                              "opened_at", demo_at(D, TICKETS[i].opened_ago, TICKETS[i].opened_hour));
        if (TICKETS[i].description)
            json_object_set_new(b, "description", json_string(TICKETS[i].description));
        if (TICKETS[i].first_ago != NONE)
            json_object_set_new(b, "first_response_at", demo_at(D, TICKETS[i].first_ago, TICKETS[i].first_hour));
        if (TICKETS[i].resolved_ago != NONE) /* a resolved time resolves the ticket */
            json_object_set_new(b, "resolved_at", demo_at(D, TICKETS[i].resolved_ago, TICKETS[i].resolved_hour));
        rc = demo_add(D, "tickets", b, NULL);
    }
    for (size_t i = 0; rc == 0 && i < sizeof FEEDBACK / sizeof FEEDBACK[0]; i++) {
        int c = FEEDBACK[i].client;
        json_t *b = json_pack("{s:s,s:s,s:s,s:i,s:s,s:o}", "client_id", D->client[c], "contact_id", D->contact[c],
                              "kind", FEEDBACK[i].kind, "score", FEEDBACK[i].score, "comment", FEEDBACK[i].comment,
                              "received_at", demo_at(D, FEEDBACK[i].received_ago, 10));
        if (FEEDBACK[i].on_project)
            json_object_set_new(b, "project_id", json_string(D->project[c]));
        if (FEEDBACK[i].acted_ago != NONE) {
            json_object_set_new(b, "acted_on_at", demo_at(D, FEEDBACK[i].acted_ago, 16));
            json_object_set_new(b, "action_note", json_string(FEEDBACK[i].action_note));
            json_object_set_new(b, "reply_note", json_string(FEEDBACK[i].reply_note));
        }
        rc = demo_add(D, "feedback", b, NULL);
    }
    return rc;
}

static const struct {
    int client, on_project, on_retainer;
    const char *amount, *status;
    int issued_ago, due_ago, paid_ago; /* NONE: not issued (a draft), or not paid */
} INVOICES[] = {
    {COPPERLINE, 1, 0, "9600.00", "paid", 235, 205, 206},
    {BLUEBELL, 1, 0, "1900.00", "paid", 100, 70, 72},
    {HARBOR, 1, 0, "4800.00", "paid", 95, 65, 70},
    {NORTHWIND, 0, 1, "3500.00", "paid", 75, 45, 47},
    {BLUEBELL, 1, 0, "1900.00", "paid", 58, 28, 30},
    {NORTHWIND, 1, 0, "12000.00", "paid", 58, 28, 33},
    {NORTHWIND, 0, 1, "3500.00", "paid", 45, 15, 14},
    {HARBOR, 1, 0, "2400.00", "issued", 45, 15, NONE},
    {NORTHWIND, 0, 1, "3500.00", "issued", 15, -15, NONE},
    {JUNIPER, 1, 0, "5400.00", "issued", 8, -22, NONE},
    {BLUEBELL, 0, 0, "720.00", "draft", NONE, NONE, NONE},
};

int demo_money(demo *D)
{
    char retainer[ID_MAX];
    int rc = demo_add(D, "retainers",
                      json_pack("{s:s,s:s,s:s,s:s,s:o}", "client_id", D->client[NORTHWIND], "name", "Design retainer",
                                "amount", "3500.00", "period", "monthly", "starts_on", demo_day(D, 420)),
                      retainer);
    for (size_t i = 0; rc == 0 && i < sizeof INVOICES / sizeof INVOICES[0]; i++) {
        int c = INVOICES[i].client;
        json_t *b = json_pack("{s:s,s:s,s:s}", "client_id", D->client[c], "amount", INVOICES[i].amount, "status",
                              INVOICES[i].status);
        if (INVOICES[i].on_project)
            json_object_set_new(b, "project_id", json_string(D->project[c]));
        if (INVOICES[i].on_retainer)
            json_object_set_new(b, "retainer_id", json_string(retainer));
        if (INVOICES[i].issued_ago != NONE)
            json_object_set_new(b, "issued_on", demo_day(D, INVOICES[i].issued_ago));
        if (INVOICES[i].due_ago != NONE)
            json_object_set_new(b, "due_on", demo_day(D, INVOICES[i].due_ago));
        if (INVOICES[i].paid_ago != NONE)
            json_object_set_new(b, "paid_on", demo_day(D, INVOICES[i].paid_ago));
        rc = demo_add(D, "invoices", b, NULL);
    }
    return rc;
}
