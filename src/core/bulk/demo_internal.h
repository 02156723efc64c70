/* demo_internal: what the demo's files share (see demo.h) — the clients by name, the ids written so
 * far, and helpers that write through the generic record path. */
#ifndef RAPPORT_DEMO_INTERNAL_H
#define RAPPORT_DEMO_INTERNAL_H
#include "core/model/entity.h"

/* The demo's clients, in the order demo.c creates them. */
enum { NORTHWIND, HARBOR, BLUEBELL, QUARRY, ELM, COPPERLINE, JUNIPER, DEMO_CLIENTS };

typedef struct demo {
    db *d;
    const actor *who; /* the owner: the demo is theirs, as if they had typed it */
    actor sys;        /* the program, for dates a rule sets to "now" that the story places earlier */
    int64_t now;
    err_t *e;
    char client[DEMO_CLIENTS][ID_MAX], contact[DEMO_CLIENTS][ID_MAX];
    char project[DEMO_CLIENTS][ID_MAX]; /* each client's project, "" when it has none */
} demo;

/* days_ago days before today (negative: after) at hour:00 UTC, as an RFC 3339 JSON string. */
json_t *demo_at(const demo *D, int days_ago, int hour);
/* days_ago days before today (negative: after), as a YYYY-MM-DD JSON string. */
json_t *demo_day(const demo *D, int days_ago);
/* Creates a record of entity_name as the owner; takes body; copies its id to id when id is not NULL. */
int demo_add(demo *D, const char *entity_name, json_t *body, char id[ID_MAX]);
/* Updates a record at its current version, as the owner or (as_system) as the program; takes patch. */
int demo_set(demo *D, const char *entity_name, const char *id, json_t *patch, int as_system);

/* demo_work.c: deals, projects with deliverables and change requests, tasks, the onboarding, a view. */
int demo_pipeline(demo *D);
int demo_projects(demo *D);
int demo_tasks(demo *D);
/* demo_service.c: tickets, feedback, a retainer and invoices. */
int demo_service(demo *D);
int demo_money(demo *D);

#endif
