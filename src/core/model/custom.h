/* custom: workspace-defined custom fields (text, number, date, select, email, url) on clients, contacts and
 * interactions. Definitions are records of the custom_fields entity; values live in each record's
 * `custom` JSON object. */
#ifndef RAPPORT_CUSTOM_H
#define RAPPORT_CUSTOM_H
#include "core/model/entity.h"

/* Validates `in` (an object of key → value; NULL = no change) against en's definitions in who's
 * workspace, merges it over `old` (the stored object, may be NULL), and sets *out to the JSON text to
 * store (malloc'd). Errors name the field as "custom.KEY". */
int custom_validate(db *d, const actor *who, const entity *en, json_t *in, json_t *old, char **out, err_t *e);

/* Whether text is what an email or url custom field takes (the import suggests those types by them). */
int custom_is_email(const char *s);
int custom_is_url(const char *s);
/* Checks one value v against a field of type (and options, for select) named "custom.KEY" in errors. */
int custom_check_value(const char *type, json_t *options, const char *key, json_t *v, err_t *e);

#endif
