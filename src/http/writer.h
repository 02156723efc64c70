/* writer: group commit for the embedded database. SQLite has one writer at a time, and most of a small
 * write's cost is its commit (the pages it dirties written to the WAL, the locks taken). So the server
 * hands every write request to one writer thread, which runs whatever has queued up while its previous
 * batch committed — each request in a savepoint of its own, so a failure undoes only that request — and
 * commits them together. A lone write waits for nobody; under load, commits are shared. */
#ifndef RAPPORT_WRITER_H
#define RAPPORT_WRITER_H
#include "db/db.h"

typedef struct writer_job writer_job;
struct writer_job {
    writer_job *next;
    void (*run)(writer_job *job, db *d);           /* inside the batch's transaction */
    void (*fail)(writer_job *job, const err_t *e); /* the batch could not commit: the job's answer must say so */
    void (*done)(writer_job *job);                 /* after the commit, on the writer thread: hand the answer back */
};

#define WRITER_MAX_BATCH 64

/* Starts the writer thread on its own connection to target. */
int writer_start(const char *target, err_t *e);
/* Queues a job; thread-safe. -1 once the writer is stopping: the caller answers itself. */
int writer_submit(writer_job *job);
/* Finishes what is queued, then stops the thread. */
void writer_stop(void);

#endif
