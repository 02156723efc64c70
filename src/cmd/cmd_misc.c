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
        json_t *res = json_loads(out.buf, 0, NULL), *r, *names = json_object();
        size_t i;
        /* each hit names its client: one lookup per type of record found */
        for (int k = 0; k < entity_count; k++) {
            json_t *ids = json_object();
            json_array_foreach(json_object_get(res, "data"), i, r) if (!strcmp(cli_str(r, "type"), entity_table[k]->singular))
                json_object_set_new(ids, cli_str(r, "id"), json_null());
            cli_client_names(c, entity_table[k], ids);
            json_object_update(names, ids);
            json_decref(ids);
        }
        json_array_foreach(json_object_get(res, "data"), i, r) {
            const char *client = json_string_value(json_object_get(names, cli_str(r, "id")));
            printf("%-12s %-32s %s%s%s%s\n", cli_str(r, "type"), cli_str(r, "id"), cli_str(r, "title"),
                   client && strcmp(cli_str(r, "type"), "client") ? "  (" : "", client && strcmp(cli_str(r, "type"), "client") ? client : "",
                   client && strcmp(cli_str(r, "type"), "client") ? ")" : "");
            const char *snip = json_string_value(json_object_get(r, "snippet"));
            if (snip && *snip)
                printf("%12s %s\n", "", snip);
        }
        if (!json_array_size(json_object_get(res, "data")))
            fprintf(stderr, "(nothing found)\n");
        json_decref(res);
        json_decref(names);
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
           "  rapport <record> show ID | edit ID --field value [--version N] | rm ID\n"
           "\nWherever a command takes a record (CLIENT_ID, --client-id, ...), its id, its name or the start of\n"
           "its name will do; --client is short for --client-id. rapport COMMAND --help for one command,\n"
           "rapport <record> add --help for its fields. rapport --version prints the version.\n");
    (void)c;
    return 0;
}
