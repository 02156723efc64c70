/* import_names: the workspace's clients by name, lower-cased, to their ids, then the ones the import
 * creates (see import_impl.h). Open addressing, grown at half full. A client created in a slice that was
 * rolled back keeps its name with no id, so it is counted once however often the check makes it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/bulk/import_impl.h"

static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

void import_name_key(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++)
        out[k++] = (char)tolower((unsigned char)*s);
    out[k] = '\0';
}

const char *import_names_find(const name_table *t, const char *key)
{
    if (!t->cap)
        return NULL;
    for (size_t h = name_hash(key) & (t->cap - 1); t->name[h]; h = (h + 1) & (t->cap - 1))
        if (!strcmp(t->name[h], key))
            return t->id[h];
    return NULL;
}

/* Adds key → id unless key is there already (the first, oldest client of a name
 * wins). */
int import_names_add(name_table *t, const char *key, const char *id)
{
    if (2 * (t->n + 1) > t->cap) {
        name_table g = {calloc(t->cap ? 2 * t->cap : 256, sizeof(char *)), NULL, t->cap ? 2 * t->cap : 256, 0};
        g.id = calloc(g.cap, sizeof(char *));
        if (!g.name || !g.id) {
            free(g.name);
            free(g.id);
            return -1;
        }
        for (size_t i = 0; i < t->cap; i++)
            if (t->name[i]) {
                size_t h = name_hash(t->name[i]) & (g.cap - 1);
                while (g.name[h])
                    h = (h + 1) & (g.cap - 1);
                g.name[h] = t->name[i];
                g.id[h] = t->id[i];
                g.n++;
            }
        free(t->name);
        free(t->id);
        *t = g;
    }
    size_t h = name_hash(key) & (t->cap - 1);
    for (; t->name[h]; h = (h + 1) & (t->cap - 1))
        if (!strcmp(t->name[h], key))
            return t->id[h] || (t->id[h] = strdup(id)) ? 0 : -1; /* a forgotten client made again */
    if (!(t->name[h] = strdup(key)) || !(t->id[h] = strdup(id)))
        return -1;
    t->n++;
    return 0;
}

/* The client created under key was rolled back: its name stays (so it is not counted twice), its id
 * goes. Returns whether key was known. */
int import_names_forget(name_table *t, const char *key)
{
    if (!t->cap)
        return 0;
    for (size_t h = name_hash(key) & (t->cap - 1); t->name[h]; h = (h + 1) & (t->cap - 1))
        if (!strcmp(t->name[h], key)) {
            free(t->id[h]);
            t->id[h] = NULL;
            return 1;
        }
    return 0;
}

int import_names_known(const name_table *t, const char *key)
{
    if (!t->cap)
        return 0;
    for (size_t h = name_hash(key) & (t->cap - 1); t->name[h]; h = (h + 1) & (t->cap - 1))
        if (!strcmp(t->name[h], key))
            return 1;
    return 0;
}

void import_names_release(name_table *t)
{
    for (size_t i = 0; i < t->cap; i++) {
        free(t->name[i]);
        free(t->id[i]);
    }
    free(t->name);
    free(t->id);
}
