/* attention: what a client's page must show at a glance (the describe hook of clients) — conversations
 * still without a summary, open and overdue tasks, open tickets, and when the next update is due under
 * its cadence. One query of indexed counts; read on GET /clients/{id} and `rapport client show`. */
#include <string.h>

#include "util/clock.h"
#include "core/access/access.h"
#include "core/practice/lifecycle.h"
#include "core/rules/rules.h"

int client_attention(db *d, const actor *who, const char *id, strbuf *out, err_t *e)
{
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    /* counts of what the actor may read only: without all three, the page shows no attention block */
    static const char *const counted[] = {"interactions", "tasks", "tickets"};
    for (int i = 0; i < 3; i++)
        if (!access_may(who, entity_by_name(counted[i]), OP_LIST))
            return 0;
    db_stmt *s;
    /* the client was just read in the actor's workspace (and scope), and ids are unique across workspaces:
     * client_id alone keeps every count on its client's own index entries */
    const char *args[] = {id, id, id, now, id, id};
    int rc = db_query_row(
        d, &s, e,
        "SELECT (SELECT COUNT(*) FROM interactions WHERE client_id = ? AND needs_summary = TRUE), "
        "(SELECT COUNT(*) FROM tasks WHERE client_id = ? AND status = 'open'), "
        "(SELECT COUNT(*) FROM tasks WHERE client_id = ? AND status = 'open' AND due_at < ?), "
        "(SELECT COUNT(*) FROM tickets WHERE client_id = ? AND status <> 'resolved'), "
        "(SELECT MAX(i.occurred_at) FROM interactions i WHERE i.client_id = ? AND " CHECKIN_UPDATE_SQL ")",
        6, args);
    if (rc != DB_ROW)
        return rc < 0 ? rc : 0;
    /* written straight into the page: building a jansson object to dump took 6 % of a get's time */
    strbuf_addf(out,
                ",\"attention\":{\"conversations_without_summary\":%lld,\"open_tasks\":%lld,\"overdue_tasks\":%lld,"
                "\"open_tickets\":%lld,\"last_update_at\":",
                (long long)db_col_int(s, 0), (long long)db_col_int(s, 1), (long long)db_col_int(s, 2),
                (long long)db_col_int(s, 3));
    strbuf_add_json_str(out, db_col_text(s, 4, NULL));
    strbuf_addc(out, '}');
    db_finalize(s);
    return 0;
}
