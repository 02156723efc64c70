/* hash_pool: a few threads for the requests that hash passwords (signing in, creating a user or
 * changing a password). Argon2 takes tens of milliseconds of CPU by design; on the event loops it
 * would stall every other request those loops serve (six bad logins took /healthz from 0.3 ms to
 * 368 ms). The queue is bounded: when it is full the request is answered 503 at once, so a flood of
 * sign-ins waits here rather than anywhere else. Jobs use writer.h's job shape (run, done). */
#ifndef RAPPORT_HASH_POOL_H
#define RAPPORT_HASH_POOL_H
#include "http/writer.h"

#define HASH_POOL_THREADS 2
#define HASH_POOL_QUEUE 64

/* Starts the threads, each with its own connection to target (opened on first use). */
int hash_pool_start(const char *target, err_t *e);
/* Queues a job (run without a transaction of the pool's, then done); -1 when full or stopping. */
int hash_pool_submit(writer_job *job);
/* Finishes what is queued, then stops the threads. */
void hash_pool_stop(void);

#endif
