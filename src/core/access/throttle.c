/* throttle: growing delays per key (see throttle.h). */
#include "core/access/throttle.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 4096
#define PROBES 8
#define FORGET_MS (3600 * 1000)

typedef struct {
    char key[160];
    int failures;
    int64_t last_ms, until_ms;
} slot;

static slot table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The key's slot; with create, a free or the stalest slot among its probes, taken over. */
static slot *find(const char *key, int create, int64_t now_ms)
{
    uint32_t h = hash(key);
    slot *stalest = NULL;
    for (int i = 0; i < PROBES; i++) {
        slot *s = &table[(h + (uint32_t)i) % SLOTS];
        if (!strcmp(s->key, key) && s->key[0]) {
            if (now_ms - s->last_ms > FORGET_MS && now_ms >= s->until_ms)
                s->failures = 0, s->until_ms = 0;
            return s;
        }
        if (!stalest || s->last_ms < stalest->last_ms)
            stalest = s;
    }
    if (!create)
        return NULL;
    memset(stalest, 0, sizeof *stalest);
    snprintf(stalest->key, sizeof stalest->key, "%s", key);
    return stalest;
}

int throttle_wait(const char *key, int64_t now_ms)
{
    pthread_mutex_lock(&lock);
    slot *s = find(key, 0, now_ms);
    int64_t left = s ? s->until_ms - now_ms : 0;
    pthread_mutex_unlock(&lock);
    return left > 0 ? (int)((left + 999) / 1000) : 0;
}

void throttle_fail(const char *key, int free_tries, int64_t now_ms)
{
    pthread_mutex_lock(&lock);
    slot *s = find(key, 1, now_ms);
    s->failures++;
    s->last_ms = now_ms;
    int over = s->failures - free_tries;
    if (over > 0) {
        int64_t wait_s = over > 10 ? THROTTLE_MAX_WAIT_S : (int64_t)1 << (over - 1);
        if (wait_s > THROTTLE_MAX_WAIT_S)
            wait_s = THROTTLE_MAX_WAIT_S;
        s->until_ms = now_ms + wait_s * 1000;
    }
    pthread_mutex_unlock(&lock);
}

void throttle_clear(const char *key)
{
    pthread_mutex_lock(&lock);
    slot *s = find(key, 0, 0);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&lock);
}

void throttle_reset_all(void)
{
    pthread_mutex_lock(&lock);
    memset(table, 0, sizeof table);
    pthread_mutex_unlock(&lock);
}
