/* transition: the one check of status moves, driven by the entity table's field moves (entity.h). */
#ifndef RAPPORT_TRANSITION_H
#define RAPPORT_TRANSITION_H
#include "core/model/entity.h"

/* For each field with moves that this update changes to another of its values: a move not in the table
 * is E_CONFLICT (409), worded by the entity's refuse_move or transition_refused. A value that is not one
 * of the field's is left to validation, which names it (422). Creates are not moves. */
int transition_check(write_ctx *c);
/* The common refusal: "a deal cannot go from lost to won", on field f. */
int transition_refused(const write_ctx *c, const field *f, const char *from, const char *to);

#endif
