/* entity: the descriptors of Rapport's record types, and THE entity table.
 *
 * Each entity is described once — its fields with their type, flags, enum values and references, the
 * roles that may read and write it, and its own rules as hooks — and that description drives the SQL
 * schema (schema.c), validation and JSON in and out (record.c), list filters and sorting (list.c),
 * OpenAPI (openapi.c), the REST routes (http/) and the CLI's options and columns (cmd/). Adding an entity
 * is one entry in entities.c plus a migration step plus its own rules. */
#ifndef RAPPORT_ENTITY_H
#define RAPPORT_ENTITY_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/err.h"
#include "util/ids.h"
#include "util/strbuf.h"

/* ROLE_SYSTEM is the program itself (init, migrations, the audit writer): it passes every check. */
enum role { ROLE_NONE = 0, ROLE_VIEWER = 1, ROLE_MEMBER = 2, ROLE_ADMIN = 3, ROLE_OWNER = 4, ROLE_SYSTEM = 5 };
int role_parse(const char *s);
const char *role_name(int role);

/* What kind of principal acts. A user signed in (or named on the command line), an API token (which
 * carries its owner's role), the program itself with no person behind it (init, migrations, scheduled
 * work), or a client's contact signed in to the portal, who must carry a client scope. */
enum principal { PRINCIPAL_USER = 0, PRINCIPAL_TOKEN = 1, PRINCIPAL_SYSTEM = 2, PRINCIPAL_CLIENT_CONTACT = 3 };

/* Who is acting: every core call carries one, and every query is scoped to its workspace. What it may do
 * is decided in one place, core/access/access.h, from its role, kind and client scope. */
typedef struct actor {
    char user_id[ID_MAX];
    char workspace_id[ID_MAX];
    int role;
    int kind;               /* enum principal */
    char client_id[ID_MAX]; /* client scope: only this client's records ("" for none) */
    char session_hash[65]; /* the hash of the session cookie this actor came with, or "" (a password change
                            * ends the user's other sessions, not this one) */
} actor;

enum field_flag {
    F_REQUIRED = 1 << 0,   /* must be present and non-null on create; never set to null */
    F_UNIQUE = 1 << 1,     /* unique within a workspace */
    F_UNIQUE_ALL = 1 << 2, /* unique across all workspaces (a user's login email) */
    F_READONLY = 1 << 3,   /* set by the server only */
    F_LISTED = 1 << 4,     /* a column in the CLI's tables */
    F_SEARCH = 1 << 5,     /* in the full-text index */
    F_FILTER = 1 << 6,     /* ?field=value equality filter, indexed */
    F_SORT = 1 << 7,       /* ?sort=field */
    F_PERSONAL = 1 << 8,   /* personal data (exports, erasure) */
    F_WRITEONLY = 1 << 9,  /* accepted, never returned (passwords) */
    F_HIDDEN = 1 << 10,    /* neither accepted nor returned (token hashes) */
    F_NOTNULL = 1 << 11,   /* optional on input but never null: a default or a rule fills it (NOT NULL column,
                            * so sorting by it needs no COALESCE and can walk an index) */
    F_SET_FILTER = 1 << 12, /* a moment NAME_at whose being set is a state: ?NAME=true|false filters by it
                             * (a feedback's acted_on_at gives ?acted_on=true) */
};

enum ref_delete { REF_SET_NULL = 0, REF_CASCADE = 1, REF_RESTRICT = 2 };

typedef struct field field;

/* The most fields an entity may have: the write and import paths hold one value per field in arrays of
 * this size. entity_init refuses a table with more, rather than a write dropping the columns past it. */
#define ENTITY_MAX_FIELDS 64

/* One allowed change of an enum field's value (a status): from → to. A field's list ends with {NULL}. */
typedef struct field_move {
    const char *from, *to;
} field_move;

/* A column value after validation: text (owned, malloc'd), integer, or NULL. */
typedef struct field_value {
    int is_null, is_int;
    int64_t i;
    char *s;
} field_value;

/* A field type is a small interface, like Redis's typed config values. */
typedef struct field_type {
    const char *name;
    int db_kind;
    const char *json_type;   /* OpenAPI type */
    const char *json_format; /* OpenAPI format, or NULL */
    /* Validates JSON `in` (never JSON null) for f and stores the column value. */
    int (*parse)(const field *f, json_t *in, field_value *v, err_t *e);
    /* Turns command-line or query-string text into the JSON this type parses. */
    json_t *(*from_text)(const field *f, const char *text);
    /* Appends the column's (non-NULL) value as JSON. */
    void (*emit)(const field *f, db_stmt *s, int col, strbuf *out);
    /* One line of text (names, subjects, emails): control characters are refused, so none reaches a
     * terminal's table, an email header or a CSV row raw. Multi-line types keep newlines and tabs. */
    int one_line;
} field_type;

extern const field_type FT_TEXT, FT_LONGTEXT, FT_EMAIL, FT_URL, FT_PHONE, FT_ENUM, FT_INT, FT_BOOL, FT_DATE,
    FT_DATETIME, FT_REF, FT_TAGS, FT_PASSWORD, FT_JSON, FT_JSON_ARRAY, FT_SLUG, FT_MONEY, FT_CURRENCY;

struct field {
    const char *name;
    const field_type *type;
    unsigned flags;
    const char *label;
    const char *const *values; /* enum values, NULL-terminated */
    /* enum only: the changes of value an update may make (NULL: any), checked in one place, transition.c;
     * creating a record may start it in any value */
    const field_move *moves;
    const char *ref;           /* referenced entity's name */
    int on_delete;             /* enum ref_delete */
    int64_t min, max;          /* integers: bounds; text: max length (0 = type default) */
    const char *def;           /* default on create, as JSON text */
    const char *unique_with;   /* F_UNIQUE together with this other field */
    int since;                 /* migration that added it (0 = with the entity) */
};

typedef struct entity entity;

/* What a hook may do to a write: add server-set fields to `body` (they are trusted), look at `old` (the
 * record before a PATCH, NULL on create), and add keys to the response via `extra`. */
typedef struct write_ctx {
    db *d;
    const actor *who;
    const entity *en;
    json_t *body;
    json_t *old;
    json_t *extra;
    const char *id; /* the record's id (new or patched) */
    err_t *e;
} write_ctx;

enum entity_op { OP_LIST = 1, OP_GET = 2, OP_CREATE = 4, OP_UPDATE = 8, OP_DELETE = 16, OP_ALL = 31 };
enum entity_flag {
    ENT_CUSTOM = 1,         /* carries workspace-defined custom fields */
    ENT_AUDITED = 2,        /* every change is written to the audit log */
    ENT_WORKSPACE_ROOT = 4, /* the workspace record itself: its workspace_id is its id */
};

struct entity {
    const char *name;       /* table, audit and JSON name: "custom_fields" */
    const char *path;       /* REST resource: "custom-fields" */
    const char *singular;   /* CLI noun and search result type: "custom-field" */
    const char *id_prefix;
    const char *title_sql;  /* SQL expression over alias r naming a record in search results */
    const char *summary;    /* one line for help and OpenAPI */
    const field *fields;
    int nfields;
    unsigned ops, flags;
    int read_role, write_role;
    /* Rows visible only where this field equals the caller's user id, for roles below admin (access.h). */
    const char *self_field;
    /* With self_field: rows where this boolean is true are visible to everyone who may read the entity
     * (writes to them stay the owner's, by the entity's rules). */
    const char *shared_field;
    /* Runs first in a write, before its moves are checked: sets what the write implies (a paid_on pays
     * an invoice), so the move checked is the one the write makes. */
    int (*imply)(write_ctx *c);
    /* Words a refused move (a won deal is final, since when); NULL: "a deal cannot go from X to Y". */
    int (*refuse_move)(write_ctx *c, const field *f, const char *from, const char *to);
    int (*before_write)(write_ctx *c);
    int (*after_write)(write_ctx *c);
    /* Runs before a DELETE with `old` the record (body empty); an error refuses the delete. */
    int (*before_delete)(write_ctx *c);
    /* Extra composite indexes for the queries this entity serves most ("client_id, occurred_at"). */
    const char *const *indexes;
    /* Keys a single read adds beyond the stored fields (a client's "attention"), appended to out as
     * `,"key":value` members of the record's object; NULL for none. */
    int (*describe)(db *d, const actor *who, const char *id, strbuf *out, err_t *e);
    /* SQL over alias r: this record's moment on its client's timeline (NULL: not on timelines) */
    const char *timeline_at;
    int since; /* migration that created it */
};

extern const entity *const entity_table[];
extern const int entity_count;

const entity *entity_by_name(const char *name);
const entity *entity_by_path(const char *path);
const entity *entity_by_singular(const char *singular);
const field *entity_field(const entity *en, const char *name);
/* The SELECT column list for a record (alias r), built once at start. */
const char *entity_select_cols(const entity *en);
/* The SELECT of one record by id and workspace, built once (core/access adds a row scope to it). */
const char *entity_fetch_sql(const entity *en);
/* Builds the SQL above and checks the table (entity_check); a table that fails is a programmer error,
 * and entity_init stops the program with BUG() naming the entity and field at fault. */
void entity_init(void);
/* One entity's description against the rules the program relies on: at most ENTITY_MAX_FIELDS fields,
 * moves only on enum fields and naming their values. 0, or E_INTERNAL with e naming what is wrong. */
int entity_check(const entity *en, err_t *e);
/* entity_check over a table; BUG() on the first failure. */
void entity_table_check(const entity *const *table, int n);

/* Text (command line, query string) to a validated column value; frees with field_value_clear. */
int field_parse_text(const field *f, const char *text, field_value *v, err_t *e);
int field_parse_json(const field *f, json_t *in, field_value *v, err_t *e);
void field_value_clear(field_value *v);
/* True when s is one of the enum field f's values (false for NULL, or a field without values). */
int field_has_value(const field *f, const char *s);
void field_bind(db_stmt *s, int i, const field_value *v);

#endif
