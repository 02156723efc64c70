/* cmd_jobs: the background job queue from the command line — enqueue, list, run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sched/automations.h"
#include "sched/jobs.h"
#include "sched/outbox.h"
#include "cmd/cmd.h"

int cmd_jobs_enqueue(cli *c, err_t *e)
{
    const char *kind = cli_opt(c, "kind"), *count = cli_opt(c, "count"), *ws = cli_opt(c, "workspace_id"),
               *payload = cli_opt(c, "payload");
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    if (payload) {
        json_t *p = json_loads(payload, 0, NULL);
        int ok = json_is_object(p);
        json_decref(p);
        if (!ok)
            return err_set(e, E_USAGE, "payload", "--payload wants a JSON object");
    }
    if (!kind)
        return err_set(e, E_USAGE, "kind", "--kind is required (one of: ping)");
    char *end = NULL;
    long n = count ? strtol(count, &end, 10) : 1;
    if ((count && *end) || n < 1 || n > 100000)
        return err_set(e, E_USAGE, "count", "--count wants a number from 1 to 100000");
    if ((rc = db_begin(c->db, e)) < 0)
        return rc;
    for (long i = 0; i < n && rc == 0; i++)
        rc = jobs_enqueue(c->db, ws, kind, payload, 0, e);
    if (rc < 0) {
        db_rollback(c->db);
        return rc;
    }
    if ((rc = db_commit(c->db, e)) == 0 && !c->json)
        printf("queued %ld %s job%s\n", n, kind, n == 1 ? "" : "s");
    return rc;
}

int cmd_jobs_list(cli *c, err_t *e)
{
    const char *status = cli_opt(c, "status");
    int limit, rc = cli_limit(c, 100, 100000, &limit, e);
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    db_stmt *s;
    rc = db_prepare(c->db,
                    "SELECT id, kind, status, attempts, run_at, claimed_by, finished_at, result FROM jobs "
                    "WHERE (CAST(? AS TEXT) IS NULL OR status = ?) ORDER BY run_at, id LIMIT ?",
                    &s, e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, status);
    db_bind_int(s, 3, limit);
    strbuf out = STRBUF_INIT;
    strbuf_adds(&out, "{\"data\":[");
    int n = 0;
    static const char *const cols[] = {"id", "kind", "status", "attempts", "run_at", "claimed_by", "finished_at", "result"};
    while ((rc = db_step(s, e)) == DB_ROW) {
        strbuf_adds(&out, n++ ? ",{" : "{");
        for (int i = 0; i < 8; i++) {
            strbuf_addf(&out, "%s\"%s\":", i ? "," : "", cols[i]);
            if (i == 3)
                strbuf_addf(&out, "%lld", (long long)db_col_int(s, i));
            else if (i == 7 && db_col_text(s, i, NULL))
                strbuf_adds(&out, db_col_text(s, i, NULL)); /* stored JSON */
            else
                strbuf_add_json_str(&out, db_col_text(s, i, NULL));
        }
        strbuf_addc(&out, '}');
    }
    db_finalize(s);
    strbuf_adds(&out, "],\"next_cursor\":null}");
    if (rc >= 0) {
        if (c->json) {
            puts(out.buf);
        } else {
            json_t *page = json_loads(out.buf, 0, NULL), *j;
            size_t i;
            json_array_foreach(json_object_get(page, "data"), i, j)
                printf("%-32s %-8s %-8s %lld  %s\n", json_string_value(json_object_get(j, "id")),
                       json_string_value(json_object_get(j, "kind")), json_string_value(json_object_get(j, "status")),
                       (long long)json_integer_value(json_object_get(j, "attempts")),
                       json_string_value(json_object_get(j, "claimed_by")) ? json_string_value(json_object_get(j, "claimed_by")) : "");
            json_decref(page);
        }
        rc = 0;
    }
    strbuf_release(&out);
    return rc;
}

int cmd_jobs_run(cli *c, err_t *e)
{
    (void)cli_opt(c, "once"); /* the only way it runs: --once says so for cron lines that read better */
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    char name[80];
    snprintf(name, sizeof name, "cli:%d", (int)getpid());
    /* everything a server's background threads do, once, in this process (for cron): due jobs, the
     * automations' due items, then the outbox's due messages (those just queued included) */
    rc = jobs_run_due(c->db, name, e);
    int fired = rc >= 0 ? automations_run(c->db, e) : 0, sent = 0;
    if (rc >= 0 && fired < 0)
        rc = fired;
    if (rc >= 0 && (sent = outbox_send_due(c->db, e)) < 0)
        rc = sent;
    if (rc >= 0 && !c->json)
        printf("ran %d job%s, fired %d automation item%s, tried %d message%s\n", rc, rc == 1 ? "" : "s", fired,
               fired == 1 ? "" : "s", sent, sent == 1 ? "" : "s");
    return rc < 0 ? rc : 0;
}
