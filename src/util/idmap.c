/* idmap: see idmap.h. */
#include "util/idmap.h"

#include <stdlib.h>
#include <string.h>

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

int idmap_build(idmap *m, const char *const *ids, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n) /* at most half full: probes stay short */
        cap *= 2;
    m->ids = ids;
    m->mask = cap - 1;
    if (!(m->slot = malloc(cap * sizeof *m->slot)))
        return -1;
    for (size_t i = 0; i < cap; i++)
        m->slot[i] = -1;
    for (size_t i = 0; i < n; i++) {
        size_t h = hash(ids[i]) & m->mask;
        while (m->slot[h] >= 0)
            h = (h + 1) & m->mask;
        m->slot[h] = (long)i;
    }
    return 0;
}

long idmap_find(const idmap *m, const char *id)
{
    if (!id || !m->slot)
        return -1;
    for (size_t h = hash(id) & m->mask; m->slot[h] >= 0; h = (h + 1) & m->mask)
        if (!strcmp(m->ids[m->slot[h]], id))
            return m->slot[h];
    return -1;
}

void idmap_release(idmap *m)
{
    free(m->slot);
    m->slot = NULL;
}
