/* health_impl: what the health score's parts share — the facts gathered for a set of clients as of two
 * instants (health_data.c), and scoring one client from them (health_factors.c). Not for other modules:
 * they use health.h. */
#ifndef RAPPORT_HEALTH_IMPL_H
#define RAPPORT_HEALTH_IMPL_H
#include "util/bizhours.h"
#include "util/clock.h"
#include "util/idmap.h"
#include "core/insight/health.h"
#include "core/insight/latency.h"

/* view 0 is as_of, view 1 is as_of - 30 days (the change over 30 days is their difference); each has
 * HEALTH_LOOKS looks back (7, 14 and 30 days before it), for signals sustained across weekly evaluations
 * and for hysteresis: view health_look_view(v, j) is view v's look j (1..HEALTH_LOOKS) */
#define HEALTH_INSTANTS 2
#define HEALTH_LOOKS 3
#define HEALTH_VIEWS (HEALTH_INSTANTS * (1 + HEALTH_LOOKS))
#define HEALTH_CHANGE_DAYS 30
/* how far back each look is: two weekly looks, and one a whole 30-day window back (reply times and the
 * client's messages are measured over the last 30 days: only a look that far back measures them anew) */
static const int health_look_days[HEALTH_LOOKS + 1] = {0, 7, 14, 30};
static inline int health_look_view(int v, int j) { return HEALTH_INSTANTS + v * HEALTH_LOOKS + (j - 1); }

/* One client's facts as of one instant. Dates are YYYY-MM-DD ("" when none). */
typedef struct health_view {
    latency_stats lat;
    int64_t last_update;                     /* our last update before as_of; 0: none */
    int64_t last_raised;                     /* the client's last ticket or scored survey before as_of; 0: none */
    int deliverables, dlv_overdue;           /* with a due date; not delivered by as_of and due before it */
    char dlv_oldest_due[11];
    int has_feedback, fb_score;              /* the latest scored csat, nps or pulse before as_of */
    char fb_kind[8], fb_on[11];
    int tickets, complaints_open, breaches;  /* breaches: opened in the window, first response late */
    int64_t complaint_oldest;                /* opened_at of the oldest complaint still open */
    /* the open complaint without a first response that has waited longest against its promise: business
     * hours waited / business hours promised (0: none with a promise) */
    double complaint_wait_ratio, complaint_waited_hours, complaint_promised_hours;
    /* felt failures (flag_felt_days): the complaint answered within that many days before as_of that had
     * waited longest against its promise (ratio 0: none), and the deliverable delivered within them that
     * was latest (felt_dlv_delivered 0: none) */
    double felt_complaint_ratio, felt_complaint_hours, felt_complaint_promised;
    char felt_complaint_on[11];
    int64_t felt_dlv_delivered, felt_dlv_due;
    int invoices, inv_overdue;               /* issued by as_of; due before it and unpaid at it */
    char inv_oldest_due[11];
} health_view;

typedef struct health_client {
    char *id, *name, *owner_id, *cadence;
    int64_t since; /* started_at, or created_at */
    int projects;  /* agreed, active or on hold, with a budget as agreed */
    double scope_ratio; /* the largest approved_change_cost / original_budget among them */
    char *scope_project;
    int64_t scope_cost, scope_budget;
    health_view v[HEALTH_VIEWS];
} health_client;

typedef struct health_set {
    health_client *c; /* sorted by id */
    char **ids;       /* c[i].id */
    idmap map;        /* ids to their index */
    size_t n;
    int64_t as_of[HEALTH_VIEWS];
    /* as_of as the rows hold it, formatted once rather than per row: the instant, its UTC date, and the
     * start of the breach window before it */
    char at[HEALTH_VIEWS][CLOCK_RFC3339_LEN], day[HEALTH_VIEWS][11], breach_since[HEALTH_VIEWS][CLOCK_RFC3339_LEN];
    bizcal cal;
    int has_cal;
    health_settings cfg;
} health_set;

/* Gathers the facts of one client (client_id, any stage) or of the active clients (client_id NULL,
 * optionally only owner_id's). E_NOT_FOUND for an unknown client_id. Release with health_set_release. */
int health_gather(db *d, const actor *who, const char *client_id, const char *owner_id, int64_t as_of,
                  health_set *out, err_t *e);
/* The same for the clients of any scope (client_scope_active_at to look back at the book). */
int health_gather_scope(db *d, const actor *who, const client_scope *scope, int64_t as_of, health_set *out, err_t *e);
void health_set_release(health_set *s);

#define HEALTH_EVIDENCE_LEN 200

/* what a factor knows: nothing yet (a new client, or nothing of the kind), current facts, or nothing for
 * longer than a client should be silent ("nothing for too long", which is scored) */
enum { HEALTH_DATA_NONE, HEALTH_DATA_CURRENT, HEALTH_DATA_STALE };
extern const char *const health_data_names[3];

typedef struct health_result {
    double max_points[HF_COUNT], fraction[HF_COUNT], lost[HF_COUNT];
    int has_data[HF_COUNT], data[HF_COUNT];
    char evidence[HF_COUNT][HEALTH_EVIDENCE_LEN];
    /* red flags: a factor at its worst, with the rule it met ("" when none) */
    int flagged[HF_COUNT], flags; /* flags: a flag met twice over counts two */
    char flag_rule[HF_COUNT][HEALTH_EVIDENCE_LEN];
    int points_score; /* 100 - the points lost, before the flags' cap */
    int cap;          /* the highest score the flags allow (100: no cap) */
    int corroborated; /* one flag, and a second factor losing half its weight or more */
    /* a flag also raised at each of the last flag_sustained_weeks weekly looks: it counts one more */
    int sustained[HF_COUNT];
    int held;         /* at risk a week ago and not yet recovered (hysteresis) */
    int score, band;
} health_result;

/* Scores client i of s in view 0 (as_of) or 1 (30 days before), with its weekly looks back. */
void health_evaluate(const health_set *s, size_t i, int view, health_result *out);

#endif
