/* record: generic create, read, update and delete of any entity, driven by the entity table.
 *
 * Every call is scoped to the actor's workspace and passes access_check (core/access/access.h);
 * every write runs in one transaction with its entity's rules, its reference checks and its audit entry,
 * so a failure anywhere leaves nothing half-written. Records come out as JSON text appended to `out`,
 * written straight from the row without an intermediate tree. */
#ifndef RAPPORT_RECORD_H
#define RAPPORT_RECORD_H
#include "core/model/entity.h"
#include "util/ids.h"

int record_get(db *d, const actor *who, const entity *en, const char *id, strbuf *out, err_t *e);
/* record_get as a JSON object (NULL with e set when there is none), for code that works on records. */
json_t *record_read(db *d, const actor *who, const entity *en, const char *id, err_t *e);
/* record_get plus what the entity's describe hook adds: the one-record view people read (GET, show). */
int record_show(db *d, const actor *who, const entity *en, const char *id, strbuf *out, err_t *e);
int record_create(db *d, const actor *who, const entity *en, json_t *body, strbuf *out, err_t *e);
/* record_create for code that needs only the new record's id (id may be NULL); body stays the caller's. */
int record_create_id(db *d, const actor *who, const entity *en, json_t *body, char id[ID_MAX], err_t *e);
/* body must carry the `version` the caller read; a stale one is E_VERSION_CONFLICT. */
int record_update(db *d, const actor *who, const entity *en, const char *id, json_t *body, strbuf *out, err_t *e);
int record_delete(db *d, const actor *who, const entity *en, const char *id, err_t *e);

/* Appends [records of en in the actor's workspace matching where (SQL over alias r, with ? for args),
 * ordered by order], at most limit of them: the lists the practice's views embed. Only the rows the actor
 * may read (core/access): none, as [], when it may not read en at all. */
int record_emit_where(db *d, const actor *who, const entity *en, const char *where, const char *order, int limit,
                      const char *const *args, int nargs, strbuf *out, err_t *e);

/* Writes en's audit entry (when en is audited): action, the record's id, its JSON before and after. */
int record_audit(db *d, const actor *who, const entity *en, const char *action, const char *id, const char *before,
                 const char *after, err_t *e);
/* E_INVALID_REFERENCE naming f unless id is a record of f's entity in who's workspace. */
int record_check_reference(db *d, const actor *who, const field *f, const char *id, err_t *e);

/* Appends the row (read with entity_select_cols) as a JSON object. */
void record_emit(const entity *en, db_stmt *s, strbuf *out);

/* Lists. */
#define LIST_MAX_FILTERS 16
#define LIST_MAX_LIMIT 500
#define LIST_MAX_IDS 500
typedef struct list_query {
    int limit;
    const field *sort;
    int desc;
    char *cursor;
    char *q;
    int nfilters;
    struct {
        const field *f;
        field_value v;
        int set; /* a F_SET_FILTER field's ?NAME=true|false: 1 set, -1 not set, 0 an equality filter */
    } filters[LIST_MAX_FILTERS];
    int ncustom; /* ?custom.KEY=value: a custom field's value, as text */
    struct {
        char *key, *value;
    } custom[LIST_MAX_FILTERS];
    char **ids; /* ?id=a,b,c: only these records (up to LIST_MAX_IDS) */
    int nids;
} list_query;

/* "50" → 50 when a whole number from 1 to max; else E_INVALID_PARAMETER naming limit. Every paged view uses it. */
int list_parse_limit(const char *value, int max, int *out, err_t *e);
void list_query_init(list_query *q);
void list_query_clear(list_query *q);
/* Applies one query parameter (limit, cursor, sort, q, or a filter); E_INVALID_PARAMETER names it. */
int list_query_set(const entity *en, list_query *q, const char *key, const char *value, err_t *e);
/* Appends {"data": [...], "next_cursor": ...}. */
int record_list(db *d, const actor *who, const entity *en, const list_query *q, strbuf *out, err_t *e);

#endif
