/* throttle: growing delays after failed attempts, per key ("account:EMAIL", "address:IP", ...). Each
 * key has some free failures; past them every failure doubles the wait (1 s, 2 s, 4 s ... up to 15
 * minutes), and a key that has not failed for an hour starts over. Kept in memory, per process: a fixed
 * table, so a flood of keys evicts the stalest rather than growing it. Thread-safe. */
#ifndef RAPPORT_THROTTLE_H
#define RAPPORT_THROTTLE_H
#include <stdint.h>

#define THROTTLE_MAX_WAIT_S 900

/* Seconds until key may try again (0: now). */
int throttle_wait(const char *key, int64_t now_ms);
/* Counts a failure (or, for rate limits, an attempt) of key; free_tries go without a wait. */
void throttle_fail(const char *key, int free_tries, int64_t now_ms);
/* Forgets key (a successful sign-in clears its account's failures). */
void throttle_clear(const char *key);
/* Forgets every key (tests). */
void throttle_reset_all(void);

#endif
