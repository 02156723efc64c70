/* cmd_import: `rapport import ENTITY FILE` — records from CSV (core/bulk/import.c does the work). The
 * file is mapped, not read, so a million rows cost no copy; "-" reads standard input. By default the
 * import runs as the server's import job does, in slices with pauses between them, so a server working
 * on the same database keeps answering; a progress bar shows on a terminal (plain lines every few
 * seconds otherwise). --bulk takes the whole file in one transaction with SQLite's bulk load: fastest,
 * for a database nothing else is writing to. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/bulk/import.h"
#include "core/bulk/import_text.h"
#include "util/clock.h"
#include "util/phone.h"
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

typedef struct progress_bar {
    long total;   /* an estimate: the file's lines less the header */
    int tty;      /* stderr is a terminal: one line redrawn; else a plain line every few seconds */
    int64_t last; /* when the last plain line was written */
    int drawn;
} progress_bar;

static int show_progress(void *ctx, db *d, const import_progress *p)
{
    (void)d;
    progress_bar *b = ctx;
    long total = b->total > p->rows_done ? b->total : p->rows_done;
    int pct = total ? (int)(p->rows_done * 100 / total) : 100;
    if (b->tty) {
        char bar[31];
        int fill = pct * 30 / 100;
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r%-6s [%s] %3d%%  %ld of %ld rows, %ld invalid",
                !strcmp(p->phase, "check") ? "check" : "write", bar, pct, p->rows_done, total, p->skipped);
        b->drawn = 1;
    } else if (clock_real_ms() - b->last >= 2000) {
        if (b->last)
            fprintf(stderr, "%s: %ld of %ld rows (%d%%), %ld invalid\n", p->phase, p->rows_done, total, pct,
                    p->skipped);
        b->last = clock_real_ms();
    }
    return 0;
}

/* Between slices: a slice of full-text merging, as a server's worker would do (each slice commits a
 * small index segment of its own; without merges they pile up to the crisis merges). */
static void merge_between(void *ctx, db *d)
{
    (void)ctx;
    err_t e;
    err_clear(&e);
    if (d->be->fts_merge)
        d->be->fts_merge(d, &e);
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
    if (json_string_value(json_object_get(r, "preset")))
        fprintf(stderr, "recognised as %s\n", json_string_value(json_object_get(r, "preset")));
    json_t *saved = json_object_get(r, "saved_mapping");
    if (json_is_object(saved))
        fprintf(stderr, "with the saved mapping %s\n", cli_str(saved, "name"));
    json_t *u;
    json_array_foreach(json_object_get(r, "unknown_columns"), i, u)
    {
        if (json_is_true(json_object_get(u, "create")))
            fprintf(stderr, "column %s: a new custom field %s (%s)\n", cli_str(u, "column"), cli_str(u, "key"),
                    cli_str(u, "type"));
        else
            fprintf(stderr, "column %s has no field: kept in the notes (--create-fields \"%s\" makes it custom field "
                    "%s, %s)\n", cli_str(u, "column"), cli_str(u, "column"), cli_str(u, "key"), cli_str(u, "type"));
    }
    if (json_is_true(json_object_get(r, "dry_run")))
        printf("dry run: %lld of %lld rows of %s would be imported", imported, rows, source);
    else
        printf("imported %lld %s from %s", imported, cli_str(r, "entity"), source);
    if (clients)
        printf(", with %lld new clients", clients);
    long long updated = json_integer_value(json_object_get(r, "updated")),
              unchanged = json_integer_value(json_object_get(r, "unchanged"));
    if (updated || unchanged)
        printf("; %lld existing records %s, %lld left as they were", updated,
               json_is_true(json_object_get(r, "dry_run")) ? "would be updated" : "updated", unchanged);
    if (skipped)
        printf("; %lld invalid rows skipped", skipped);
    printf("\n");
    if (skipped)
        print_errors(r);
}

/* --map "Column=field", as often as needed, into a JSON mapping. */
static int read_mapping(cli *c, json_t **mapping, err_t *e)
{
    *mapping = NULL;
    for (int i = 0; i < c->nopts; i++) {
        if (strcmp(c->opts[i].key, "map"))
            continue;
        c->opts[i].used = 1;
        const char *v = c->opts[i].value, *eq = strrchr(v, '=');
        if (!eq || eq == v)
            return err_set(e, E_USAGE, "map", "--map wants COLUMN=FIELD (or COLUMN= to leave it out), not %.60s", v);
        if (!*mapping)
            *mapping = json_object();
        char *col = strndup(v, (size_t)(eq - v));
        json_object_set_new(*mapping, col, json_string(eq + 1));
        free(col);
    }
    return 0;
}

int cmd_import(cli *c, err_t *e)
{
    if (c->nargs != 2)
        return err_set(e, E_USAGE, NULL,
                       "usage: rapport import ENTITY FILE [--dry-run] [--skip-invalid] [--preset NAME] "
                       "[--map COLUMN=FIELD]... [--client NAME|ID] [--on-match create|update|skip] [--country-code CC] "
                       "[--mapping SAVED] [--save-mapping NAME] [--create-fields COLUMN,...|all] [--bulk]");
    const entity *en = entity_by_path(c->args[0]);
    if (!en)
        en = entity_by_singular(c->args[0]);
    if (!en)
        return err_set(e, E_USAGE, "entity", "no such entity: %s", c->args[0]);
    import_opts o = {.dry_run = cli_opt(c, "dry_run") != NULL,
                     .skip_invalid = cli_opt(c, "skip_invalid") != NULL,
                     .source = c->args[1],
                     .preset = cli_opt(c, "preset"),
                     .client = cli_opt(c, "client"),
                     .create_fields = cli_opt(c, "create_fields")};
    const char *saved_ref = cli_opt(c, "mapping"), *save_as = cli_opt(c, "save_mapping");
    int bulk = cli_opt(c, "bulk") != NULL;
    const char *on_match = cli_opt(c, "on_match"), *cc = cli_opt(c, "country_code");
    if (on_match && (o.on_match = import_on_match(on_match)) < 0)
        return err_set(e, E_USAGE, "on_match", "--on-match is create, update or skip");
    if (cc && (strlen(cc) > 3 || !*cc || strspn(cc, "0123456789") != strlen(cc)))
        return err_set(e, E_USAGE, "country_code", "--country-code is a calling code: 1 to 3 digits (44)");
    char region[8];
    if (cc && phone_region_of_calling_code(cc, region, sizeof region) < 0)
        return err_set(e, E_USAGE, "country_code", "no country has the calling code %s", cc);
    o.country_code = cc;
    json_t *mapping = NULL;
    int rc = read_mapping(c, &mapping, e);
    if (rc == 0)
        rc = cli_check_unused(c, e);
    if (rc) {
        json_decref(mapping);
        return rc;
    }
    o.mapping = mapping;
    json_t *saved = NULL;
    char saved_id[ID_MAX], saved_name[128];
    if (saved_ref && (rc = import_mapping_load(c->db, &c->who, en, saved_ref, "mapping", &saved, saved_id,
                                               sizeof saved_id, saved_name, sizeof saved_name, e)) < 0) {
        json_decref(mapping);
        return rc;
    }
    o.saved = saved;
    o.saved_id = saved ? saved_id : NULL;
    o.saved_name = saved ? saved_name : NULL;
    strbuf conv = STRBUF_INIT;
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
    const char *text, *encoding;
    size_t n;
    if ((rc = import_text_utf8(buf, len, &conv, &text, &n, &encoding, e)) < 0)
        goto done;
    if (strcmp(encoding, "utf-8") && !c->json)
        fprintf(stderr, "read as %s, converted to UTF-8\n", encoding);
    if (bulk) {
        rc = import_csv(c->db, &c->who, en, text, n, &o, &out, e);
    } else {
        progress_bar bar = {.tty = isatty(STDERR_FILENO) && !c->json, .last = clock_real_ms()};
        for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + n - p))); p++)
            bar.total++;
        bar.total = bar.total > 0 ? bar.total - (n && text[n - 1] == '\n') : 0;
        /* half the time paused: a server on the same database takes its writes between our slices */
        import_driver drv = {.progress = show_progress, .ctx = &bar, .pause_percent = 100, .between = merge_between};
        rc = import_run(c->db, &c->who, en, text, n, &o, &drv, &out, e);
        if (bar.drawn)
            fputc('\n', stderr);
    }
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
    if (out.len && save_as) { /* the mapping this import used, kept for the next file like it (dry run or not) */
        strbuf made = STRBUF_INIT;
        err_t se;
        err_clear(&se);
        int src = import_mapping_save(c->db, &c->who, en, save_as, out.buf, &made, &se);
        if (src < 0 && rc == 0) {
            *e = se;
            rc = src;
        } else if (src == 0 && !c->json) {
            fprintf(stderr, "saved the mapping as %s\n", save_as);
        }
        strbuf_release(&made);
    }
done:
    json_decref(mapping);
    json_decref(saved);
    strbuf_release(&conv);
    if (map)
        munmap(map, len);
    strbuf_release(&in);
    strbuf_release(&out);
    return rc;
}
