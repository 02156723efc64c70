/* template_fill: an email template rendered for a real record. The record (a client, contact, project or
 * ticket) brings the rest of its context: its client, the contact written to (the record itself, the
 * ticket's contact, the client's point of contact, else its primary contact), its project or ticket,
 * the client's owner as user, and the workspace. Each variable is escaped for its part (util/template.h);
 * the HTML part is the Markdown body through cmark with raw HTML and unsafe links removed. */
#ifndef RAPPORT_TEMPLATE_FILL_H
#define RAPPORT_TEMPLATE_FILL_H
#include "core/model/entity.h"

typedef struct template_output {
    strbuf subject, text, html;
    char to[320], to_name[202]; /* the contact's address and name ("" when there is none) */
    char client_id[ID_MAX], contact_id[ID_MAX];
    int opted_out; /* the contact asked for no automated email */
} template_output;

void template_output_release(template_output *o);
/* 1 when name is a variable templates may use ({{client.name}}), else 0. */
int template_var_known(const char *name);
/* Checks a template's text: every variable known, else 422 naming field and the variable. */
int template_check(const char *text, const char *field, err_t *e);
/* Renders subject and body (template text) for record_id as who sees it. */
int template_fill(db *d, const actor *who, const char *subject, const char *body, const char *record_id,
                  template_output *out, err_t *e);
/* The same, then a heading and a numbered list of lines (strings) after the body, each escaped for its
 * part like a variable's value (the onboarding welcome's intake questions). */
int template_fill_list(db *d, const actor *who, const char *subject, const char *body, const char *record_id,
                       const char *heading, json_t *lines, template_output *out, err_t *e);
/* The preview answer for template_id and {"record_id": ...}: subject, text, html, to, to_name, ids. */
int template_preview(db *d, const actor *who, const char *template_id, json_t *body, strbuf *out, err_t *e);

#endif
