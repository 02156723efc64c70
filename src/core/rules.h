/* rules: each entity's own rules, run by record.c inside the write's transaction (see write_ctx). */
#ifndef RAPPORT_RULES_H
#define RAPPORT_RULES_H
#include "entity.h"

int rules_user_before_write(write_ctx *c);
int rules_client_before_write(write_ctx *c);
int rules_client_after_write(write_ctx *c);
int rules_interaction_before_write(write_ctx *c);
int rules_token_before_write(write_ctx *c);
int rules_custom_field_before_write(write_ctx *c);

#endif
