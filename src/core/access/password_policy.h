/* password_policy: which new passwords are refused, as NIST SP 800-63B (5.1.1.2) asks — at least 8
 * characters, and none that is among the commonest, a repeated or sequential run of characters, or
 * the service's own name, even with digits or punctuation added at the end. No composition rules
 * (a long phrase of lowercase words is a good password). */
#ifndef RAPPORT_PASSWORD_POLICY_H
#define RAPPORT_PASSWORD_POLICY_H
#include <stddef.h>

#include "util/err.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024

/* 0 when pw (n bytes) may be a password; else E_INVALID_VALUE naming field, with a message that says
 * what to choose instead. */
int password_policy_check(const char *field, const char *pw, size_t n, err_t *e);

#endif
