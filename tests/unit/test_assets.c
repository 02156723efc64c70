/* Unit tests of http/assets: Accept-Encoding and Accept as RFC 9110 reads them (q-values, "*", q=0
 * refusing), and which requests the web app answers rather than the API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/assets.h"
#include "http/http.h"

static const int all[WEB_ENCODINGS] = {1, 1, 1}, no_br[WEB_ENCODINGS] = {1, 1, 0};

static void encodings_follow_q_values(void **state)
{
    (void)state;
    assert_int_equal(web_pick_encoding(NULL, all), WEB_IDENTITY);
    assert_int_equal(web_pick_encoding("", all), WEB_IDENTITY);
    assert_int_equal(web_pick_encoding("gzip, deflate, br", all), WEB_BR);
    assert_int_equal(web_pick_encoding("gzip, deflate, br", no_br), WEB_GZIP);
    assert_int_equal(web_pick_encoding("gzip, br;q=0", all), WEB_GZIP);
    assert_int_equal(web_pick_encoding("br;q=0, gzip;q=0", all), WEB_IDENTITY);
    assert_int_equal(web_pick_encoding("BR;Q=0.5", all), WEB_BR);
    assert_int_equal(web_pick_encoding("br ; q=0.000", all), WEB_IDENTITY);
    assert_int_equal(web_pick_encoding("br;q=0.001", all), WEB_BR);
    assert_int_equal(web_pick_encoding("*", all), WEB_BR);
    assert_int_equal(web_pick_encoding("*;q=0, identity", all), WEB_IDENTITY);
    assert_int_equal(web_pick_encoding("*;q=0, gzip", all), WEB_GZIP);
    assert_int_equal(web_pick_encoding("identity", all), WEB_IDENTITY);
    assert_int_equal(web_pick_encoding("x-gzip", all), WEB_GZIP);
    assert_int_equal(web_pick_encoding("brotli, gzipped", all), WEB_IDENTITY); /* names match whole */
    assert_int_equal(web_pick_encoding("br;q=nonsense", all), WEB_IDENTITY);
}

static void html_is_accepted_by_range(void **state)
{
    (void)state;
    assert_true(web_accepts_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    assert_true(web_accepts_html("*/*"));
    assert_true(web_accepts_html("text/*"));
    assert_false(web_accepts_html(NULL));
    assert_false(web_accepts_html("application/json"));
    assert_false(web_accepts_html("text/html;q=0, */*"));
    assert_false(web_accepts_html("application/json, */*;q=0"));
}

static int answered(const char *method, const char *path, const char *accept)
{
    http_request r;
    http_request_init(&r);
    r.method = method;
    r.path = path;
    r.accept = accept;
    int got = web_dispatch(&r);
    http_request_release(&r);
    return got;
}

static void the_api_keeps_its_paths(void **state)
{
    (void)state;
    if (!web_asset_count)
        skip(); /* built with WEB=0: nothing to answer with */
    assert_true(answered("GET", "/clients/x", "text/html"));
    assert_true(answered("GET", "/", "text/html"));
    assert_false(answered("POST", "/clients", "text/html"));
    assert_false(answered("GET", "/clients", "application/json"));
    assert_false(answered("GET", "/api/v1/clients", "text/html"));
    assert_false(answered("GET", "/api", "text/html"));
    assert_false(answered("GET", "/healthz", "text/html"));
    assert_false(answered("GET", "/portal", "text/html"));
    assert_false(answered("GET", "/portal/x", "text/html"));
    assert_false(answered("GET", "/.well-known/caldav", "text/html"));
    assert_false(answered("GET", "/unsubscribe/con_x.sig", "text/html")); /* an email's link: the server's page */
    assert_false(answered("GET", "/dav/x", "text/html"));
    assert_false(answered("GET", "/assets/missing.js", "text/html"));
    assert_false(answered("GET", "/assets/../index.html", "text/html"));
    assert_true(answered("GET", "/portalish", "text/html")); /* a prefix only counts as a whole segment */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encodings_follow_q_values),
        cmocka_unit_test(html_is_accepted_by_range),
        cmocka_unit_test(the_api_keeps_its_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
