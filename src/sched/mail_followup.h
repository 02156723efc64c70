/* mail_followup: the follow-up summary of a call or meeting, really sent: composed by core
 * (followup_compose), logged as an outbound email on the client's timeline, and queued in the outbox, all
 * in one transaction, so the timeline shows exactly the emails that will go out. */
#ifndef RAPPORT_MAIL_FOLLOWUP_H
#define RAPPORT_MAIL_FOLLOWUP_H
#include "core/model/entity.h"

/* Writes the composed email with logged_interaction_id and outbox_id to out. */
int mail_followup_send(db *d, const actor *who, const char *interaction_id, strbuf *out, err_t *e);

#endif
