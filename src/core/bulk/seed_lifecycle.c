/* seed_lifecycle: the lifecycle records of a seeded client (see seed_internal.h) — a deal for every
 * relationship (open for leads and prospects, won for clients, lost with a reason), and for clients who
 * were ever active a project with an agreed budget, deliverables (some late), sometimes an approved
 * change request, tickets answered within or past the promised business hours, CSAT and NPS answers,
 * and invoices (most paid, some overdue). Rows go in with bulk inserts, like the rest of the seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/bizhours.h"
#include "util/clock.h"
#include "core/bulk/seed_internal.h"
#include "core/practice/sla.h"

const char *const seed_life_tables[] = {"deals", "projects", "deliverables", "change_requests",
                                        "tickets", "feedback", "invoices"};
const int seed_life_table_count = 7;

enum { S_DEAL, S_PROJECT, S_DELIVERABLE, S_CHANGE, S_TICKET, S_FEEDBACK, S_INVOICE, S_COUNT };

static const char *const INSERTS[S_COUNT] = {
    "INSERT INTO deals (id, workspace_id, created_at, updated_at, created_by, version, client_id, title, value, "
    "currency, stage, probability, expected_close, status, lost_reason, closed_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'EUR', ?, ?, ?, ?, ?, ?)",
    "INSERT INTO projects (id, workspace_id, created_at, updated_at, created_by, version, client_id, name, scope, "
    "status, start_date, due_date, budget, currency, billing, agreed_at, agreed_by_id, original_budget, "
    "original_due_date, approved_change_cost, approved_change_days) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'EUR', 'fixed', ?, ?, ?, ?, ?, ?)",
    "INSERT INTO deliverables (id, workspace_id, created_at, updated_at, created_by, version, project_id, "
    "client_id, name, due_date, status, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO change_requests (id, workspace_id, created_at, updated_at, created_by, version, project_id, "
    "client_id, description, impact_days, impact_cost, status, decided_at, decided_by_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?)",
    "INSERT INTO tickets (id, workspace_id, created_at, updated_at, created_by, version, client_id, contact_id, kind, "
    "subject, priority, opened_at, first_response_at, resolved_at, status, response_due_at, "
    "first_response_minutes, resolution_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO feedback (id, workspace_id, created_at, updated_at, created_by, version, client_id, contact_id, "
    "kind, score, comment, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "INSERT INTO invoices (id, workspace_id, created_at, updated_at, created_by, version, client_id, project_id, "
    "number, amount, currency, issued_on, due_on, paid_on, status) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'EUR', ?, ?, ?, ?)",
};

struct seed_life {
    const actor *who;
    const field *ticket_kind, *ticket_priority;
    db_stmt *s[S_COUNT];
    bizcal cal;
    long invoice_no, rows;
    err_t *e;
};

static const char *const PROJECTS[] = {"Website relaunch", "Brand refresh", "Annual audit", "Campaign", "Data migration",
                                       "Office fit-out", "Contract review", "Product launch", "Retainer support"};
static const char *const STAGES[] = {"qualified", "proposal", "negotiation"};
static const int STAGE_PROBABILITY[] = {10, 40, 70};
static const char *const LOST[] = {"Went with a cheaper agency", "Budget frozen", "No decision", "Timing"};
static const char *const TICKET_SUBJECTS[] = {"Login problem", "Invoice question", "Change the logo colour",
                                              "Site is slow", "Missing report", "Access for a new hire"};
/* Ticket kinds and priorities as the entity table orders them: half the tickets are inquiries, two in five
 * of normal priority. */
static const int KIND_WEIGHTS[] = {2, 1, 1};
static const int PRIORITY_WEIGHTS[] = {1, 2, 1, 1};

static void day(int64_t t, char out[11])
{
    char buf[CLOCK_RFC3339_LEN];
    clock_format(t, buf);
    memcpy(out, buf, 10);
    out[10] = '\0';
}

static void at(int64_t t, char out[CLOCK_RFC3339_LEN]) { clock_format(t, out); }

int seed_life_open(db *d, const actor *who, seed_life **out, err_t *e)
{
    seed_life *L = calloc(1, sizeof *L);
    if (!L)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    L->who = who;
    L->e = e;
    L->ticket_kind = entity_field(entity_by_name("tickets"), "kind");
    L->ticket_priority = entity_field(entity_by_name("tickets"), "priority");
    int rc = sla_calendar(d, who, &L->cal, e);
    for (int i = 0; i < S_COUNT && rc == 0; i++)
        rc = db_prepare(d, INSERTS[i], &L->s[i], e);
    if (rc < 0) {
        seed_life_close(L);
        return rc;
    }
    *out = L;
    return 0;
}

void seed_life_close(seed_life *L)
{
    if (!L)
        return;
    for (int i = 0; i < S_COUNT; i++)
        db_finalize(L->s[i]);
    bizcal_release(&L->cal);
    free(L);
}

long seed_life_rows(const seed_life *L) { return L->rows; }

static int put(seed_life *L, int which)
{
    L->rows++;
    return seed_run(L->s[which], L->e);
}

static int deal(seed_life *L, rng *r, const char *cid, const char *stage, int64_t started, int64_t now)
{
    db_stmt *s = L->s[S_DEAL];
    char id[ID_MAX], closed[CLOCK_RFC3339_LEN], close_on[11];
    int won = !strcmp(stage, "active") || !strcmp(stage, "past"), lost = !strcmp(stage, "lost");
    int64_t created = (won ? started : now) - (30 + below(r, 90)) * 86400;
    int k = (int)below(r, 3);
    seed_make_id(r, "dl", created, id);
    at(won ? started : created + below(r, 60) * 86400, closed);
    day(now + below(r, 120) * 86400, close_on);
    int b = seed_bind_system(s, id, L->who, created);
    db_bind_text(s, b++, cid);
    db_bind_text(s, b++, PICK(r, PROJECTS));
    db_bind_int(s, b++, (1000 + below(r, 49000)) * 100);
    db_bind_text(s, b++, STAGES[k]);
    db_bind_int(s, b++, won ? 100 : STAGE_PROBABILITY[k]);
    db_bind_text(s, b++, close_on);
    db_bind_text(s, b++, won ? "won" : lost ? "lost" : "open");
    db_bind_text(s, b++, lost ? PICK(r, LOST) : NULL);
    db_bind_text(s, b++, won || lost ? closed : NULL);
    return put(L, S_DEAL);
}

static int project(seed_life *L, rng *r, const char *cid, const char *contact, int64_t started, int64_t ended,
                   int64_t now)
{
    char pid[ID_MAX], agreed[CLOCK_RFC3339_LEN], start_d[11], due_d[11], orig_due[11];
    int64_t due = started + (30 + below(r, 150)) * 86400, budget = (5000 + below(r, 75000)) * 100;
    int change = below(r, 100) < 30;
    int64_t change_cost = change ? budget * (5 + below(r, 16)) / 100 : 0, change_days = change ? 3 + below(r, 20) : 0;
    seed_make_id(r, "prj", started, pid);
    at(started, agreed);
    day(started, start_d);
    day(due, orig_due);
    day(due + change_days * 86400, due_d);
    db_stmt *s = L->s[S_PROJECT];
    int b = seed_bind_system(s, pid, L->who, started);
    db_bind_text(s, b++, cid);
    db_bind_text(s, b++, PICK(r, PROJECTS));
    db_bind_text(s, b++, "Agreed scope: discovery, design, build and launch, with two rounds of revisions.");
    db_bind_text(s, b++, ended ? "done" : due < now ? "done" : "active");
    db_bind_text(s, b++, start_d);
    db_bind_text(s, b++, due_d);
    db_bind_int(s, b++, budget + change_cost);
    db_bind_text(s, b++, agreed);
    db_bind_text(s, b++, contact);
    db_bind_int(s, b++, budget);
    db_bind_text(s, b++, orig_due);
    db_bind_int(s, b++, change_cost);
    db_bind_int(s, b++, change_days);
    int rc = put(L, S_PROJECT);
    for (int k = 0; k < 2 && rc == 0; k++) { /* deliverables: on time, early or late; future ones still to do */
        char did[ID_MAX], dd[11], delivered[CLOCK_RFC3339_LEN];
        int64_t ddue = started + (due - started) * (k + 1) / 2, when = ddue + (below(r, 16) - 5) * 86400;
        seed_make_id(r, "dlv", started, did);
        day(ddue, dd);
        at(when, delivered);
        int done = when < now;
        s = L->s[S_DELIVERABLE];
        b = seed_bind_system(s, did, L->who, started);
        db_bind_text(s, b++, pid);
        db_bind_text(s, b++, cid);
        db_bind_text(s, b++, k ? "Final delivery" : "First draft");
        db_bind_text(s, b++, dd);
        db_bind_text(s, b++, done ? (k ? "accepted" : "delivered") : "todo");
        db_bind_text(s, b++, done ? delivered : NULL);
        rc = put(L, S_DELIVERABLE);
    }
    if (rc == 0 && change) {
        char chid[ID_MAX], decided[CLOCK_RFC3339_LEN];
        int64_t t = started + (due - started) / 3;
        seed_make_id(r, "chg", t, chid);
        at(t, decided);
        s = L->s[S_CHANGE];
        b = seed_bind_system(s, chid, L->who, t);
        db_bind_text(s, b++, pid);
        db_bind_text(s, b++, cid);
        db_bind_text(s, b++, "Add a second language to the site");
        db_bind_int(s, b++, change_days);
        db_bind_int(s, b++, change_cost);
        db_bind_text(s, b++, decided);
        db_bind_text(s, b++, contact);
        rc = put(L, S_CHANGE);
    }
    for (int k = 0, n = 1 + (int)below(r, 4); k < n && rc == 0; k++) { /* invoices, most paid */
        char iid[ID_MAX], num[32], issued[11], due_on[11], paid[11];
        int64_t t = started + below(r, (now - started) / 86400 + 1) * 86400;
        int64_t paid_at = t + (5 + below(r, 41)) * 86400;
        int is_paid = below(r, 100) < 85 && paid_at < now;
        seed_make_id(r, "inv", t, iid);
        snprintf(num, sizeof num, "INV-%06ld", ++L->invoice_no);
        day(t, issued);
        day(t + 30 * 86400, due_on);
        day(paid_at, paid);
        s = L->s[S_INVOICE];
        b = seed_bind_system(s, iid, L->who, t);
        db_bind_text(s, b++, cid);
        db_bind_text(s, b++, pid);
        db_bind_text(s, b++, num);
        db_bind_int(s, b++, (budget / n / 100) * 100);
        db_bind_text(s, b++, issued);
        db_bind_text(s, b++, due_on);
        db_bind_text(s, b++, is_paid ? paid : NULL);
        db_bind_text(s, b++, is_paid ? "paid" : "issued");
        rc = put(L, S_INVOICE);
    }
    return rc;
}

static int tickets_and_feedback(seed_life *L, rng *r, const char *cid, const char *contact, int64_t started,
                                int64_t now, int response_hours)
{
    int rc = 0;
    int64_t span = now - started;
    for (int k = 0, n = (int)below(r, 3); k < n && rc == 0; k++) {
        char tid[ID_MAX], opened[CLOCK_RFC3339_LEN], first[CLOCK_RFC3339_LEN], resolved[CLOCK_RFC3339_LEN],
            due_s[CLOCK_RFC3339_LEN];
        int64_t o = started + below(r, span + 1), due = bizhours_add(&L->cal, o, (int64_t)response_hours * 3600);
        /* most answered within the promise, some late; the newest may still wait */
        int64_t f = bizhours_add(&L->cal, o, (int64_t)(below(r, response_hours * 3 / 2 + 1) * 3600 + below(r, 3600)));
        int64_t res = bizhours_add(&L->cal, f, (1 + below(r, 16)) * 3600);
        int answered = f < now, done = res < now;
        seed_make_id(r, "tkt", o, tid);
        at(o, opened);
        at(f, first);
        at(res, resolved);
        at(due, due_s);
        db_stmt *s = L->s[S_TICKET];
        int b = seed_bind_system(s, tid, L->who, o);
        db_bind_text(s, b++, cid);
        db_bind_text(s, b++, contact);
        db_bind_text(s, b++, SEED_PICK_WEIGHTED(r, L->ticket_kind, KIND_WEIGHTS));
        db_bind_text(s, b++, PICK(r, TICKET_SUBJECTS));
        db_bind_text(s, b++, SEED_PICK_WEIGHTED(r, L->ticket_priority, PRIORITY_WEIGHTS));
        db_bind_text(s, b++, opened);
        db_bind_text(s, b++, answered ? first : NULL);
        db_bind_text(s, b++, done ? resolved : NULL);
        db_bind_text(s, b++, done ? "resolved" : answered ? "answered" : "open");
        db_bind_text(s, b++, due_s);
        if (answered)
            db_bind_int(s, b++, bizhours_between(&L->cal, o, f) / 60);
        else
            db_bind_null(s, b++);
        if (done)
            db_bind_int(s, b++, bizhours_between(&L->cal, o, res) / 60);
        else
            db_bind_null(s, b++);
        rc = put(L, S_TICKET);
    }
    for (int k = 0, n = (int)below(r, 3); k < n && rc == 0; k++) {
        char fid[ID_MAX], recv[CLOCK_RFC3339_LEN];
        int64_t t = started + below(r, span + 1);
        int nps = below(r, 2);
        long score = nps ? 3 + below(r, 8) : 2 + below(r, 4); /* mostly content */
        seed_make_id(r, "fb", t, fid);
        at(t, recv);
        db_stmt *s = L->s[S_FEEDBACK];
        int b = seed_bind_system(s, fid, L->who, t);
        db_bind_text(s, b++, cid);
        db_bind_text(s, b++, contact);
        db_bind_text(s, b++, nps ? "nps" : "csat");
        db_bind_int(s, b++, score);
        db_bind_text(s, b++, score >= (nps ? 9 : 4) ? "Great work, thank you." : "Slower than we hoped.");
        db_bind_text(s, b++, recv);
        rc = put(L, S_FEEDBACK);
    }
    return rc;
}

int seed_life_client(seed_life *L, rng *r, const char *client_id, const char *contact_id, const char *stage,
                     int64_t started, int64_t ended, int64_t now, int response_hours)
{
    int rc = deal(L, r, client_id, stage, started, now);
    if (rc == 0 && started) {
        rc = project(L, r, client_id, contact_id, started, ended, now);
        if (rc == 0)
            rc = tickets_and_feedback(L, r, client_id, contact_id, started, ended ? ended : now, response_hours);
    }
    return rc;
}
