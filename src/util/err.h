/* err: the one error enum of Rapport, and the record that carries its details.
 *
 * Expected failures return a negative err_code and fill an err_t (code, field, message). One table in
 * err.c maps each code to its HTTP status, CLI exit status and stable JSON `code`, so the REST API and the
 * CLI report the same failure the same way. */
#ifndef RAPPORT_ERR_H
#define RAPPORT_ERR_H

typedef enum err_code {
    E_OK = 0,
    E_INVALID_JSON = -1,
    E_INVALID_PARAMETER = -2,
    E_UNAUTHORIZED = -3,
    E_FORBIDDEN = -4,
    E_NOT_FOUND = -5,
    E_METHOD_NOT_ALLOWED = -6,
    E_VERSION_CONFLICT = -7,
    E_CONFLICT = -8,
    E_PAYLOAD_TOO_LARGE = -9,
    E_UNSUPPORTED_MEDIA_TYPE = -10,
    E_UNKNOWN_FIELD = -11,
    E_INVALID_TYPE = -12,
    E_REQUIRED = -13,
    E_INVALID_VALUE = -14,
    E_INVALID_REFERENCE = -15,
    E_READ_ONLY = -16,
    E_USAGE = -17,
    E_UNAVAILABLE = -18,
    E_INTERNAL = -19,
    E_TOO_MANY_REQUESTS = -20, /* throttled: the answer says when to try again */
    E_LAST = -21
} err_code;

typedef struct err_t {
    err_code code;
    char field[96];
    char message[320];
    int retry_after; /* E_TOO_MANY_REQUESTS: seconds until a retry may succeed (err_set clears it) */
} err_t;

typedef struct err_info {
    const char *name; /* the JSON `code` */
    int http_status;
    int exit_status;
} err_info;

/* Fills e (when non-NULL) and returns code, so callers write `return err_set(e, E_..., "field", ...)`.
 * field may be NULL. */
int err_set(err_t *e, err_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The error e already holds, as another code (and field, when field is not NULL), its message kept: what a
 * caller does when a lower layer's refusal is, at its level, another kind (a bad parameter is bad usage on
 * the command line). err_set(e, ..., "%s", e->message) would format the message onto itself. */
int err_recode(err_t *e, err_code code, const char *field);
const err_info *err_lookup(err_code code);

/* BUG(fmt, ...): a programmer error, a state the code makes impossible (a malformed entity table, a
 * switch past its cases). Never for bad input, which gets an err_code. Prints the place and the reason
 * on stderr and aborts, so the fault is found where it happens rather than as wrong data later. */
#define BUG(...) err_bug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void err_bug(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void err_clear(err_t *e);

#endif
