/* output: records for people (aligned tables, key: value pages) or for scripts (--json). Columns are
 * the entity's F_LISTED fields, so a new entity prints well with no code of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/access/access.h"
#include "core/engine/record.h"
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

/* THE one place a table cell reaches the terminal: at most w characters (cut with "~", never inside a
 * character), padded to the column unless last. */
static void print_cell(const char *s, size_t w, int last)
{
    size_t n = 0, chars = 0, len = width(s), keep = len > w ? (w ? w - 1 : 0) : len;
    while (s[n] && chars < keep) {
        n++;
        while (((unsigned char)s[n] & 0xc0) == 0x80)
            n++;
        chars++;
    }
    fwrite(s, 1, n, stdout);
    if (len > w)
        fputs("~", stdout), chars++;
    if (!last)
        for (size_t i = chars; i < w + 2; i++)
            fputc(' ', stdout);
}

/* How wide the table may be: the terminal's width, or $COLUMNS; 0 (no limit) when writing to a pipe. */
static size_t screen_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *cols = getenv("COLUMNS");
    long n = cols ? strtol(cols, NULL, 10) : 0;
    return n > 20 && n < 1000 ? (size_t)n : 0;
}

/* Fits the columns to the screen: the widest gives up a character at a time, none below 6; the id
 * (column 0) stays whole, as people copy it. */
static void fit_columns(size_t *w, int ncols, size_t screen)
{
    if (!screen)
        return;
    for (;;) {
        size_t total = 0, widest = 0;
        int k_widest = -1;
        for (int k = 0; k < ncols; k++) {
            total += w[k] + (k < ncols - 1 ? 2 : 0);
            if (k && w[k] > widest)
                widest = w[k], k_widest = k;
        }
        if (total <= screen || widest <= 6)
            return;
        w[k_widest]--;
    }
}

static void title_row(void *ctx, db_stmt *s)
{
    const char *t = db_col_text(s, 1, NULL);
    if (t && *t)
        json_object_set_new(ctx, db_col_text(s, 0, NULL), json_string(t));
}

/* {id: null} → {id: text} where sql_head is "SELECT r.id, <text> FROM ... WHERE r.workspace_id = ? AND r.id IN (". */
static void lookup(cli *c, const entity *en, const char *sql_head, json_t *titles)
{
    size_t n = json_object_size(titles);
    if (!n || !c->db || !en)
        return;
    const char **args = calloc(n + 1, sizeof *args);
    if (!args)
        return;
    strbuf sql = STRBUF_INIT;
    strbuf_adds(&sql, sql_head);
    args[0] = c->who.workspace_id;
    size_t k = 1;
    const char *id;
    json_t *v;
    json_object_foreach(titles, id, v) {
        strbuf_adds(&sql, k > 1 ? ",?" : "?");
        args[k++] = id;
    }
    strbuf_addc(&sql, ')');
    err_t e;
    if (access_check(&c->who, en, OP_GET, NULL, &e) == 0)
        db_query_each(c->db, &e, sql.buf, (int)k, args, title_row, titles);
    strbuf_release(&sql);
    free(args);
}

void cli_titles(cli *c, const entity *en, json_t *titles)
{
    if (!en)
        return;
    strbuf head = STRBUF_INIT;
    strbuf_addf(&head, "SELECT r.id, %s FROM \"%s\" r WHERE r.workspace_id = ? AND r.id IN (", en->title_sql, en->name);
    lookup(c, en, head.buf, titles);
    strbuf_release(&head);
}

void cli_client_names(cli *c, const entity *en, json_t *names)
{
    if (en && !strcmp(en->name, "clients")) {
        cli_titles(c, en, names);
        return;
    }
    const field *f = en ? entity_field(en, "client_id") : NULL;
    if (!f || f->type != &FT_REF)
        return;
    strbuf head = STRBUF_INIT;
    strbuf_addf(&head, "SELECT r.id, c.name FROM \"%s\" r JOIN clients c ON c.id = r.client_id "
                       "WHERE r.workspace_id = ? AND r.id IN (", en->name);
    lookup(c, en, head.buf, names);
    strbuf_release(&head);
}

/* A reference column shows what it points to by name: one query per column for the page's ids. */
static json_t *ref_titles(cli *c, const field *f, json_t *data)
{
    json_t *titles = json_object(), *row;
    size_t i;
    json_array_foreach(data, i, row) {
        const char *id = json_string_value(json_object_get(row, f->name));
        if (id)
            json_object_set_new(titles, id, json_null());
    }
    cli_titles(c, entity_by_name(f->ref), titles);
    return titles;
}

void cli_print_list(cli *c, const entity *en, const char *text)
{
    if (c->json) {
        puts(text);
        return;
    }
    json_t *page = json_loads(text, 0, NULL), *data = json_object_get(page, "data");
    const field *cols[24] = {NULL}; /* NULL: the id */
    json_t *titles[24] = {NULL};
    int ncols = 1;
    for (int i = 0; i < en->nfields && ncols < 24; i++)
        if ((en->fields[i].flags & F_LISTED) && !(en->fields[i].flags & (F_HIDDEN | F_WRITEONLY))) {
            cols[ncols] = &en->fields[i];
            if (en->fields[i].type == &FT_REF)
                titles[ncols] = ref_titles(c, &en->fields[i], data);
            ncols++;
        }
    size_t rows = json_array_size(data);
    strbuf *cells = calloc((rows + 1) * (size_t)ncols, sizeof *cells);
    size_t w[24] = {0};
    for (int k = 0; k < ncols; k++) { /* headers: "CLIENT" for client_id, as the column shows names */
        const char *name = cols[k] ? cols[k]->name : "id";
        size_t len = strlen(name);
        if (cols[k] && cols[k]->type == &FT_REF && len > 3 && !strcmp(name + len - 3, "_id"))
            len -= 3;
        strbuf_init(&cells[k], 0);
        for (size_t p = 0; p < len; p++)
            strbuf_addc(&cells[k], name[p] == '_' ? ' ' : (char)(name[p] >= 'a' && name[p] <= 'z' ? name[p] - 32 : name[p]));
    }
    for (size_t r = 0; r < rows; r++)
        for (int k = 0; k < ncols; k++) {
            strbuf *sb = &cells[(r + 1) * (size_t)ncols + (size_t)k];
            json_t *row = json_array_get(data, r), *v = json_object_get(row, cols[k] ? cols[k]->name : "id");
            json_t *title = titles[k] && json_is_string(v) ? json_object_get(titles[k], json_string_value(v)) : NULL;
            const char *cur = json_string_value(json_object_get(row, "currency"));
            strbuf_init(sb, 0);
            if (json_is_string(title))
                v = title;
            else if (cols[k] && cols[k]->type == &FT_MONEY && cur && json_is_string(v))
                strbuf_addf(sb, "%s ", cur); /* money says its currency */
            cell(v, sb);
        }
    for (size_t r = 0; r <= rows; r++)
        for (int k = 0; k < ncols; k++) {
            size_t x = width(cells[r * (size_t)ncols + (size_t)k].buf);
            x = x > COL_MAX ? COL_MAX : x;
            if (x > w[k])
                w[k] = x;
        }
    fit_columns(w, ncols, screen_width());
    for (size_t r = 0; r <= rows; r++) {
        for (int k = 0; k < ncols; k++)
            print_cell(cells[r * (size_t)ncols + (size_t)k].buf, w[k], k == ncols - 1);
        fputc('\n', stdout);
    }
    for (size_t i = 0; i < (rows + 1) * (size_t)ncols; i++)
        strbuf_release(&cells[i]);
    for (int k = 0; k < ncols; k++)
        json_decref(titles[k]);
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
        cli_ref_title(c, en, key, v, &sb);
        printf("%-*s  %s\n", (int)w, key, sb.buf);
        strbuf_release(&sb);
    }
    json_decref(rec);
}

void cli_ref_title(cli *c, const entity *en, const char *key, json_t *v, strbuf *out)
{
    const field *f = en ? entity_field(en, key) : NULL;
    if (!f || f->type != &FT_REF || !json_is_string(v))
        return;
    json_t *titles = json_object();
    json_object_set_new(titles, json_string_value(v), json_null());
    cli_titles(c, entity_by_name(f->ref), titles);
    const char *t = json_string_value(json_object_get(titles, json_string_value(v)));
    if (t)
        strbuf_addf(out, " (%s)", t);
    json_decref(titles);
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
