/* test_import: the pieces of the CSV import that need no database: reading a file's encoding, phone
 * numbers as matching keys, and the presets' recognition. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/bulk/import_impl.h"
#include "core/bulk/import_match.h"
#include "core/bulk/import_preset.h"
#include "core/bulk/import_text.h"
#include "util/phone.h"
#include "util/tz.h"

static void read_as(const char *buf, size_t len, const char *want_text, const char *want_encoding)
{
    strbuf conv = STRBUF_INIT;
    const char *text, *encoding;
    size_t n;
    err_t e;
    err_clear(&e);
    assert_int_equal(import_text_utf8(buf, len, &conv, &text, &n, &encoding, &e), 0);
    assert_string_equal(encoding, want_encoding);
    assert_int_equal(n, strlen(want_text));
    assert_memory_equal(text, want_text, n);
    strbuf_release(&conv);
}

static void encodings_are_recognised_and_converted(void **state)
{
    (void)state;
    read_as("a,b\nZo\xc3\xab,1\n", 11, "a,b\nZo\xc3\xab,1\n", "utf-8");
    read_as("\xEF\xBB\xBF"
            "a\n",
            5, "a\n", "utf-8"); /* the BOM goes */
    read_as("\xFF\xFE"
            "a\0,\0\xEB\0\n\0",
            10, "a,\xc3\xab\n", "utf-16le");                                    /* BOM, LE */
    read_as("\xFE\xFF\0a\0,\0\xEB\0\n", 10, "a,\xc3\xab\n", "utf-16be");        /* BOM, BE */
    read_as("n\0a\0m\0e\0\n\0", 10, "name\n", "utf-16le");                      /* no BOM: the zero bytes */
    read_as("Jos\xe9,\x80\n", 7, "Jos\xc3\xa9,\xe2\x82\xac\n", "windows-1252"); /* é, and the euro sign */
}

static void a_nul_is_refused_with_its_row_and_column(void **state)
{
    (void)state;
    strbuf conv = STRBUF_INIT;
    const char *text, *encoding;
    size_t n;
    err_t e;
    err_clear(&e);
    static const char file[] = "a,b,c\n\"x\ny\",1,z\0z\n";
    assert_int_equal(import_text_utf8(file, sizeof file - 1, &conv, &text, &n, &encoding, &e), E_INVALID_VALUE);
    assert_non_null(strstr(e.message, "row 2, column 3")); /* the quoted line break is inside row 2 */
    strbuf_release(&conv);
}

static void phones_become_e164_keys(void **state)
{
    (void)state;
    char k[40];
    import_phone_key("+44 20 7946 0001", NULL, k, sizeof k);
    assert_string_equal(k, "+442079460001");
    import_phone_key("0044 (20) 7946-0001", NULL, k, sizeof k);
    assert_string_equal(k, "+442079460001");
    import_phone_key("020 7946 0001", "GB", k, sizeof k);
    assert_string_equal(k, "+442079460001");
    import_phone_key("+44 (0)20 7946 0001", NULL, k, sizeof k); /* the trunk 0 written in brackets goes */
    assert_string_equal(k, "+442079460001");
    import_phone_key("030 1234567", "DE", k, sizeof k); /* Berlin, read as Germany's */
    assert_string_equal(k, "+49301234567");
    import_phone_key("(415) 555-0132", "us", k, sizeof k);
    assert_string_equal(k, "+14155550132");
    import_phone_key("020 7946 0001", NULL, k, sizeof k); /* no country: stays national */
    assert_string_equal(k, "02079460001");
    import_phone_key("+1 415 555 0132 x23", NULL, k, sizeof k); /* the extension is not the number */
    assert_string_equal(k, "+14155550132");
    import_phone_key("+1 555 0100", NULL, k, sizeof k); /* too short for libphonenumber: its digits */
    assert_string_equal(k, "+15550100");
    import_phone_key("ask for Bob", "GB", k, sizeof k);
    assert_string_equal(k, "");
}

/* The shim over libphonenumber (util/phone.cc), which the ASan build links as C++. */
static void phone_shim_reads_numbers_and_regions(void **state)
{
    (void)state;
    char out[PHONE_E164_MAX], region[8];
    assert_int_equal(phone_e164("07700 900123", "GB", out, sizeof out), 0);
    assert_string_equal(out, "+447700900123");
    assert_int_equal(phone_e164("07700 900123", NULL, out, sizeof out), -1); /* national, and no country */
    assert_string_equal(out, "");
    assert_int_equal(phone_e164("not a number", "GB", out, sizeof out), -1);
    assert_int_equal(phone_e164("+442079460001", "GB", out, 5), -1); /* no room: nothing half-written */
    assert_int_equal(phone_region_of_calling_code("44", region, sizeof region), 0);
    assert_string_equal(region, "GB");
    assert_int_equal(phone_region_of_calling_code("49", region, sizeof region), 0);
    assert_string_equal(region, "DE");
    assert_int_equal(phone_region_of_calling_code("999", region, sizeof region), -1);
    assert_int_equal(phone_region_of_calling_code("4a", region, sizeof region), -1);
    assert_true(phone_region_known("GB"));
    assert_true(phone_region_known("ch"));
    assert_false(phone_region_known("XX"));
    assert_false(phone_region_known("GBR"));
    char cc[3];
    assert_int_equal(tz_country("Europe/London", cc, sizeof cc), 0);
    assert_string_equal(cc, "GB");
    assert_int_equal(tz_country("UTC", cc, sizeof cc), -1);
}

/* A column without a field suggests the custom field its values fit. */
static void unknown_columns_suggest_a_type(void **state)
{
    (void)state;
    assert_int_equal(import_value_looks("2026-01-31"), LOOKS_DATE);
    assert_int_equal(import_value_looks("2026-02-30"), 0); /* no such day */
    assert_int_equal(import_value_looks("12.5"), LOOKS_NUMBER);
    assert_int_equal(import_value_looks("-3"), LOOKS_NUMBER);
    assert_int_equal(import_value_looks("01234"), 0); /* a postcode keeps its zero: text */
    assert_int_equal(import_value_looks("0x1A"), 0);
    assert_int_equal(import_value_looks("inf"), 0);
    assert_int_equal(import_value_looks("ada@example.com"), LOOKS_EMAIL);
    assert_int_equal(import_value_looks("ada@example"), 0);
    assert_int_equal(import_value_looks("https://example.com/a"), LOOKS_URL);
    assert_int_equal(import_value_looks("example.com"), 0);
    column col = {.header = "x"};
    assert_string_equal(import_suggest_type(&col), "text"); /* nothing seen */
    const char *values[] = {"3", "4.5", "-1"};
    for (size_t i = 0; i < 3; i++) {
        col.looks = (col.filled ? col.looks : ~0u) & import_value_looks(values[i]);
        col.filled++;
    }
    assert_string_equal(import_suggest_type(&col), "number");
    col.looks &= import_value_looks("2026-01-31"); /* a date among numbers: text */
    assert_string_equal(import_suggest_type(&col), "text");
    col = (column){.header = "x", .looks = LOOKS_URL, .filled = 1};
    assert_string_equal(import_suggest_type(&col), "url");
    char key[64];
    import_custom_key("Shoe size (EU)", key, sizeof key);
    assert_string_equal(key, "shoe_size_eu");
    import_custom_key("2nd phone", key, sizeof key);
    assert_string_equal(key, "f_2nd_phone");
    import_custom_key("Größe", key, sizeof key);
    assert_string_equal(key, "gr_e");
    import_custom_key("!!!", key, sizeof key);
    assert_string_equal(key, "field");
}

static void presets_are_recognised_by_their_columns(void **state)
{
    (void)state;
    entity_init();
    const entity *contacts = entity_by_name("contacts"), *clients = entity_by_name("clients");
    static const char *const google_old[] = {"Name", "Given Name", "Family Name", "E-mail 1 - Type",
                                             "E-mail 1 - Value"};
    const import_preset *p = import_preset_detect(contacts, google_old, 5);
    assert_non_null(p);
    assert_string_equal(p->name, "google-legacy");
    assert_string_equal(import_preset_target(p, contacts, "e-mail 1 - value"), "email");
    assert_null(import_preset_target(p, contacts, "E-mail 1 - Type"));
    static const char *const zoho[] = {"Record Id", "Contact Owner", "Account Name", "Secondary Email"};
    assert_string_equal(import_preset_detect(contacts, zoho, 4)->name, "zoho"); /* not HubSpot's "Record ID" */
    static const char *const hubspot[] = {"Record ID", "Company Name", "Phone Number"};
    p = import_preset_detect(clients, hubspot, 3);
    assert_string_equal(p->name, "hubspot");
    assert_string_equal(import_preset_target(p, clients, "Company Name"), "name"); /* a companies export */
    assert_string_equal(import_preset_target(p, contacts, "Company Name"), "company");
    const entity *deals = entity_by_name("deals");
    static const char *const zoho_accounts[] = {"Record Id", "Account Name", "Phone", "Billing Code"};
    assert_string_equal(import_preset_detect(clients, zoho_accounts, 4)->name, "zoho"); /* by Record Id alone */
    static const char *const sf_accounts[] = {"Account Owner", "Account Name", "Billing State/Province"};
    assert_string_equal(import_preset_detect(clients, sf_accounts, 3)->name, "salesforce"); /* a report */
    static const char *const sf_opps[] = {"Id", "AccountId", "Name", "StageName", "Amount", "CloseDate"};
    p = import_preset_detect(deals, sf_opps, 6);
    assert_string_equal(p->name, "salesforce");
    assert_string_equal(import_preset_target(p, deals, "Name"), "title"); /* an opportunity's name */
    assert_string_equal(import_preset_target(p, deals, "StageName"), ""); /* the product's stages: left out */
    assert_null(import_preset_target(p, deals, "Description"));            /* deals have no notes */
    assert_string_equal(import_preset_target(p, clients, "Description"), "notes");
    static const char *const plain[] = {"first_name", "email"};
    assert_null(import_preset_detect(contacts, plain, 2));
    assert_non_null(import_preset_find("outlook"));
    assert_null(import_preset_find("lotus"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encodings_are_recognised_and_converted),
        cmocka_unit_test(a_nul_is_refused_with_its_row_and_column),
        cmocka_unit_test(phones_become_e164_keys),
        cmocka_unit_test(phone_shim_reads_numbers_and_regions),
        cmocka_unit_test(unknown_columns_suggest_a_type),
        cmocka_unit_test(presets_are_recognised_by_their_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
