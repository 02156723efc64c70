/* search: cross-entity full-text search (see search.h). The entity table says which entities and fields
 * are searchable; the backend supplies the match and snippet SQL. */
#include "search.h"

#include "record.h"
#include "snippet.h"

/* The newest matches of every searchable entity in one UNION ALL, each row carrying its searchable
 * text; the snippets are cut here from the rows shown, the same on every backend. */
int search_all(db *d, const actor *who, const char *words, int limit, strbuf *out, err_t *e)
{
    strbuf q = STRBUF_INIT, sql = STRBUF_INIT;
    d->be->fts_query(&q, words);
    if (!q.len) {
        strbuf_release(&q);
        return err_set(e, E_INVALID_PARAMETER, "q", "q must hold at least one word");
    }
    if (limit < 1 || limit > LIST_MAX_LIMIT) {
        strbuf_release(&q);
        return err_set(e, E_INVALID_PARAMETER, "limit", "limit must be from 1 to %d", LIST_MAX_LIMIT);
    }
    int parts = 0;
    for (int i = 0; i < entity_count; i++) {
        const entity *en = entity_table[i];
        int searchable = 0;
        for (int f = 0; f < en->nfields; f++)
            searchable |= (en->fields[f].flags & F_SEARCH) != 0;
        if (!searchable || who->role < en->read_role)
            continue;
        if (parts++)
            strbuf_adds(&sql, " UNION ALL ");
        strbuf_addf(&sql, "SELECT '%s' AS type, r.id AS id, %s AS title, r.updated_at AS at, ", en->singular,
                    en->title_sql);
        int k = 0;
        for (int f = 0; f < en->nfields; f++)
            if (en->fields[f].flags & F_SEARCH)
                strbuf_addf(&sql, "%sCOALESCE(r.\"%s\", '')", k++ ? " || ' ' || " : "", en->fields[f].name);
        strbuf_adds(&sql, " AS body FROM ");
        d->be->fts_from(&sql, en->name, "r");
        strbuf_adds(&sql, " WHERE ");
        d->be->fts_where(&sql, en->name, "r");
        strbuf_adds(&sql, " AND r.workspace_id = ?");
    }
    strbuf_adds(&sql, " ORDER BY at DESC, id DESC LIMIT ?");
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e);
    if (rc >= 0) {
        int b = 1;
        for (int p = 0; p < parts; p++) {
            db_bind_text(s, b++, q.buf);
            db_bind_text(s, b++, who->workspace_id);
        }
        db_bind_int(s, b, limit);
        strbuf_adds(out, "{\"data\":[");
        strbuf snip = STRBUF_INIT;
        int n = 0;
        while ((rc = db_step(s, e)) == DB_ROW) {
            strbuf_adds(out, n++ ? ",{\"type\":" : "{\"type\":");
            strbuf_add_json_str(out, db_col_text(s, 0, NULL));
            strbuf_adds(out, ",\"id\":");
            strbuf_add_json_str(out, db_col_text(s, 1, NULL));
            strbuf_adds(out, ",\"title\":");
            strbuf_add_json_str(out, db_col_text(s, 2, NULL));
            strbuf_adds(out, ",\"snippet\":");
            strbuf_reset(&snip);
            snippet_make(db_col_text(s, 4, NULL), words, &snip);
            strbuf_add_json_strn(out, snip.buf, snip.len);
            strbuf_addc(out, '}');
        }
        strbuf_release(&snip);
        db_finalize(s);
        if (rc >= 0)
            strbuf_adds(out, "]}");
    }
    strbuf_release(&q);
    strbuf_release(&sql);
    return rc < 0 ? rc : 0;
}
