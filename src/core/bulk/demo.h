/* demo: the demo workspace (`rapport init --demo`, `make run`): a small agency's book of seven clients,
 * each with a story a new user can follow from Today through every page — conversations, deals in the
 * pipeline, projects with deliverables and change requests, tickets (one answered late, one waiting past
 * its promise), feedback (a low score acted on with a note back, one not yet), invoices (paid,
 * outstanding, overdue, a draft), a retainer, tasks, an onboarding in progress and a saved view.
 *
 * Every record goes through record_create and the entities' own rules, so the demo is validated, audited
 * and indexed like anything a user types. Every time is relative to the clock (RAPPORT_NOW honoured), so
 * the demo is right on the day it is read; the same clock gives the same records. */
#ifndef RAPPORT_DEMO_H
#define RAPPORT_DEMO_H
#include "core/model/entity.h"

/* Fills the actor's workspace (its owner) with the demo, in one transaction. */
int demo_seed(db *d, const actor *who, err_t *e);

#endif
