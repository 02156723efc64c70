/* main: global set-up, then find the command in the one table and run it with its preconditions
 * (database, acting user) met in one place. Only this file exits. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/access/auth.h"
#include "core/engine/schema.h"
#include "util/clock.h"
#include "util/secret.h"

static const command entity_command = {"<record>", NULL, NULL, C_DB | C_ACTOR, NULL};

static int fail(const err_t *e)
{
    fprintf(stderr, "rapport: %s\n", e->message[0] ? e->message : err_lookup(e->code)->name);
    return err_lookup(e->code)->exit_status;
}

static int prepare(cli *c, unsigned flags, err_t *e)
{
    if (!(flags & C_DB))
        return 0;
    if (!c->db_target)
        c->db_target = getenv("RAPPORT_DB");
    if (!c->db_target || !*c->db_target)
        c->db_target = "rapport.db";
    int rc = db_open(c->db_target, &c->db, e);
    err_t ke; /* the key that seals stored secrets (SMTP passwords, webhook signing secrets) and signs
               * unsubscribe links (util/secret.h); without it only those refuse, saying why. Loaded before
               * the migrations: one of them seals what older versions stored in the clear. */
    if (rc == 0 && secret_init(c->db_target, &ke) < 0)
        fprintf(stderr, "rapport: %s\n", ke.message);
    if (rc == 0 && (rc = schema_migrate(c->db, e)) > 0)
        rc = 0;
    if (rc == 0 && (flags & C_ACTOR))
        rc = c->as ? auth_actor_by_email(c->db, c->as, &c->who, e) : auth_default_actor(c->db, &c->who, e);
    return rc;
}

int main(int argc, char **argv)
{
    err_t e;
    err_clear(&e);
    if (sodium_init() < 0) {
        fprintf(stderr, "rapport: libsodium failed to start\n");
        return 1;
    }
    if (clock_init() < 0) {
        fprintf(stderr, "rapport: RAPPORT_NOW is not an RFC 3339 time (like 2026-01-31T09:00:00Z)\n");
        return 2;
    }
    entity_init();
    cli_guard_terminal();
    static cli c;
    if (argc == 2 && !strcmp(argv[1], "--version"))
        return cmd_version(&c, &e);
    if (cli_parse(&c, argc - 1, argv + 1, &e) < 0)
        return fail(&e);
    int help = cli_opt(&c, "help") != NULL;
    if (c.nargs > 1 && !strcmp(c.args[0], "help")) { /* rapport help client add */
        help = 1;
        memmove(c.args, c.args + 1, (size_t)--c.nargs * sizeof c.args[0]);
    }
    if (c.nargs == 0 || !strcmp(c.args[0], "help"))
        return cmd_help(&c, &e);
    const char *name = c.args[0], *sub = c.nargs > 1 ? c.args[1] : NULL;
    const command *cmd = NULL;
    int words = 1;
    for (int i = 0; i < cli_command_count && !cmd; i++) {
        const command *k = &cli_commands[i];
        if (strcmp(k->name, name))
            continue;
        if (!k->sub)
            cmd = k;
        else if (sub && !strcmp(k->sub, sub))
            cmd = k, words = 2;
    }
    const char *verb = NULL;
    if (!cmd && (c.en = entity_by_singular(name)) != NULL) {
        cmd = &entity_command;
        verb = sub;
        words = 2;
    }
    for (int i = 0; i < cli_command_count && !cmd && help; i++) /* "token --help": any command of the word */
        if (!strcmp(cli_commands[i].name, name))
            cmd = &cli_commands[i];
    if (!cmd) {
        char guess[160];
        cli_suggest_command(name, sub, guess, sizeof guess);
        err_set(&e, E_USAGE, NULL, "unknown command '%s%s%s'%s%s%s (see rapport help)", name, sub ? " " : "",
                sub ? sub : "", *guess ? "; did you mean '" : "", guess, *guess ? "'?" : "");
        return fail(&e);
    }
    c.usage = cmd->usage;
    if (help)
        return cli_help_for(&c, cmd, verb);
    c.nargs -= words < c.nargs ? words : c.nargs;
    memmove(c.args, c.args + words, (size_t)c.nargs * sizeof c.args[0]);
    int rc = prepare(&c, cmd->flags, &e);
    if (rc == 0 && (cmd->flags & C_ACTOR)) /* names for ids, now that there is a workspace to look in */
        rc = cli_resolve_refs(&c, cmd, verb, &e);
    if (rc == 0)
        rc = cmd->fn ? cmd->fn(&c, &e) : cmd_entity(&c, verb, &e);
    db_close(c.db);
    return rc < 0 ? fail(&e) : 0;
}
