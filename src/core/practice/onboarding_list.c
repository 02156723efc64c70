/* onboarding_list: every client being onboarded with its progress, in one grouped query — the web app's
 * Onboarding page lists them without reading each client's tasks (see lifecycle.h). */
#include "core/access/access.h"
#include "core/practice/lifecycle.h"

/* the first step not done yet, by position: its title, and when it falls due */
#define NEXT_STEP_SQL(col)                                                                                       \
    "(SELECT n." col " FROM tasks n WHERE n.client_id = c.id AND n.kind = 'onboarding' AND n.status <> 'done' " \
    "ORDER BY n.position, n.id LIMIT 1)"

int onboarding_list(db *d, const actor *who, int limit, strbuf *out, err_t *e)
{
    if (limit < 1 || limit > 1000)
        return err_set(e, E_INVALID_PARAMETER, "limit", "limit must be 1 to 1000");
    /* made of clients and their tasks: the actor lists both, and sees only what its scope allows */
    const entity *clients = entity_by_name("clients"), *tasks = entity_by_name("tasks");
    int rc = access_check(who, clients, OP_LIST, NULL, e);
    if (rc == 0)
        rc = access_check(who, tasks, OP_LIST, NULL, e);
    if (rc)
        return rc;
    strbuf sql = STRBUF_INIT;
    const char *scope_args[2 * ACCESS_SCOPE_MAX];
    strbuf_adds(&sql, "SELECT c.id, c.name, t.name, COUNT(k.id), SUM(CASE WHEN k.status = 'done' THEN 1 ELSE 0 END), "
                      NEXT_STEP_SQL("title") ", " NEXT_STEP_SQL("due_at") " "
                      "FROM clients c JOIN tasks k ON k.client_id = c.id AND k.kind = 'onboarding' "
                      "LEFT JOIN onboarding_templates t ON t.id = c.onboarding_template_id "
                      "WHERE c.workspace_id = ? AND k.workspace_id = ? AND c.onboarding_template_id IS NOT NULL");
    int nscope = access_scope_sql(who, clients, "c", &sql, scope_args);
    nscope += access_scope_sql(who, tasks, "k", &sql, scope_args + nscope);
    /* the least advanced first: they need the attention */
    strbuf_adds(&sql, " GROUP BY c.id, c.name, t.name "
                      "ORDER BY SUM(CASE WHEN k.status = 'done' THEN 1 ELSE 0 END) * 1.0 / COUNT(k.id), c.name, c.id "
                      "LIMIT ?");
    db_stmt *s;
    rc = db_prepare(d, sql.buf, &s, e);
    strbuf_release(&sql);
    if (rc < 0)
        return rc;
    db_bind_text(s, 1, who->workspace_id);
    db_bind_text(s, 2, who->workspace_id);
    for (int i = 0; i < nscope; i++)
        db_bind_text(s, 3 + i, scope_args[i]);
    db_bind_int(s, 3 + nscope, limit);
    strbuf_adds(out, "{\"data\":[");
    int n = 0;
    while ((rc = db_step(s, e)) == DB_ROW) {
        int64_t total = db_col_int(s, 3), done = db_col_int(s, 4);
        strbuf_adds(out, n++ ? ",{\"client_id\":" : "{\"client_id\":");
        strbuf_add_json_str(out, db_col_text(s, 0, NULL));
        strbuf_adds(out, ",\"client_name\":");
        strbuf_add_json_str(out, db_col_text(s, 1, NULL));
        strbuf_adds(out, ",\"template\":");
        strbuf_add_json_str(out, db_col_text(s, 2, NULL));
        strbuf_addf(out, ",\"done\":%lld,\"total\":%lld,\"percent\":%lld,\"next_step\":", (long long)done,
                    (long long)total, (long long)(total ? done * 100 / total : 0));
        if (db_col_type(s, 5) == DB_NULL) {
            strbuf_adds(out, "null");
        } else {
            strbuf_adds(out, "{\"title\":");
            strbuf_add_json_str(out, db_col_text(s, 5, NULL));
            strbuf_adds(out, ",\"due_at\":");
            strbuf_add_json_str(out, db_col_text(s, 6, NULL));
            strbuf_addc(out, '}');
        }
        strbuf_addc(out, '}');
    }
    db_finalize(s);
    if (rc < 0)
        return rc;
    strbuf_adds(out, "]}");
    return 0;
}
