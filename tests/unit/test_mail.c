/* Unit tests of email's building blocks: MIME headers and bodies (io/mime.c), the template substituter
 * (util/template.c), sealing and signing (util/secret.c), SMTP URLs (sched/smtp.c), automation settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "io/mime.h"
#include "sched/automations.h"
#include "sched/smtp.h"
#include "util/secret.h"
#include "util/template.h"

/* No header value, whatever it holds, can end its header: every line after the first of a header
 * starts with a space (folded), and no CR or LF stands alone. */
static void header_values_cannot_inject(void **state)
{
    (void)state;
    const char *hostile[] = {"Hi\r\nBcc: evil@example.com", "x\nSubject: two", "=?UTF-8?B?SGk=?=", "é\r\n.\r\n",
                             "a very long subject that goes on and on and on and on and on and on and on past 78 cols",
                             "\r\n\r\nbody?"};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        strbuf sb = STRBUF_INIT;
        strbuf_adds(&sb, "Subject: ");
        mime_add_header_value(&sb, hostile[i], 9);
        for (size_t k = 0; k < sb.len; k++) {
            if (sb.buf[k] == '\n')
                assert_true(k > 0 && sb.buf[k - 1] == '\r'); /* only CRLF */
            if (sb.buf[k] == '\r') {
                assert_int_equal(sb.buf[k + 1], '\n');
                assert_true(sb.buf[k + 2] == ' '); /* a fold, never a new header */
            }
        }
        strbuf_release(&sb);
    }
}

static void plain_ascii_stays_readable(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    mime_add_header_value(&sb, "Summary of our call", 9);
    assert_string_equal(sb.buf, "Summary of our call");
    strbuf_reset(&sb);
    mime_add_header_value(&sb, "Zoë", 4);
    assert_string_equal(sb.buf, "=?UTF-8?B?Wm/Dqw==?=");
    strbuf_release(&sb);
}

static void quoted_printable_guards_dots_and_lengths(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    mime_add_qp(&sb, ".\nline = 1 \n" "0123456789012345678901234567890123456789012345678901234567890123456789012345678");
    assert_non_null(strstr(sb.buf, "=2E\r\n"));      /* a lone dot cannot end DATA */
    assert_non_null(strstr(sb.buf, "line =3D 1=20\r\n")); /* '=' and a trailing space encoded */
    for (char *line = sb.buf, *end; (end = strstr(line, "\r\n")); line = end + 2)
        assert_true(end - line <= 76);
    strbuf_release(&sb);
}

static void addresses_are_one_address(void **state)
{
    (void)state;
    assert_true(mime_address_ok("a@b.c"));
    assert_false(mime_address_ok("a@b.c, d@e.f"));
    assert_false(mime_address_ok("a@b.c\r\nRCPT TO:<x@y>"));
    assert_false(mime_address_ok("<a@b.c>"));
    assert_false(mime_address_ok("nobody"));
    mime_message m = {.from = "firm@example.com", .to = "x@y.z\r\nBcc: e@v.il", .subject = "s", .text = "t",
                      .message_id = "msg_1@example.com"};
    strbuf sb = STRBUF_INIT;
    err_t e;
    assert_int_equal(mime_build(&m, &sb, &e), E_INVALID_VALUE);
    assert_string_equal(e.field, "to");
    mime_header bad = {"Bcc", "e@v.il"};
    m.to = "x@y.z";
    m.extra = &bad;
    m.n_extra = 1;
    assert_int_equal(mime_build(&m, &sb, &e), E_INVALID_VALUE); /* only the module's own header names */
    strbuf_release(&sb);
}

static const char *vars(void *ctx, const char *name)
{
    (void)ctx;
    if (!strcmp(name, "client.name"))
        return "<b>Acme</b> & *Co*\r\nBcc: x";
    return strcmp(name, "contact.first_name") ? NULL : "Zoë";
}

static void templates_escape_per_part(void **state)
{
    (void)state;
    const char *tpl = "Hi {{contact.first_name}}, news for {{ client.name }}!";
    strbuf text = STRBUF_INIT, line = STRBUF_INIT, md = STRBUF_INIT;
    err_t e;
    assert_int_equal(template_render(tpl, TEMPLATE_TEXT, vars, NULL, "body", &text, &e), 0);
    assert_string_equal(text.buf, "Hi Zoë, news for <b>Acme</b> & *Co*\r\nBcc: x!");
    assert_int_equal(template_render(tpl, TEMPLATE_LINE, vars, NULL, "subject", &line, &e), 0);
    assert_string_equal(line.buf, "Hi Zoë, news for <b>Acme</b> & *Co*  Bcc: x!");
    assert_int_equal(template_render(tpl, TEMPLATE_MARKDOWN, vars, NULL, "body", &md, &e), 0);
    assert_string_equal(md.buf, "Hi Zoë, news for \\<b\\>Acme\\<\\/b\\> \\& \\*Co\\*\nBcc\\: x!");
    strbuf_reset(&text);
    assert_int_equal(template_render("{{client.nmae}}", TEMPLATE_TEXT, vars, NULL, "body", &text, &e), E_INVALID_VALUE);
    assert_non_null(strstr(e.message, "client.nmae"));
    assert_string_equal(e.field, "body");
    assert_int_equal(template_render("x {{client.name", TEMPLATE_TEXT, vars, NULL, "body", &text, &e), E_INVALID_VALUE);
    assert_int_equal(template_render("{{Client}}", TEMPLATE_TEXT, vars, NULL, "body", &text, &e), E_INVALID_VALUE);
    assert_int_equal(template_render("{{a.b.c}}", TEMPLATE_TEXT, vars, NULL, "body", &text, &e), E_INVALID_VALUE);
    strbuf_release(&text);
    strbuf_release(&line);
    strbuf_release(&md);
}

static void secrets_seal_and_sign(void **state)
{
    (void)state;
    unsigned char key[32];
    randombytes_buf(key, sizeof key);
    secret_set_key(key);
    err_t e;
    char *sealed = secret_seal_dup("hunter2-password", &e);
    assert_non_null(sealed);
    assert_null(strstr(sealed, "hunter2"));
    char *plain = secret_open_dup(sealed, &e);
    assert_string_equal(plain, "hunter2-password");
    free(plain);
    sealed[5] = sealed[5] == 'A' ? 'B' : 'A'; /* tampered: refused */
    assert_null(secret_open_dup(sealed, &e));
    free(sealed);
    char sig[SECRET_SIGNATURE_LEN];
    assert_int_equal(secret_sign("unsubscribe", "con_1", sig, &e), 0);
    assert_true(secret_verify("unsubscribe", "con_1", sig));
    assert_false(secret_verify("unsubscribe", "con_2", sig));
    assert_false(secret_verify("other-purpose", "con_1", sig));
    key[0] ^= 1;
    secret_set_key(key); /* another server's key: its links are not ours */
    assert_false(secret_verify("unsubscribe", "con_1", sig));
}

static void smtp_urls_parse_and_hide_passwords(void **state)
{
    (void)state;
    smtp_server s;
    err_t e;
    char shown[600];
    assert_int_equal(smtp_parse_url("smtp://me%40x.com:p%3Ass@mail.example.com:587", &s, &e), 0);
    assert_string_equal(s.url, "smtp://mail.example.com:587");
    assert_string_equal(s.user, "me@x.com");
    assert_string_equal(s.password, "p:ss");
    assert_true(s.tls_required);
    smtp_display_url(&s, shown, sizeof shown);
    assert_null(strstr(shown, "p:ss"));
    assert_int_equal(smtp_parse_url("smtps://relay.example.com", &s, &e), 0);
    assert_string_equal(s.url, "smtps://relay.example.com:465");
    assert_int_equal(smtp_parse_url("smtp://127.0.0.1:25?tls=none", &s, &e), 0);
    assert_false(s.tls_required);
    assert_int_equal(smtp_parse_url("http://x", &s, &e), E_INVALID_VALUE);
    assert_int_equal(smtp_parse_url("smtps://x?tls=none", &s, &e), E_INVALID_VALUE);
    assert_string_equal(e.field, "smtp_url");
}

static void automation_settings_are_checked(void **state)
{
    (void)state;
    err_t e;
    json_t *ok = json_loads("{\"task_deadline\":{\"enabled\":true,\"hours_before\":48},"
                            "\"checkin_email\":{\"mode\":\"send\"}}", 0, NULL);
    assert_int_equal(automations_check(ok, &e), 0);
    const char *bad[] = {"{\"nope\":{}}", "{\"task_deadline\":{\"hours_before\":9999}}",
                         "{\"task_deadline\":{\"mode\":\"send\"}}", "{\"checkin_email\":{\"mode\":\"shout\"}}",
                         "{\"task_deadline\":{\"enabled\":\"yes\"}}", "[]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *j = json_loads(bad[i], JSON_DECODE_ANY, NULL);
        assert_true(automations_check(j, &e) < 0);
        assert_string_equal(e.field, "automations");
        json_decref(j);
    }
    strbuf sb = STRBUF_INIT;
    automations_describe(ok, &sb);
    json_t *d = json_loads(sb.buf, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(d, "task_deadline"), "hours_before")), 48);
    assert_false(json_is_true(json_object_get(json_object_get(d, "morning_digest"), "enabled")));
    json_decref(d);
    json_decref(ok);
    strbuf_release(&sb);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_values_cannot_inject), cmocka_unit_test(plain_ascii_stays_readable),
        cmocka_unit_test(quoted_printable_guards_dots_and_lengths), cmocka_unit_test(addresses_are_one_address),
        cmocka_unit_test(templates_escape_per_part), cmocka_unit_test(secrets_seal_and_sign),
        cmocka_unit_test(smtp_urls_parse_and_hide_passwords), cmocka_unit_test(automation_settings_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
