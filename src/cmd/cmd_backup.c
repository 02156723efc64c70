/* cmd_backup: rapport backup --to FILE (an online copy while the server runs) and rapport restore
 * --from FILE (into an empty database, or over one with --overwrite). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bulk/backup.h"
#include "cmd/cmd.h"

int cmd_backup(cli *c, err_t *e)
{
    const char *to = cli_opt(c, "to");
    int overwrite = cli_opt(c, "overwrite") != NULL;
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    if (!to)
        return err_set(e, E_USAGE, "to", "usage: rapport backup --db PATH_OR_URL --to FILE [--overwrite]");
    backup_info info;
    if ((rc = backup_write(c->db, to, overwrite, &info, e)) < 0)
        return rc;
    if (c->json) {
        json_t *o = json_pack("{s:s,s:I,s:i}", "file", to, "bytes", (json_int_t)info.bytes, "schema_version",
                              info.schema_version);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        if (text)
            puts(text);
        free(text);
        json_decref(o);
    } else
        printf("backed up to %s (%lld bytes, schema version %d)\n", to, (long long)info.bytes, info.schema_version);
    return 0;
}

int cmd_restore(cli *c, err_t *e)
{
    const char *from = cli_opt(c, "from");
    int overwrite = cli_opt(c, "overwrite") != NULL;
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    if (!from)
        return err_set(e, E_USAGE, "from", "usage: rapport restore --from FILE --db PATH_OR_URL [--overwrite]");
    if ((rc = backup_restore(from, c->db, overwrite, e)) < 0)
        return rc;
    char shown[512];
    if (c->json)
        printf("{\"restored\":true}\n");
    else
        printf("restored %s into %s\n", from, db_display(c->db_target, shown, sizeof shown));
    return 0;
}
