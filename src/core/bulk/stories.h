/* stories: a book of clients whose outcome is known, to measure the health score against (rapport seed
 * --stories N, then rapport calibrate; docs/health.md "Calibration").
 *
 * Three kinds of client: steady ones with ordinary noise (a skipped update, a busy month of slow replies,
 * a passive score, a deliverable a few days late), naturally quiet ones (a quarterly cadence, few words)
 * who stay, and leavers who drift before they go, each in its own order and at its own speed: slower
 * replies, fewer interactions, our updates lapsing, a complaint left waiting, low scores, late
 * deliverables. A leaver's last day is its ended_at (stage past); the others stay active.
 *
 * The stories are written from how clients behave, never from the score: this module does not include
 * the health score's header and reads none of its settings. */
#ifndef RAPPORT_STORIES_H
#define RAPPORT_STORIES_H
#include "core/model/entity.h"

enum { STORY_STEADY, STORY_QUIET, STORY_LEAVER, STORY_KINDS };
extern const char *const story_kind_names[STORY_KINDS]; /* also each client's tag: "story-steady", ... */

typedef struct stories_config {
    long clients;
    uint64_t seed;
} stories_config;

typedef struct stories_counts {
    long clients[STORY_KINDS], interactions, other; /* other: projects, deliverables, tickets, feedback */
} stories_counts;

/* Writes the book into the acting user's workspace in bulk, up to the clock's now. */
int stories_generate(db *d, const actor *who, const stories_config *cfg, stories_counts *out, err_t *e);

#endif
