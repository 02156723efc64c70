/* import_fields: custom fields in an import (see import_impl.h). A column naming one of the workspace's
 * custom fields (by key or label) fills it; a column with no field at all is watched as the rows go by,
 * so the report can suggest a custom field for it (key from its name, type from its values), and, when
 * the caller asks (create_fields), import_run makes that field before the write pass. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/bulk/import_impl.h"
#include "core/model/custom.h"
#include "util/clock.h"

void import_custom_key(const char *header, char *out, size_t n)
{
    size_t k = 0;
    int gap = 0;
    for (const char *p = header; *p && k + 1 < n && k < 40; p++) {
        if (isalnum((unsigned char)*p) && !(*p & 0x80)) {
            if (gap && k)
                out[k++] = '_';
            if (k + 1 < n)
                out[k++] = (char)tolower((unsigned char)*p);
            gap = 0;
        } else {
            gap = 1;
        }
    }
    out[k] = '\0';
    if (k && isdigit((unsigned char)out[0]) && k + 2 < n) { /* a key starts with a letter */
        memmove(out + 2, out, k + 1);
        out[0] = 'f';
        out[1] = '_';
    }
    if (!*out)
        snprintf(out, n, "field");
}

int import_load_custom_defs(importer *im, err_t *e)
{
    if (!(im->en->flags & ENT_CUSTOM))
        return 0;
    db_stmt *s;
    int rc = db_prepare(im->d, "SELECT key, type, options FROM custom_fields WHERE workspace_id = ? AND entity = ? "
                               "ORDER BY key", &s, e);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, im->who->workspace_id);
    db_bind_text(s, 2, im->en->name);
    while ((rc = db_step(s, e)) == DB_ROW) {
        custom_def *grown = realloc(im->defs, (size_t)(im->ndefs + 1) * sizeof *grown);
        if (!grown) {
            rc = err_set(e, E_INTERNAL, NULL, "out of memory");
            break;
        }
        im->defs = grown;
        custom_def *d = &im->defs[im->ndefs++];
        snprintf(d->key, sizeof d->key, "%s", db_col_text(s, 0, NULL));
        snprintf(d->type, sizeof d->type, "%s", db_col_text(s, 1, NULL));
        const char *opt = db_col_text(s, 2, NULL);
        d->options = json_loads(opt ? opt : "[]", 0, NULL);
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

void import_release_custom_defs(importer *im)
{
    for (int i = 0; i < im->ndefs; i++)
        json_decref(im->defs[i].options);
    free(im->defs);
    im->defs = NULL;
    im->ndefs = 0;
}

int import_custom_by_key(const importer *im, const char *key)
{
    for (int i = 0; i < im->ndefs; i++)
        if (!strcmp(im->defs[i].key, key))
            return i;
    return -1;
}

int import_custom_for_header(const importer *im, const char *header)
{
    char key[64];
    import_custom_key(header, key, sizeof key);
    return im->ndefs ? import_custom_by_key(im, key) : -1;
}

int import_column_unknown(const importer *im, const column *col)
{
    return (im->en->flags & ENT_CUSTOM) && !col->chosen && !col->f && *col->header &&
           (col->kind == COL_NOTES || col->kind == COL_IGNORED);
}

/* A number as a custom field keeps it: digits with a sign, a point and an exponent, and no leading zero
 * before another digit ("01234" is a postcode or a phone number, not 1234). */
static int number_like(const char *s, double *out)
{
    if (strspn(s, "0123456789+-.eE") != strlen(s))
        return 0;
    const char *d = s + (*s == '-' || *s == '+');
    if (d[0] == '0' && isdigit((unsigned char)d[1]))
        return 0;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v))
        return 0;
    if (out)
        *out = v;
    return 1;
}

/* Called for every cell of a column without a field until one is plain text, so it allocates nothing. */
unsigned import_value_looks(const char *s)
{
    if (strlen(s) > 2000)
        return 0; /* longer than a custom field keeps but as text */
    return (clock_parse_date(s, NULL) ? 0 : LOOKS_DATE) | (number_like(s, NULL) ? LOOKS_NUMBER : 0) |
           (custom_is_email(s) ? LOOKS_EMAIL : 0) | (custom_is_url(s) ? LOOKS_URL : 0);
}

void import_observe_row(importer *im)
{
    for (int c = 0; c < im->ncols && c < im->ncells; c++) {
        column *col = &im->cols[c];
        const char *text = im->cells.buf + im->off[c];
        if (!*text || !import_column_unknown(im, col) || (col->filled && !col->looks))
            continue; /* nothing to learn: empty, placed, or already plain text */
        col->looks = (col->filled ? col->looks : ~0u) & import_value_looks(text);
        col->filled++;
    }
}

const char *import_suggest_type(const column *col)
{
    if (!col->filled)
        return "text";
    return col->looks & LOOKS_DATE     ? "date"
           : col->looks & LOOKS_NUMBER ? "number"
           : col->looks & LOOKS_EMAIL  ? "email"
           : col->looks & LOOKS_URL    ? "url"
                                       : "text";
}

int import_mark_create(importer *im, err_t *e)
{
    const char *want = im->o->create_fields;
    if (!want || !*want)
        return 0;
    if (!(im->en->flags & ENT_CUSTOM))
        return err_set(e, E_INVALID_VALUE, "create_fields", "%s have no custom fields (clients, contacts and "
                       "interactions do)", im->en->path);
    int all = !strcmp(want, "all");
    for (int c = 0; c < im->ncols; c++)
        im->cols[c].create = all && import_column_unknown(im, &im->cols[c]);
    if (all)
        return 0;
    for (const char *p = want; *p;) {
        size_t n = strcspn(p, ",");
        while (n && isspace((unsigned char)*p)) { /* "Shoe size, Pet" */
            p++;
            n--;
        }
        size_t len = n;
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        int found = 0;
        for (int c = 0; len && c < im->ncols; c++)
            if (strlen(im->cols[c].header) == len && !strncmp(im->cols[c].header, p, len)) {
                found = 1;
                if (im->cols[c].kind == COL_CUSTOM)
                    continue; /* made already (by this import before a restart, or earlier) */
                if (!import_column_unknown(im, &im->cols[c]))
                    return err_set(e, E_INVALID_VALUE, "create_fields",
                                   "create_fields names \"%.60s\", which already goes to a field", im->cols[c].header);
                im->cols[c].create = 1;
            }
        if (len && !found)
            return err_set(e, E_INVALID_VALUE, "create_fields", "create_fields names \"%.*s\", which is no column of "
                           "the file", (int)(len > 60 ? 60 : len), p);
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

void import_report_unknown(const importer *im, strbuf *out)
{
    strbuf_adds(out, "\"unknown_columns\":[");
    int n = 0;
    for (int c = 0; c < im->ncols; c++) {
        const column *col = &im->cols[c];
        if (!import_column_unknown(im, col))
            continue;
        char key[64];
        import_custom_key(col->header, key, sizeof key);
        strbuf_adds(out, n++ ? ",{\"column\":" : "{\"column\":");
        strbuf_add_json_str(out, col->header);
        strbuf_adds(out, ",\"key\":");
        strbuf_add_json_str(out, key);
        strbuf_addf(out, ",\"type\":\"%s\",\"create\":%s}", import_suggest_type(col), col->create ? "true" : "false");
    }
    strbuf_addc(out, ']');
}

int import_row_custom(importer *im, json_t **out, const char **bad_col, err_t *e)
{
    *out = json_object();
    if (!*out)
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    for (int c = 0; c < im->ncols && c < im->ncells; c++) {
        const column *col = &im->cols[c];
        const char *text = im->cells.buf + im->off[c];
        if (col->kind != COL_CUSTOM || !*text)
            continue;
        const custom_def *d = &im->defs[col->custom];
        double num;
        json_t *v = !strcmp(d->type, "number") ? (number_like(text, &num) ? json_real(num) : json_string(text))
                                               : json_string(text);
        if (v && json_is_real(v) && num == (double)(json_int_t)num && fabs(num) < 9e15) { /* 42, not 42.0 */
            json_decref(v);
            v = json_integer((json_int_t)num);
        }
        int rc = v ? custom_check_value(d->type, d->options, d->key, v, e) : err_set(e, E_INTERNAL, NULL, "out of memory");
        if (rc < 0) {
            json_decref(v);
            *bad_col = col->header;
            return rc;
        }
        json_object_set_new(*out, d->key, v);
    }
    return 0;
}
