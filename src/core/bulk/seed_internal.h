/* seed_internal: what seed.c and seed_lifecycle.c share — the deterministic random numbers and the bulk
 * insert helpers. */
#ifndef RAPPORT_SEED_INTERNAL_H
#define RAPPORT_SEED_INTERNAL_H
#include <stdint.h>

#include "core/model/entity.h"

typedef struct rng {
    uint64_t s;
} rng;

/* splitmix64: tiny, fast, and the same sequence on every machine */
static inline uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static inline long below(rng *r, long n) { return (long)(next(r) % (uint64_t)n); }
#define PICK(r, a) (a[below(r, (long)(sizeof a / sizeof a[0]))])

/* An id whose time part is t (so seeded ids sort like their records' times) and whose rest is random. */
void seed_make_id(rng *r, const char *prefix, int64_t t, char out[ID_MAX]);
/* Binds id, workspace, created/updated (t), created_by, version; returns the next parameter index. */
int seed_bind_system(db_stmt *s, const char *id, const actor *who, int64_t t);
/* A value of the enum field f, drawn evenly, or with weights (one per value, in the entity table's order;
 * BUG when their number differs from the values'). */
const char *seed_pick_value(rng *r, const field *f, const int *weights, int nweights);
#define SEED_PICK_WEIGHTED(r, f, w) seed_pick_value(r, f, w, (int)(sizeof w / sizeof w[0]))
/* Steps an insert and resets it for the next row. */
int seed_run(db_stmt *s, err_t *e);

/* seed_lifecycle.c: each client's deals, project with deliverables and changes, tickets, feedback,
 * invoices — what the lifecycle views and the metrics read. */
typedef struct seed_life seed_life;
int seed_life_open(db *d, const actor *who, seed_life **out, err_t *e);
/* contact: the client's primary contact; stage, started/ended (NULL when never active), now (day start). */
int seed_life_client(seed_life *L, rng *r, const char *client_id, const char *contact_id, const char *stage,
                     int64_t started, int64_t ended, int64_t now, int response_hours);
/* Rows written per table (deals, projects, deliverables, change requests, tickets, feedback, invoices). */
long seed_life_rows(const seed_life *L);
void seed_life_close(seed_life *L);
extern const char *const seed_life_tables[];
extern const int seed_life_table_count;

#endif
