/* rules: the entities' own rules (see rules.h). Each runs inside the write's transaction; an error
 * rolls the whole write back. */
#include "core/rules/rules.h"
#include "util/phone.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/bizhours.h"
#include "util/clock.h"
#include "core/insight/health.h"
#include "core/engine/record.h"
#include "core/access/auth.h"
#include "core/access/user_roles.h"

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}
#define set_now rules_set_now

/* Nobody grants a role above their own, only an owner changes an owner, and the last owner stays
 * (core/access/user_roles.c). */
int rules_user_before_write(write_ctx *c)
{
    int want = role_parse(rules_str(c, "role"));
    if (!c->old) {
        int rc = user_roles_may_create(c->who, c->e);
        return rc < 0 ? rc : user_roles_may_change(c->d, c->who, ROLE_NONE, 0, want, 1, c->e);
    }
    json_t *active = rules_value(c, "active");
    int rc = user_roles_may_change(c->d, c->who, role_parse(str(c->old, "role")),
                                   json_is_true(json_object_get(c->old, "active")), want, !json_is_false(active), c->e);
    if (rc == 0 && json_object_get(c->body, "password")) /* old credentials end with the old password */
        rc = auth_end_sessions(c->d, c->who, c->id, c->e);
    return rc;
}

int rules_user_before_delete(write_ctx *c)
{
    return user_roles_may_change(c->d, c->who, role_parse(str(c->old, "role")),
                                 json_is_true(json_object_get(c->old, "active")), ROLE_NONE, 0, c->e);
}

static const char *const CONVERSATION_KINDS[] = {"updates", "meetings", "urgent", "billing", "support", NULL};

static int listed(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (!strcmp(*list, s))
            return 1;
    return 0;
}

/* The protocol's channels: one preferred channel per kind of conversation, from the known ones. */
static int check_channels(write_ctx *c)
{
    json_t *ch = json_object_get(c->body, "channels");
    if (!ch)
        return 0;
    if (!json_is_object(ch))
        return err_set(c->e, E_INVALID_TYPE, "channels", "channels must be an object like {\"updates\": \"email\"}");
    const field *pref = entity_field(c->en, "preferred_channel");
    const char *kind;
    json_t *v;
    strbuf known = STRBUF_INIT;
    int rc = 0;
    json_object_foreach(ch, kind, v) {
        if (!listed(CONVERSATION_KINDS, kind)) {
            strbuf_add_joined(&known, CONVERSATION_KINDS, -1, ", ");
            rc = err_set(c->e, E_INVALID_VALUE, "channels", "channels: %.40s is not a kind of conversation (%s)", kind,
                         known.buf);
            break;
        }
        if (!json_is_string(v) || !field_has_value(pref, json_string_value(v))) {
            strbuf_add_joined(&known, pref->values, -1, ", ");
            rc = err_set(c->e, E_INVALID_VALUE, "channels", "channels.%s must be one of: %s", kind, known.buf);
            break;
        }
    }
    strbuf_release(&known);
    return rc;
}

/* Intake answers are text keyed by question. */
static int check_intake(write_ctx *c)
{
    json_t *in = json_object_get(c->body, "intake");
    if (!in)
        return 0;
    if (!json_is_object(in))
        return err_set(c->e, E_INVALID_TYPE, "intake", "intake must be an object of question: answer");
    const char *q;
    json_t *a;
    json_object_foreach(in, q, a) {
        if (!json_is_string(a))
            return err_set(c->e, E_INVALID_TYPE, "intake", "intake: the answer to \"%.60s\" must be text", q);
    }
    return 0;
}

/* Moving to active starts the relationship (started_at, ended_at cleared); leaving it ends it. Either
 * stays editable, for imported history, by sending it explicitly. */
int rules_client_before_write(write_ctx *c)
{
    int rc = check_channels(c);
    if (rc == 0)
        rc = check_intake(c);
    if (rc < 0)
        return rc;
    const char *to = str(c->body, "stage"), *from = c->old ? str(c->old, "stage") : NULL;
    if (!to || (from && !strcmp(to, from)))
        return 0;
    int now_active = !strcmp(to, "active"), was_active = from && !strcmp(from, "active");
    if (now_active) {
        if (!json_object_get(c->body, "started_at"))
            set_now(c->body, "started_at");
        if (c->old && !json_object_get(c->body, "ended_at"))
            json_object_set_new(c->body, "ended_at", json_null());
    } else if (was_active && (!strcmp(to, "past") || !strcmp(to, "lost"))) {
        if (!json_object_get(c->body, "ended_at"))
            set_now(c->body, "ended_at");
    }
    return 0;
}

/* A client's tags exist as tag records, so they can be listed, coloured and renamed in one place. */
int rules_client_after_write(write_ctx *c)
{
    json_t *tags = json_object_get(c->body, "tags");
    const entity *tag = entity_by_name("tags");
    size_t i;
    json_t *t;
    json_array_foreach(json_is_array(tags) ? tags : NULL, i, t) {
        db_stmt *s;
        const char *args[] = {c->who->workspace_id, json_string_value(t)};
        int rc = db_query_row(c->d, &s, c->e, "SELECT 1 FROM tags WHERE workspace_id = ? AND name = ?", 2, args);
        if (rc == DB_ROW) {
            db_finalize(s);
            continue;
        }
        if (rc < 0)
            return rc;
        actor sys = *c->who;
        sys.role = ROLE_SYSTEM; /* a viewer cannot get here; members may tag without tag rights */
        json_t *body = json_pack("{s:O}", "name", t);
        strbuf out = STRBUF_INIT;
        rc = record_create(c->d, &sys, tag, body, &out, c->e);
        strbuf_release(&out);
        json_decref(body);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* A call or meeting is documented by its written summary; until it has one it is flagged. */
int rules_interaction_before_write(write_ctx *c)
{
    if (!c->old && !json_object_get(c->body, "occurred_at"))
        set_now(c->body, "occurred_at");
    const char *type = rules_str(c, "type"), *summary = rules_str(c, "summary");
    int conversation = type && (!strcmp(type, "call") || !strcmp(type, "meeting"));
    int blank = 1;
    for (const char *p = summary; p && *p && blank; p++)
        blank = isspace((unsigned char)*p);
    json_object_set_new(c->body, "needs_summary", json_boolean(conversation && blank));
    return 0;
}

/* A token belongs to its creator unless an owner names another user of the workspace, not an owner. The secret is
 * returned once, in the create response; only its hash is stored. */
int rules_token_before_write(write_ctx *c)
{
    const char *user = str(c->body, "user_id");
    if (!user)
        json_object_set_new(c->body, "user_id", json_string(c->who->user_id));
    else if (strcmp(user, c->who->user_id)) {
        int role, active, rc = user_roles_lookup(c->d, c->who, user, "user_id", &role, &active, c->e);
        if (rc < 0 || (rc = user_roles_may_mint_token(c->who, user, role, c->e)) < 0)
            return rc;
    }
    const char *expires = str(c->body, "expires_at");
    int64_t until;
    if (expires && clock_parse(expires, &until) == 0 && until <= clock_now())
        return err_set(c->e, E_INVALID_VALUE, "expires_at", "expires_at must be in the future");
    char secret[80], hash[65], token[90];
    id_secret(32, secret, sizeof secret);
    snprintf(token, sizeof token, "rpt_%s", secret);
    id_hash_secret(token, hash);
    json_object_set_new(c->body, "token_hash", json_string(hash));
    json_object_set_new(c->extra, "token", json_string(token));
    return 0;
}

/* A select field needs its options; the options of other types are meaningless and refused. */
int rules_custom_field_before_write(write_ctx *c)
{
    const char *type = str(c->body, "type");
    if (!type && c->old)
        type = str(c->old, "type");
    json_t *opts = json_object_get(c->body, "options");
    if (!opts && c->old)
        opts = json_object_get(c->old, "options");
    size_t n = json_is_array(opts) ? json_array_size(opts) : 0;
    if (type && !strcmp(type, "select") && n == 0)
        return err_set(c->e, E_REQUIRED, "options", "a select field needs its options");
    if (type && strcmp(type, "select") && n > 0)
        return err_set(c->e, E_INVALID_VALUE, "options", "only a select field has options");
    return 0;
}

/* The time zone, business hours and holidays must make a working calendar before they are stored. */
/* A BCP 47 language tag as Intl takes it: a 2-3 letter language, then subtags of 1-8 letters or digits
 * ("en", "en-GB", "de-CH", "zh-Hant-TW"). */
static int locale_valid(const char *s)
{
    size_t n = 0;
    while (isalpha((unsigned char)s[n]))
        n++;
    if (n < 2 || n > 3)
        return 0;
    for (s += n; *s; ) {
        if (*s++ != '-')
            return 0;
        for (n = 0; isalnum((unsigned char)s[n]); n++)
            ;
        if (n < 1 || n > 8)
            return 0;
        s += n;
    }
    return 1;
}

int rules_workspace_before_write(write_ctx *c)
{
    const char *locale = str(c->body, "locale");
    if (locale && !locale_valid(locale))
        return err_set(c->e, E_INVALID_VALUE, "locale", "locale must be a language tag such as en, en-GB or de-CH");
    const char *country = str(c->body, "default_country");
    if (country && !phone_region_known(country))
        return err_set(c->e, E_INVALID_VALUE, "default_country",
                       "default_country must be a country's two-letter ISO 3166 code, such as GB, DE or US");
    if (country) { /* kept as ISO writes it: "gb" is "GB" */
        char up[3] = {(char)toupper((unsigned char)country[0]), (char)toupper((unsigned char)country[1]), '\0'};
        json_object_set_new(c->body, "default_country", json_string(up));
    }
    json_t *health = json_object_get(c->body, "health_settings");
    int checked = health ? health_settings_check(health, c->e) : 0;
    if (checked < 0)
        return checked;
    if (!json_object_get(c->body, "time_zone") && !json_object_get(c->body, "business_hours") &&
        !json_object_get(c->body, "holidays"))
        return 0;
    json_t *hours = rules_value(c, "business_hours"), *days = rules_value(c, "holidays");
    char *hj = hours ? json_dumps(hours, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    char *dj = days ? json_dumps(days, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    bizcal cal;
    int rc = bizcal_init(&cal, rules_str(c, "time_zone"), hj, dj, c->e);
    if (rc == 0)
        bizcal_release(&cal);
    free(hj);
    free(dj);
    return rc < 0 ? rc : 0;
}
