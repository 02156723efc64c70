/* seed: a deterministic, realistic workspace for benchmarks and demos — clients in every stage, their
 * contacts, and years of interactions with text worth searching — written in bulk (prepared inserts in
 * large transactions), not through record_create, so millions of rows take minutes, not hours. The same
 * seed and clock (RAPPORT_NOW) give the same data, ids included. */
#ifndef RAPPORT_SEED_H
#define RAPPORT_SEED_H
#include <stdio.h>

#include "core/model/entity.h"

typedef struct seed_config {
    long clients, interactions;
    uint64_t seed;
    long fail_after_rows; /* tests only: fail as a refused insert would after this many interactions (0: never) */
} seed_config;

typedef struct seed_counts {
    long clients, contacts, interactions;
    long lifecycle; /* deals, projects, deliverables, change requests, tickets, feedback, invoices */
} seed_counts;

/* Writes the seed into who's workspace. The tables' full-text triggers and secondary indexes are dropped
 * for the load and rebuilt at its end, also when it fails: the rows committed until then stay, searchable. */
int seed_workspace(db *d, const actor *who, const seed_config *cfg, seed_counts *out, err_t *e);
/* Writes n contacts as CSV (header first_name,last_name,email,phone,title,company) to f. */
void seed_contacts_csv(FILE *f, long n, uint64_t seed);

#endif
