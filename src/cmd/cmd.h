/* cmd: the command line. One command table (main.c) maps words to functions with precondition flags
 * enforced in one place; the generic entity verbs (add, list, show, edit, rm) serve every entity. */
#ifndef RAPPORT_CMD_H
#define RAPPORT_CMD_H
#include "core/model/entity.h"

#define CLI_MAX_OPTS 64
#define CLI_MAX_ARGS 32

typedef struct cli_opt {
    const char *key; /* without the dashes, dashes turned to underscores */
    const char *value;
    int used;
} cli_option;

typedef struct cli {
    const char *db_target;
    const char *as;
    int json;
    db *db;
    actor who;
    cli_option opts[CLI_MAX_OPTS];
    int nopts;
    const char *args[CLI_MAX_ARGS]; /* positional arguments after the command words */
    int nargs;
    const entity *en; /* for entity verbs */
    const char *usage; /* the command's usage line: the options it takes, for "did you mean" */
    char ids[CLI_MAX_OPTS + 1][ID_MAX]; /* ids resolved from names: one per option, the last for args[0] */
    char keys[CLI_MAX_OPTS][64];        /* option keys completed (--client → client_id) */
} cli;

typedef int (*cmd_fn)(cli *c, err_t *e);

enum cmd_flag {
    C_DB = 1,    /* opens the database and applies pending migrations */
    C_ACTOR = 2, /* resolves the acting user (--as, or the only workspace's owner) */
};

typedef struct command {
    const char *name, *sub; /* "token", "create"; sub NULL for one-word commands */
    cmd_fn fn;
    unsigned flags;
    const char *usage;
} command;

extern const command cli_commands[];
extern const int cli_command_count;

/* Options. */
int cli_parse(cli *c, int argc, char **argv, err_t *e);
const char *cli_opt(cli *c, const char *key);
/* E_USAGE naming the first option no one used, so typos never pass silently. */
int cli_check_unused(cli *c, err_t *e);
/* A password from env, a terminal prompt, or generated (then printed by the caller: *generated = 1). */
int cli_password(const char *env, const char *prompt, char *out, size_t n, int *generated, err_t *e);

/* Help for one command, or for a record verb (verb NULL: all of them) from the entity table. */
int cli_help_for(const cli *c, const command *cmd, const char *verb);
/* "did you mean": the nearest command (or command and subcommand), or the nearest option the command
 * takes (from its usage line and its entity's fields); "" when none is near enough. */
void cli_suggest_command(const char *name, const char *sub, char *out, size_t n);
void cli_suggest_option(const cli *c, const char *key, char *out, size_t n);

/* Names for ids: text is an id of en (kept as is), or a record's title or a unique prefix of it,
 * case-insensitively; an exact title wins over longer ones it begins. E_NOT_FOUND naming `what` when
 * nothing matches; E_USAGE when several do, after listing them on stderr. */
int cli_resolve(cli *c, const entity *en, const char *what, const char *text, char out[ID_MAX], err_t *e);
/* Before a command runs: every reference option (--client-id acme; --client acme where the command takes
 * --client-id) and the positional record argument (of the record verbs show, edit and rm, and of the
 * commands that take one, like `health CLIENT`) become ids. */
int cli_resolve_refs(cli *c, const command *cmd, const char *verb, err_t *e);

/* Output: a record (or list page) as JSON text, printed as JSON or a table. */
void cli_print_record(cli *c, const entity *en, const char *json);
/* terminal.c: from here on, what goes to stdout on a terminal has its control characters escaped. */
void cli_guard_terminal(void);
void cli_print_list(cli *c, const entity *en, const char *json);
/* Fills titles ({id: null, ...}) with each id's record title in en (title_sql), in one query; ids not
 * found stay null. */
void cli_titles(cli *c, const entity *en, json_t *titles);
/* The same with the name of each record's client (a client's own name for clients). */
void cli_client_names(cli *c, const entity *en, json_t *names);
/* When en's field key is a reference and v its id, appends " (the referenced record's title)" to out. */
void cli_ref_title(cli *c, const entity *en, const char *key, json_t *v, strbuf *out);
/* A client (its JSON) as a card: the record, its protocol, contacts, last conversations, open deals,
 * projects and tickets, and health with its top reasons (cmd_card.c). */
void cli_print_client_card(cli *c, const char *json);

/* Reports (today, pipeline, ...): prints out as is for --json, else hands the parsed JSON to show; releases
 * out; returns rc. */
int cli_print_report(cli *c, int rc, strbuf *out, void (*show)(json_t *report));
/* A string member for printing: "" when absent or null. */
const char *cli_str(json_t *o, const char *key);
/* --limit N: dflt when absent; E_USAGE unless a whole number from 1 to max. */
int cli_limit(cli *c, int dflt, int max, int *out, err_t *e);

/* Commands. */
int cmd_entity(cli *c, const char *verb, err_t *e);
int cmd_init(cli *c, err_t *e);
int cmd_workspace_add(cli *c, err_t *e);
int cmd_migrate(cli *c, err_t *e);
int cmd_serve(cli *c, err_t *e);
int cmd_token_create(cli *c, err_t *e);
int cmd_token_revoke(cli *c, err_t *e);
int cmd_token_list(cli *c, err_t *e);
int cmd_log(cli *c, err_t *e);
int cmd_backup(cli *c, err_t *e);
int cmd_copy(cli *c, err_t *e);
int cmd_duplicates(cli *c, err_t *e);
int cmd_merge(cli *c, err_t *e);
int cmd_export(cli *c, err_t *e);
int cmd_load(cli *c, err_t *e);
int cmd_restore(cli *c, err_t *e);
int cmd_seed(cli *c, err_t *e);
int cmd_import(cli *c, err_t *e);
int cmd_jobs_enqueue(cli *c, err_t *e);
int cmd_jobs_list(cli *c, err_t *e);
int cmd_jobs_run(cli *c, err_t *e);
int cmd_search(cli *c, err_t *e);
int cmd_project_scope(cli *c, err_t *e);
int cmd_breaches(cli *c, err_t *e);
int cmd_feedback_act(cli *c, err_t *e);
int cmd_webhook_test(cli *c, err_t *e);
int cmd_webhook_rotate_secret(cli *c, err_t *e);
int cmd_webhook_deliveries(cli *c, err_t *e);
int cmd_pipeline(cli *c, err_t *e);
int cmd_revenue(cli *c, err_t *e);
int cmd_report(cli *c, err_t *e);
int cmd_version(cli *c, err_t *e);
int cmd_today(cli *c, err_t *e);
int cmd_due(cli *c, err_t *e);
int cmd_health(cli *c, err_t *e);
int cmd_latency(cli *c, err_t *e);
int cmd_at_risk(cli *c, err_t *e);
int cmd_calibrate(cli *c, err_t *e);
int cmd_timeline(cli *c, err_t *e);
int cmd_onboarding(cli *c, err_t *e);
int cmd_onboard(cli *c, err_t *e);
int cmd_followup(cli *c, err_t *e);
int cmd_outbox_list(cli *c, err_t *e);
int cmd_outbox_approve(cli *c, err_t *e);
int cmd_email_settings(cli *c, err_t *e);
int cmd_template_preview(cli *c, err_t *e);
int cmd_help(cli *c, err_t *e);
int cmd_openapi(cli *c, err_t *e);

#endif
