/* cmd_import: `rapport import ENTITY FILE` — records from CSV (core/import.c
 * does the work). The file is mapped, not read, so a million rows cost no copy;
 * "-" reads standard input. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/bulk/import.h"
#include "cmd/cmd.h"

/* Standard input is read into memory, up to this; a file of any size is mapped instead. */
#define STDIN_MAX ((size_t)256 << 20)

static int read_stdin(strbuf *sb, err_t *e)
{
    char chunk[65536];
    size_t n;
    strbuf_init(sb, STDIN_MAX);
    while (!sb->overflow && (n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        strbuf_add(sb, chunk, n);
    if (sb->overflow)
        return err_set(e, E_PAYLOAD_TOO_LARGE, "file",
                       "standard input is over %zu MiB; name the file instead (a file is mapped, whatever its size)",
                       STDIN_MAX >> 20);
    if (ferror(stdin))
        return err_set(e, E_USAGE, "file", "cannot read standard input");
    return 0;
}

static void print_errors(json_t *report)
{
    json_t *err;
    size_t i;
    json_array_foreach(json_object_get(report, "errors"), i, err)
    {
        const char *col = cli_str(err, "column");
        fprintf(stderr, "  row %lld%s%s: %s\n", (long long)json_integer_value(json_object_get(err, "row")),
                *col ? ", " : "", col, cli_str(err, "message"));
    }
    long long invalid = json_integer_value(json_object_get(report, "skipped"));
    if (invalid > (long long)json_array_size(json_object_get(report, "errors")))
        fprintf(stderr, "  ... %lld invalid rows in all\n", invalid);
}

static void print_report(json_t *r, const char *source)
{
    json_t *col;
    size_t i;
    json_array_foreach(json_object_get(r, "ignored_columns"), i, col)
        fprintf(stderr, "ignored column: %s (no such field)\n", json_string_value(col));
    long long rows = json_integer_value(json_object_get(r, "rows")),
              imported = json_integer_value(json_object_get(r, "imported")),
              skipped = json_integer_value(json_object_get(r, "skipped")),
              clients = json_integer_value(json_object_get(r, "clients_created"));
    if (json_is_true(json_object_get(r, "dry_run")))
        printf("dry run: %lld of %lld rows of %s would be imported", imported, rows, source);
    else
        printf("imported %lld %s from %s", imported, cli_str(r, "entity"), source);
    if (clients)
        printf(", with %lld new clients", clients);
    if (skipped)
        printf("; %lld invalid rows skipped", skipped);
    printf("\n");
    if (skipped)
        print_errors(r);
}

int cmd_import(cli *c, err_t *e)
{
    if (c->nargs != 2)
        return err_set(e, E_USAGE, NULL, "usage: rapport import ENTITY FILE [--dry-run] [--skip-invalid]");
    const entity *en = entity_by_path(c->args[0]);
    if (!en)
        en = entity_by_singular(c->args[0]);
    if (!en)
        return err_set(e, E_USAGE, "entity", "no such entity: %s", c->args[0]);
    import_opts o = {.dry_run = cli_opt(c, "dry_run") != NULL,
                     .skip_invalid = cli_opt(c, "skip_invalid") != NULL,
                     .source = c->args[1]};
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    strbuf in = STRBUF_INIT, out = STRBUF_INIT;
    const char *buf = NULL;
    size_t len = 0;
    void *map = NULL;
    if (!strcmp(c->args[1], "-")) {
        o.source = "standard input";
        if ((rc = read_stdin(&in, e)) < 0)
            goto done;
        buf = in.buf ? in.buf : "";
        len = in.len;
    } else {
        int fd = open(c->args[1], O_RDONLY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
            if (fd >= 0)
                close(fd);
            rc = err_set(e, E_USAGE, "file", "cannot read %s", c->args[1]);
            goto done;
        }
        len = (size_t)st.st_size;
        map = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
        close(fd);
        if (map == MAP_FAILED) {
            map = NULL;
            rc = err_set(e, E_USAGE, "file", "cannot map %s", c->args[1]);
            goto done;
        }
        if (map)
            madvise(map, len, MADV_SEQUENTIAL);
        buf = map ? map : "";
    }
    /* a process of its own: the indexes being filled may keep up to 1 GiB of pages in memory rather than
     * re-read them from the log (SQLite; PostgreSQL sizes its own buffers) */
    if (c->db->be->import_sql && (rc = db_exec(c->db, c->db->be->import_sql, e)) < 0)
        goto done;
    rc = import_csv(c->db, &c->who, en, buf, len, &o, &out, e);
    if (out.len) {
        json_t *report = json_loadb(out.buf, out.len, 0, NULL);
        if (c->json)
            puts(out.buf);
        else if (rc == 0)
            print_report(report, o.source);
        else
            print_errors(report);
        json_decref(report);
    }
done:
    if (map)
        munmap(map, len);
    strbuf_release(&in);
    strbuf_release(&out);
    return rc;
}
