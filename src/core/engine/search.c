/* search: cross-entity full-text search (see search.h). The entity table says which entities and fields
 * are searchable; the backend supplies the match and snippet SQL. */
#include "core/engine/search.h"

#include <stdlib.h>
#include <string.h>

#include "core/access/access.h"
#include "core/engine/record.h"
#include "core/engine/snippet.h"

/* Each searchable entity gives its newest matches, at most `limit`, in the order its index yields them
 * (so the LIMIT stops the walk early, however many rows match); the outer query merges them by when they
 * were recorded, and only then fetches the title and text of the rows shown, from which the snippets
 * are cut here: the same on every backend. */
int search_all(db *d, const actor *who, const char *words, int limit, strbuf *out, err_t *e)
{
    strbuf q = STRBUF_INIT, sql = STRBUF_INIT, inner = STRBUF_INIT, cols = STRBUF_INIT;
    d->be->fts_query(d, &q, words);
    if (!q.len) {
        strbuf_release(&q);
        return err_set(e, E_INVALID_PARAMETER, "q", "q must hold at least one word");
    }
    if (limit < 1 || limit > LIST_MAX_LIMIT) {
        strbuf_release(&q);
        return err_set(e, E_INVALID_PARAMETER, "limit", "limit must be from 1 to %d", LIST_MAX_LIMIT);
    }
    int parts = 0;
    /* each part's row-scope values (a member's own rows, a client's contact's client), NULL-padded */
    const char *(*scope_args)[ACCESS_SCOPE_MAX] = calloc((size_t)entity_count, sizeof *scope_args);
    if (!scope_args) {
        strbuf_release(&q);
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    }
    strbuf_adds(&cols, "CASE top.type");
    for (int i = 0; i < entity_count; i++) {
        const entity *en = entity_table[i];
        int searchable = 0;
        for (int f = 0; f < en->nfields; f++)
            searchable |= (en->fields[f].flags & F_SEARCH) != 0;
        if (!searchable || !access_may(who, en, OP_LIST)) /* only what the actor may read */
            continue;
        if (parts++)
            strbuf_adds(&inner, " UNION ALL ");
        strbuf_addf(&inner, "SELECT * FROM (SELECT '%s' AS type, r.id AS id, r.created_at AS at FROM ", en->singular);
        d->be->fts_from(&inner, en->name, "r");
        strbuf_adds(&inner, " WHERE ");
        d->be->fts_where(&inner, en->name, "r");
        strbuf_adds(&inner, " AND r.workspace_id = ?");
        access_scope_sql(who, en, "r", &inner, scope_args[parts - 1]);
        strbuf_adds(&inner, " ORDER BY ");
        d->be->fts_newest(&inner, en->name, "r");
        strbuf_addf(&inner, " LIMIT ?) AS \"%s_hits\"", en->name);
        /* title and searchable text, for the rows shown only */
        /* the unit separator (0x1f) as a literal byte: portable, and never in a title */
        strbuf_addf(&cols, " WHEN '%s' THEN (SELECT %s || '\x1f' || ", en->singular, en->title_sql);
        int k = 0;
        for (int f = 0; f < en->nfields; f++)
            if (en->fields[f].flags & F_SEARCH)
                strbuf_addf(&cols, "%sCOALESCE(r.\"%s\", '')", k++ ? " || ' ' || " : "", en->fields[f].name);
        strbuf_addf(&cols, " FROM \"%s\" r WHERE r.id = top.id)", en->name);
    }
    strbuf_adds(&cols, " END");
    if (!parts) /* the actor may read nothing searchable */
        strbuf_adds(&sql, "SELECT 'none', 'none', 'none' WHERE ? < 0");
    else
        strbuf_addf(&sql, "SELECT top.type, top.id, %s FROM (%s) AS top ORDER BY top.at DESC, top.id DESC LIMIT ?",
                    cols.buf, inner.buf);
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e);
    if (rc >= 0) {
        int b = 1;
        for (int p = 0; p < parts; p++) {
            db_bind_text(s, b++, q.buf);
            db_bind_text(s, b++, who->workspace_id);
            for (int k = 0; k < ACCESS_SCOPE_MAX && scope_args[p][k]; k++)
                db_bind_text(s, b++, scope_args[p][k]);
            db_bind_int(s, b++, limit);
        }
        db_bind_int(s, b, limit);
        strbuf_adds(out, "{\"data\":[");
        strbuf snip = STRBUF_INIT;
        int n = 0;
        while ((rc = db_step(s, e)) == DB_ROW) {
            const char *tb = db_col_text(s, 2, NULL);
            const char *sep = tb ? strchr(tb, 31) : NULL; /* title, unit separator, text */
            strbuf_adds(out, n++ ? ",{\"type\":" : "{\"type\":");
            strbuf_add_json_str(out, db_col_text(s, 0, NULL));
            strbuf_adds(out, ",\"id\":");
            strbuf_add_json_str(out, db_col_text(s, 1, NULL));
            strbuf_adds(out, ",\"title\":");
            strbuf_add_json_strn(out, tb ? tb : "", sep ? (size_t)(sep - tb) : tb ? strlen(tb) : 0);
            strbuf_adds(out, ",\"snippet\":");
            strbuf_reset(&snip);
            snippet_make(sep ? sep + 1 : "", words, &snip);
            strbuf_add_json_strn(out, snip.buf, snip.len);
            strbuf_addc(out, '}');
        }
        strbuf_release(&snip);
        db_finalize(s);
        if (rc >= 0)
            strbuf_adds(out, "]}");
    }
    free(scope_args);
    strbuf_release(&q);
    strbuf_release(&sql);
    strbuf_release(&inner);
    strbuf_release(&cols);
    return rc < 0 ? rc : 0;
}
