/* options: command-line parsing shared by every command (see cmd.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "util/ids.h"
#include "util/utf8.h"
#include "cmd/cmd.h"

/* Options that take no value. */
static const char *const FLAGS[] = {"json", "demo", "help", "overwrite", "all",          "mine",
                                    "record", "open", "csv",  "dry-run",   "skip-invalid", "set-password", "bulk",
                                    "send",   "once",   NULL};

static int is_flag(const char *k)
{
    for (const char *const *f = FLAGS; *f; f++)
        if (!strcmp(*f, k))
            return 1;
    return 0;
}

int cli_parse(cli *c, int argc, char **argv, err_t *e)
{
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (!utf8_valid(a, strlen(a)))
            return err_set(e, E_USAGE, NULL, "argument %d is not valid UTF-8", i + 1);
        if (strncmp(a, "--", 2) || !a[2]) {
            if (c->nargs == CLI_MAX_ARGS)
                return err_set(e, E_USAGE, NULL, "too many arguments");
            c->args[c->nargs++] = a;
            continue;
        }
        if (c->nopts == CLI_MAX_OPTS)
            return err_set(e, E_USAGE, NULL, "too many options");
        char *key = a + 2, *eq = strchr(key, '=');
        const char *value;
        if (eq) {
            *eq = '\0';
            value = eq + 1;
        } else if (is_flag(key)) {
            value = "true";
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            return err_set(e, E_USAGE, key, "--%s needs a value", key);
        }
        for (char *p = key; *p; p++)
            if (*p == '-')
                *p = '_';
        if (!strcmp(key, "db"))
            c->db_target = value;
        else if (!strcmp(key, "as"))
            c->as = value;
        else if (!strcmp(key, "json"))
            c->json = 1;
        else
            c->opts[c->nopts++] = (cli_option){key, value, 0};
    }
    return 0;
}

const char *cli_opt(cli *c, const char *key)
{
    for (int i = 0; i < c->nopts; i++)
        if (!strcmp(c->opts[i].key, key)) {
            c->opts[i].used = 1;
            return c->opts[i].value;
        }
    return NULL;
}

int cli_check_unused(cli *c, err_t *e)
{
    for (int i = 0; i < c->nopts; i++)
        if (!c->opts[i].used) {
            char name[80];
            snprintf(name, sizeof name, "%s", c->opts[i].key);
            for (char *p = name; *p; p++)
                if (*p == '_')
                    *p = '-';
            char guess[64];
            cli_suggest_option(c, c->opts[i].key, guess, sizeof guess);
            if (*guess)
                return err_set(e, E_USAGE, name, "unknown option --%s; did you mean --%s?", name, guess);
            return err_set(e, E_USAGE, name, "unknown option --%s (see --help)", name);
        }
    return 0;
}

int cli_password(const char *env, const char *prompt, char *out, size_t n, int *generated, err_t *e)
{
    *generated = 0;
    const char *v = getenv(env);
    if (v && *v) {
        snprintf(out, n, "%s", v);
        return 0;
    }
    if (isatty(STDIN_FILENO)) {
        struct termios old, quiet;
        fprintf(stderr, "%s: ", prompt);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        char *line = fgets(out, (int)n, stdin);
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputc('\n', stderr);
        if (!line)
            return err_set(e, E_USAGE, "password", "no password given");
        out[strcspn(out, "\r\n")] = '\0';
        return 0;
    }
    id_secret(12, out, n); /* 96 random bits, shown once */
    *generated = 1;
    return 0;
}
