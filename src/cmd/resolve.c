/* resolve: the command line speaks names. Wherever a command takes a record (a client, contact,
 * project, deal ...), by its positional argument or by a reference option (--client-id, --agreed-by-id),
 * it also takes the record's name or a unique prefix of it, matched against the entity table's title
 * (title_sql), case-insensitively. One function resolves them all before the command runs, so no command
 * has code of its own for it. An ambiguous name lists the candidates and fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "core/engine/record.h"
#include "cmd/cmd.h"

#define CANDIDATES_SHOWN 10

/* An id of en as it is, so scripts that pass ids never pay for a lookup or meet a name that looks like one. */
static int is_id_of(const entity *en, const char *text)
{
    size_t n = strlen(en->id_prefix);
    return id_valid(text) && !strncmp(text, en->id_prefix, n) && text[n] == '_';
}

static void lower_ascii(const char *in, char *out, size_t n)
{
    size_t i = 0;
    for (; in[i] && i + 1 < n; i++)
        out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 : in[i]);
    out[i] = '\0';
}

int cli_resolve(cli *c, const entity *en, const char *what, const char *text, char out[ID_MAX], err_t *e)
{
    if (is_id_of(en, text) || !*text) {
        snprintf(out, ID_MAX, "%s", text);
        return 0;
    }
    int rc = access_check(&c->who, en, OP_GET, NULL, e);
    if (rc)
        return rc;
    char low[400], pattern[820];
    lower_ascii(text, low, sizeof low);
    size_t k = 0;
    for (const char *p = low; *p && k + 3 < sizeof pattern; p++) { /* LIKE's wildcards match themselves */
        if (*p == '%' || *p == '_' || *p == '!')
            pattern[k++] = '!';
        pattern[k++] = *p;
    }
    pattern[k++] = '%';
    pattern[k] = '\0';
    int self = en->self_field && c->who.role < ROLE_ADMIN;
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql,
                "SELECT r.id, %s, CASE WHEN LOWER(%s) = ? THEN 0 ELSE 1 END AS inexact FROM \"%s\" r "
                "WHERE r.workspace_id = ? AND LOWER(%s) LIKE ? ESCAPE '!'%s%s%s ORDER BY inexact, 2, r.id LIMIT %d",
                en->title_sql, en->title_sql, en->name, en->title_sql, self ? " AND r." : "",
                self ? en->self_field : "", self ? " = ?" : "", CANDIDATES_SHOWN + 1);
    const char *args[] = {low, c->who.workspace_id, pattern, c->who.user_id};
    db_stmt *s;
    rc = db_prepare(c->db, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    for (int i = 0; i < (self ? 4 : 3); i++)
        db_bind_text(s, i + 1, args[i]);
    char ids[CANDIDATES_SHOWN + 1][ID_MAX];
    char titles[CANDIDATES_SHOWN + 1][120];
    int n = 0, exact = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        snprintf(ids[n], ID_MAX, "%s", db_col_text(s, 0, NULL));
        const char *t = db_col_text(s, 1, NULL);
        snprintf(titles[n], sizeof titles[n], "%s", t ? t : "");
        exact += db_col_int(s, 2) == 0;
        n++;
    }
    db_finalize(s);
    if (rc < 0)
        return rc;
    if (n == 1 || exact == 1) { /* the only match, or the only one named exactly so */
        snprintf(out, ID_MAX, "%s", ids[0]);
        return 0;
    }
    if (n == 0)
        return err_set(e, E_NOT_FOUND, what, "no %s named '%s' (give its id or the start of its name)", en->singular,
                       text);
    fprintf(stderr, "rapport: '%s' names more than one %s:\n", text, en->singular);
    for (int i = 0; i < n && i < CANDIDATES_SHOWN; i++)
        fprintf(stderr, "  %-32s  %s\n", ids[i], titles[i]);
    if (n > CANDIDATES_SHOWN)
        fprintf(stderr, "  ...\n");
    return err_set(e, E_USAGE, what, "'%s' is ambiguous: give more of the %s's name, or its id", text, en->singular);
}

/* The entity a reference option points to: the field of that name in the command's entity, else in any
 * entity; else the entity whose CLI noun ends the option's name (--template-id: onboarding-template). */
static const entity *ref_target(const entity *own, const char *key)
{
    const field *f = own ? entity_field(own, key) : NULL;
    if (f)
        return f->type == &FT_REF ? entity_by_name(f->ref) : NULL;
    for (int i = 0; i < entity_count; i++) {
        f = entity_field(entity_table[i], key);
        if (f && f->type == &FT_REF)
            return entity_by_name(f->ref);
    }
    size_t n = strlen(key);
    if (n < 4 || strcmp(key + n - 3, "_id"))
        return NULL;
    for (int i = 0; i < entity_count; i++) {
        const char *sg = entity_table[i]->singular;
        size_t m = strlen(sg), stem = n - 3;
        if (m >= stem && !strncmp(sg + m - stem, key, stem) && (m == stem || sg[m - stem - 1] == '-'))
            return entity_table[i];
    }
    return NULL;
}

/* --client for --client-id, where the command takes --client-id (its entity has the field, or its usage
 * names the option). */
static void short_reference_names(cli *c, const char *usage)
{
    for (int i = 0; i < c->nopts; i++) {
        cli_option *o = &c->opts[i];
        char key[64], dashed[72];
        snprintf(key, sizeof key, "%s_id", o->key);
        if ((c->en && entity_field(c->en, o->key)) || strlen(o->key) > 50)
            continue;
        snprintf(dashed, sizeof dashed, "--%s", key);
        for (char *p = dashed; *p; p++)
            if (*p == '_')
                *p = '-';
        const field *f = c->en ? entity_field(c->en, key) : NULL;
        if ((f && f->type == &FT_REF) || (usage && strstr(usage, dashed))) {
            snprintf(c->keys[i], sizeof c->keys[i], "%s", key);
            o->key = c->keys[i];
        }
    }
}

/* The commands whose first argument is a record, by the entity it is of. */
static const struct {
    const char *name, *sub, *entity;
} record_args[] = {
    {"feedback", "act", "feedback"},  {"follow-up", NULL, "interactions"}, {"health", NULL, "clients"},
    {"latency", NULL, "clients"},     {"onboard", NULL, "clients"},        {"onboarding", NULL, "clients"},
    {"project", "scope", "projects"}, {"revenue", NULL, "clients"},        {"timeline", NULL, "clients"},
    {"token", "revoke", "tokens"},    {"webhook", "deliveries", "webhooks"}, {"webhook", "test", "webhooks"},
    {"webhook", "rotate-secret", "webhooks"},
};

static const entity *record_arg(const cli *c, const command *cmd, const char *verb)
{
    if (c->en && verb && (!strcmp(verb, "show") || !strcmp(verb, "edit") || !strcmp(verb, "rm")))
        return c->en;
    for (size_t i = 0; i < sizeof record_args / sizeof record_args[0]; i++)
        if (!strcmp(record_args[i].name, cmd->name) &&
            (!record_args[i].sub || (cmd->sub && !strcmp(record_args[i].sub, cmd->sub))))
            return entity_by_name(record_args[i].entity);
    return NULL;
}

int cli_resolve_refs(cli *c, const command *cmd, const char *verb, err_t *e)
{
    const entity *arg_entity = record_arg(c, cmd, verb);
    short_reference_names(c, cmd->usage);
    for (int i = 0; i < c->nopts; i++) {
        const entity *target = ref_target(c->en, c->opts[i].key);
        if (!target)
            continue;
        char opt[80];
        snprintf(opt, sizeof opt, "%s", c->opts[i].key);
        for (char *p = opt; *p; p++)
            if (*p == '_')
                *p = '-';
        int rc = cli_resolve(c, target, opt, c->opts[i].value, c->ids[i], e);
        if (rc == E_NOT_FOUND) /* a reference to nothing is invalid input, as the API says (exit 5) */
            e->code = rc = E_INVALID_REFERENCE;
        if (rc)
            return rc;
        c->opts[i].value = c->ids[i];
    }
    if (arg_entity && c->nargs >= 1) {
        int rc = cli_resolve(c, arg_entity, "id", c->args[0], c->ids[CLI_MAX_OPTS], e);
        if (rc)
            return rc;
        c->args[0] = c->ids[CLI_MAX_OPTS];
    }
    return 0;
}
