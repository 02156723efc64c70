/* project_scope: a project's scope report — its baseline against today's budget and due date, the
 * change requests that moved them, and how its deliverables and milestones stand. */
#ifndef RAPPORT_PROJECT_SCOPE_H
#define RAPPORT_PROJECT_SCOPE_H
#include "core/model/entity.h"

/* Appends the report of project id as a JSON object (read rights on projects; E_NOT_FOUND if none). */
int project_scope(db *d, const actor *who, const char *id, strbuf *out, err_t *e);

#endif
