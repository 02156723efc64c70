/* Unit tests of the one query-parameter collector every HTTP handler with fixed parameters uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/http.h"

static void named_parameters_are_collected_decoded(void **state)
{
    (void)state;
    http_params p = {.names = {"from", "to", "mine", NULL}};
    err_t e;
    assert_int_equal(http_params_read("from=2026-01-01&to=caf%C3%A9+bar&from=2026-02-01", &p, &e), 0);
    assert_string_equal(http_param(&p, "from"), "2026-02-01"); /* a repeated name: the last wins */
    assert_string_equal(p.values[1], "café bar");
    assert_null(http_param(&p, "mine"));
    assert_null(http_param(&p, "colour"));
    int mine = 7;
    assert_int_equal(http_param_bool(&p, "mine", &mine, &e), 0);
    assert_int_equal(mine, 7); /* absent: left as it was */
    http_params_release(&p);
    assert_int_equal(http_params_read(NULL, &p, &e), 0);
    assert_null(p.values[0]);
}

static void an_unknown_parameter_is_named_with_the_known_ones(void **state)
{
    (void)state;
    http_params p = {.names = {"from", "to", NULL}};
    err_t e;
    assert_int_equal(http_params_read("from=x&colour=red", &p, &e), E_INVALID_PARAMETER);
    assert_string_equal(e.field, "colour");
    assert_string_equal(e.message, "unknown parameter colour (this takes from, to)");
    http_params_release(&p);
    http_params none = {.names = {NULL}};
    assert_int_equal(http_params_read("x=1", &none, &e), E_INVALID_PARAMETER);
    assert_string_equal(e.message, "unknown parameter x (this takes none)");
    http_params_release(&none);
}

static void booleans_are_true_or_false(void **state)
{
    (void)state;
    http_params p = {.names = {"open", "mine", NULL}};
    err_t e;
    int open = 0, mine = 1;
    assert_int_equal(http_params_read("open=true&mine=yes", &p, &e), 0);
    assert_int_equal(http_param_bool(&p, "open", &open, &e), 0);
    assert_int_equal(open, 1);
    assert_int_equal(http_param_bool(&p, "mine", &mine, &e), E_INVALID_PARAMETER);
    assert_string_equal(e.field, "mine");
    assert_string_equal(e.message, "mine must be true or false");
    http_params_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(named_parameters_are_collected_decoded),
        cmocka_unit_test(an_unknown_parameter_is_named_with_the_known_ones),
        cmocka_unit_test(booleans_are_true_or_false),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
