/* cmd_merge: rapport duplicates clients|contacts (candidate pairs and why), rapport merge KEEP OTHER,
 * rapport merge --undo MERGE_ID, rapport merge list. */
#include <stdio.h>
#include <string.h>

#include "core/bulk/duplicates.h"
#include "core/engine/record.h"
#include "cmd/cmd.h"

static void show_pairs(json_t *report)
{
    json_t *data = json_object_get(report, "data"), *p;
    size_t i;
    if (!json_array_size(data)) {
        printf("no likely duplicates\n");
        return;
    }
    printf("%-5s  %-30s %-30s  %s\n", "SCORE", "KEEP (OLDER)", "MERGE INTO IT", "WHY");
    json_array_foreach(data, i, p)
    {
        json_t *a = json_object_get(p, "a"), *b = json_object_get(p, "b"), *r;
        printf("%5.0f%%  %-30.30s %-30.30s  ", json_real_value(json_object_get(p, "score")) * 100,
               cli_str(a, "name"), cli_str(b, "name"));
        size_t j;
        json_array_foreach(json_object_get(p, "reasons"), j, r)
            printf("%s%s %s", j ? "; " : "", cli_str(r, "kind"), cli_str(r, "value"));
        printf("\n%7s%-30s %-30s\n", "", cli_str(a, "id"), cli_str(b, "id"));
    }
    printf("merge one: rapport merge KEEP_ID OTHER_ID   (undo: rapport merge --undo MERGE_ID)\n");
}

int cmd_duplicates(cli *c, err_t *e)
{
    int limit, rc = cli_limit(c, 50, 1000, &limit, e);
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    const entity *en = c->nargs == 1 ? entity_by_path(c->args[0]) : NULL;
    if (!en || (strcmp(en->name, "clients") && strcmp(en->name, "contacts")))
        return err_set(e, E_USAGE, NULL, "usage: rapport duplicates clients|contacts [--limit N]");
    strbuf out = STRBUF_INIT;
    rc = duplicates_find(c->db, &c->who, en, limit, &out, e);
    return cli_print_report(c, rc, &out, show_pairs);
}

static void show_merge(json_t *m)
{
    printf("%s %s: %s (%s) merged into %s\n", cli_str(m, "id"), cli_str(m, "entity"), cli_str(m, "other_name"),
           cli_str(m, "other_id"), cli_str(m, "keep_id"));
    if (json_is_string(json_object_get(m, "undone_at")))
        printf("undone at %s\n", cli_str(m, "undone_at"));
    else
        printf("undo: rapport merge --undo %s\n", cli_str(m, "id"));
}

int cmd_merge(cli *c, err_t *e)
{
    /* rapport merge list | show ID: the merges entity's own verbs, which share the command's word */
    if (c->nargs >= 1 && (!strcmp(c->args[0], "list") || !strcmp(c->args[0], "show"))) {
        const char *verb = c->args[0];
        for (int i = 1; i < c->nargs; i++)
            c->args[i - 1] = c->args[i];
        c->nargs--;
        c->en = entity_by_name("merges");
        return cmd_entity(c, verb, e);
    }
    const char *undo = cli_opt(c, "undo");
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf out = STRBUF_INIT;
    if (undo) {
        if (c->nargs)
            return err_set(e, E_USAGE, NULL, "usage: rapport merge --undo MERGE_ID");
        rc = duplicates_unmerge(c->db, &c->who, undo, &out, e);
        return cli_print_report(c, rc, &out, show_merge);
    }
    if (c->nargs != 2)
        return err_set(e, E_USAGE, NULL,
                       "usage: rapport merge KEEP_ID OTHER_ID | rapport merge --undo MERGE_ID | rapport merge list");
    /* the entity is in the ids' prefix: cli_... or con_... */
    const entity *en = NULL;
    for (int i = 0; i < entity_count && !en; i++) {
        size_t n = strlen(entity_table[i]->id_prefix);
        if (!strncmp(c->args[0], entity_table[i]->id_prefix, n) && c->args[0][n] == '_')
            en = entity_table[i];
    }
    if (!en || (strcmp(en->name, "clients") && strcmp(en->name, "contacts")))
        return err_set(e, E_USAGE, NULL, "%s is not a client or contact id", c->args[0]);
    rc = duplicates_merge(c->db, &c->who, en, c->args[0], c->args[1], &out, e);
    return cli_print_report(c, rc, &out, show_merge);
}
