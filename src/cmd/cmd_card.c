/* cmd_card: `rapport client show` for people — a card: the record, the communication protocol,
 * contacts, the last conversations, open deals, projects and tickets, and health with its top reasons.
 * --json keeps printing the record alone, as every other show does. Each part is read through the core
 * (record_emit_where, health_score), one query per part. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "util/clock.h"
#include "core/engine/record.h"
#include "core/insight/health.h"
#include "core/practice/lifecycle.h"
#include "cmd/cmd.h"

#define CARD_ROWS 5

/* Rows of en for this client (where over alias r, with the client's id bound first), or NULL when the
 * actor may not read them. */
static json_t *part(cli *c, const char *entity_name, const char *where, const char *order, const char *client_id)
{
    const entity *en = entity_by_name(entity_name);
    err_t e;
    if (access_check(&c->who, en, OP_LIST, NULL, &e))
        return NULL;
    strbuf out = STRBUF_INIT;
    const char *args[] = {client_id};
    json_t *list = NULL;
    if (record_emit_where(c->db, &c->who, en, where, order, CARD_ROWS + 1, args, 1, &out, &e) == 0)
        list = json_loads(out.buf, 0, NULL);
    strbuf_release(&out);
    return list;
}

static void heading(const char *title, json_t *list)
{
    size_t n = json_array_size(list);
    printf("\n%s%s\n", title, n > CARD_ROWS ? " (the first few)" : n ? "" : ": none");
}

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

static void show_record(cli *c, json_t *rec)
{
    static const char *const skip[] = {"id", "name", "attention", "custom", "channels", "intake", "cadence",
                                       "response_time_hours", "preferred_channel", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(rec, key, v) {
        int skipped = json_is_null(v) || (json_is_array(v) && !json_array_size(v));
        for (const char *const *s = skip; *s && !skipped; s++)
            skipped = !strcmp(*s, key);
        if (skipped)
            continue;
        if (json_is_string(v)) {
            strbuf sb = STRBUF_INIT;
            strbuf_adds(&sb, json_string_value(v));
            cli_ref_title(c, entity_by_name("clients"), key, v, &sb); /* the owner's email, not only an id */
            printf("  %-20s %s\n", key, sb.buf);
            strbuf_release(&sb);
        } else {
            char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            printf("  %-20s %s\n", key, text ? text : "");
            free(text);
        }
    }
    json_t *custom = json_object_get(rec, "custom");
    json_object_foreach(custom, key, v) {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        printf("  %-20s %s\n", key, text ? text : "");
        free(text);
    }
}

static void show_protocol(json_t *rec)
{
    json_t *att = json_object_get(rec, "attention"), *rt = json_object_get(rec, "response_time_hours");
    printf("\nProtocol\n  updates %s", cli_str(rec, "cadence"));
    if (json_is_integer(rt))
        printf(", we answer within %lld business hours", (long long)json_integer_value(rt));
    if (*cli_str(rec, "preferred_channel"))
        printf(", prefers %s", cli_str(rec, "preferred_channel"));
    printf("\n");
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(rec, "channels"), k, v) printf("  %s by %s\n", k, json_string_value(v));
    const char *last = cli_str(att, "last_update_at");
    if (*last)
        printf("  last update from us %.10s\n", last);
    else
        printf("  no update from us yet (client since %.10s)\n", or_dash(cli_str(rec, "started_at")));
    if (strcmp(cli_str(rec, "cadence"), "none") && strcmp(cli_str(rec, "cadence"), "")) {
        int64_t from;
        const char *base = *last ? last : cli_str(rec, "started_at");
        if (*base && !clock_parse(base, &from)) {
            char due[CLOCK_RFC3339_LEN];
            clock_format(checkin_add_cadence(from, cli_str(rec, "cadence")), due);
            printf("  next update due %.10s%s\n", due, checkin_add_cadence(from, cli_str(rec, "cadence")) <= clock_now() ? " (overdue)" : "");
        }
    }
}

static void show_health(cli *c, const char *id)
{
    strbuf out = STRBUF_INIT;
    err_t e;
    json_t *h = health_score(c->db, &c->who, id, clock_now(), &out, &e) == 0 ? json_loads(out.buf, 0, NULL) : NULL;
    strbuf_release(&out);
    if (!h)
        return;
    printf("\nHealth %lld (%s), %+lld over 30 days\n", (long long)json_integer_value(json_object_get(h, "score")),
           cli_str(h, "band"), (long long)json_integer_value(json_object_get(h, "change_30_days")));
    /* the top reasons: the factors losing most, biggest first */
    json_t *factors = json_object_get(h, "factors");
    int shown[64] = {0};
    for (int r = 0; r < 3; r++) {
        size_t i, best = (size_t)-1;
        double most = 0;
        json_t *f;
        json_array_foreach(factors, i, f) {
            double lost = json_number_value(json_object_get(f, "points_lost"));
            if (i < 64 && !shown[i] && lost > most)
                most = lost, best = i;
        }
        if (best == (size_t)-1)
            break;
        shown[best] = 1;
        f = json_array_get(factors, best);
        printf("  -%.0f %s: %s\n", most, cli_str(f, "factor"), cli_str(f, "evidence"));
    }
    json_decref(h);
}

void cli_print_client_card(cli *c, const char *text)
{
    json_t *rec = json_loads(text, 0, NULL);
    const char *id = cli_str(rec, "id");
    printf("%s  (%s)\n", cli_str(rec, "name"), id);
    show_record(c, rec);
    show_protocol(rec);

    size_t i;
    json_t *x, *list = part(c, "contacts", "r.client_id = ?", "r.is_primary DESC, r.last_name, r.id", id);
    heading("Contacts", list);
    json_array_foreach(list, i, x) if (i < CARD_ROWS)
        printf("  %s %s%s  %s\n", cli_str(x, "first_name"), cli_str(x, "last_name"),
               json_is_true(json_object_get(x, "is_primary")) ? " (primary)" : "", cli_str(x, "email"));
    json_decref(list);

    list = part(c, "interactions", "r.client_id = ?", "r.occurred_at DESC, r.id DESC", id);
    heading("Last conversations", list);
    json_array_foreach(list, i, x) if (i < CARD_ROWS) {
        const char *about = *cli_str(x, "subject") ? cli_str(x, "subject") : cli_str(x, "summary");
        printf("  %.10s  %-8s %-8s %.60s%s\n", cli_str(x, "occurred_at"), cli_str(x, "type"), cli_str(x, "direction"),
               about, json_is_true(json_object_get(x, "needs_summary")) ? "  (needs a summary)" : "");
    }
    json_decref(list);

    list = part(c, "deals", "r.client_id = ? AND r.status = 'open'", "r.created_at DESC, r.id DESC", id);
    heading("Open deals", list);
    json_array_foreach(list, i, x) if (i < CARD_ROWS)
        printf("  %-30.30s  %s %s  expected %s\n", cli_str(x, "title"), or_dash(cli_str(x, "currency")),
               or_dash(cli_str(x, "value")), or_dash(cli_str(x, "expected_close")));
    json_decref(list);

    list = part(c, "projects", "r.client_id = ? AND r.status NOT IN ('done', 'cancelled')", "r.created_at DESC, r.id DESC", id);
    heading("Projects", list);
    json_array_foreach(list, i, x) if (i < CARD_ROWS)
        printf("  %-30.30s  %-9s due %s\n", cli_str(x, "name"), cli_str(x, "status"), or_dash(cli_str(x, "due_date")));
    json_decref(list);

    list = part(c, "tickets", "r.client_id = ? AND r.status <> 'resolved'", "r.opened_at DESC, r.id DESC", id);
    heading("Open tickets", list);
    json_array_foreach(list, i, x) if (i < CARD_ROWS)
        printf("  %-30.30s  %-8s %-8s opened %.10s%s\n", cli_str(x, "subject"), cli_str(x, "priority"),
               cli_str(x, "status"), cli_str(x, "opened_at"),
               !json_is_null(json_object_get(x, "first_response_at")) ? "" : "  (no response yet)");
    json_decref(list);

    if (!strcmp(cli_str(rec, "stage"), "active"))
        show_health(c, id);
    json_decref(rec);
}
