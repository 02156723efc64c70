/* output: records for people (aligned tables, key: value pages) or for scripts (--json). Columns are
 * the entity's F_LISTED fields, so a new entity prints well with no code of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"

#define COL_MAX 36

/* One cell's text: strings as they are, arrays joined by commas, null as empty. */
static void cell(json_t *v, strbuf *out)
{
    if (json_is_string(v)) {
        strbuf_adds(out, json_string_value(v));
    } else if (json_is_true(v)) {
        strbuf_adds(out, "yes");
    } else if (json_is_false(v)) {
        strbuf_adds(out, "no");
    } else if (json_is_integer(v)) {
        strbuf_addf(out, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        strbuf_addf(out, "%g", json_real_value(v));
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (i)
                strbuf_addc(out, ',');
            cell(x, out);
        }
    } else if (json_is_object(v)) {
        char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
        strbuf_adds(out, s ? s : "");
        free(s);
    }
    for (char *p = out->buf; *p; p++) /* one row per record, whatever the text holds */
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
}

/* Display width in characters (UTF-8 continuation bytes do not count). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static void print_cell(const char *s, size_t w, int last)
{
    size_t n = 0, chars = 0;
    while (s[n] && chars < COL_MAX) { /* cut at COL_MAX characters, never inside one */
        n++;
        while (((unsigned char)s[n] & 0xc0) == 0x80)
            n++;
        chars++;
    }
    fwrite(s, 1, n, stdout);
    if (s[n])
        fputs("~", stdout), chars++;
    if (!last)
        for (size_t i = chars; i < w + 2; i++)
            fputc(' ', stdout);
}

void cli_print_list(cli *c, const entity *en, const char *text)
{
    if (c->json) {
        puts(text);
        return;
    }
    json_t *page = json_loads(text, 0, NULL), *data = json_object_get(page, "data");
    const char *cols[24] = {"id"};
    int ncols = 1;
    for (int i = 0; i < en->nfields && ncols < 24; i++)
        if ((en->fields[i].flags & F_LISTED) && !(en->fields[i].flags & (F_HIDDEN | F_WRITEONLY)))
            cols[ncols++] = en->fields[i].name;
    size_t rows = json_array_size(data);
    strbuf *cells = calloc((rows + 1) * (size_t)ncols, sizeof *cells);
    size_t w[24] = {0};
    for (int k = 0; k < ncols; k++) {
        strbuf_init(&cells[k], 0);
        for (const char *p = cols[k]; *p; p++)
            strbuf_addc(&cells[k], *p == '_' ? ' ' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
    }
    for (size_t r = 0; r < rows; r++)
        for (int k = 0; k < ncols; k++) {
            strbuf *sb = &cells[(r + 1) * (size_t)ncols + (size_t)k];
            strbuf_init(sb, 0);
            cell(json_object_get(json_array_get(data, r), cols[k]), sb);
        }
    for (size_t r = 0; r <= rows; r++)
        for (int k = 0; k < ncols; k++) {
            size_t x = width(cells[r * (size_t)ncols + (size_t)k].buf);
            x = x > COL_MAX ? COL_MAX + 1 : x;
            if (x > w[k])
                w[k] = x;
        }
    for (size_t r = 0; r <= rows; r++) {
        for (int k = 0; k < ncols; k++)
            print_cell(cells[r * (size_t)ncols + (size_t)k].buf, w[k], k == ncols - 1);
        fputc('\n', stdout);
    }
    for (size_t i = 0; i < (rows + 1) * (size_t)ncols; i++)
        strbuf_release(&cells[i]);
    free(cells);
    const char *next = json_string_value(json_object_get(page, "next_cursor"));
    if (next)
        fprintf(stderr, "(more: add --cursor %s)\n", next);
    else if (!rows)
        fprintf(stderr, "(no %s)\n", en->path);
    json_decref(page);
}

void cli_print_record(cli *c, const entity *en, const char *text)
{
    (void)en;
    if (c->json) {
        puts(text);
        return;
    }
    json_t *rec = json_loads(text, 0, NULL);
    const char *key;
    json_t *v;
    size_t w = 0;
    json_object_foreach(rec, key, v) if (strlen(key) > w) w = strlen(key);
    json_object_foreach(rec, key, v) {
        strbuf sb = STRBUF_INIT;
        cell(v, &sb);
        printf("%-*s  %s\n", (int)w, key, sb.buf);
        strbuf_release(&sb);
    }
    json_decref(rec);
}

int cli_print_report(cli *c, int rc, strbuf *out, void (*show)(json_t *report))
{
    if (rc == 0 && c->json) {
        puts(out->buf);
    } else if (rc == 0) {
        json_t *report = json_loads(out->buf, 0, NULL);
        show(report);
        json_decref(report);
    }
    strbuf_release(out);
    return rc;
}

const char *cli_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

int cli_limit(cli *c, int dflt, int max, int *out, err_t *e)
{
    const char *l = cli_opt(c, "limit");
    char *end = NULL;
    long n = l ? strtol(l, &end, 10) : dflt;
    if (l && (!*l || *end || n < 1 || n > max))
        return err_set(e, E_USAGE, "limit", "--limit takes a whole number from 1 to %d", max);
    *out = (int)n;
    return 0;
}
