/* cmd_export: rapport export ENTITY [filters] [--columns A,B] [--format csv|jsonl] [--out FILE]; rapport export all (the
 * whole workspace, JSON Lines); rapport load FILE|- (a workspace export into this database). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bulk/export.h"
#include "cmd/cmd.h"

static int write_out(void *ctx, const char *buf, size_t n, err_t *e)
{
    if (fwrite(buf, 1, n, ctx) != n)
        return err_set(e, E_INTERNAL, "out", "cannot write the export: %s", strerror(errno));
    return 0;
}

/* --out FILE: written beside its name and renamed when complete, so a failed export leaves no half file. */
static int open_out(const char *path, char *tmp, size_t n, FILE **f, err_t *e)
{
    if (!path) {
        *f = stdout;
        return 0;
    }
    snprintf(tmp, n, "%s.partial-%d", path, (int)getpid());
    if (!(*f = fopen(tmp, "wb")))
        return err_set(e, E_USAGE, "out", "cannot write %s: %s", path, strerror(errno));
    return 0;
}

static int close_out(FILE *f, const char *path, const char *tmp, int rc, err_t *e)
{
    if (f == stdout)
        return fflush(stdout) != 0 && rc == 0 ? err_set(e, E_INTERNAL, "out", "cannot write the export") : rc;
    if (fclose(f) != 0 && rc == 0)
        rc = err_set(e, E_INTERNAL, "out", "cannot write %s: %s", path, strerror(errno));
    if (rc == 0 && rename(tmp, path) < 0)
        rc = err_set(e, E_INTERNAL, "out", "cannot move the export into place at %s: %s", path, strerror(errno));
    if (rc < 0)
        unlink(tmp);
    return rc;
}

int cmd_export(cli *c, err_t *e)
{
    if (c->nargs != 1)
        return err_set(e, E_USAGE, NULL,
                       "usage: rapport export ENTITY [--FIELD VALUE ...] [--columns A,B] [--format csv|jsonl] [--out FILE] | "
                       "rapport export all [--out FILE]");
    const char *out = cli_opt(c, "out"), *fmt = cli_opt(c, "format"), *columns = cli_opt(c, "columns");
    int whole = !strcmp(c->args[0], "all"), format = EXPORT_CSV, rc = 0;
    const entity *en = whole ? NULL : entity_by_path(c->args[0]);
    if (!whole && !en)
        en = entity_by_singular(c->args[0]);
    if (!whole && !en)
        return err_set(e, E_USAGE, NULL, "no entity called %s (try clients, contacts, interactions, ... or all)",
                       c->args[0]);
    if (whole && fmt && strcmp(fmt, "jsonl"))
        return err_set(e, E_USAGE, "format", "a whole-workspace export is JSON Lines only");
    if (!whole && (rc = export_parse_format(fmt, &format, e)) < 0)
        return err_recode(e, E_USAGE, "format");
    list_query q;
    list_query_init(&q);
    for (int i = 0; i < c->nopts && rc == 0 && !whole; i++) {
        if (!strcmp(c->opts[i].key, "out") || !strcmp(c->opts[i].key, "format") || !strcmp(c->opts[i].key, "columns"))
            continue;
        c->opts[i].used = 1;
        rc = list_query_set(en, &q, c->opts[i].key, c->opts[i].value, e);
        if (rc == E_INVALID_PARAMETER)
            rc = err_recode(e, E_USAGE, c->opts[i].key);
    }
    if (rc == 0)
        rc = cli_check_unused(c, e);
    char tmp[4096];
    FILE *f = NULL;
    if (rc == 0 && (rc = open_out(out, tmp, sizeof tmp, &f, e)) == 0) {
        rc = whole ? export_workspace(c->db, &c->who, write_out, f, e)
                   : export_records(c->db, &c->who, en, &q, format, columns, write_out, f, e);
        if (rc == E_INVALID_PARAMETER) /* an unknown column */
            rc = err_recode(e, E_USAGE, NULL);
        rc = close_out(f, out, tmp, rc, e);
    }
    list_query_clear(&q);
    return rc;
}

int cmd_load(cli *c, err_t *e)
{
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    if (c->nargs != 1)
        return err_set(e, E_USAGE, NULL, "usage: rapport load FILE|-   (a workspace from rapport export all)");
    FILE *in = strcmp(c->args[0], "-") ? fopen(c->args[0], "rb") : stdin;
    if (!in)
        return err_set(e, E_NOT_FOUND, NULL, "cannot read %s: %s", c->args[0], strerror(errno));
    load_report r;
    rc = export_load(c->db, in, &r, e);
    if (in != stdin)
        fclose(in);
    if (rc == 0) {
        if (c->json)
            printf("{\"workspace_id\":\"%s\",\"rows\":%lld}\n", r.workspace_id, (long long)r.rows);
        else
            printf("loaded workspace %s: %lld records; its users set a password before they sign in\n",
                   r.workspace_id, (long long)r.rows);
    }
    return rc;
}
