/* Unit tests of http/routes: routing, path safety, query decoding and the error shape, without sockets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/http.h"

static void dispatch(const char *method, const char *path, int want_status, const char *want_code)
{
    http_request r;
    http_request_init(&r);
    r.method = method;
    r.path = path;
    http_dispatch(&r);
    if (r.status != want_status || (want_code && !strstr(r.out.buf, want_code)))
        fail_msg("%s %s: got %d %s, want %d %s", method, path, r.status, r.out.buf, want_status,
                 want_code ? want_code : "");
    http_request_release(&r);
}

static void routes_refuse_what_they_must(void **state)
{
    (void)state;
    dispatch("GET", "/", 200, NULL);
    dispatch("GET", "/nope", 404, "\"not_found\"");
    dispatch("PUT", "/", 405, "\"method_not_allowed\"");
    dispatch("PUT", "/api/v1/clients/x", 405, "\"method_not_allowed\"");
    /* no credentials: refused before any handler or database */
    dispatch("GET", "/api/v1/clients", 401, "\"unauthorized\"");
    dispatch("POST", "/api/v1/logout", 401, "\"unauthorized\"");
    /* paths that try to climb or smuggle separators never match */
    dispatch("GET", "/api/v1/../../etc/passwd", 404, NULL);
    dispatch("GET", "/api/v1/clients/..%2f..%2fetc%2fpasswd", 404, NULL);
    dispatch("GET", "/api/v1/%2e%2e/clients", 404, NULL);
    dispatch("GET", "/api/v1/clients/%zz", 404, NULL);
    dispatch("GET", "/api//clients", 404, NULL);
    dispatch("GET", "/api/v1/clients/a/b/c/d/e/f/g/h/i", 404, NULL);
}

static int collect(void *ctx, const char *key, const char *value, err_t *e)
{
    (void)e;
    strbuf *sb = ctx;
    strbuf_addf(sb, "[%s=%s]", key, value);
    return 0;
}

static void query_strings_decode_strictly(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    err_t e;
    assert_int_equal(http_query_each("q=hello+world&sort=-name&x=%C3%A9&flag&&empty=", collect, &sb, &e), 0);
    assert_string_equal(sb.buf, "[q=hello world][sort=-name][x=é][flag=][empty=]");
    strbuf_reset(&sb);
    assert_int_equal(http_query_each("q=%ff", collect, &sb, &e), E_INVALID_PARAMETER);
    assert_int_equal(http_query_each("q=%4", collect, &sb, &e), E_INVALID_PARAMETER);
    assert_int_equal(http_query_each("q=a%00b", collect, &sb, &e), E_INVALID_PARAMETER);
    strbuf_release(&sb);
    char s[] = "a%2Fb+c";
    assert_int_equal(http_unescape(s, 0), 5);
    assert_string_equal(s, "a/b+c");
}

/* Which writes join the group commit comes from the route table's flags and the entity table, not from
 * comparing paths: signing in and out, and users (their passwords are hashed), are written directly. */
static void group_commit_follows_the_tables(void **state)
{
    (void)state;
    assert_int_equal(http_joins_group_commit("POST", "/api/v1/login"), 0);
    assert_int_equal(http_joins_group_commit("POST", "/api/v1/logout"), 0);
    assert_int_equal(http_joins_group_commit("POST", "/api/v1/users"), 0);
    assert_int_equal(http_joins_group_commit("PATCH", "/api/v1/users/usr_1"), 0);
    assert_int_equal(http_joins_group_commit("DELETE", "/api/v1/users/usr_1"), 0);
    assert_int_equal(http_joins_group_commit("GET", "/api/v1/clients"), 0);
    assert_int_equal(http_joins_group_commit("POST", "/api/v1/clients"), 1);
    assert_int_equal(http_joins_group_commit("PATCH", "/api/v1/clients/cli_1"), 1);
    assert_int_equal(http_joins_group_commit("DELETE", "/api/v1/tokens/tok_1"), 1);
    assert_int_equal(http_joins_group_commit("POST", "/api/v1/clients/cli_1/onboarding"), 1);
    assert_int_equal(http_joins_group_commit("POST", "/api/v1/interactions/int_1/follow-up"), 1);
    /* a path that only starts like one of them is what its route says */
    assert_int_equal(http_joins_group_commit("POST", "/api/v1/users-x"), 1);
    /* every route flagged R_DIRECT stays out, whatever its path */
    for (int i = 0; i < api_route_count; i++)
        if ((api_routes[i].flags & R_DIRECT) && strcmp(api_routes[i].method, "GET") && !strchr(api_routes[i].pattern, '{'))
            assert_int_equal(http_joins_group_commit(api_routes[i].method, api_routes[i].pattern), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(routes_refuse_what_they_must),
        cmocka_unit_test(query_strings_decode_strictly),
        cmocka_unit_test(group_commit_follows_the_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
