/* cmd_copy: rapport copy --from PATH_OR_URL --to PATH_OR_URL [--overwrite]. */
#include <stdio.h>
#include <string.h>

#include "core/bulk/copy.h"
#include "core/engine/schema.h"
#include "cmd/cmd.h"
#include "util/secret.h"

static int open_migrated(const char *target, db **d, err_t *e)
{
    int rc = db_open(target, d, e);
    if (rc == 0 && (rc = schema_migrate(*d, e)) > 0)
        rc = 0;
    return rc;
}

int cmd_copy(cli *c, err_t *e)
{
    const char *from = cli_opt(c, "from"), *to = cli_opt(c, "to");
    int overwrite = cli_opt(c, "overwrite") != NULL;
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    if (!from || !to)
        return err_set(e, E_USAGE, from ? "to" : "from", "usage: rapport copy --from PATH_OR_URL --to PATH_OR_URL [--overwrite]");
    if (!strcmp(from, to))
        return err_set(e, E_USAGE, "to", "--from and --to are the same database");
    db *src = NULL, *dst = NULL;
    copy_report report;
    memset(&report, 0, sizeof report);
    /* the source's key: a source from before migration 17 has webhook secrets in the clear, which its
     * migration seals (under this key, which the source's other sealed secrets use already) */
    err_t ke;
    if (secret_init(from, &ke) < 0)
        fprintf(stderr, "rapport: %s\n", ke.message);
    rc = open_migrated(from, &src, e);
    if (rc == 0)
        rc = open_migrated(to, &dst, e);
    if (rc == 0 || report.ntables)
        rc = copy_database(src, dst, overwrite, &report, e);
    if (report.ntables) {
        if (c->json) {
            printf("{\"ok\":%s,\"tables\":[", rc == 0 ? "true" : "false");
            for (int i = 0; i < report.ntables; i++) {
                copy_table_report *t = &report.tables[i];
                printf("%s{\"table\":\"%s\",\"rows_from\":%lld,\"rows_to\":%lld,\"sum_from\":\"%s\",\"sum_to\":\"%s\"}",
                       i ? "," : "", t->table, (long long)t->rows_from, (long long)t->rows_to, t->sum_from, t->sum_to);
            }
            printf("]}\n");
        } else {
            printf("%-16s %10s %10s  %-16s %s\n", "TABLE", "FROM", "TO", "CHECKSUM", "");
            for (int i = 0; i < report.ntables; i++) {
                copy_table_report *t = &report.tables[i];
                int same = t->rows_from == t->rows_to && !strcmp(t->sum_from, t->sum_to);
                printf("%-16s %10lld %10lld  %.16s %s\n", t->table, (long long)t->rows_from, (long long)t->rows_to,
                       t->sum_from, same ? "ok" : "MISMATCH");
            }
        }
    }
    db_close(src);
    db_close(dst);
    return rc;
}
