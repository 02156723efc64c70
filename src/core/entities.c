/* entities: THE entity table — every record type Rapport stores, described once (see entity.h).
 * Their own rules live in rules.c; everything generic is driven from here. */
#include <string.h>

#include "entity.h"
#include "rules.h"

static const char *const ROLES[] = {"owner", "admin", "member", "viewer", NULL};
static const char *const CLIENT_KINDS[] = {"client", "customer", NULL};
static const char *const RELATIONSHIPS[] = {"loyalty", "transactional", "need_based", "advisory", NULL};
static const char *const STAGES[] = {"lead", "prospect", "active", "past", "lost", NULL};
static const char *const CADENCES[] = {"weekly", "biweekly", "monthly", "quarterly", "none", NULL};
static const char *const CHANNELS[] = {"email", "phone", "video", "in_person", "message", NULL};
static const char *const INTERACTION_TYPES[] = {"call", "email", "meeting", "message", "note", NULL};
static const char *const DIRECTIONS[] = {"inbound", "outbound", NULL};
static const char *const CUSTOM_ENTITIES[] = {"clients", "contacts", "interactions", NULL};
static const char *const CUSTOM_TYPES[] = {"text", "number", "date", "select", NULL};
static const char *const AUDIT_ACTIONS[] = {"create", "update", "delete", NULL};


static const field workspace_fields[] = {
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED | F_SORT, .label = "Name", .max = 200},
    {.name = "time_zone", .type = &FT_TEXT, .flags = F_LISTED, .label = "Time zone", .def = "\"UTC\"", .max = 64},
};

static const field user_fields[] = {
    {.name = "email", .type = &FT_EMAIL, .flags = F_REQUIRED | F_UNIQUE_ALL | F_LISTED | F_FILTER | F_SORT | F_PERSONAL,
     .label = "Email"},
    {.name = "name", .type = &FT_TEXT, .flags = F_LISTED | F_SORT | F_PERSONAL, .label = "Name", .max = 200},
    {.name = "role", .type = &FT_ENUM, .flags = F_REQUIRED | F_LISTED | F_FILTER, .label = "Role", .values = ROLES,
     .def = "\"member\""},
    {.name = "active", .type = &FT_BOOL, .flags = F_LISTED | F_FILTER | F_NOTNULL, .label = "Active", .def = "true"},
    {.name = "password", .type = &FT_PASSWORD, .flags = F_WRITEONLY, .label = "Password"},
};

static const field client_fields[] = {
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_LISTED | F_SEARCH | F_SORT, .label = "Name", .max = 200},
    {.name = "kind", .type = &FT_ENUM, .flags = F_FILTER | F_NOTNULL, .label = "Kind", .values = CLIENT_KINDS, .def = "\"client\""},
    {.name = "relationship_type", .type = &FT_ENUM, .flags = F_FILTER, .label = "Relationship", .values = RELATIONSHIPS},
    {.name = "stage", .type = &FT_ENUM, .flags = F_LISTED | F_FILTER | F_SORT | F_NOTNULL, .label = "Stage", .values = STAGES,
     .def = "\"lead\""},
    {.name = "owner_id", .type = &FT_REF, .flags = F_FILTER, .label = "Owner", .ref = "users"},
    {.name = "referred_by_id", .type = &FT_REF, .flags = F_FILTER, .label = "Referred by", .ref = "clients"},
    {.name = "email", .type = &FT_EMAIL, .flags = F_LISTED | F_SEARCH | F_FILTER | F_PERSONAL, .label = "Email"},
    {.name = "phone", .type = &FT_PHONE, .flags = F_PERSONAL, .label = "Phone"},
    {.name = "website", .type = &FT_URL, .flags = F_SEARCH, .label = "Website"},
    {.name = "started_at", .type = &FT_DATETIME, .flags = F_SORT, .label = "Client since"},
    {.name = "ended_at", .type = &FT_DATETIME, .flags = F_SORT, .label = "Client until"},
    {.name = "cadence", .type = &FT_ENUM, .flags = F_FILTER | F_NOTNULL, .label = "Update cadence", .values = CADENCES,
     .def = "\"none\""},
    {.name = "response_time_hours", .type = &FT_INT, .label = "Promised response (business hours)", .min = 0,
     .max = 10000},
    {.name = "preferred_channel", .type = &FT_ENUM, .flags = F_FILTER, .label = "Preferred channel", .values = CHANNELS},
    {.name = "point_of_contact_id", .type = &FT_REF, .label = "Point of contact", .ref = "contacts"},
    {.name = "tags", .type = &FT_TAGS, .flags = F_LISTED | F_FILTER | F_SEARCH | F_NOTNULL, .label = "Tags", .def = "[]"},
    {.name = "notes", .type = &FT_LONGTEXT, .flags = F_SEARCH, .label = "Notes"},
};

static const field contact_fields[] = {
    {.name = "client_id", .type = &FT_REF, .flags = F_REQUIRED | F_FILTER | F_LISTED, .label = "Client",
     .ref = "clients", .on_delete = REF_CASCADE},
    {.name = "first_name", .type = &FT_TEXT, .flags = F_LISTED | F_SEARCH | F_SORT | F_PERSONAL, .label = "First name",
     .max = 100},
    {.name = "last_name", .type = &FT_TEXT, .flags = F_LISTED | F_SEARCH | F_SORT | F_PERSONAL, .label = "Last name",
     .max = 100},
    {.name = "email", .type = &FT_EMAIL, .flags = F_LISTED | F_SEARCH | F_FILTER | F_PERSONAL, .label = "Email"},
    {.name = "phone", .type = &FT_PHONE, .flags = F_PERSONAL, .label = "Phone"},
    {.name = "title", .type = &FT_TEXT, .flags = F_SEARCH, .label = "Job title", .max = 200},
    {.name = "is_primary", .type = &FT_BOOL, .flags = F_FILTER | F_NOTNULL, .label = "Primary contact", .def = "false"},
};

static const field interaction_fields[] = {
    {.name = "client_id", .type = &FT_REF, .flags = F_REQUIRED | F_FILTER | F_LISTED, .label = "Client",
     .ref = "clients", .on_delete = REF_CASCADE},
    {.name = "contact_id", .type = &FT_REF, .flags = F_FILTER, .label = "Contact", .ref = "contacts"},
    {.name = "type", .type = &FT_ENUM, .flags = F_REQUIRED | F_FILTER | F_LISTED, .label = "Type",
     .values = INTERACTION_TYPES},
    {.name = "direction", .type = &FT_ENUM, .flags = F_FILTER, .label = "Direction", .values = DIRECTIONS},
    {.name = "occurred_at", .type = &FT_DATETIME, .flags = F_LISTED | F_SORT | F_NOTNULL, .label = "When"},
    {.name = "subject", .type = &FT_TEXT, .flags = F_LISTED | F_SEARCH, .label = "Subject", .max = 300},
    {.name = "summary", .type = &FT_LONGTEXT, .flags = F_SEARCH, .label = "Summary"},
};

static const field tag_fields[] = {
    {.name = "name", .type = &FT_TEXT, .flags = F_REQUIRED | F_UNIQUE | F_LISTED | F_SORT | F_FILTER, .label = "Name",
     .max = 50},
    {.name = "color", .type = &FT_TEXT, .flags = F_LISTED, .label = "Colour", .max = 20},
};

static const field token_fields[] = {
    {.name = "name", .type = &FT_TEXT, .flags = F_LISTED, .label = "Name", .max = 100},
    {.name = "user_id", .type = &FT_REF, .flags = F_LISTED | F_FILTER, .label = "User", .ref = "users",
     .on_delete = REF_CASCADE},
    {.name = "token_hash", .type = &FT_TEXT, .flags = F_HIDDEN | F_UNIQUE_ALL, .label = "Token hash", .max = 64},
};

static const field custom_field_fields[] = {
    {.name = "entity", .type = &FT_ENUM, .flags = F_REQUIRED | F_LISTED | F_FILTER, .label = "Entity",
     .values = CUSTOM_ENTITIES},
    {.name = "key", .type = &FT_SLUG, .flags = F_REQUIRED | F_UNIQUE | F_LISTED, .label = "Key",
     .unique_with = "entity"},
    {.name = "label", .type = &FT_TEXT, .flags = F_LISTED, .label = "Label", .max = 100},
    {.name = "type", .type = &FT_ENUM, .flags = F_REQUIRED | F_LISTED, .label = "Type", .values = CUSTOM_TYPES},
    {.name = "options", .type = &FT_TAGS, .flags = F_NOTNULL, .label = "Options (select)", .def = "[]"},
};

static const field audit_fields[] = {
    {.name = "action", .type = &FT_ENUM, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Action",
     .values = AUDIT_ACTIONS},
    {.name = "entity", .type = &FT_TEXT, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Entity"},
    {.name = "record_id", .type = &FT_TEXT, .flags = F_READONLY | F_LISTED | F_FILTER, .label = "Record"},
    {.name = "before", .type = &FT_JSON, .flags = F_READONLY, .label = "Before"},
    {.name = "after", .type = &FT_JSON, .flags = F_READONLY, .label = "After"},
};

#define FIELDS(a) a, (int)(sizeof a / sizeof a[0])

static const entity workspaces = {
    .name = "workspaces", .path = "workspaces", .singular = "workspace", .id_prefix = "ws",
    .title_sql = "r.name", .summary = "A firm's own space: every user and record belongs to exactly one.",
    .fields = FIELDS(workspace_fields), .ops = OP_LIST | OP_GET | OP_UPDATE,
    .flags = ENT_AUDITED | ENT_WORKSPACE_ROOT, .read_role = ROLE_VIEWER, .write_role = ROLE_OWNER, .since = 1};

static const entity users = {
    .name = "users", .path = "users", .singular = "user", .id_prefix = "usr", .title_sql = "r.email",
    .summary = "People who sign in, with a role: owner, admin, member or viewer.",
    .fields = FIELDS(user_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_ADMIN, .before_write = rules_user_before_write, .since = 1};

static const entity clients = {
    .name = "clients", .path = "clients", .singular = "client", .id_prefix = "cli", .title_sql = "r.name",
    .summary = "Companies and people the firm serves: leads, prospects, active and past clients.",
    .fields = FIELDS(client_fields), .ops = OP_ALL, .flags = ENT_CUSTOM | ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .before_write = rules_client_before_write, .after_write = rules_client_after_write,
    .since = 1};

static const entity contacts = {
    .name = "contacts", .path = "contacts", .singular = "contact", .id_prefix = "con",
    .title_sql = "TRIM(COALESCE(r.first_name, '') || ' ' || COALESCE(r.last_name, ''))",
    .summary = "People at a client.", .fields = FIELDS(contact_fields), .ops = OP_ALL,
    .flags = ENT_CUSTOM | ENT_AUDITED, .read_role = ROLE_VIEWER, .write_role = ROLE_MEMBER, .since = 1};

static const entity interactions = {
    .name = "interactions", .path = "interactions", .singular = "interaction", .id_prefix = "int",
    .title_sql = "COALESCE(r.subject, r.type)",
    .summary = "Every call, email, meeting, message and note, with its written summary.",
    .fields = FIELDS(interaction_fields), .ops = OP_ALL, .flags = ENT_CUSTOM | ENT_AUDITED,
    .read_role = ROLE_VIEWER, .write_role = ROLE_MEMBER, .before_write = rules_interaction_before_write,
    .indexes = (const char *const[]){"client_id, occurred_at", NULL}, .since = 1};

static const entity tags = {
    .name = "tags", .path = "tags", .singular = "tag", .id_prefix = "tag", .title_sql = "r.name",
    .summary = "Labels for clients; a client's tags are created here when first used.",
    .fields = FIELDS(tag_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_MEMBER, .since = 1};

static const entity tokens = {
    .name = "tokens", .path = "tokens", .singular = "token", .id_prefix = "tok", .title_sql = "r.name",
    .summary = "API tokens for scripts; the secret is shown once, only its hash is kept. DELETE revokes.",
    .fields = FIELDS(token_fields), .ops = OP_LIST | OP_GET | OP_CREATE | OP_DELETE, .flags = ENT_AUDITED,
    .read_role = ROLE_VIEWER, .write_role = ROLE_VIEWER, .self_field = "user_id",
    .before_write = rules_token_before_write, .since = 1};

static const entity custom_fields = {
    .name = "custom_fields", .path = "custom-fields", .singular = "custom-field", .id_prefix = "cf",
    .title_sql = "r.key", .summary = "Fields an admin adds to clients, contacts or interactions.",
    .fields = FIELDS(custom_field_fields), .ops = OP_ALL, .flags = ENT_AUDITED, .read_role = ROLE_VIEWER,
    .write_role = ROLE_ADMIN, .before_write = rules_custom_field_before_write, .since = 1};

static const entity audit = {
    .name = "audit", .path = "audit", .singular = "audit", .id_prefix = "aud", .title_sql = "r.entity",
    .summary = "Every change: who, when, which record, and the record before and after.",
    .fields = FIELDS(audit_fields), .ops = OP_LIST | OP_GET, .read_role = ROLE_ADMIN, .write_role = ROLE_SYSTEM,
    .since = 1};

const entity *const entity_table[] = {&workspaces, &users, &clients, &contacts, &interactions,
                                      &tags, &tokens, &custom_fields, &audit};
const int entity_count = (int)(sizeof entity_table / sizeof entity_table[0]);

int role_parse(const char *s)
{
    static const int roles[] = {ROLE_OWNER, ROLE_ADMIN, ROLE_MEMBER, ROLE_VIEWER};
    for (int i = 0; ROLES[i]; i++)
        if (s && !strcmp(s, ROLES[i]))
            return roles[i];
    return ROLE_NONE;
}

const char *role_name(int role)
{
    static const char *const names[] = {"none", "viewer", "member", "admin", "owner"};
    return role >= 0 && role <= ROLE_OWNER ? names[role] : "none";
}

const entity *entity_by_name(const char *name)
{
    for (int i = 0; i < entity_count; i++)
        if (!strcmp(entity_table[i]->name, name))
            return entity_table[i];
    return NULL;
}

const entity *entity_by_path(const char *path)
{
    for (int i = 0; i < entity_count; i++)
        if (!strcmp(entity_table[i]->path, path))
            return entity_table[i];
    return NULL;
}

const entity *entity_by_singular(const char *singular)
{
    for (int i = 0; i < entity_count; i++)
        if (!strcmp(entity_table[i]->singular, singular))
            return entity_table[i];
    return NULL;
}

const field *entity_field(const entity *en, const char *name)
{
    for (int i = 0; i < en->nfields; i++)
        if (!strcmp(en->fields[i].name, name))
            return &en->fields[i];
    return NULL;
}

static char *select_cols[sizeof entity_table / sizeof entity_table[0]];
/* SELECT of one record by id in a workspace; [1] adds the self-scoping condition */
static char *fetch_sql[sizeof entity_table / sizeof entity_table[0]][2];

/* Column order: id, created_at, updated_at, created_by, version, then every field, then custom. */
void entity_init(void)
{
    for (int i = 0; i < entity_count; i++) {
        if (select_cols[i])
            continue;
        const entity *en = entity_table[i];
        strbuf sb = STRBUF_INIT;
        strbuf_adds(&sb, "r.id, r.created_at, r.updated_at, r.created_by, r.version");
        for (int f = 0; f < en->nfields; f++)
            strbuf_addf(&sb, ", r.\"%s\"", en->fields[f].name);
        strbuf_adds(&sb, (en->flags & ENT_CUSTOM) ? ", r.custom" : ", NULL");
        select_cols[i] = strbuf_detach(&sb, NULL);
        for (int scoped = 0; scoped < 2; scoped++) {
            strbuf_addf(&sb, "SELECT %s FROM \"%s\" r WHERE r.id = ? AND r.workspace_id = ?", select_cols[i], en->name);
            if (scoped && en->self_field)
                strbuf_addf(&sb, " AND r.\"%s\" = ?", en->self_field);
            fetch_sql[i][scoped] = strbuf_detach(&sb, NULL);
        }
    }
}

const char *entity_fetch_sql(const entity *en, int self_scoped)
{
    for (int i = 0; i < entity_count; i++)
        if (entity_table[i] == en)
            return fetch_sql[i][self_scoped ? 1 : 0];
    return NULL;
}

const char *entity_select_cols(const entity *en)
{
    for (int i = 0; i < entity_count; i++)
        if (entity_table[i] == en)
            return select_cols[i];
    return NULL;
}
