/* rules: each entity's own rules, run by record.c inside the write's transaction (see write_ctx). */
#ifndef RAPPORT_RULES_H
#define RAPPORT_RULES_H
#include "core/model/entity.h"

int rules_user_before_write(write_ctx *c);
int rules_user_before_delete(write_ctx *c);
int rules_client_before_write(write_ctx *c);
int rules_client_after_write(write_ctx *c);
int rules_interaction_before_write(write_ctx *c);
int rules_token_before_write(write_ctx *c);
int rules_template_before_write(write_ctx *c);
int rules_custom_field_before_write(write_ctx *c);
int rules_workspace_before_write(write_ctx *c);

/* rules_import.c: saved import mappings */
int rules_import_mapping_before_write(write_ctx *c);
/* rules_views.c: saved list views */
int rules_view_before_write(write_ctx *c);
int rules_view_before_delete(write_ctx *c);

/* rules_pipeline.c: deals and their stages */
int rules_deal_refuse_move(write_ctx *c, const field *f, const char *from, const char *to);
int rules_deal_before_write(write_ctx *c);
int rules_deal_after_write(write_ctx *c);
int rules_deal_stage_before_write(write_ctx *c);
int rules_deal_stage_before_delete(write_ctx *c);
/* rules_onboarding.c */
int rules_onboarding_template_before_write(write_ctx *c);
/* rules_projects.c: projects, milestones, deliverables, change requests */
int rules_project_before_write(write_ctx *c);
int rules_project_part_before_write(write_ctx *c);
int rules_deliverable_before_write(write_ctx *c);
int rules_change_request_refuse_move(write_ctx *c, const field *f, const char *from, const char *to);
int rules_change_request_before_write(write_ctx *c);
int rules_change_request_after_write(write_ctx *c);
/* rules_work.c: tasks */
int rules_task_before_write(write_ctx *c);
/* rules_service.c: tickets and feedback */
int rules_ticket_imply(write_ctx *c);
int rules_ticket_before_write(write_ctx *c);
int rules_feedback_before_write(write_ctx *c);
/* rules_revenue.c: invoices and retainers */
int rules_invoice_imply(write_ctx *c);
int rules_invoice_refuse_move(write_ctx *c, const field *f, const char *from, const char *to);
int rules_invoice_before_write(write_ctx *c);
int rules_retainer_before_write(write_ctx *c);

/* attention.c: the describe hook of clients */
int client_attention(db *d, const actor *who, const char *id, strbuf *out, err_t *e);

/* Shared by the rule files (rules_util.c). */
/* The value a write leaves in key: the body's if it sends one, else the record's before (NULL if none). */
json_t *rules_value(const write_ctx *c, const char *key);
const char *rules_str(const write_ctx *c, const char *key);
/* Sets key to the clock's now (RFC 3339) in the body. */
void rules_set_now(json_t *body, const char *key);
/* Reads one record of entity name as a JSON object (system rights in the actor's workspace); NULL + e. */
json_t *rules_fetch(const write_ctx *c, const char *entity_name, const char *id);
/* Updates another record through record_update (its rules, checks and audit run), at the version read. */
int rules_patch(const write_ctx *c, const char *entity_name, const char *id, json_t *patch);
/* On create without one: key gets the workspace's default currency. */
int rules_default_currency(const write_ctx *c, const char *key);
/* Sets key to the clock's date (YYYY-MM-DD, UTC) in the body. */
void rules_set_today(json_t *body, const char *key);

#endif
