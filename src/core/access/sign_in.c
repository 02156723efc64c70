/* sign_in: throttled, logged sign-ins (see sign_in.h). */
#include "core/access/sign_in.h"

#include <ctype.h>
#include <stdio.h>

#include "core/access/throttle.h"
#include "util/clock.h"
#include "util/log.h"

/* The text as one printable, bounded log word: a crafted email cannot forge log lines. */
static void printable(const char *s, char *out, size_t n)
{
    size_t o = 0;
    for (; s && *s && o + 1 < n; s++)
        out[o++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : (char)tolower((unsigned char)*s);
    out[o] = '\0';
}

int sign_in(db *d, const char *email, const char *password, const char *client, actor *out,
            char session_out[AUTH_SECRET_MAX], err_t *e)
{
    char who[120], from[64], account[200], address[100];
    printable(email, who, sizeof who);
    printable(client && *client ? client : "unknown", from, sizeof from);
    snprintf(account, sizeof account, "account:%s", who);
    snprintf(address, sizeof address, "address:%s", from);
    int64_t now = clock_real_ms();
    int wait = throttle_wait(account, now), wait_addr = throttle_wait(address, now);
    if (wait_addr > wait)
        wait = wait_addr;
    if (wait > 0) {
        log_warn("sign-in throttled: %s from %s (%d s to wait)", who, from, wait);
        int rc = err_set(e, E_TOO_MANY_REQUESTS, NULL, "too many failed sign-ins: try again in %d s", wait);
        e->retry_after = wait;
        return rc;
    }
    int rc = auth_login(d, email, password, out, session_out, e);
    if (rc == E_UNAUTHORIZED) {
        /* The wait starts when the failure is known, after the hash: timed from the request's arrival,
         * a hash slower than the first wait (a busy server) would leave no wait at all. */
        now = clock_real_ms();
        throttle_fail(account, SIGN_IN_FREE_PER_ACCOUNT, now);
        throttle_fail(address, SIGN_IN_FREE_PER_ADDRESS, now);
        log_warn("sign-in failed: %s from %s", who, from);
    } else if (rc == 0) {
        throttle_clear(account);
    }
    return rc;
}
