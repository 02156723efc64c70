/* help: help for one command or one record verb, from the command table and the entity table (a field's
 * option, type, allowed values, whether it is required or a filter), and "did you mean" for a mistyped
 * command or option. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"

/* Edit distance, for suggestions: insertions, deletions, substitutions and swaps of neighbours. */
static int distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 40 || m > 40)
        return 99;
    int d[41][41];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

/* Keeps the nearest candidate to word: close enough to be a typo (a third of the word, at least one). */
typedef struct suggestion {
    const char *word;
    char best[64];
    int dist;
} suggestion;

static void consider(suggestion *s, const char *candidate)
{
    int d = distance(s->word, candidate), allowed = (int)strlen(s->word) / 3;
    if (d <= (allowed < 1 ? 1 : allowed) && d < s->dist) {
        s->dist = d;
        snprintf(s->best, sizeof s->best, "%s", candidate);
    }
}

void cli_suggest_command(const char *name, const char *sub, char *out, size_t n)
{
    char word[128];
    snprintf(word, sizeof word, "%s%s%s", name, sub ? " " : "", sub ? sub : "");
    suggestion s = {.word = word, .dist = 99};
    for (int i = 0; i < cli_command_count; i++) {
        char cand[128];
        const command *k = &cli_commands[i];
        snprintf(cand, sizeof cand, "%s%s%s", k->name, k->sub && sub ? " " : "", k->sub && sub ? k->sub : "");
        consider(&s, cand);
    }
    static const char *const verbs[] = {"add", "list", "show", "edit", "rm"};
    for (int i = 0; i < entity_count; i++) {
        if (!sub) {
            consider(&s, entity_table[i]->singular);
            continue;
        }
        for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
            char cand[128];
            snprintf(cand, sizeof cand, "%s %s", entity_table[i]->singular, verbs[v]);
            consider(&s, cand);
        }
    }
    if (!*s.best && sub) { /* the first word alone may be the typo: "clinet" for "client" */
        s.word = name;
        s.dist = 99;
        for (int i = 0; i < entity_count; i++)
            consider(&s, entity_table[i]->singular);
        for (int i = 0; i < cli_command_count; i++)
            consider(&s, cli_commands[i].name);
        if (*s.best) {
            snprintf(out, n, "%s %s", s.best, sub);
            return;
        }
    }
    snprintf(out, n, "%s", s.best);
}

/* The options a command takes: the --words of its usage line, and for record verbs the entity's fields. */
void cli_suggest_option(const cli *c, const char *key, char *out, size_t n)
{
    char word[80];
    snprintf(word, sizeof word, "%s", key);
    for (char *p = word; *p; p++)
        if (*p == '_')
            *p = '-';
    suggestion s = {.word = word, .dist = 99};
    for (const char *p = c->usage; p && (p = strstr(p, "--")); ) {
        p += 2;
        char cand[64];
        size_t k = 0;
        while ((p[k] >= 'a' && p[k] <= 'z') || p[k] == '-' || (p[k] >= '0' && p[k] <= '9'))
            k++;
        snprintf(cand, sizeof cand, "%.*s", (int)(k < 63 ? k : 63), p);
        consider(&s, cand);
    }
    static const char *const common[] = {"db", "json", "as", "help", "limit", "cursor", "sort", "q", "version", "custom"};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        consider(&s, common[i]);
    for (int i = 0; c->en && i < c->en->nfields; i++) {
        char cand[64];
        snprintf(cand, sizeof cand, "%s", c->en->fields[i].name);
        for (char *p = cand; *p; p++)
            if (*p == '_')
                *p = '-';
        consider(&s, cand);
    }
    snprintf(out, n, "%s", s.best);
}

static void option_name(const char *field_name, char *out, size_t n)
{
    snprintf(out, n, "--%s", field_name);
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = '-';
}

/* One line per field: its option, what it takes, and its label. */
static void field_lines(const entity *en, int for_add)
{
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        if (f->flags & (F_HIDDEN | F_READONLY) || f->type == &FT_PASSWORD)
            continue;
        char opt[64];
        strbuf takes = STRBUF_INIT;
        option_name(f->name, opt, sizeof opt);
        if (f->values) {
            for (const char *const *v = f->values; *v; v++)
                strbuf_addf(&takes, "%s%s", v == f->values ? "" : "|", *v);
        } else if (f->type == &FT_REF) {
            const entity *to = entity_by_name(f->ref);
            strbuf_addf(&takes, "%s (id or name)", to ? to->singular : f->ref);
        } else if (f->type == &FT_DATE) {
            strbuf_adds(&takes, "YYYY-MM-DD");
        } else if (f->type == &FT_DATETIME) {
            strbuf_adds(&takes, "time (2026-11-02T09:00:00Z)");
        } else if (f->type == &FT_MONEY) {
            strbuf_adds(&takes, "amount (1250.00)");
        } else if (f->type == &FT_TAGS) {
            strbuf_adds(&takes, "list (a,b)");
        } else if (f->type == &FT_BOOL) {
            strbuf_adds(&takes, "true|false");
        } else if (f->type == &FT_INT && (f->min || f->max)) {
            strbuf_addf(&takes, "number %lld to %lld", (long long)f->min, (long long)f->max);
        } else {
            strbuf_adds(&takes, f->type->name);
        }
        const char *need = for_add && (f->flags & F_REQUIRED) ? "required" : "";
        printf("  %-24s %-44s %-8s %s\n", opt, takes.buf, need, f->label ? f->label : "");
        strbuf_release(&takes);
    }
}

static void record_help(const entity *en, const char *verb)
{
    const char *sg = en->singular;
    printf("%s: %s\n\n", sg, en->summary ? en->summary : en->name);
    if (!verb || !strcmp(verb, "add") || !strcmp(verb, "edit")) {
        if (verb && !strcmp(verb, "edit"))
            printf("usage: rapport %s edit ID|NAME --field value ... [--version N]\n\nfields:\n", sg);
        else
            printf("usage: rapport %s add --field value ...\n\nfields:\n", sg);
        field_lines(en, !verb || !strcmp(verb, "add"));
        if (en->flags & ENT_CUSTOM)
            printf("  %-24s %-44s %-8s %s\n", "--custom", "JSON object", "", "Custom fields ({\"tier\":\"gold\"})");
    }
    if (!verb || !strcmp(verb, "list")) {
        printf("%susage: rapport %s list [--FILTER value] [--q words] [--sort [-]FIELD] [--limit N] [--cursor C]\n",
               verb ? "" : "\n", sg);
        printf("filters:");
        for (int i = 0; i < en->nfields; i++)
            if (en->fields[i].flags & F_FILTER) {
                char opt[64];
                option_name(en->fields[i].name, opt, sizeof opt);
                printf(" %s", opt);
            }
        printf("\nsorts:");
        for (int i = 0; i < en->nfields; i++)
            if (en->fields[i].flags & F_SORT)
                printf(" %s", en->fields[i].name);
        printf("\n");
    }
    if (!verb || !strcmp(verb, "show"))
        printf("%susage: rapport %s show ID|NAME\n", verb ? "" : "\n", sg);
    if (!verb || !strcmp(verb, "rm"))
        printf("%susage: rapport %s rm ID|NAME\n", verb ? "" : "\n", sg);
    printf("\nA record is named by its id or by its name (or the start of it); a reference option (--client-id,\n"
           "or --client) takes a name too.\n");
}

int cli_help_for(const cli *c, const command *cmd, const char *verb)
{
    if (c->en && cmd && !cmd->fn) {
        record_help(c->en, verb);
        for (int i = 0; i < cli_command_count; i++) /* commands of the same word: token create, ... */
            if (!strcmp(cli_commands[i].name, c->en->singular))
                printf("%s  %s\n", i && !strcmp(cli_commands[i - 1].name, c->en->singular) ? "" : "\nalso:\n",
                       cli_commands[i].usage);
        return 0;
    }
    printf("usage: %s\n", cmd->usage);
    /* the other subcommands of the same word, so "token --help" shows them all */
    for (int i = 0; i < cli_command_count; i++)
        if (&cli_commands[i] != cmd && !strcmp(cli_commands[i].name, cmd->name))
            printf("       %s\n", cli_commands[i].usage);
    printf("\nglobal options: --db PATH (or RAPPORT_DB), --json, --as EMAIL\n"
           "Where a command takes a client (or any record), its id, its name or the start of its name will do.\n");
    return 0;
}
