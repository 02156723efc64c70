/* writer: the group-commit thread (see writer.h). */
#include "http/writer.h"

#include <pthread.h>
#include <stdlib.h>

#include "util/log.h"

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    writer_job *head, *tail;
    int stopping, running;
    pthread_t thread;
    db *d;
} w = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

int writer_submit(writer_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&w.lock);
    if (w.stopping || !w.running) {
        pthread_mutex_unlock(&w.lock);
        return -1;
    }
    if (w.tail)
        w.tail->next = job;
    else
        w.head = job;
    w.tail = job;
    pthread_cond_signal(&w.wake);
    pthread_mutex_unlock(&w.lock);
    return 0;
}

/* Takes up to WRITER_MAX_BATCH queued jobs, waiting for the first; NULL when stopping with none left. */
static writer_job *take_batch(void)
{
    pthread_mutex_lock(&w.lock);
    while (!w.head && !w.stopping)
        pthread_cond_wait(&w.wake, &w.lock);
    writer_job *batch = w.head, *last = w.head;
    for (int n = 1; last && last->next && n < WRITER_MAX_BATCH; n++)
        last = last->next;
    if (last) {
        w.head = last->next;
        if (!w.head)
            w.tail = NULL;
        last->next = NULL;
    }
    pthread_mutex_unlock(&w.lock);
    return batch;
}

static void *run_writer(void *arg)
{
    (void)arg;
    writer_job *batch;
    while ((batch = take_batch()) != NULL) {
        err_t e;
        err_clear(&e);
        int rc = db_begin(w.d, &e);
        if (rc == 0) {
            for (writer_job *j = batch; j; j = j->next)
                j->run(j, w.d);
            rc = db_commit(w.d, &e);
        }
        if (rc < 0)
            log_error("writer: a batch failed to commit: %s", e.message);
        for (writer_job *j = batch, *next; j; j = next) {
            next = j->next; /* done() hands the job to another thread, which frees it */
            if (rc < 0)
                j->fail(j, &e);
            j->done(j);
        }
    }
    return NULL;
}

int writer_start(const char *target, err_t *e)
{
    int rc = db_open(target, &w.d, e);
    if (rc == 0 && w.d->be->writer_sql && (rc = db_exec(w.d, w.d->be->writer_sql, e)) < 0)
        db_close(w.d);
    if (rc < 0)
        return rc;
    w.stopping = 0;
    w.running = 1;
    if (pthread_create(&w.thread, NULL, run_writer, NULL)) {
        w.running = 0;
        db_close(w.d);
        return err_set(e, E_INTERNAL, NULL, "cannot start the writer thread");
    }
    return 0;
}

void writer_stop(void)
{
    if (!w.running)
        return;
    pthread_mutex_lock(&w.lock);
    w.stopping = 1;
    pthread_cond_broadcast(&w.wake);
    pthread_mutex_unlock(&w.lock);
    pthread_join(w.thread, NULL);
    db_close(w.d);
    w.d = NULL;
    pthread_mutex_lock(&w.lock);
    w.running = 0;
    pthread_mutex_unlock(&w.lock);
}
