/* cmd_health: a client's health score and reply latency, and the at-risk list, on the command line
 * (the same functions as the REST API; --json prints their answer as is). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/insight/health.h"
#include "core/insight/latency.h"
#include "util/clock.h"
#include "cmd/cmd.h"

/* --as-of TIME (default now) */
static int as_of_opt(cli *c, int64_t *as_of, err_t *e)
{
    const char *s = cli_opt(c, "as_of");
    *as_of = clock_now();
    if (s && clock_parse(s, as_of))
        return err_set(e, E_USAGE, "as_of", "--as-of takes a time like 2026-11-20T10:00:00Z");
    return 0;
}

static int client_arg(cli *c, err_t *e)
{
    if (c->nargs != 1)
        return err_set(e, E_USAGE, NULL, "give one CLIENT_ID");
    return 0;
}

static void show_health(json_t *j)
{
    printf("%s  score %lld (%s), %+lld over 30 days\n\n", cli_str(j, "client_name"),
           (long long)json_integer_value(json_object_get(j, "score")), cli_str(j, "band"),
           (long long)json_integer_value(json_object_get(j, "change_30_days")));
    size_t i;
    json_t *f;
    /* the rule as it applied, and each red flag with what it met */
    printf("%s\n", cli_str(j, "rule"));
    json_array_foreach(json_object_get(j, "red_flags"), i, f) {
        printf("  red flag %s: %s\n", cli_str(f, "factor"), cli_str(f, "rule"));
    }
    printf("\n%-22s %6s %6s  %s\n", "FACTOR", "WEIGHT", "LOST", "EVIDENCE");
    json_array_foreach(json_object_get(j, "factors"), i, f) {
        printf("%-22s %6.0f %6.1f  %s\n", cli_str(f, "factor"), json_number_value(json_object_get(f, "weight")),
               json_number_value(json_object_get(f, "points_lost")), cli_str(f, "evidence"));
    }
}

/* One client's report as of --as-of: health and latency take the same options and print alike. */
static int client_report(cli *c, int (*report)(db *, const actor *, const char *, int64_t, strbuf *, err_t *),
                         void (*show)(json_t *), err_t *e)
{
    int64_t as_of;
    int rc = as_of_opt(c, &as_of, e);
    if (rc == 0)
        rc = client_arg(c, e);
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return cli_print_report(c, report(c->db, &c->who, c->args[0], as_of, &out, e), &out, show);
}

int cmd_health(cli *c, err_t *e) { return client_report(c, health_score, show_health, e); }

static void show_latency(json_t *j)
{
    const char *sides[] = {"theirs", "ours"}, *labels[] = {"their replies", "our replies"};
    for (int s = 0; s < 2; s++) {
        json_t *side = json_object_get(j, sides[s]);
        json_t *r = json_object_get(side, "recent"), *b = json_object_get(side, "baseline");
        printf("%-14s last 30 days: ", labels[s]);
        if (json_is_number(json_object_get(r, "median_hours")))
            printf("median %.1f h (%lld)", json_number_value(json_object_get(r, "median_hours")),
                   (long long)json_integer_value(json_object_get(r, "replies")));
        else
            printf("none");
        printf("; 180 days before: ");
        if (json_is_number(json_object_get(b, "median_hours")))
            printf("median %.1f h (%lld)\n", json_number_value(json_object_get(b, "median_hours")),
                   (long long)json_integer_value(json_object_get(b, "replies")));
        else
            printf("none\n");
    }
}

int cmd_latency(cli *c, err_t *e) { return client_report(c, latency_client, show_latency, e); }

static void show_at_risk(json_t *j)
{
    size_t i, k;
    json_t *it, *why;
    json_array_foreach(json_object_get(j, "data"), i, it) {
        printf("%3lld %-8s %+4lld  %-32s %s\n", (long long)json_integer_value(json_object_get(it, "score")),
               cli_str(it, "band"), (long long)json_integer_value(json_object_get(it, "change_30_days")),
               cli_str(it, "client_name"), cli_str(it, "client_id"));
        json_array_foreach(json_object_get(it, "red_flags"), k, why) {
            printf("%18s red flag %s: %s\n", "", cli_str(why, "factor"), cli_str(why, "evidence"));
        }
        json_array_foreach(json_object_get(it, "reasons"), k, why) {
            printf("%18s -%.1f %s: %s\n", "", json_number_value(json_object_get(why, "points_lost")),
                   cli_str(why, "factor"), cli_str(why, "evidence"));
        }
    }
    if (!json_array_size(json_object_get(j, "data")))
        fprintf(stderr, "(no active clients)\n");
}

int cmd_at_risk(cli *c, err_t *e)
{
    health_query q = {.band = -1};
    const char *band = cli_opt(c, "band"), *mine = cli_opt(c, "mine");
    q.owner_id = mine ? c->who.user_id : cli_opt(c, "owner_id");
    q.stored = !cli_opt(c, "as_of");
    int rc = as_of_opt(c, &q.as_of, e);
    if (rc == 0)
        rc = cli_limit(c, 50, 1000, &q.limit, e);
    if (rc == 0 && band && (q.band = health_band_parse(band)) < 0)
        rc = err_set(e, E_USAGE, "band", "--band takes healthy, watch or at_risk");
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    return cli_print_report(c, health_at_risk(c->db, &c->who, &q, &out, e), &out, show_at_risk);
}

static void show_calibration(json_t *j)
{
    json_t *l = json_object_get(j, "leavers"), *s = json_object_get(j, "stayers");
    printf("weekly looks over %lld weeks, as of %s\n", (long long)json_integer_value(json_object_get(j, "weeks")),
           cli_str(j, "as_of"));
    printf("leavers  %lld: %.1f %% flagged at risk, %.1f %% 30 days or more before leaving (target 90 %%); "
           "lead median %lld days, 10th percentile %lld\n",
           (long long)json_integer_value(json_object_get(l, "count")),
           100 * json_number_value(json_object_get(l, "share_flagged")),
           100 * json_number_value(json_object_get(l, "share_flagged_early")),
           (long long)json_integer_value(json_object_get(l, "lead_days_median")),
           (long long)json_integer_value(json_object_get(l, "lead_days_p10")));
    printf("stayers  %lld: %.1f %% flagged at risk in their last 180 days (target 10 %% or less)\n",
           (long long)json_integer_value(json_object_get(s, "count")),
           100 * json_number_value(json_object_get(s, "share_flagged")));
}

/* rapport calibrate [--weeks N] [--looks FILE]: the score against the workspace's history (docs/health.md);
 * --looks writes every weekly look of every client watched as CSV, to study what the score saw */
int cmd_calibrate(cli *c, err_t *e)
{
    const char *w = cli_opt(c, "weeks"), *path = cli_opt(c, "looks");
    char *end = NULL;
    long weeks = w ? strtol(w, &end, 10) : 52;
    if (w && (*end || weeks < 1 || weeks > 260))
        return err_set(e, E_USAGE, "weeks", "--weeks takes 1 to 260");
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    FILE *looks = NULL;
    if (path && !(looks = fopen(path, "w")))
        return err_set(e, E_USAGE, "looks", "cannot write %s: %s", path, strerror(errno));
    strbuf out = STRBUF_INIT;
    rc = health_calibrate(c->db, &c->who, (int)weeks, looks, &out, e);
    if (looks && fclose(looks) != 0 && rc == 0)
        rc = err_set(e, E_INTERNAL, "looks", "cannot write %s: %s", path, strerror(errno));
    return cli_print_report(c, rc, &out, show_calibration);
}
