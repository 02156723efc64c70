/* jobs: the background job queue. Any process enqueues; every `rapport serve` runs a worker thread
 * that claims due jobs one at a time and runs them, so with several servers on one PostgreSQL each job
 * runs exactly once. A job whose server died mid-run is claimed again after JOBS_STALE_SECONDS. */
#ifndef RAPPORT_JOBS_H
#define RAPPORT_JOBS_H
#include "db/db.h"

#define JOBS_STALE_SECONDS 300

typedef struct job {
    char id[40];
    char kind[40];
    char *payload; /* JSON text, owned */
    char *result;  /* set by the handler (malloc'd), stored with the job */
} job;

/* A handler returns 0 (done) or <0 with e filled (failed; the message is kept in `result`), or
 * JOB_DETACHED: it handed the job to a thread of its own, which calls jobs_finish on its own connection
 * (a webhook's HTTP request); until then the job stays claimed, and is claimed again if that never comes. */
#define JOB_DETACHED 1
typedef int (*job_handler)(db *d, job *j, const char *worker, err_t *e);

typedef struct job_kind {
    const char *name;
    job_handler run;
    const char *help;
} job_kind;

extern const job_kind job_kinds[];
extern const int job_kind_count;
const job_kind *job_kind_find(const char *name);

/* Queues a job to run at run_at (0 = now); workspace may be NULL for system jobs. */
int jobs_enqueue(db *d, const char *workspace, const char *kind, const char *payload, int64_t run_at, err_t *e);
/* The same with the job's id chosen by the caller (an import's id is its job's), or NULL for a new one. */
int jobs_enqueue_id(db *d, const char *workspace, const char *kind, const char *payload, int64_t run_at,
                    const char *job_id, err_t *e);
/* Claims the next due job for `worker`: 1 with j filled, 0 when none is due, <0 on error. */
int jobs_claim(db *d, const char *worker, job *j, err_t *e);
/* Records the outcome of a claimed job and frees what the job holds. */
int jobs_finish(db *d, job *j, int ok, err_t *e);
/* Claims and runs due jobs until none is left; returns how many ran, or <0. */
int jobs_run_due(db *d, const char *worker, err_t *e);

#endif
