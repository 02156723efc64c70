/* jobs: queue, claim, run (see jobs.h). */
#include "sched/jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/events/events.h"
#include "sched/webhook_send.h"
#include "util/clock.h"
#include "util/ids.h"
#include "util/log.h"
#include "sched/import_job.h"

/* "ping" proves the workers are alive and that each job runs once: it records who ran it. A payload
 * {"sleep_ms": N} (at most 10 s) makes it take that long, to see work spread over several servers. */
static int job_ping(db *d, job *j, const char *worker, err_t *e)
{
    (void)d;
    (void)e;
    json_t *p = json_loads(j->payload ? j->payload : "{}", 0, NULL);
    json_int_t ms = json_integer_value(json_object_get(p, "sleep_ms"));
    json_decref(p);
    if (ms > 0 && ms <= 10000)
        usleep((useconds_t)ms * 1000);
    char buf[160];
    snprintf(buf, sizeof buf, "{\"ran_on\":\"%s\"}", worker);
    j->result = strdup(buf);
    return 0;
}

/* Sorted by name. */
const job_kind job_kinds[] = {
    {"import", import_job_run, "an import of a CSV file, checked and written in slices (sched/import_job.h)"},
    {"ping", job_ping, "records which server ran it: a check that background workers are alive"},
    {"webhook", webhook_job, "sends one webhook delivery (its payload names the delivery_id) and records the attempt"},
};
const int job_kind_count = (int)(sizeof job_kinds / sizeof job_kinds[0]);

const job_kind *job_kind_find(const char *name)
{
    for (int i = 0; i < job_kind_count; i++)
        if (!strcmp(job_kinds[i].name, name))
            return &job_kinds[i];
    return NULL;
}

int jobs_enqueue(db *d, const char *workspace, const char *kind, const char *payload, int64_t run_at, err_t *e)
{
    return jobs_enqueue_id(d, workspace, kind, payload, run_at, NULL, e);
}

int jobs_enqueue_id(db *d, const char *workspace, const char *kind, const char *payload, int64_t run_at,
                    const char *job_id, err_t *e)
{
    if (!job_kind_find(kind))
        return err_set(e, E_INVALID_VALUE, "kind", "no job kind %.40s", kind);
    char id[ID_MAX], now[CLOCK_RFC3339_LEN], at[CLOCK_RFC3339_LEN];
    if (job_id)
        snprintf(id, sizeof id, "%s", job_id);
    else
        id_new("job", id);
    clock_format(clock_now(), now);
    clock_format(run_at ? run_at : clock_now(), at);
    db_stmt *s;
    const char *args[] = {id, workspace, kind, payload ? payload : "{}", at, now};
    int rc = db_query_row(d, &s, e,
                          "INSERT INTO jobs (id, workspace_id, kind, payload, status, run_at, created_at) "
                          "VALUES (?, ?, ?, ?, 'queued', ?, ?)",
                          6, args);
    return rc < 0 ? rc : 0;
}

int jobs_claim(db *d, const char *worker, job *j, err_t *e)
{
    char now[CLOCK_RFC3339_LEN], stale[CLOCK_RFC3339_LEN];
    int64_t t = clock_now();
    clock_format(t, now);
    clock_format(t - JOBS_STALE_SECONDS, stale);
    /* one statement: the sub-select picks a due job no other server holds, the outer condition re-checks
     * it is still unclaimed, so two servers never both get it */
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql,
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, claimed_by = ?, claimed_at = ? "
                "WHERE id = (SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= ?) "
                "OR (status = 'running' AND claimed_at < ?) ORDER BY run_at, id LIMIT 1%s) "
                "AND (status = 'queued' OR (status = 'running' AND claimed_at < ?)) RETURNING id, kind, payload",
                d->be->skip_locked);
    db_stmt *s;
    const char *args[] = {worker, now, now, stale, stale};
    int rc = db_query_row(d, &s, e, sql.buf, 5, args);
    strbuf_release(&sql);
    if (rc != DB_ROW)
        return rc < 0 ? rc : 0;
    memset(j, 0, sizeof *j);
    snprintf(j->id, sizeof j->id, "%s", db_col_text(s, 0, NULL));
    snprintf(j->kind, sizeof j->kind, "%s", db_col_text(s, 1, NULL));
    j->payload = strdup(db_col_text(s, 2, NULL));
    /* RETURNING rows must be read to the end before the statement completes on SQLite */
    while (db_step(s, NULL) == DB_ROW)
        ;
    db_finalize(s);
    return 1;
}

int jobs_finish(db *d, job *j, int ok, err_t *e)
{
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    db_stmt *s;
    const char *args[] = {ok ? "done" : "failed", now, j->result, j->id};
    int rc = db_query_row(d, &s, e, "UPDATE jobs SET status = ?, finished_at = ?, result = ? WHERE id = ?", 4, args);
    free(j->payload);
    free(j->result);
    j->payload = j->result = NULL;
    return rc < 0 ? rc : 0;
}

/* Once a minute per process (only the job worker's thread calls jobs_run_due): the events that time
 * raises, such as a ticket's breach (core/events). Each is raised once, whichever server sweeps first. */
static void sweep_events(db *d)
{
    static int64_t swept_ms;
    if (swept_ms && clock_real_ms() - swept_ms < 60 * 1000)
        return;
    swept_ms = clock_real_ms();
    err_t e;
    err_clear(&e);
    if (events_sweep(d, &e) < 0 && e.code != E_UNAVAILABLE)
        log_warn("events sweep: %s", e.message);
}

int jobs_run_due(db *d, const char *worker, err_t *e)
{
    int ran = 0;
    sweep_events(d);
    for (;;) {
        job j;
        int rc = jobs_claim(d, worker, &j, e);
        if (rc <= 0)
            return rc < 0 ? rc : ran;
        const job_kind *k = job_kind_find(j.kind);
        err_t je;
        err_clear(&je);
        int run = k ? k->run(d, &j, worker, &je) : -1;
        if (run == JOB_DETACHED) { /* its thread finishes it */
            free(j.payload);
            ran++;
            continue;
        }
        int ok = run == 0;
        if (!ok && !j.result) {
            strbuf r = STRBUF_INIT;
            strbuf_adds(&r, "{\"error\":");
            strbuf_add_json_str(&r, !k ? "unknown job kind" : je.message[0] ? je.message : "failed");
            strbuf_addc(&r, '}');
            j.result = strbuf_detach(&r, NULL);
        }
        if ((rc = jobs_finish(d, &j, ok, e)) < 0)
            return rc;
        ran++;
    }
}
