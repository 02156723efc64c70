/* schema: the database schema, generated from the entity table and the embedded schema/ files, and
 * the versioned migrations that bring a database up to date. */
#ifndef RAPPORT_SCHEMA_H
#define RAPPORT_SCHEMA_H
#include "core/model/entity.h"

/* Appends the DDL creating en's table, indexes and full-text index in d's dialect. */
void schema_entity_ddl(db *d, const entity *en, strbuf *sql);
/* Applies every pending migration, each in its own transaction; returns the number applied or <0. */
int schema_migrate(db *d, err_t *e);
/* Applies one migration again whatever the database's version says, for a test that takes a database
 * back to before it (its own row in schema_migrations must be gone first). Returns 1, or <0. */
int schema_apply_again(db *d, int version, err_t *e);
/* The newest migration this binary knows. */
int schema_latest(void);

#endif
