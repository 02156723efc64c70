/* cmd_entity: add, list, show, edit and rm for every entity, from its table entry: each field is an
 * option (--relationship-type), each filterable field a list filter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/record.h"
#include "cmd/cmd.h"

/* Builds a JSON body from the options naming fields; values are typed by their field. */
static int body_from_options(cli *c, const entity *en, json_t *body, err_t *e)
{
    for (int i = 0; i < c->nopts; i++) {
        cli_option *o = &c->opts[i];
        if (o->used)
            continue;
        const field *f = entity_field(en, o->key);
        if (!f || (f->flags & (F_HIDDEN | F_READONLY)))
            continue; /* left for cli_check_unused to report */
        if (f->type == &FT_PASSWORD)
            return err_set(e, E_USAGE, o->key, "passwords are never given on the command line; use the environment");
        o->used = 1;
        json_object_set_new(body, f->name, !strcmp(o->value, "") ? json_null() : f->type->from_text(f, o->value));
    }
    const char *custom = cli_opt(c, "custom");
    if (custom) {
        json_error_t je;
        json_t *cj = json_loads(custom, 0, &je);
        if (!json_is_object(cj)) {
            json_decref(cj);
            return err_set(e, E_INVALID_TYPE, "custom", "--custom wants a JSON object, like '{\"tier\":\"gold\"}'");
        }
        json_object_set_new(body, "custom", cj);
    }
    return 0;
}

static int need_id(cli *c, const char *verb, err_t *e)
{
    if (c->nargs != 1)
        return err_set(e, E_USAGE, "id", "usage: rapport %s %s ID", c->en->singular, verb);
    return 0;
}

/* A new user's password comes from the environment, a prompt, or is generated and printed once. */
static int add_password(cli *c, json_t *body, err_t *e)
{
    char pw[200];
    int generated;
    int rc = cli_password("RAPPORT_USER_PASSWORD", "password for the new user", pw, sizeof pw, &generated, e);
    if (rc < 0)
        return rc;
    json_object_set_new(body, "password", json_string(pw));
    const char *email = json_string_value(json_object_get(body, "email"));
    if (generated)
        fprintf(stderr, "password for %s: %s\n", email ? email : c->args[0], pw);
    return 0;
}

static int verb_add(cli *c, err_t *e)
{
    const entity *en = c->en;
    json_t *body = json_object();
    strbuf out = STRBUF_INIT;
    int rc = c->nargs ? err_set(e, E_USAGE, NULL, "unexpected argument %s", c->args[0]) : 0;
    if (rc == 0)
        rc = body_from_options(c, en, body, e);
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc == 0 && entity_field(en, "password"))
        rc = add_password(c, body, e);
    if (rc == 0)
        rc = record_create(c->db, &c->who, en, body, &out, e);
    if (rc == 0) {
        if (c->json) {
            puts(out.buf);
        } else {
            json_t *rec = json_loads(out.buf, 0, NULL);
            puts(json_string_value(json_object_get(rec, "id")));
            json_decref(rec);
        }
    }
    json_decref(body);
    strbuf_release(&out);
    return rc;
}

static int verb_list(cli *c, err_t *e)
{
    list_query q;
    list_query_init(&q);
    int rc = c->nargs ? err_set(e, E_USAGE, NULL, "unexpected argument %s", c->args[0]) : 0;
    for (int i = 0; i < c->nopts && rc == 0; i++) {
        c->opts[i].used = 1;
        rc = list_query_set(c->en, &q, c->opts[i].key, c->opts[i].value, e);
        if (rc == E_INVALID_PARAMETER) { /* the message names the allowed values: keep it */
            char why[sizeof e->message];
            snprintf(why, sizeof why, "%s", e->message);
            rc = err_set(e, E_USAGE, c->opts[i].key, "--%s: %s", c->opts[i].key, why);
        }
    }
    strbuf out = STRBUF_INIT;
    if (rc == 0)
        rc = record_list(c->db, &c->who, c->en, &q, &out, e);
    if (rc == 0)
        cli_print_list(c, c->en, out.buf);
    strbuf_release(&out);
    list_query_clear(&q);
    return rc;
}

static int verb_show(cli *c, err_t *e)
{
    int rc = need_id(c, "show", e);
    strbuf out = STRBUF_INIT;
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc == 0)
        rc = record_show(c->db, &c->who, c->en, c->args[0], &out, e);
    if (rc == 0 && !c->json && !strcmp(c->en->name, "clients"))
        cli_print_client_card(c, out.buf); /* a client is read as a card: its world on one page */
    else if (rc == 0)
        cli_print_record(c, c->en, out.buf);
    strbuf_release(&out);
    return rc;
}

/* Without --version, edit reads the current one in the same transaction: last writer wins, as a
 * person at a terminal expects; scripts pass --version to be told of a concurrent change. */
static int verb_edit(cli *c, err_t *e)
{
    int rc = need_id(c, "edit", e);
    if (rc)
        return rc;
    json_t *body = json_object();
    strbuf out = STRBUF_INIT;
    const char *ver = cli_opt(c, "version");
    int set_password = cli_opt(c, "set_password") != NULL; /* a user's new password, never on the command line */
    rc = body_from_options(c, c->en, body, e);
    if (rc == 0 && set_password)
        rc = entity_field(c->en, "password") ? add_password(c, body, e)
                                             : err_set(e, E_USAGE, "set_password", "only users have a password");
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc == 0 && !json_object_size(body))
        rc = err_set(e, E_USAGE, NULL, "nothing to change: give fields as options, like --stage active");
    if (rc == 0 && (rc = db_begin(c->db, e)) == 0) {
        if (ver) {
            char *end;
            long long v = strtoll(ver, &end, 10);
            rc = *end || !*ver ? err_set(e, E_USAGE, "version", "--version wants a number") : 0;
            json_object_set_new(body, "version", json_integer(v));
        } else if ((rc = record_get(c->db, &c->who, c->en, c->args[0], &out, e)) == 0) {
            json_t *cur = json_loads(out.buf, 0, NULL);
            json_object_set(body, "version", json_object_get(cur, "version"));
            json_decref(cur);
            strbuf_reset(&out);
        }
        if (rc == 0)
            rc = record_update(c->db, &c->who, c->en, c->args[0], body, &out, e);
        if (rc == 0)
            rc = db_commit(c->db, e);
        else
            db_rollback(c->db);
    }
    if (rc == 0)
        cli_print_record(c, c->en, out.buf);
    json_decref(body);
    strbuf_release(&out);
    return rc;
}

static int verb_rm(cli *c, err_t *e)
{
    int rc = need_id(c, "rm", e);
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc == 0)
        rc = record_delete(c->db, &c->who, c->en, c->args[0], e);
    if (rc == 0 && !c->json)
        printf("deleted %s %s\n", c->en->singular, c->args[0]);
    return rc;
}

int cmd_entity(cli *c, const char *verb, err_t *e)
{
    static const struct {
        const char *verb;
        int (*fn)(cli *, err_t *);
    } verbs[] = {{"add", verb_add}, {"edit", verb_edit}, {"list", verb_list}, {"rm", verb_rm}, {"show", verb_show}};
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (verb && !strcmp(verbs[i].verb, verb))
            return verbs[i].fn(c, e);
    char guess[160];
    cli_suggest_command(c->en->singular, verb ? verb : "", guess, sizeof guess);
    if (verb && *guess)
        return err_set(e, E_USAGE, NULL, "unknown verb '%s'; did you mean 'rapport %s'? (usage: rapport %s add|list|show|edit|rm)",
                       verb, guess, c->en->singular);
    return err_set(e, E_USAGE, NULL, "usage: rapport %s add|list|show|edit|rm", c->en->singular);
}

int cmd_log(cli *c, err_t *e)
{
    c->en = entity_by_name("interactions");
    return verb_add(c, e);
}
