/* field: the field types — each a parse/emit pair over one column (see entity.h). Validation errors name
 * the field, so the REST API and the CLI can say exactly what to fix. */
#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/clock.h"
#include "util/money.h"
#include "core/model/entity.h"
#include "core/access/password_policy.h"

void field_value_clear(field_value *v)
{
    free(v->s);
    memset(v, 0, sizeof *v);
}

void field_bind(db_stmt *s, int i, const field_value *v)
{
    if (v->is_null)
        db_bind_null(s, i);
    else if (v->is_int)
        db_bind_int(s, i, v->i);
    else
        db_bind_text(s, i, v->s);
}

static int set_text(field_value *v, const char *s, size_t n, err_t *e, const field *f)
{
    v->s = strndup(s, n);
    if (!v->s)
        return err_set(e, E_INTERNAL, f->name, "out of memory");
    return 0;
}

static int want_string(const field *f, json_t *in, err_t *e)
{
    if (!json_is_string(in))
        return err_set(e, E_INVALID_TYPE, f->name, "%s must be a string", f->name);
    return 0;
}

/* The first control character in s (C0, DEL, or a C1 control in UTF-8), or NULL. Multi-line text
 * allows newline, carriage return and tab; one line allows none. */
static const char *control_char(const char *s, size_t n, int one_line)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x7f || (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9f))
            return s + i;
        if (c < 0x20 && (one_line || (c != '\n' && c != '\r' && c != '\t')))
            return s + i;
    }
    return NULL;
}

static int refuse_control(const field *f, const char *s, size_t n, err_t *e)
{
    const char *bad = control_char(s, n, f->type->one_line);
    if (!bad)
        return 0;
    unsigned c = (unsigned char)*bad == 0xc2 ? (unsigned char)bad[1] : (unsigned char)*bad;
    return err_set(e, E_INVALID_VALUE, f->name, "%s must be one line without control characters (found U+%04X)",
                   f->name, c);
}

/* Plain text: any UTF-8 (the JSON parser has already rejected invalid UTF-8), no NUL, bounded length. */
static int text_parse_max(const field *f, json_t *in, field_value *v, err_t *e, size_t dflt_max)
{
    int rc = want_string(f, in, e);
    if (rc)
        return rc;
    size_t n = json_string_length(in), max = f->max ? (size_t)f->max : dflt_max;
    const char *s = json_string_value(in);
    if (memchr(s, '\0', n))
        return err_set(e, E_INVALID_VALUE, f->name, "%s must not contain NUL characters", f->name);
    if (n > max)
        return err_set(e, E_INVALID_VALUE, f->name, "%s is longer than %zu bytes", f->name, max);
    if (f->type->one_line && (rc = refuse_control(f, s, n, e)) < 0)
        return rc;
    if (f->flags & F_REQUIRED) { /* a required text must say something: blanks are not a name */
        size_t i = 0;
        while (i < n && isspace((unsigned char)s[i]))
            i++;
        if (i == n)
            return err_set(e, E_REQUIRED, f->name, "%s must not be empty", f->name);
    }
    return set_text(v, s, n, e, f);
}

static int text_parse(const field *f, json_t *in, field_value *v, err_t *e) { return text_parse_max(f, in, v, e, 500); }
static int longtext_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    return text_parse_max(f, in, v, e, 100000);
}

static json_t *text_from_text(const field *f, const char *t)
{
    (void)f;
    return json_string(t);
}

/* A command-line value or a spreadsheet cell for a one-line text: a cell wrapped over lines is one line
 * with spaces (each run of CR, LF and tab becomes one space); other control characters stay, and are
 * refused. JSON input is never folded: it gets a 422. */
static json_t *line_from_text(const field *f, const char *t)
{
    (void)f;
    size_t n = strlen(t), o = 0;
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\r' || t[i] == '\n' || t[i] == '\t') {
            if (o == 0 || s[o - 1] != ' ' || (i && t[i - 1] != '\r' && t[i - 1] != '\n' && t[i - 1] != '\t'))
                s[o++] = ' ';
            continue;
        }
        s[o++] = t[i];
    }
    s[o] = '\0';
    json_t *j = json_stringn(s, o);
    free(s);
    return j;
}

static void text_emit(const field *f, db_stmt *s, int col, strbuf *out)
{
    (void)f;
    size_t n;
    const char *t = db_col_text(s, col, &n);
    strbuf_add_json_strn(out, t, n);
}

static int email_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    int rc = text_parse_max(f, in, v, e, 254);
    if (rc)
        return rc;
    const char *at = strchr(v->s, '@');
    int ok = at && at != v->s && at[1] && !strchr(at + 1, '@') && strchr(at + 1, '.');
    for (const char *p = v->s; ok && *p; p++)
        if ((unsigned char)*p <= ' ' || *p == ',' || *p == ';' || *p == '<' || *p == '>')
            ok = 0;
    if (!ok) {
        field_value_clear(v);
        return err_set(e, E_INVALID_VALUE, f->name, "%s is not an email address", f->name);
    }
    return 0;
}

/* Web addresses: http(s), or a bare host name ("acme.example/path"); never another scheme, so a stored
 * link cannot become javascript: or data: in a page. */
static int url_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    int rc = text_parse_max(f, in, v, e, 2000);
    if (rc)
        return rc;
    int ok = 1;
    for (const char *p = v->s; *p; p++)
        ok &= (unsigned char)*p > ' ' && *p != '"' && *p != '<' && *p != '>' && *p != '\\';
    const char *colon = strchr(v->s, ':'), *slash = strchr(v->s, '/');
    int has_scheme = colon && (!slash || colon < slash);
    if (has_scheme)
        ok &= !strncasecmp(v->s, "http://", 7) || !strncasecmp(v->s, "https://", 8);
    else
        ok &= strchr(v->s, '.') != NULL && v->s[0] != '.' && v->s[0] != '/';
    if (!ok) {
        field_value_clear(v);
        return err_set(e, E_INVALID_VALUE, f->name, "%s must be a web address (http, https, or a host name)", f->name);
    }
    return 0;
}

static int phone_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    int rc = text_parse_max(f, in, v, e, 40);
    for (const char *p = rc ? "" : v->s; *p; p++)
        if (!isdigit((unsigned char)*p) && !strchr("+-() ./x", *p)) {
            field_value_clear(v);
            return err_set(e, E_INVALID_VALUE, f->name, "%s may hold digits, spaces and + - ( ) . / x", f->name);
        }
    return rc;
}

static int slug_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    int rc = text_parse_max(f, in, v, e, 40);
    if (rc)
        return rc;
    int ok = islower((unsigned char)v->s[0]);
    for (const char *p = v->s; ok && *p; p++)
        ok = islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_';
    if (!ok) {
        field_value_clear(v);
        return err_set(e, E_INVALID_VALUE, f->name, "%s must be lowercase letters, digits and _, starting with a letter",
                       f->name);
    }
    return 0;
}

int field_has_value(const field *f, const char *s)
{
    for (const char *const *p = f->values; s && p && *p; p++)
        if (!strcmp(*p, s))
            return 1;
    return 0;
}

static int enum_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    int rc = want_string(f, in, e);
    if (rc)
        return rc;
    const char *s = json_string_value(in);
    for (const char *const *p = f->values; *p; p++)
        if (!strcmp(*p, s))
            return set_text(v, s, strlen(s), e, f);
    strbuf allowed = STRBUF_INIT;
    strbuf_add_joined(&allowed, f->values, -1, ", ");
    err_set(e, E_INVALID_VALUE, f->name, "%s must be one of: %s", f->name, allowed.buf);
    strbuf_release(&allowed);
    return E_INVALID_VALUE;
}

static int int_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    if (!json_is_integer(in))
        return err_set(e, E_INVALID_TYPE, f->name, "%s must be an integer", f->name);
    json_int_t i = json_integer_value(in);
    if ((f->min || f->max) && (i < f->min || i > f->max))
        return err_set(e, E_INVALID_VALUE, f->name, "%s must be between %lld and %lld", f->name, (long long)f->min,
                       (long long)f->max);
    v->is_int = 1;
    v->i = i;
    return 0;
}

/* Numbers and booleans on a command line or in a query string are typed by their field. */
static json_t *int_from_text(const field *f, const char *t)
{
    (void)f;
    char *end;
    long long i = strtoll(t, &end, 10);
    if (*t && !*end && !isspace((unsigned char)*t))
        return json_integer(i);
    return json_string(t);
}

static void int_emit(const field *f, db_stmt *s, int col, strbuf *out)
{
    (void)f;
    strbuf_addf(out, "%lld", (long long)db_col_int(s, col));
}

static int bool_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    if (!json_is_boolean(in))
        return err_set(e, E_INVALID_TYPE, f->name, "%s must be true or false", f->name);
    v->is_int = 1;
    v->i = json_is_true(in);
    return 0;
}

static json_t *bool_from_text(const field *f, const char *t)
{
    (void)f;
    if (!strcmp(t, "true") || !strcmp(t, "yes") || !strcmp(t, "1"))
        return json_true();
    if (!strcmp(t, "false") || !strcmp(t, "no") || !strcmp(t, "0"))
        return json_false();
    return json_string(t);
}

static void bool_emit(const field *f, db_stmt *s, int col, strbuf *out)
{
    (void)f;
    strbuf_adds(out, db_col_int(s, col) ? "true" : "false");
}

static int date_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    int rc = want_string(f, in, e);
    if (rc)
        return rc;
    const char *s = json_string_value(in);
    if (clock_parse_date(s, NULL))
        return err_set(e, E_INVALID_VALUE, f->name, "%s must be a date, YYYY-MM-DD", f->name);
    return set_text(v, s, strlen(s), e, f);
}

/* Any RFC 3339 time is accepted and stored normalised to UTC, so stored times sort as instants. */
static int datetime_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    int rc = want_string(f, in, e);
    if (rc)
        return rc;
    int64_t t;
    if (clock_parse(json_string_value(in), &t))
        return err_set(e, E_INVALID_VALUE, f->name, "%s must be an RFC 3339 time, like 2026-11-20T10:00:00Z",
                       f->name);
    char buf[CLOCK_RFC3339_LEN];
    clock_format(t, buf);
    return set_text(v, buf, strlen(buf), e, f);
}

/* The referenced record's existence (in the caller's workspace) is checked by record.c, which has the db. */
static int ref_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    int rc = want_string(f, in, e);
    if (rc)
        return rc;
    const char *s = json_string_value(in);
    if (!id_valid(s))
        return err_set(e, E_INVALID_REFERENCE, f->name, "%s does not name a record", f->name);
    return set_text(v, s, strlen(s), e, f);
}

/* Tags: an array of distinct short strings, stored as a JSON array. */
static int value_allowed(const field *f, const char *s)
{
    for (const char *const *p = f->values; *p; p++)
        if (!strcmp(*p, s))
            return 1;
    return 0;
}

static int tags_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    if (!json_is_array(in))
        return err_set(e, E_INVALID_TYPE, f->name, "%s must be an array of strings", f->name);
    if (json_array_size(in) > 50)
        return err_set(e, E_INVALID_VALUE, f->name, "%s holds at most 50 values", f->name);
    json_t *clean = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(in, i, t) {
        if (!json_is_string(t)) {
            json_decref(clean);
            return err_set(e, E_INVALID_TYPE, f->name, "%s must be an array of strings", f->name);
        }
        if (json_string_length(t) == 0 || json_string_length(t) > 50 ||
            memchr(json_string_value(t), '\0', json_string_length(t))) {
            json_decref(clean);
            return err_set(e, E_INVALID_VALUE, f->name, "each of %s must be a string of 1 to 50 characters", f->name);
        }
        if (f->values && !value_allowed(f, json_string_value(t))) { /* a closed list (a webhook's events) */
            json_decref(clean);
            strbuf allowed = STRBUF_INIT;
            for (const char *const *p = f->values; *p; p++)
                strbuf_addf(&allowed, "%s%s", p == f->values ? "" : ", ", *p);
            err_set(e, E_INVALID_VALUE, f->name, "%s: no such value %.50s; each must be one of: %s", f->name,
                    json_string_value(t), allowed.buf);
            strbuf_release(&allowed);
            return E_INVALID_VALUE;
        }
        int rc = refuse_control(f, json_string_value(t), json_string_length(t), e);
        if (rc < 0) {
            json_decref(clean);
            return rc;
        }
        size_t j;
        json_t *seen;
        int dup = 0;
        json_array_foreach(clean, j, seen) dup |= json_equal(seen, t);
        if (!dup)
            json_array_append(clean, t);
    }
    v->s = json_dumps(clean, JSON_COMPACT);
    json_decref(clean);
    return v->s ? 0 : err_set(e, E_INTERNAL, f->name, "out of memory");
}

static json_t *tags_from_text(const field *f, const char *t)
{
    (void)f;
    json_t *a = json_array();
    const char *p = t;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        while (n && isspace((unsigned char)*p))
            p++, n--;
        while (n && isspace((unsigned char)p[n - 1]))
            n--;
        if (n)
            json_array_append_new(a, json_stringn(p, n));
        p = c ? c + 1 : p + strlen(p);
    }
    return a;
}

/* Stored JSON (tags, custom fields, audit images) is written by us, already valid: copied as is. */
static void json_emit(const field *f, db_stmt *s, int col, strbuf *out)
{
    (void)f;
    size_t n;
    const char *t = db_col_text(s, col, &n);
    strbuf_add(out, t, n);
}

/* Passwords are hashed with Argon2id on the way in; the hash never leaves (F_WRITEONLY). */
static int password_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    int rc = want_string(f, in, e);
    if (rc)
        return rc;
    size_t n = json_string_length(in);
    if ((rc = password_policy_check(f->name, json_string_value(in), n, e)) < 0)
        return rc;
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, json_string_value(in), n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE))
        return err_set(e, E_INTERNAL, f->name, "out of memory hashing the password");
    return set_text(v, hash, strlen(hash), e, f);
}

/* On a command line, JSON fields take JSON text ('{"q1":"yes"}'); anything else is a plain string. */
static json_t *json_from_text(const field *f, const char *t)
{
    (void)f;
    json_t *j = json_loads(t, JSON_DECODE_ANY, NULL);
    return j ? j : json_string(t);
}

static int json_parse_field(const field *f, json_t *in, field_value *v, err_t *e)
{
    v->s = json_dumps(in, JSON_COMPACT | JSON_ENCODE_ANY);
    return v->s ? 0 : err_set(e, E_INTERNAL, f->name, "out of memory");
}

/* Money: a decimal string with at most two decimals (a JSON integer is exact too, so it is accepted); a
 * JSON real is refused, since 0.1 + 0.2 is not 0.3. Stored as integer cents; negative only where min < 0. */
static int money_parse_field(const field *f, json_t *in, field_value *v, err_t *e)
{
    int64_t cents;
    if (json_is_integer(in) && llabs(json_integer_value(in)) <= MONEY_MAX / 100)
        cents = json_integer_value(in) * 100;
    else if (!json_is_string(in) || money_parse(json_string_value(in), &cents))
        return err_set(e, E_INVALID_VALUE, f->name,
                       "%s must be an amount as a decimal string with at most two decimals, like \"1250.00\"",
                       f->name);
    if (cents < 0 && f->min >= 0)
        return err_set(e, E_INVALID_VALUE, f->name, "%s must not be negative", f->name);
    v->is_int = 1;
    v->i = cents;
    return 0;
}

static void money_emit(const field *f, db_stmt *s, int col, strbuf *out)
{
    (void)f;
    char buf[MONEY_LEN];
    money_format(db_col_int(s, col), buf);
    strbuf_addf(out, "\"%s\"", buf);
}

/* ISO 4217 codes are three capital letters; lower case is accepted and raised. */
static int currency_parse(const field *f, json_t *in, field_value *v, err_t *e)
{
    int rc = want_string(f, in, e);
    if (rc)
        return rc;
    const char *s = json_string_value(in);
    char code[4];
    for (int i = 0; i < 3; i++) {
        if (!isalpha((unsigned char)s[i]))
            return err_set(e, E_INVALID_VALUE, f->name, "%s must be an ISO 4217 code such as EUR or USD", f->name);
        code[i] = (char)toupper((unsigned char)s[i]);
    }
    if (s[3])
        return err_set(e, E_INVALID_VALUE, f->name, "%s must be an ISO 4217 code such as EUR or USD", f->name);
    code[3] = '\0';
    return set_text(v, code, 3, e, f);
}

const field_type FT_TEXT = {"text", DB_KIND_TEXT, "string", NULL, text_parse, line_from_text, text_emit, 1};
const field_type FT_LONGTEXT = {"longtext", DB_KIND_TEXT, "string", NULL, longtext_parse, text_from_text, text_emit, 0};
const field_type FT_EMAIL = {"email", DB_KIND_TEXT, "string", "email", email_parse, text_from_text, text_emit, 1};
const field_type FT_URL = {"url", DB_KIND_TEXT, "string", "uri", url_parse, text_from_text, text_emit, 1};
const field_type FT_PHONE = {"phone", DB_KIND_TEXT, "string", NULL, phone_parse, text_from_text, text_emit, 1};
const field_type FT_SLUG = {"slug", DB_KIND_TEXT, "string", NULL, slug_parse, text_from_text, text_emit, 1};
const field_type FT_ENUM = {"enum", DB_KIND_TEXT, "string", NULL, enum_parse, text_from_text, text_emit, 1};
const field_type FT_INT = {"int", DB_KIND_INT, "integer", "int64", int_parse, int_from_text, int_emit, 0};
const field_type FT_BOOL = {"bool", DB_KIND_BOOL, "boolean", NULL, bool_parse, bool_from_text, bool_emit, 0};
const field_type FT_DATE = {"date", DB_KIND_TEXT, "string", "date", date_parse, text_from_text, text_emit, 0};
const field_type FT_DATETIME = {"datetime", DB_KIND_TEXT, "string", "date-time", datetime_parse, text_from_text,
                                text_emit, 0};
const field_type FT_REF = {"ref", DB_KIND_TEXT, "string", NULL, ref_parse, text_from_text, text_emit, 1};
const field_type FT_TAGS = {"tags", DB_KIND_TEXT, "array", NULL, tags_parse, tags_from_text, json_emit, 1};
const field_type FT_PASSWORD = {"password", DB_KIND_TEXT, "string", "password", password_parse, text_from_text,
                                text_emit, 0};
const field_type FT_JSON = {"json", DB_KIND_TEXT, "object", NULL, json_parse_field, json_from_text, json_emit, 0};
/* A JSON list; the entity's rules check what it holds, as they check FT_JSON objects. */
const field_type FT_JSON_ARRAY = {"json_array", DB_KIND_TEXT, "array", NULL, json_parse_field, json_from_text,
                                  json_emit, 0};
const field_type FT_MONEY = {"money", DB_KIND_INT, "string", "decimal", money_parse_field, text_from_text, money_emit, 0};
const field_type FT_CURRENCY = {"currency", DB_KIND_TEXT, "string", NULL, currency_parse, text_from_text, text_emit, 1};

int field_parse_json(const field *f, json_t *in, field_value *v, err_t *e)
{
    memset(v, 0, sizeof *v);
    if (!in || json_is_null(in)) {
        if (f->flags & (F_REQUIRED | F_NOTNULL))
            return err_set(e, E_REQUIRED, f->name, "%s %s", f->name,
                           (f->flags & F_REQUIRED) ? "is required" : "cannot be null");
        v->is_null = 1;
        return 0;
    }
    return f->type->parse(f, in, v, e);
}

int field_parse_text(const field *f, const char *text, field_value *v, err_t *e)
{
    json_t *j = f->type->from_text(f, text);
    if (!j)
        return err_set(e, E_INTERNAL, f->name, "out of memory");
    int rc = field_parse_json(f, j, v, e);
    json_decref(j);
    return rc;
}
