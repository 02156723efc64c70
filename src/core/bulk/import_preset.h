/* import_preset: how other products' exports name their columns (HubSpot, Salesforce, Pipedrive, Zoho,
 * Google Contacts old and new, Outlook, Thunderbird), so their files import without a mapping. Each
 * preset is a table of the product's documented export columns and the Rapport target each one feeds: a
 * field's name, "company" (the client by name) or "notes". A preset is recognised from the header by
 * the columns only that product writes. */
#ifndef RAPPORT_IMPORT_PRESET_H
#define RAPPORT_IMPORT_PRESET_H
#include "core/model/entity.h"

typedef struct import_preset_column {
    const char *header; /* as the product writes it (compared ignoring case) */
    const char *target; /* field name, "company", "notes", "full_name" (split into first and last) or "" (left
                         * out: a deal's stage, which names the product's stages, not the workspace's) */
    const char *entity; /* only when importing into this entity, or NULL for any */
} import_preset_column;

typedef struct import_preset {
    const char *name;             /* "google", "outlook", ... */
    const char *label;            /* "Google Contacts (the current export)" */
    const char *const *signature; /* headers that, all present, say the file is this product's */
    const import_preset_column *columns;
} import_preset;

/* The preset named name, or NULL. The header then picks among the product's tables by column. */
const import_preset *import_preset_find(const char *name);
/* The preset whose signature the header holds, or NULL. */
const import_preset *import_preset_detect(const entity *en, const char *const *headers, int n);
/* The target preset p gives header for en (a field en has, "company", "notes"), or NULL. */
const char *import_preset_target(const import_preset *p, const entity *en, const char *header);
/* "google, outlook, ...": for messages. */
const char *import_preset_names(void);

#endif
