/* bulk_update: a change to every record a filter selects, one update at a time (see bulk_update.h). */
#include "core/bulk/bulk_update.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"

/* The body's shape, before anything is read: set an object of the entity's fields (no id or version),
 * add an object of its tags fields to lists of text, and something to change unless a dry run. */
static int check_body(const entity *en, json_t *body, int *dry_run, err_t *e)
{
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        if (strcmp(key, "set") && strcmp(key, "add") && strcmp(key, "dry_run"))
            return err_set(e, E_INVALID_VALUE, key, "unknown key %.40s (set, add, dry_run)", key);
    }
    json_t *set = json_object_get(body, "set"), *add = json_object_get(body, "add"),
           *dry = json_object_get(body, "dry_run");
    if (dry && !json_is_boolean(dry))
        return err_set(e, E_INVALID_VALUE, "dry_run", "dry_run must be true or false");
    *dry_run = json_is_true(dry);
    if (set && !json_is_object(set))
        return err_set(e, E_INVALID_VALUE, "set", "set must be an object of field: value");
    if (add && !json_is_object(add))
        return err_set(e, E_INVALID_VALUE, "add", "add must be an object of tags field: [values]");
    json_object_foreach(set, key, v) {
        if (!strcmp(key, "version") || !strcmp(key, "id"))
            return err_set(e, E_INVALID_VALUE, key, "set cannot change %s: each record's own is used", key);
        if (strcmp(key, "custom") && !entity_field(en, key))
            return err_set(e, E_INVALID_VALUE, key, "%s have no field %.40s", en->path, key);
    }
    json_object_foreach(add, key, v) {
        const field *f = entity_field(en, key);
        if (!f || f->type != &FT_TAGS)
            return err_set(e, E_INVALID_VALUE, key, "add takes tags fields; %.40s is none of %s's", key, en->path);
        size_t i;
        json_t *t;
        if (!json_is_array(v) || !json_array_size(v))
            return err_set(e, E_INVALID_VALUE, key, "add.%s must be a list of tags", key);
        json_array_foreach(v, i, t) if (!json_is_string(t) || !*json_string_value(t))
            return err_set(e, E_INVALID_VALUE, key, "add.%s must be a list of tags", key);
    }
    if (!*dry_run && !json_object_size(set) && !json_object_size(add))
        return err_set(e, E_INVALID_VALUE, "set", "nothing to change: give set or add");
    return 0;
}

/* Every matching record, read whole (its version and tags are what the change starts from). */
static json_t *matches(db *d, const actor *who, const entity *en, list_query *q, err_t *e)
{
    json_t *all = json_array();
    strbuf page = STRBUF_INIT;
    q->limit = LIST_MAX_LIMIT;
    free(q->cursor);
    q->cursor = NULL;
    for (;;) {
        strbuf_reset(&page);
        if (record_list(d, who, en, q, &page, e) < 0)
            break;
        json_t *doc = json_loadb(page.buf, page.len, 0, NULL);
        if (!doc) {
            err_set(e, E_INTERNAL, NULL, "bulk: a page did not read back");
            break;
        }
        json_array_extend(all, json_object_get(doc, "data"));
        const char *next = json_string_value(json_object_get(doc, "next_cursor"));
        free(q->cursor);
        q->cursor = next ? strdup(next) : NULL;
        json_decref(doc);
        if (json_array_size(all) > BULK_MAX) {
            err_set(e, E_INVALID_VALUE, NULL,
                    "more than %d %s match: narrow the filter (a bulk change touches at most %d at once)", BULK_MAX,
                    en->path, BULK_MAX);
            break;
        }
        if (!q->cursor) {
            strbuf_release(&page);
            return all;
        }
    }
    strbuf_release(&page);
    json_decref(all);
    return NULL;
}

/* The update for one record as it is now: set's values, add's tags joined to its own, its version.
 * NULL when the record already is so (every tag there, every value the same). */
static json_t *patch_for(json_t *rec, json_t *set, json_t *add)
{
    json_t *patch = json_deep_copy(set ? set : json_object());
    int changes = 0;
    const char *key;
    json_t *v;
    json_object_foreach(patch, key, v) changes += !json_equal(v, json_object_get(rec, key)) || !strcmp(key, "custom");
    json_object_foreach(add, key, v) {
        json_t *now = json_object_get(rec, key), *tags = json_is_array(now) ? json_copy(now) : json_array();
        size_t i, k;
        json_t *t, *have;
        int added = 0;
        json_array_foreach(v, i, t) {
            int there = 0;
            json_array_foreach(tags, k, have) there |= json_equal(have, t);
            if (!there)
                json_array_append(tags, t), added = 1;
        }
        json_object_set_new(patch, key, tags);
        changes += added;
    }
    if (!changes) {
        json_decref(patch);
        return NULL;
    }
    json_object_set(patch, "version", json_object_get(rec, "version"));
    return patch;
}

/* A refusal for the answer, naming the record as a person knows it (its name, title or subject). */
static void add_failure(json_t *failed, json_t *rec, const err_t *re)
{
    json_t *title = json_object_get(rec, "name");
    if (!json_is_string(title))
        title = json_object_get(rec, "title");
    if (!json_is_string(title))
        title = json_object_get(rec, "subject");
    if (!json_is_string(title))
        title = NULL;
    json_array_append_new(failed, json_pack("{s:O,s:O,s:s,s:s?,s:s}", "id", json_object_get(rec, "id"), "title",
                                            title ? title : json_object_get(rec, "id"), "code",
                                            err_lookup(re->code)->name, "field", re->field[0] ? re->field : NULL,
                                            "message", re->message));
}

int bulk_update(db *d, const actor *who, const entity *en, list_query *q, json_t *body, strbuf *out, err_t *e)
{
    int dry_run = 0, rc = access_check(who, en, OP_UPDATE, NULL, e);
    if (rc < 0 || (rc = check_body(en, body, &dry_run, e)) < 0)
        return rc;
    json_t *all = matches(d, who, en, q, e);
    if (!all)
        return e->code;
    json_t *set = json_object_get(body, "set"), *add = json_object_get(body, "add"), *failed = json_array();
    int updated = 0, unchanged = 0;
    size_t i;
    json_t *rec;
    strbuf answer = STRBUF_INIT;
    json_array_foreach(all, i, rec) {
        if (dry_run)
            break;
        json_t *patch = patch_for(rec, set, add);
        err_t re;
        err_clear(&re);
        int one = patch ? record_update(d, who, en, json_string_value(json_object_get(rec, "id")), patch, &answer, &re)
                        : 1;
        if (one == E_VERSION_CONFLICT) { /* changed since the list was read: once more from how it is now */
            json_t *now = record_read(d, who, en, json_string_value(json_object_get(rec, "id")), &re);
            json_decref(patch);
            patch = now ? patch_for(now, set, add) : NULL;
            err_clear(&re);
            one = !now ? re.code : patch ? record_update(d, who, en, json_string_value(json_object_get(now, "id")), patch, &answer, &re) : 1;
            json_decref(now);
        }
        json_decref(patch);
        strbuf_reset(&answer);
        if (one < 0)
            add_failure(failed, rec, &re);
        else if (one == 1)
            unchanged++;
        else
            updated++;
    }
    strbuf_release(&answer);
    json_t *result = dry_run ? json_pack("{s:i}", "matched", (int)json_array_size(all))
                             : json_pack("{s:i,s:i,s:i,s:O}", "matched", (int)json_array_size(all), "updated", updated,
                                         "unchanged", unchanged, "failed", failed);
    char *text = json_dumps(result, JSON_COMPACT);
    strbuf_adds(out, text ? text : "{}");
    free(text);
    json_decref(result);
    json_decref(failed);
    json_decref(all);
    return 0;
}
