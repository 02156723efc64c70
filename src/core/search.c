/* search: cross-entity full-text search (see search.h). The entity table says which entities and fields
 * are searchable; the backend supplies the match and snippet SQL. */
#include "search.h"

#include "record.h"

/* Two steps in one statement: the inner UNION ALL finds the newest matches of every searchable entity
 * (cheap: ids, titles, times), the outer query makes snippets for those few rows only. Making a snippet
 * re-reads and re-tokenises a row, so doing it before the LIMIT cost a query per match. */
int search_all(db *d, const actor *who, const char *words, int limit, strbuf *out, err_t *e)
{
    strbuf q = STRBUF_INIT, sql = STRBUF_INIT, inner = STRBUF_INIT, snippets = STRBUF_INIT;
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
        const char *cols[32];
        int ncols = 0;
        for (int f = 0; f < en->nfields && ncols < 32; f++)
            if (en->fields[f].flags & F_SEARCH)
                cols[ncols++] = en->fields[f].name;
        if (!ncols || who->role < en->read_role)
            continue;
        if (parts++)
            strbuf_adds(&inner, " UNION ALL ");
        strbuf_addf(&inner, "SELECT '%s' AS type, r.id AS id, %s AS title, r.updated_at AS at FROM \"%s\" r "
                            "WHERE r.workspace_id = ? AND ", en->singular, en->title_sql, en->name);
        d->be->fts_where(&inner, en->name, "r");
        strbuf_addf(&snippets, " WHEN '%s' THEN (SELECT ", en->singular);
        d->be->fts_snippet(&snippets, en->name, "r", cols, ncols);
        strbuf_addf(&snippets, " FROM \"%s\" r WHERE r.id = top.id)", en->name);
    }
    strbuf_addf(&sql, "SELECT top.type, top.id, top.title, CASE top.type%s END FROM (%s ORDER BY at DESC, id DESC "
                      "LIMIT ?) top ORDER BY top.at DESC, top.id DESC",
                snippets.buf, inner.buf);
    db_stmt *s;
    int rc = db_prepare(d, sql.buf, &s, e);
    if (rc >= 0) {
        int b = 1;
        for (int p = 0; p < parts; p++) /* the snippets' queries come first in the text */
            db_bind_text(s, b++, q.buf);
        for (int p = 0; p < parts; p++) {
            db_bind_text(s, b++, who->workspace_id);
            db_bind_text(s, b++, q.buf);
        }
        db_bind_int(s, b, limit);
        strbuf_adds(out, "{\"data\":[");
        int n = 0;
        while ((rc = db_step(s, e)) == DB_ROW) {
            strbuf_adds(out, n++ ? ",{\"type\":" : "{\"type\":");
            strbuf_add_json_str(out, db_col_text(s, 0, NULL));
            strbuf_adds(out, ",\"id\":");
            strbuf_add_json_str(out, db_col_text(s, 1, NULL));
            strbuf_adds(out, ",\"title\":");
            strbuf_add_json_str(out, db_col_text(s, 2, NULL));
            strbuf_adds(out, ",\"snippet\":");
            strbuf_add_json_str(out, db_col_text(s, 3, NULL));
            strbuf_addc(out, '}');
        }
        db_finalize(s);
        if (rc >= 0)
            strbuf_adds(out, "]}");
    }
    strbuf_release(&q);
    strbuf_release(&sql);
    strbuf_release(&inner);
    strbuf_release(&snippets);
    return rc < 0 ? rc : 0;
}
