/* import_header: the header row of an import (see import_impl.h). Each column goes, in this order, where
 * the caller's mapping sends it, where a saved mapping sends it, where a preset (named, or recognised from
 * the header) sends it, to the field it names by name or label, to the custom field it names, to the
 * client by name (company), to first and last name (a full name); then guesses fill an email or phone no
 * column gave; every other column is kept in the notes (or becomes a custom field: create_fields). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/bulk/import_impl.h"
#include "core/bulk/import_preset.h"

/* "First name", "first-name", " FIRST_NAME " → "first_name" */
static void normalise(const char *s, char *out, size_t n)
{
    size_t k = 0;
    while (isspace((unsigned char)*s))
        s++;
    for (; *s && k + 1 < n; s++)
        out[k++] = (*s == ' ' || *s == '-') ? '_' : (char)tolower((unsigned char)*s);
    while (k && out[k - 1] == '_')
        k--;
    out[k] = '\0';
}

static const field *field_for_header(const entity *en, const char *header)
{
    char want[128], label[128];
    normalise(header, want, sizeof want);
    for (int i = 0; i < en->nfields; i++) {
        const field *f = &en->fields[i];
        normalise(f->label ? f->label : f->name, label, sizeof label);
        if (!strcmp(f->name, want) || !strcmp(label, want))
            return f;
    }
    return NULL;
}

static int is_client_name(const char *norm)
{
    return !strcmp(norm, "company") || !strcmp(norm, "client") || !strcmp(norm, "company_name") ||
           !strcmp(norm, "client_name");
}

/* A header that is not a field's name but plainly holds one: "Email Work", "E-mail 2", "Home Mobile". */
static const field *loose_field(importer *im, const char *norm)
{
    static const struct {
        const char *word, *field;
    } words[] = {{"email", "email"}, {"e_mail", "email"}, {"phone", "phone"}, {"mobile", "phone"}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(norm, words[i].word))
            return entity_field(im->en, words[i].field);
    return NULL;
}

static int is_full_name(const char *norm)
{
    return !strcmp(norm, "name") || !strcmp(norm, "display_name") || !strcmp(norm, "full_name");
}

/* What one column is, by target: a field's name, "company" (the client by name), "notes", or "" (left
 * out). Unknown targets are the caller's mistake: E_INVALID_VALUE naming the mapping. */
static int column_by_target(importer *im, column *col, const char *target, err_t *e)
{
    char norm[128];
    normalise(target, norm, sizeof norm);
    if (!*norm) {
        col->kind = COL_LEFT_OUT;
        return 0;
    }
    if (im->client_field && is_client_name(norm)) {
        col->kind = COL_CLIENT_NAME;
        return 0;
    }
    if (!strcmp(norm, "notes") && (im->notes_field || im->notes_as_note)) {
        col->kind = COL_NOTES;
        return 0;
    }
    if (!strcmp(norm, "full_name") && entity_field(im->en, "first_name") && entity_field(im->en, "last_name")) {
        col->kind = COL_FULL_NAME;
        return 0;
    }
    if (!strncmp(norm, "custom.", 7)) {
        int k = import_custom_by_key(im, norm + 7);
        if (k < 0)
            return err_set(e, E_INVALID_VALUE, "mapping", "the mapping sends \"%.60s\" to %.60s, but %s have no custom "
                           "field %.40s", col->header, target, im->en->path, norm + 7);
        col->kind = COL_CUSTOM;
        col->custom = k;
        return 0;
    }
    const field *f = field_for_header(im->en, target);
    if (!f || (f->flags & (F_READONLY | F_HIDDEN)))
        return err_set(e, E_INVALID_VALUE, "mapping", "the mapping sends \"%.60s\" to %.60s, which %s has no field for",
                       col->header, target, im->en->name);
    col->kind = COL_FIELD;
    col->f = f;
    return 0;
}

/* The header row: each column to a field, the client's name, the notes, or ignored. The caller's
 * mapping wins, then a preset's (named, or recognised from the header), then the header's own names. */
void import_read_header(importer *im)
{
    err_t e;
    err_clear(&e);
    if (im->ncells > IMPORT_MAX_COLUMNS) {
        err_set(&e, E_INVALID_VALUE, NULL, "row 1 has %d columns; at most %d are taken", im->ncells,
                IMPORT_MAX_COLUMNS);
        import_stop(im, &e);
        return;
    }
    im->cols = calloc((size_t)(im->ncells ? im->ncells : 1), sizeof *im->cols);
    if (!im->cols) {
        err_set(&e, E_INTERNAL, NULL, "out of memory");
        import_stop(im, &e);
        return;
    }
    im->ncols = im->ncells;
    const char *headers[IMPORT_MAX_COLUMNS];
    for (int c = 0; c < im->ncols; c++) {
        im->cols[c].header = strdup(im->cells.buf + im->off[c]);
        headers[c] = im->cols[c].header ? im->cols[c].header : "";
    }
    const import_preset *preset =
        im->o->preset ? import_preset_find(im->o->preset) : import_preset_detect(im->en, headers, im->ncols);
    if (im->o->preset && !preset) {
        err_set(&e, E_INVALID_VALUE, "preset", "no preset %.60s (%s)", im->o->preset, import_preset_names());
        import_stop(im, &e);
        return;
    }
    im->preset = preset ? preset->name : NULL;
    for (int c = 0; c < im->ncols; c++) {
        column *col = &im->cols[c];
        const char *h = headers[c];
        for (int k = 0; k < c; k++)
            if (!strcmp(headers[k], h) && *h) {
                err_set(&e, E_INVALID_VALUE, h, "row 1 names column %s twice (columns %d and %d)", h, k + 1, c + 1);
                import_stop(im, &e);
                return;
            }
        json_t *m = im->o->mapping ? json_object_get(im->o->mapping, h) : NULL;
        json_t *made = !m && im->created ? json_object_get(im->created, h) : NULL;
        json_t *saved = !m && !made && im->o->saved ? json_object_get(im->o->saved, h) : NULL;
        const char *target = m       ? json_string_value(m)
                             : made  ? json_string_value(made)
                             : saved ? json_string_value(saved)
                             : preset ? import_preset_target(preset, im->en, h)
                                      : NULL;
        col->source = m ? SRC_MAPPING : made ? SRC_CREATED : saved ? SRC_SAVED : target ? SRC_PRESET : SRC_HEADER;
        if (saved && !target) {
            err_set(&e, E_INVALID_VALUE, "mapping", "the saved mapping's \"%.60s\" must be a string", h);
            import_stop(im, &e);
            return;
        }
        if (m && !target) {
            err_set(&e, E_INVALID_VALUE, "mapping", "the mapping of \"%.60s\" must be a string", h);
            import_stop(im, &e);
            return;
        }
        if (target) {
            col->chosen = 1;
            if (column_by_target(im, col, target, &e) < 0) {
                import_stop(im, &e);
                return;
            }
        } else {
            char norm[128];
            normalise(h, norm, sizeof norm);
            const field *f = field_for_header(im->en, h);
            if (f && (f->flags & (F_READONLY | F_HIDDEN)))
                f = NULL; /* set by the server: such a column is reported as ignored */
            int k;
            if (f) {
                col->kind = COL_FIELD;
                col->f = f;
            } else if ((k = import_custom_for_header(im, h)) >= 0) {
                col->kind = COL_CUSTOM; /* "Shoe size" names the custom field shoe_size */
                col->custom = k;
            } else if (im->client_field && im->client_name_col < 0 && is_client_name(norm)) {
                col->kind = COL_CLIENT_NAME;
            } else if (im->full_name_col < 0 && is_full_name(norm) && entity_field(im->en, "first_name")) {
                col->kind = COL_FULL_NAME;
            } else if (*h && (im->notes_field || im->notes_as_note)) {
                col->kind = COL_NOTES; /* kept, not dropped: "Favourite colour: blue" in the notes */
            }
        }
        if (col->kind == COL_CLIENT_NAME) {
            if (im->client_name_col >= 0) {
                col->kind = COL_IGNORED; /* one company column finds the client; a second is kept as notes */
                if (im->notes_field || im->notes_as_note)
                    col->kind = COL_NOTES;
            } else {
                im->client_name_col = c;
            }
        }
        if (col->kind == COL_FULL_NAME) {
            if (im->full_name_col >= 0)
                col->kind = im->notes_field || im->notes_as_note ? COL_NOTES : COL_IGNORED;
            else
                im->full_name_col = c;
        }
        if (col->kind == COL_FIELD)
            for (int k = 0; k < c; k++)
                if (im->cols[k].kind == COL_FIELD && im->cols[k].f == col->f) {
                    if (!m) { /* a preset or the header offers two columns for one field: the first wins */
                        col->kind = im->notes_field || im->notes_as_note ? COL_NOTES : COL_IGNORED;
                        if (col->kind == COL_NOTES && (col->f->type == &FT_EMAIL || col->f->type == &FT_PHONE) &&
                            col->source == SRC_PRESET) {
                            col->spare_of = k + 1; /* ...and this one stands in where the first is empty */
                            im->spares++;
                        }
                        col->f = NULL;
                        break;
                    }
                    err_set(&e, E_INVALID_VALUE, col->header, "columns %d and %d both give %s", k + 1, c + 1,
                            col->f->name);
                    import_stop(im, &e);
                    return;
                }
        if (col->kind == COL_CUSTOM)
            for (int k = 0; k < c; k++)
                if (im->cols[k].kind == COL_CUSTOM && im->cols[k].custom == col->custom) {
                    if (!m) { /* two columns for one custom field: the first wins, the second is kept */
                        col->kind = im->notes_field || im->notes_as_note ? COL_NOTES : COL_IGNORED;
                        break;
                    }
                    err_set(&e, E_INVALID_VALUE, col->header, "columns %d and %d both give custom.%s", k + 1, c + 1,
                            im->defs[col->custom].key);
                    import_stop(im, &e);
                    return;
                }
        if (col->kind == COL_CUSTOM)
            im->custom_cols++;
        if (col->kind == COL_FIELD && col->f == im->notes_field)
            col->kind = COL_NOTES; /* a notes column joins the other kept columns */
    }
    /* last, the guesses: "Email Work" or "Home Mobile" gives the email or phone no column gave */
    for (int c = 0; c < im->ncols; c++) {
        column *col = &im->cols[c];
        char norm[128];
        normalise(headers[c], norm, sizeof norm);
        size_t n = strlen(norm);
        const field *f = NULL;
        if (col->chosen || (col->kind != COL_NOTES && col->kind != COL_IGNORED) || col->f ||
            (n > 5 && !strcmp(norm + n - 5, "_type")) || (n > 6 && !strcmp(norm + n - 6, "_label")) ||
            !(f = loose_field(im, norm)))
            continue;
        int taken = 0;
        for (int k = 0; k < im->ncols; k++)
            taken |= im->cols[k].kind == COL_FIELD && im->cols[k].f == f;
        if (!taken) {
            col->kind = COL_FIELD;
            col->f = f;
            col->source = SRC_GUESS;
        }
    }
    if (import_mark_create(im, &e) < 0) {
        import_stop(im, &e);
        return;
    }
    for (int i = 0; i < im->en->nfields; i++) {
        const field *f = &im->en->fields[i];
        if (!(f->flags & F_REQUIRED) ||
            (f == im->client_field && (im->client_name_col >= 0 || im->o->client || im->individual)))
            continue;
        int have = 0;
        for (int c = 0; c < im->ncols; c++)
            have |= im->cols[c].kind == COL_FIELD && im->cols[c].f == f;
        if (!have) {
            err_set(&e, E_REQUIRED, f->name, "the header has no %s column%s", f->name,
                    f == im->client_field ? " (nor company, to find the client by name; or name one with --client)"
                                          : "");
            import_stop(im, &e);
            return;
        }
    }
}
