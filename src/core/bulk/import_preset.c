/* import_preset: other products' export columns (see import_preset.h). */
#include "core/bulk/import_preset.h"

#include <string.h>
#include <strings.h>

static const import_preset presets[] = {
    {NULL, NULL, NULL, NULL},
};
static const int npresets = 0;

const import_preset *import_preset_find(const char *name)
{
    for (int i = 0; i < npresets; i++)
        if (!strcasecmp(presets[i].name, name))
            return &presets[i];
    return NULL;
}

static int has_header(const char *const *headers, int n, const char *want)
{
    for (int i = 0; i < n; i++)
        if (!strcasecmp(headers[i], want))
            return 1;
    return 0;
}

const import_preset *import_preset_detect(const entity *en, const char *const *headers, int n)
{
    (void)en;
    for (int i = 0; i < npresets; i++) {
        int all = 1;
        for (const char *const *s = presets[i].signature; *s && all; s++)
            all = has_header(headers, n, *s);
        if (all)
            return &presets[i];
    }
    return NULL;
}

const char *import_preset_target(const import_preset *p, const entity *en, const char *header)
{
    for (const import_preset_column *c = p->columns; c->header; c++)
        if (!strcasecmp(c->header, header)) {
            if (!strcmp(c->target, "company") || !strcmp(c->target, "notes") || entity_field(en, c->target))
                return c->target;
            return NULL;
        }
    return NULL;
}

const char *import_preset_names(void) { return "none yet"; }
