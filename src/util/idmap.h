/* idmap: a fixed set of ids to their positions, by open addressing. Reports route each row of a
 * workspace-wide scan to its client this way: one hash and one comparison per row, where a binary search
 * over thousands of ids costs a dozen string comparisons. The map borrows the ids; keep them alive. */
#ifndef RAPPORT_IDMAP_H
#define RAPPORT_IDMAP_H
#include <stddef.h>

typedef struct idmap {
    const char *const *ids;
    long *slot; /* index into ids, or -1 */
    size_t mask;
} idmap;

/* Returns 0, or -1 when out of memory. Duplicate ids: find returns one of them. */
int idmap_build(idmap *m, const char *const *ids, size_t n);
/* The position of id in the ids given to build, or -1; id may be NULL (-1). */
long idmap_find(const idmap *m, const char *id);
void idmap_release(idmap *m);

#endif
