/* template_fill: a template's variables, and rendering for a record (see template_fill.h). */
#include "core/practice/template_fill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/record.h"
#include "render/markdown.h"
#include "util/template.h"

/* The names a template may use, each one entity's record in the context. */
static const struct {
    const char *name, *entity;
} SOURCES[] = {{"client", "clients"},   {"contact", "contacts"}, {"project", "projects"},
               {"ticket", "tickets"},   {"user", "users"},       {"workspace", "workspaces"}};
enum { NSOURCES = sizeof SOURCES / sizeof SOURCES[0] };

static int source_of(const char *name, size_t n)
{
    for (int i = 0; i < NSOURCES; i++)
        if (strlen(SOURCES[i].name) == n && !strncmp(SOURCES[i].name, name, n))
            return i;
    return -1;
}

static int field_readable(const field *f)
{
    return !(f->flags & (F_HIDDEN | F_WRITEONLY)) && f->type != &FT_PASSWORD;
}

int template_var_known(const char *name)
{
    const char *dot = strchr(name, '.');
    int src = dot ? source_of(name, (size_t)(dot - name)) : -1;
    if (src < 0)
        return 0;
    if (!strcmp(dot + 1, "id"))
        return 1;
    const field *f = entity_field(entity_by_name(SOURCES[src].entity), dot + 1);
    return f && field_readable(f);
}

static int check_one(void *ctx, const char *name, err_t *e)
{
    const char *field_name = ctx;
    if (template_var_known(name))
        return 0;
    const char *dot = strchr(name, '.');
    int src = dot ? source_of(name, (size_t)(dot - name)) : -1;
    strbuf known = STRBUF_INIT;
    if (src >= 0) { /* the fields it could have meant */
        const entity *en = entity_by_name(SOURCES[src].entity);
        strbuf_adds(&known, "id");
        for (int i = 0; i < en->nfields; i++)
            if (field_readable(&en->fields[i]))
                strbuf_addf(&known, ", %s", en->fields[i].name);
    } else {
        for (int i = 0; i < NSOURCES; i++)
            strbuf_addf(&known, "%s%s.*", i ? ", " : "", SOURCES[i].name);
    }
    int rc = err_set(e, E_INVALID_VALUE, field_name, "unknown variable {{%s}} in %s (%s: %s)", name, field_name,
                     src >= 0 ? SOURCES[src].name : "variables", known.buf);
    strbuf_release(&known);
    return rc;
}

int template_check(const char *text, const char *field_name, err_t *e)
{
    return template_each(text, check_one, (void *)field_name, field_name, e);
}

/* ---- rendering ---- */

typedef struct context {
    json_t *rec[NSOURCES];
    char *kept[64]; /* values formatted for the lookup, freed at the end */
    int nkept;
} context;

static const char *keep(context *c, char *s)
{
    if (c->nkept == 64) {
        free(c->kept[0]);
        memmove(c->kept, c->kept + 1, 63 * sizeof *c->kept);
        c->nkept = 63;
    }
    return c->kept[c->nkept++] = s;
}

static const char *lookup(void *arg, const char *name)
{
    context *c = arg;
    if (!template_var_known(name))
        return NULL;
    const char *dot = strchr(name, '.');
    json_t *v = json_object_get(c->rec[source_of(name, (size_t)(dot - name))], dot + 1);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        char *s = NULL;
        return asprintf(&s, "%lld", (long long)json_integer_value(v)) < 0 ? "" : keep(c, s);
    }
    if (json_is_boolean(v))
        return json_is_true(v) ? "yes" : "no";
    if (json_is_array(v)) { /* tags */
        strbuf sb = STRBUF_INIT;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) strbuf_addf(&sb, "%s%s", i ? ", " : "", json_is_string(x) ? json_string_value(x) : "");
        return keep(c, strbuf_detach(&sb, NULL));
    }
    return "";
}

static json_t *read_opt(db *d, const actor *who, const char *entity_name, const char *id)
{
    err_t ignore;
    return id && *id ? record_read(d, who, entity_by_name(entity_name), id, &ignore) : NULL;
}

static const char *s_of(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static const entity *entity_of_id(const char *id)
{
    const char *us = id ? strchr(id, '_') : NULL;
    for (int i = 0; us && i < entity_count; i++)
        if (strlen(entity_table[i]->id_prefix) == (size_t)(us - id) &&
            !strncmp(entity_table[i]->id_prefix, id, (size_t)(us - id)))
            return entity_table[i];
    return NULL;
}

/* The contact to write to when the record does not name one: the point of contact, else the primary. */
static json_t *client_contact(db *d, const actor *who, json_t *client)
{
    json_t *c = read_opt(d, who, "contacts", s_of(client, "point_of_contact_id"));
    if (c)
        return c;
    db_stmt *s;
    err_t ignore;
    const char *args[] = {who->workspace_id, s_of(client, "id")};
    if (!args[1] || db_query_row(d, &s, &ignore,
                                 "SELECT id FROM contacts WHERE workspace_id = ? AND client_id = ? AND email IS NOT NULL "
                                 "ORDER BY is_primary DESC, created_at, id LIMIT 1",
                                 2, args) != DB_ROW)
        return NULL;
    char id[ID_MAX];
    snprintf(id, sizeof id, "%s", db_col_text(s, 0, NULL));
    db_finalize(s);
    return read_opt(d, who, "contacts", id);
}

void template_output_release(template_output *o)
{
    strbuf_release(&o->subject);
    strbuf_release(&o->text);
    strbuf_release(&o->html);
}

int template_fill(db *d, const actor *who, const char *subject, const char *body, const char *record_id,
                  template_output *out, err_t *e)
{
    return template_fill_list(d, who, subject, body, record_id, NULL, NULL, out, e);
}

static void add_list(strbuf *out, const char *heading, json_t *lines, template_escape esc)
{
    if (!heading || !json_array_size(lines))
        return;
    strbuf_adds(out, "\n\n");
    template_escape_value(out, heading, esc);
    strbuf_adds(out, "\n");
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) {
        strbuf_addf(out, "\n%zu. ", i + 1);
        template_escape_value(out, json_is_string(l) ? json_string_value(l) : "", esc == TEMPLATE_TEXT ? TEMPLATE_LINE : esc);
    }
    strbuf_adds(out, "\n");
}

int template_fill_list(db *d, const actor *who, const char *subject, const char *body, const char *record_id,
                       const char *heading, json_t *lines, template_output *out, err_t *e)
{
    memset(out, 0, sizeof *out);
    strbuf_init(&out->subject, 0);
    strbuf_init(&out->text, 0);
    strbuf_init(&out->html, 0);
    const entity *en = entity_of_id(record_id);
    int src = -1;
    for (int i = 0; en && i < NSOURCES; i++)
        if (!strcmp(SOURCES[i].entity, en->name))
            src = i;
    if (src < 0 || src >= 4) /* user and workspace come along; the record is the client's side */
        return err_set(e, E_INVALID_VALUE, "record_id", "a template renders for a client, contact, project or ticket id");
    context c = {0};
    json_t *rec = record_read(d, who, en, record_id, e);
    if (!rec)
        return e->code ? e->code : E_NOT_FOUND;
    c.rec[src] = rec;
    if (src != 0)
        c.rec[0] = read_opt(d, who, "clients", s_of(rec, "client_id"));
    if (src == 3 && !c.rec[1])
        c.rec[1] = read_opt(d, who, "contacts", s_of(rec, "contact_id"));
    if (!c.rec[1] && c.rec[0])
        c.rec[1] = client_contact(d, who, c.rec[0]);
    if (!c.rec[2])
        c.rec[2] = read_opt(d, who, "projects", s_of(rec, "project_id"));
    c.rec[4] = read_opt(d, who, "users", s_of(c.rec[0], "owner_id"));
    if (!c.rec[4])
        c.rec[4] = read_opt(d, who, "users", who->user_id);
    c.rec[5] = read_opt(d, who, "workspaces", who->workspace_id);
    strbuf md = STRBUF_INIT;
    int rc = template_render(subject, TEMPLATE_LINE, lookup, &c, "subject", &out->subject, e);
    if (rc == 0)
        rc = template_render(body, TEMPLATE_TEXT, lookup, &c, "body", &out->text, e);
    if (rc == 0)
        rc = template_render(body, TEMPLATE_MARKDOWN, lookup, &c, "body", &md, e);
    if (rc == 0) {
        add_list(&out->text, heading, lines, TEMPLATE_TEXT);
        add_list(&md, heading, lines, TEMPLATE_MARKDOWN);
        markdown_to_html(md.buf, &out->html);
    }
    strbuf_release(&md);
    json_t *contact = c.rec[1];
    snprintf(out->to, sizeof out->to, "%s", s_of(contact, "email") ? s_of(contact, "email") : "");
    snprintf(out->to_name, sizeof out->to_name, "%s%s%s", s_of(contact, "first_name") ? s_of(contact, "first_name") : "",
             s_of(contact, "last_name") && s_of(contact, "first_name") ? " " : "",
             s_of(contact, "last_name") ? s_of(contact, "last_name") : "");
    snprintf(out->client_id, sizeof out->client_id, "%s", s_of(c.rec[0], "id") ? s_of(c.rec[0], "id") : "");
    snprintf(out->contact_id, sizeof out->contact_id, "%s", s_of(contact, "id") ? s_of(contact, "id") : "");
    out->opted_out = json_is_true(json_object_get(contact, "email_opt_out"));
    for (int i = 0; i < NSOURCES; i++)
        json_decref(c.rec[i]);
    for (int i = 0; i < c.nkept; i++)
        free(c.kept[i]);
    return rc;
}

int template_preview(db *d, const actor *who, const char *template_id, json_t *body, strbuf *out, err_t *e)
{
    /* the template first: one of another workspace is 404 whatever the body says */
    json_t *t = record_read(d, who, entity_by_name("templates"), template_id, e);
    if (!t)
        return e->code ? e->code : E_NOT_FOUND;
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        if (strcmp(key, "record_id")) {
            json_decref(t);
            return err_set(e, E_UNKNOWN_FIELD, key, "a preview takes record_id (a client, contact, project or ticket)");
        }
    }
    const char *record_id = json_string_value(json_object_get(body, "record_id"));
    if (!record_id) {
        json_decref(t);
        return err_set(e, E_REQUIRED, "record_id", "record_id is required: the client, contact, project or ticket to "
                                                   "render the template for");
    }
    template_output o;
    int rc = template_fill(d, who, s_of(t, "subject"), s_of(t, "body"), record_id, &o, e);
    json_decref(t);
    if (rc == 0) {
        strbuf_adds(out, "{\"subject\":");
        strbuf_add_json_str(out, o.subject.buf);
        strbuf_adds(out, ",\"text\":");
        strbuf_add_json_str(out, o.text.buf);
        strbuf_adds(out, ",\"html\":");
        strbuf_add_json_str(out, o.html.buf);
        strbuf_adds(out, ",\"to\":");
        strbuf_add_json_str(out, o.to[0] ? o.to : NULL);
        strbuf_adds(out, ",\"to_name\":");
        strbuf_add_json_str(out, o.to_name[0] ? o.to_name : NULL);
        strbuf_adds(out, ",\"client_id\":");
        strbuf_add_json_str(out, o.client_id[0] ? o.client_id : NULL);
        strbuf_adds(out, ",\"contact_id\":");
        strbuf_add_json_str(out, o.contact_id[0] ? o.contact_id : NULL);
        strbuf_addf(out, ",\"email_opt_out\":%s}", o.opted_out ? "true" : "false");
    }
    template_output_release(&o);
    return rc;
}
