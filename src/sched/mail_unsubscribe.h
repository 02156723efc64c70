/* mail_unsubscribe: the one-click unsubscribe of automated mail (RFC 8058). Each automated email to a
 * contact carries List-Unsubscribe: <PUBLIC_URL/unsubscribe/CONTACT_ID.SIGNATURE> and
 * List-Unsubscribe-Post: List-Unsubscribe=One-Click; the signature (util/secret.h, its own subkey) is what
 * makes the link the contact's alone, so the endpoint needs no sign-in and no one can opt out another.
 * A POST sets the contact's email_opt_out (through the generic update path, so it is audited); a GET
 * only shows a page with the button, since mail scanners follow links. */
#ifndef RAPPORT_MAIL_UNSUBSCRIBE_H
#define RAPPORT_MAIL_UNSUBSCRIBE_H
#include <stddef.h>

#include "core/model/entity.h"

/* The public base URL (util/public_url.h: RAPPORT_PUBLIC_URL, checked) without a trailing slash, or NULL. */
const char *mail_public_url(char *buf, size_t n);
/* The unsubscribe link for contact_id into out; <0 when there is no public URL or no key. */
int mail_unsubscribe_url(const char *contact_id, char *out, size_t n, err_t *e);
/* Checks token (CONTACT_ID.SIGNATURE) and, when apply, opts the contact out. Fills the workspace's name
 * for the page. 404 for a token that is not one. */
int mail_unsubscribe(db *d, const char *token, int apply, char *workspace_name, size_t n, err_t *e);

#endif
