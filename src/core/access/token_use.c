/* token_use: last-used times of API tokens, off the request path (see token_use.h). */
#include "core/access/token_use.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "util/clock.h"

#define PENDING_MAX 256

static char pending[PENDING_MAX][ID_MAX];
static int npending;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void token_use_note(const char *id, const char *last_used)
{
    int64_t now = clock_now(), then;
    if (last_used && clock_parse(last_used, &then) == 0 && now - then < TOKEN_USE_EVERY_S)
        return;
    pthread_mutex_lock(&lock);
    int seen = 0;
    for (int i = 0; i < npending && !seen; i++)
        seen = !strcmp(pending[i], id);
    if (!seen && npending < PENDING_MAX)
        snprintf(pending[npending++], ID_MAX, "%s", id);
    pthread_mutex_unlock(&lock);
}

int token_use_flush(db *d, err_t *e)
{
    static char batch[PENDING_MAX][ID_MAX]; /* only the one background thread flushes */
    pthread_mutex_lock(&lock);
    int n = npending;
    memcpy(batch, pending, sizeof batch[0] * (size_t)n);
    npending = 0;
    pthread_mutex_unlock(&lock);
    if (!n)
        return 0;
    char now[CLOCK_RFC3339_LEN];
    clock_format(clock_now(), now);
    int rc = db_begin(d, e);
    for (int i = 0; i < n && rc >= 0; i++) {
        db_stmt *s;
        const char *args[] = {now, batch[i]};
        rc = db_query_row(d, &s, e, "UPDATE tokens SET last_used_at = ? WHERE id = ?", 2, args);
    }
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d, e);
}
