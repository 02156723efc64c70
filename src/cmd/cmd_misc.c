/* cmd_misc: search, version, help. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/record.h"
#include "core/engine/search.h"
#include "util/version.h"
#include "cmd/cmd.h"

int cmd_search(cli *c, err_t *e)
{
    int limit, rc = cli_limit(c, 20, LIST_MAX_LIMIT, &limit, e);
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf words = STRBUF_INIT, out = STRBUF_INIT;
    for (int i = 0; i < c->nargs; i++)
        strbuf_addf(&words, "%s%s", i ? " " : "", c->args[i]);
    rc = search_all(c->db, &c->who, words.buf, limit, &out, e);
    if (rc == 0 && c->json) {
        puts(out.buf);
    } else if (rc == 0) {
        json_t *res = json_loads(out.buf, 0, NULL), *r;
        size_t i;
        json_array_foreach(json_object_get(res, "data"), i, r) {
            printf("%-12s %-32s %s\n", json_string_value(json_object_get(r, "type")),
                   json_string_value(json_object_get(r, "id")), json_string_value(json_object_get(r, "title")));
            const char *snip = json_string_value(json_object_get(r, "snippet"));
            if (snip && *snip)
                printf("%12s %s\n", "", snip);
        }
        if (!json_array_size(json_object_get(res, "data")))
            fprintf(stderr, "(nothing found)\n");
        json_decref(res);
    }
    strbuf_release(&words);
    strbuf_release(&out);
    return rc;
}

int cmd_version(cli *c, err_t *e)
{
    (void)e;
    if (c->json)
        printf("{\"version\":\"%s\"}\n", rapport_version);
    else
        printf("rapport %s\n", rapport_version);
    return 0;
}

int cmd_help(cli *c, err_t *e)
{
    (void)e;
    printf("rapport: client relationships, one binary.\n\nusage: rapport <command> [<subcommand>] [options]\n"
           "global options: --db PATH (or RAPPORT_DB), --json, --as EMAIL\n\n");
    for (int i = 0; i < cli_command_count; i++)
        printf("  %s\n", cli_commands[i].usage);
    printf("\nrecords, the same verbs for each of:");
    for (int i = 0; i < entity_count; i++)
        if (entity_table[i]->ops & OP_CREATE)
            printf(" %s", entity_table[i]->singular);
    printf("\n  rapport <record> add --field value ...     every field is an option: --first-name Ada\n"
           "  rapport <record> list [--field value] [--q words] [--sort -field] [--limit N] [--cursor C]\n"
           "  rapport <record> show ID | edit ID --field value [--version N] | rm ID\n");
    (void)c;
    return 0;
}
