/* Unit tests of the small security pieces: the password policy, the throttle's growing waits, trusted
 * proxies' X-Forwarded-For, the public URL's validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "core/access/password_policy.h"
#include "core/access/throttle.h"
#include "http/trusted_proxy.h"
#include "util/public_url.h"

static int weak(const char *pw)
{
    err_t e;
    return password_policy_check("password", pw, strlen(pw), &e) < 0;
}

static void passwords_easy_to_guess_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {"1234567", "12345678", "        ", "aaaaaaaaaaaa", "zyxwvuts", "PASSWORD", "Password123!",
                         "qwerty123", "rapport!!", "Rapport2026", "letmein99", "abcdef12", "iloveyou2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!weak(bad[i]))
            fail_msg("'%s' was accepted", bad[i]);
    const char *good[] = {"maple kettle orbit", "correct-horse-battery-staple-1", "a-long-password", "Zoë und Åsa 2026",
                          "password manager says hi"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (weak(good[i]))
            fail_msg("'%s' was refused", good[i]);
    char huge[1100];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    assert_true(weak(huge)); /* over the maximum */
    huge[1000] = '\0';
    assert_true(weak(huge)); /* one repeated character, however long */
    huge[500] = 'y';
    assert_false(weak(huge));
}

static void throttle_waits_double_and_forget(void **state)
{
    (void)state;
    throttle_reset_all();
    int64_t t = 1000000;
    for (int i = 0; i < 3; i++)
        throttle_fail("k", 3, t);
    assert_int_equal(throttle_wait("k", t), 0); /* the free tries */
    throttle_fail("k", 3, t);
    assert_int_equal(throttle_wait("k", t), 1);
    throttle_fail("k", 3, t + 1000);
    assert_int_equal(throttle_wait("k", t + 1000), 2);
    throttle_fail("k", 3, t + 3000);
    assert_int_equal(throttle_wait("k", t + 3000), 4);
    assert_int_equal(throttle_wait("other", t), 0); /* keys are apart */
    for (int i = 0; i < 30; i++)
        throttle_fail("k", 3, t + 4000);
    assert_int_equal(throttle_wait("k", t + 4000), THROTTLE_MAX_WAIT_S); /* capped */
    /* an hour without failures after the wait: the key starts over */
    int64_t later = t + 4000 + (THROTTLE_MAX_WAIT_S + 3600) * 1000LL + 1;
    throttle_fail("k", 3, later);
    assert_int_equal(throttle_wait("k", later), 0);
    throttle_clear("k");
    assert_int_equal(throttle_wait("k", t), 0);
    for (int i = 0; i < 20000; i++) { /* a flood of keys never grows the table or loses the fresh ones */
        char key[32];
        snprintf(key, sizeof key, "flood:%d", i);
        throttle_fail(key, 0, t + i);
    }
    assert_true(throttle_wait("flood:19999", t + 19999) > 0);
}

static void client(const char *peer, const char *xff, const char *xfp, char out[CLIENT_ADDR_MAX], int *secure)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (strchr(peer, ':')) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        inet_pton(AF_INET6, peer, &a->sin6_addr);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        inet_pton(AF_INET, peer, &a->sin_addr);
    }
    trusted_proxy_client((struct sockaddr *)&ss, xff, xfp, out, secure);
}

static void forwarded_headers_only_from_trusted_proxies(void **state)
{
    (void)state;
    err_t e;
    char out[CLIENT_ADDR_MAX];
    int secure;
    assert_int_equal(trusted_proxy_set(NULL, &e), 0);
    client("10.0.0.5", "203.0.113.9", "https", out, &secure);
    assert_string_equal(out, "10.0.0.5"); /* none trusted: ignored */
    assert_false(secure);
    assert_int_equal(trusted_proxy_set("10.0.0.0/8, fd00::/8", &e), 0);
    client("10.1.2.3", "198.51.100.1, 203.0.113.9, 10.0.0.7", "https", out, &secure);
    assert_string_equal(out, "203.0.113.9"); /* the nearest hop that is not ours */
    assert_true(secure);
    client("11.0.0.1", "203.0.113.9", "https", out, &secure);
    assert_string_equal(out, "11.0.0.1"); /* outside the network */
    assert_false(secure);
    client("fd00::1", "2001:db8::7", "http", out, &secure);
    assert_string_equal(out, "2001:db8::7");
    assert_false(secure);
    client("10.0.0.1", "::ffff:192.0.2.4", NULL, out, &secure);
    assert_string_equal(out, "192.0.2.4"); /* a mapped address is its IPv4 one */
    client("10.0.0.1", "garbage, 10.0.0.9", NULL, out, &secure);
    assert_string_equal(out, "10.0.0.9"); /* garbage stops the walk at the last address that made sense */
    assert_int_equal(trusted_proxy_set("127.0.0.1/32", &e), 0);
    client("127.0.0.2", "203.0.113.9", NULL, out, &secure);
    assert_string_equal(out, "127.0.0.2");
    assert_int_equal(trusted_proxy_set("10.0.0.0/33", &e), E_USAGE);
    assert_int_equal(trusted_proxy_set("example.com", &e), E_USAGE);
    assert_int_equal(trusted_proxy_set("", &e), 0);
}

static void the_public_url_is_checked(void **state)
{
    (void)state;
    err_t e;
    assert_int_equal(public_url_set("https://CRM.example.com:8443/app/", &e), 0);
    assert_string_equal(public_url(), "https://CRM.example.com:8443/app");
    assert_string_equal(public_url_origin(), "https://crm.example.com:8443");
    const char *bad[] = {"crm.example.com", "ftp://crm.example.com", "javascript:alert(1)", "https://",
                         "https://crm.example.com/?x=1", "https://crm example.com", "https://crm.example.com/#top",
                         "https://a\"b.example.com"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (public_url_set(bad[i], &e) != E_USAGE)
            fail_msg("'%s' was accepted", bad[i]);
    assert_null(public_url());
    assert_int_equal(public_url_set(NULL, &e), 0);
    assert_null(public_url_origin());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passwords_easy_to_guess_are_refused),
        cmocka_unit_test(throttle_waits_double_and_forget),
        cmocka_unit_test(forwarded_headers_only_from_trusted_proxies),
        cmocka_unit_test(the_public_url_is_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
