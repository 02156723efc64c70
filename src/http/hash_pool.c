/* hash_pool: the password-hashing threads (see hash_pool.h). */
#include "http/hash_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/log.h"

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    writer_job *head, *tail;
    int queued, stopping, running;
    pthread_t threads[HASH_POOL_THREADS];
    const char *target;
} p = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

int hash_pool_submit(writer_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&p.lock);
    if (p.stopping || !p.running || p.queued >= HASH_POOL_QUEUE) {
        pthread_mutex_unlock(&p.lock);
        return -1;
    }
    if (p.tail)
        p.tail->next = job;
    else
        p.head = job;
    p.tail = job;
    p.queued++;
    pthread_cond_signal(&p.wake);
    pthread_mutex_unlock(&p.lock);
    return 0;
}

static writer_job *take(void)
{
    pthread_mutex_lock(&p.lock);
    while (!p.head && !p.stopping)
        pthread_cond_wait(&p.wake, &p.lock);
    writer_job *j = p.head;
    if (j) {
        p.head = j->next;
        if (!p.head)
            p.tail = NULL;
        j->next = NULL;
        p.queued--;
    }
    pthread_mutex_unlock(&p.lock);
    return j;
}

static void *run_pool(void *arg)
{
    (void)arg;
    /* below the event loops: on a busy machine the scheduler serves every other request first, and a
     * sign-in waits a little longer (Linux: a thread's nice value is its own) */
    if (setpriority(PRIO_PROCESS, (id_t)gettid(), 10) < 0)
        log_warn("hash pool: cannot lower its priority");
    db *d = NULL;
    writer_job *j;
    while ((j = take()) != NULL) {
        err_t e;
        err_clear(&e);
        if (!d && db_open(p.target, &d, &e) < 0) {
            log_error("hash pool: %s", e.message);
            d = NULL;
            j->fail(j, &e);
        } else {
            j->run(j, d);
        }
        j->done(j);
    }
    db_close(d);
    return NULL;
}

int hash_pool_start(const char *target, err_t *e)
{
    p.target = target;
    p.stopping = 0;
    p.running = 1;
    for (int i = 0; i < HASH_POOL_THREADS; i++)
        if (pthread_create(&p.threads[i], NULL, run_pool, NULL)) {
            p.running = 0;
            return err_set(e, E_INTERNAL, NULL, "cannot start the password-hashing threads");
        }
    return 0;
}

void hash_pool_stop(void)
{
    if (!p.running)
        return;
    pthread_mutex_lock(&p.lock);
    p.stopping = 1;
    pthread_cond_broadcast(&p.wake);
    pthread_mutex_unlock(&p.lock);
    for (int i = 0; i < HASH_POOL_THREADS; i++)
        pthread_join(p.threads[i], NULL);
    pthread_mutex_lock(&p.lock);
    p.running = 0;
    pthread_mutex_unlock(&p.lock);
}
