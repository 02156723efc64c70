/* health: the score of one client, the at-risk list and the band counts, all from one health_set (see
 * health.h; the facts come from health_data.c, the factors from health_factors.c). */
#include "core/access/access.h"
#include "core/insight/health.h"

#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/insight/health_impl.h"
#include "core/insight/health_store.h"
#include "core/engine/record.h"

#define TOP_REASONS 3

/* cfg NULL: the short form of the at-risk reasons */
static void factor_json(strbuf *out, const health_result *r, int k, const health_settings *cfg)
{
    strbuf_adds(out, "{\"factor\":");
    strbuf_add_json_str(out, health_factor_names[k]);
    /* the configured weight beside the scaled maximum, so a tuned workspace reads both */
    if (cfg)
        strbuf_addf(out, ",\"weight\":%g,\"max_points\":%.1f,\"fraction\":%.2f,\"has_data\":%s", cfg->weight[k],
                    r->max_points[k], r->fraction[k], r->has_data[k] ? "true" : "false");
    strbuf_addf(out, ",\"points_lost\":%.1f,\"evidence\":", r->lost[k]);
    strbuf_add_json_str(out, r->evidence[k]);
    if (cfg) {
        strbuf_adds(out, ",\"data\":");
        strbuf_add_json_str(out, health_data_names[r->data[k]]);
        strbuf_adds(out, ",\"red_flag\":");
        strbuf_add_json_str(out, r->flagged[k] ? r->flag_rule[k] : NULL);
    }
    strbuf_addc(out, '}');
}

/* The rule as it applied: the score from the points, and the cap the red flags put on it. */
static void rule_text(const health_result *r, char *buf, size_t n)
{
    int raised = 0;
    for (int k = 0; k < HF_COUNT; k++)
        raised += r->flagged[k];
    char counted[48] = "";
    if (raised != r->flags) /* a flag that counts two, twice over or held (each flag's rule says why) */
        snprintf(counted, sizeof counted, " counting as %d", r->flags);
    if (r->held)
        snprintf(buf, n, "at risk a week ago, and %s: the score is at most %d (at risk) until it recovers; %d from "
                 "the points lost",
                 r->flags ? "a red flag remains" : "the score is not yet clear of watch (recover_points)", r->cap,
                 r->points_score);
    else if (!r->flags)
        snprintf(buf, n, "no red flag: the score is 100 minus the points lost (%d)", r->points_score);
    else if (r->corroborated)
        snprintf(buf, n, "1 red flag and a second factor losing half its weight or more: the score is at most %d "
                 "(at risk); %d from the points lost", r->cap, r->points_score);
    else
        snprintf(buf, n, "%d red flag%s%s: the score is at most %d (%s); %d from the points lost", raised,
                 raised > 1 ? "s" : "", counted, r->cap, r->flags > 1 ? "at risk" : "watch at best", r->points_score);
}

/* "red_flags": [{"factor", "rule", "evidence"}] and "rule": why the score is what it is */
static void flags_json(strbuf *out, const health_result *r)
{
    char rule[240];
    rule_text(r, rule, sizeof rule);
    strbuf_addf(out, ",\"points_score\":%d,\"rule\":", r->points_score);
    strbuf_add_json_str(out, rule);
    strbuf_adds(out, ",\"red_flags\":[");
    for (int k = 0, first = 1; k < HF_COUNT; k++) {
        if (!r->flagged[k])
            continue;
        if (!first)
            strbuf_addc(out, ',');
        first = 0;
        strbuf_adds(out, "{\"factor\":");
        strbuf_add_json_str(out, health_factor_names[k]);
        strbuf_adds(out, ",\"rule\":");
        strbuf_add_json_str(out, r->flag_rule[k]);
        strbuf_adds(out, ",\"evidence\":");
        strbuf_add_json_str(out, r->evidence[k]);
        strbuf_addc(out, '}');
    }
    strbuf_addc(out, ']');
}

/* the fields both answers share: who, the score, its band and its change over 30 days */
static void head_json(strbuf *out, const health_client *c, const health_result *now, const health_result *then)
{
    strbuf_adds(out, "{\"client_id\":");
    strbuf_add_json_str(out, c->id);
    strbuf_adds(out, ",\"client_name\":");
    strbuf_add_json_str(out, c->name);
    strbuf_adds(out, ",\"owner_id\":");
    strbuf_add_json_str(out, c->owner_id);
    strbuf_addf(out, ",\"score\":%d,\"band\":\"%s\",\"score_30_days_ago\":%d,\"change_30_days\":%d", now->score,
                health_band_names[now->band], then->score, now->score - then->score);
}

int health_score(db *d, const actor *who, const char *client_id, int64_t as_of, strbuf *out, err_t *e)
{
    health_set hs;
    int rc = health_gather(d, who, client_id, NULL, as_of, &hs, e);
    if (rc == 0) {
        health_result now, then;
        health_evaluate(&hs, 0, 0, &now);
        health_evaluate(&hs, 0, 1, &then);
        char at[CLOCK_RFC3339_LEN];
        clock_format(as_of, at);
        head_json(out, &hs.c[0], &now, &then);
        strbuf_adds(out, ",\"as_of\":");
        strbuf_add_json_str(out, at);
        strbuf_addf(out, ",\"bands\":{\"healthy\":%g,\"watch\":%g}", hs.cfg.healthy, hs.cfg.watch);
        flags_json(out, &now);
        strbuf_adds(out, ",\"factors\":[");
        for (int k = 0; k < HF_COUNT; k++) {
            if (k)
                strbuf_addc(out, ',');
            factor_json(out, &now, k, &hs.cfg);
        }
        strbuf_adds(out, "]}");
    }
    health_set_release(&hs);
    return rc;
}

typedef struct ranked {
    size_t i;
    health_result now;
    int then;
} ranked;

static int riskiest_first(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->now.score != y->now.score)
        return x->now.score - y->now.score;
    int dx = x->now.score - x->then, dy = y->now.score - y->then;
    if (dx != dy)
        return dx - dy; /* the faster fall first */
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The list from a set of scored clients: those of q's band, riskiest first, q->limit of them; `total`
 * is the count before the limit (-1: the set's own count of the band). */
static int ranked_list(const health_set *hs, const health_query *q, long total, strbuf *out, err_t *e)
{
    ranked *list = malloc((hs->n ? hs->n : 1) * sizeof *list);
    if (!list)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < hs->n; i++) {
        health_result then;
        health_evaluate(hs, i, 0, &list[n].now);
        if (q->band >= 0 && list[n].now.band != q->band)
            continue;
        health_evaluate(hs, i, 1, &then);
        list[n].i = i;
        list[n++].then = then.score;
    }
    qsort(list, n, sizeof *list, riskiest_first);
    char at[CLOCK_RFC3339_LEN];
    clock_format(q->as_of, at);
    strbuf_adds(out, "{\"as_of\":");
    strbuf_add_json_str(out, at);
    strbuf_adds(out, ",\"data\":[");
    for (size_t j = 0; j < n && (int)j < q->limit; j++) {
        const ranked *r = &list[j];
        health_result then = {.score = r->then};
        if (j)
            strbuf_addc(out, ',');
        head_json(out, &hs->c[r->i], &r->now, &then);
        /* the reasons: the factors losing most, biggest first, only those losing anything */
        int order[HF_COUNT];
        for (int k = 0; k < HF_COUNT; k++)
            order[k] = k;
        for (int a = 1; a < HF_COUNT; a++)
            for (int b = a; b > 0 && r->now.lost[order[b]] > r->now.lost[order[b - 1]]; b--) {
                int t = order[b];
                order[b] = order[b - 1];
                order[b - 1] = t;
            }
        flags_json(out, &r->now);
        strbuf_adds(out, ",\"reasons\":[");
        for (int k = 0; k < TOP_REASONS && r->now.lost[order[k]] > 0; k++) {
            if (k)
                strbuf_addc(out, ',');
            factor_json(out, &r->now, order[k], NULL);
        }
        strbuf_adds(out, "]}");
    }
    strbuf_addf(out, "],\"total\":%ld}", total >= 0 ? total : (long)n);
    free(list);
    return 0;
}

typedef struct stored_row {
    char *id;
    int score, change, band; /* band -1: never scored */
    int dirty;
} stored_row;

/* the list's own order (riskiest_first), from the stored score and change */
static int by_stored_rank(const void *a, const void *b)
{
    const stored_row *x = a, *y = b;
    if (x->score != y->score)
        return x->score - y->score;
    if (x->change != y->change)
        return x->change - y->change;
    return strcmp(x->id, y->id);
}

/* The at-risk list now, from the stored scores (health_store.c): only the clients that can be on the
 * page are scored afresh — the first `limit` in the list's order by their stored score and change,
 * those never scored, and those written since the worker's last refresh. Returns 1 when the stored scores cannot
 * answer (never refreshed in full, or not for a day and a half, many clients written since, or a page
 * too long): the caller scores everyone. */
static int at_risk_stored(db *d, const actor *who, const health_query *q, strbuf *out, err_t *e)
{
    health_mark m;
    int rc = health_mark_read(d, who, &m, e);
    if (rc < 0)
        return rc;
    if (!m.found || q->as_of - m.full_at > 36 * 3600 || q->limit > CLIENT_SCOPE_MAX_IDS / 2)
        return 1;
    health_dirty dt;
    if ((rc = health_dirty_since(d, who, &m, &dt, e)) < 0)
        return rc;
    if (dt.overflow) {
        health_dirty_release(&dt);
        return 1;
    }
    client_scope scope;
    client_scope_init(&scope, who->workspace_id, NULL, q->owner_id);
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "SELECT c.id, c.health_score, c.health_band, c.health_change_30_days FROM clients c WHERE %s",
                scope.where);
    db_stmt *s = NULL;
    rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    stored_row *rows = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; rc == 0 && i < scope.nargs; i++)
        db_bind_text(s, i + 1, scope.args[i]);
    while (rc == 0 && (rc = db_step(s, e)) == DB_ROW) {
        rc = 0;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            stored_row *grown = realloc(rows, cap * sizeof *grown);
            if (!grown) {
                rc = err_set(e, E_INTERNAL, NULL, "out of memory");
                break;
            }
            rows = grown;
        }
        stored_row *x = &rows[n++];
        x->id = strdup(db_col_text(s, 0, NULL));
        x->score = (int)db_col_int(s, 1);
        x->band = db_col_type(s, 2) == DB_NULL ? -1 : health_band_parse(db_col_text(s, 2, NULL));
        x->change = (int)db_col_int(s, 3);
        x->dirty = 0;
        for (size_t k = 0; k < dt.n && !x->dirty; k++)
            x->dirty = !strcmp(dt.ids[k], x->id);
    }
    if (s)
        db_finalize(s);
    health_dirty_release(&dt);
    rc = rc < 0 ? rc : 0;
    /* candidates: the unsure first (never scored, written since), then the lowest stored of the band */
    char **pick = rc == 0 ? malloc((n ? n : 1) * sizeof *pick) : NULL;
    size_t npick = 0;
    long total_sure = 0, sure_picked = 0;
    if (rc == 0 && !pick)
        rc = err_set(e, E_INTERNAL, NULL, "out of memory");
    if (rc == 0) {
        if (n)
            qsort(rows, n, sizeof *rows, by_stored_rank);
        int taken = 0;
        for (size_t i = 0; i < n; i++) {
            stored_row *x = &rows[i];
            if (x->band < 0 || x->dirty) {
                pick[npick++] = x->id;
                continue;
            }
            if (q->band >= 0 && x->band != q->band)
                continue;
            total_sure++;
            if (taken < q->limit) {
                pick[npick++] = x->id;
                taken++;
                sure_picked++;
            }
        }
        if (npick > CLIENT_SCOPE_MAX_IDS)
            rc = 1;
    }
    if (rc == 0) {
        client_scope ids;
        client_scope_ids(&ids, who->workspace_id, pick, npick);
        health_set hs;
        rc = health_gather_scope(d, who, &ids, q->as_of, &hs, e);
        if (rc == 0) {
            /* the total: everyone in scope, or the sure ones of the band not picked plus the picked that
             * are of the band now */
            long total = (long)n;
            if (q->band >= 0) {
                total = total_sure - sure_picked;
                for (size_t i = 0; i < hs.n; i++) {
                    health_result r;
                    health_evaluate(&hs, i, 0, &r);
                    total += r.band == q->band;
                }
            }
            rc = ranked_list(&hs, q, total, out, e);
        }
        health_set_release(&hs);
    }
    free(pick);
    for (size_t i = 0; i < n; i++)
        free(rows[i].id);
    free(rows);
    return rc;
}

int health_at_risk(db *d, const actor *who, const health_query *q, strbuf *out, err_t *e)
{
    int rc = access_whole(who, entity_by_name("clients"), OP_LIST, e);
    if (rc == 0 && q->stored && (rc = at_risk_stored(d, who, q, out, e)) != 1)
        return rc;
    health_set hs;
    rc = health_gather(d, who, NULL, q->owner_id, q->as_of, &hs, e);
    if (rc == 0)
        rc = ranked_list(&hs, q, -1, out, e);
    health_set_release(&hs);
    return rc;
}

int health_list_scope(db *d, const actor *who, const client_scope *scope, int64_t as_of, strbuf *out, err_t *e)
{
    int rc = access_whole(who, entity_by_name("clients"), OP_LIST, e);
    if (rc < 0)
        return rc;
    health_set hs;
    if ((rc = health_gather_scope(d, who, scope, as_of, &hs, e)) == 0) {
        health_query q = {.as_of = as_of, .band = -1, .limit = hs.n > INT32_MAX ? INT32_MAX : (int)hs.n};
        rc = ranked_list(&hs, &q, (long)hs.n, out, e);
    }
    health_set_release(&hs);
    return rc;
}

int health_band_counts(db *d, const actor *who, int64_t as_of, int counts[HEALTH_NBANDS], err_t *e)
{
    memset(counts, 0, HEALTH_NBANDS * sizeof *counts);
    health_set hs;
    int rc = health_gather(d, who, NULL, NULL, as_of, &hs, e);
    for (size_t i = 0; rc == 0 && i < hs.n; i++) {
        health_result r;
        health_evaluate(&hs, i, 0, &r);
        counts[r.band]++;
    }
    health_set_release(&hs);
    return rc;
}
