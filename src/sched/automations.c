/* automations: the built-in automations' table, settings and runner (see automations.h). */
#include "sched/automations.h"

#include <stdio.h>
#include <string.h>

#include "sched/automation_kinds.h"

static const automation *find(const char *name)
{
    for (int i = 0; i < automation_count; i++)
        if (!strcmp(automation_table[i].name, name))
            return &automation_table[i];
    return NULL;
}

int automations_check(json_t *settings, err_t *e)
{
    if (!json_is_object(settings))
        return err_set(e, E_INVALID_TYPE, "automations", "automations is an object: {\"name\": {\"enabled\": true}}");
    const char *name;
    json_t *v;
    json_object_foreach(settings, name, v) {
        const automation *a = find(name);
        if (!a) {
            strbuf names = STRBUF_INIT;
            for (int i = 0; i < automation_count; i++)
                strbuf_addf(&names, "%s%s", i ? ", " : "", automation_table[i].name);
            int rc = err_set(e, E_UNKNOWN_FIELD, "automations", "no automation %.60s (there are: %s)", name, names.buf);
            strbuf_release(&names);
            return rc;
        }
        if (!json_is_object(v))
            return err_set(e, E_INVALID_TYPE, "automations", "automations.%s is an object", name);
        const char *key;
        json_t *x;
        json_object_foreach(v, key, x) {
            if (!strcmp(key, "enabled")) {
                if (!json_is_boolean(x))
                    return err_set(e, E_INVALID_TYPE, "automations", "automations.%s.enabled is true or false", name);
                continue;
            }
            if (a->tunable && !strcmp(key, a->tunable)) {
                if (!json_is_integer(x) || json_integer_value(x) < a->min || json_integer_value(x) > a->max)
                    return err_set(e, E_INVALID_VALUE, "automations", "automations.%s.%s is a whole number from %d to %d",
                                   name, key, a->min, a->max);
                continue;
            }
            if (a->has_mode && !strcmp(key, "mode")) {
                const char *m = json_string_value(x);
                if (!m || (strcmp(m, "draft") && strcmp(m, "send")))
                    return err_set(e, E_INVALID_VALUE, "automations", "automations.%s.mode is draft or send", name);
                continue;
            }
            return err_set(e, E_UNKNOWN_FIELD, "automations", "automations.%s takes enabled%s%s%s", name,
                           a->tunable ? ", " : "", a->tunable ? a->tunable : "", a->has_mode ? ", mode" : "");
        }
    }
    return 0;
}

void automation_settings_of(json_t *settings, const automation *a, automation_settings *out)
{
    json_t *mine = json_object_get(settings, a->name);
    json_t *on = json_object_get(mine, "enabled"), *t = a->tunable ? json_object_get(mine, a->tunable) : NULL,
           *mode = json_object_get(mine, "mode");
    out->enabled = on ? json_is_true(on) : a->on_by_default;
    out->value = json_is_integer(t) ? (int)json_integer_value(t) : a->def;
    out->send = mode ? !strcmp(json_string_value(mode), "send") : 0;
}

void automations_describe(json_t *settings, strbuf *out)
{
    strbuf_addc(out, '{');
    for (int i = 0; i < automation_count; i++) {
        const automation *a = &automation_table[i];
        automation_settings s;
        automation_settings_of(settings, a, &s);
        strbuf_addf(out, "%s\"%s\":{\"enabled\":%s", i ? "," : "", a->name, s.enabled ? "true" : "false");
        if (a->tunable)
            strbuf_addf(out, ",\"%s\":%d", a->tunable, s.value);
        if (a->has_mode)
            strbuf_addf(out, ",\"mode\":\"%s\"", s.send ? "send" : "draft");
        strbuf_adds(out, ",\"does\":");
        strbuf_add_json_str(out, a->help);
        strbuf_addc(out, '}');
    }
    strbuf_addc(out, '}');
}
