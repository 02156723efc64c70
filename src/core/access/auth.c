/* auth: tokens, sessions, passwords (see auth.h). */
#include "core/access/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/access/token_use.h"
#include "util/clock.h"

/* Reads (user id, workspace id, role, active) from columns 0..3 into an actor. */
static int read_actor(db_stmt *s, actor *out, err_t *e)
{
    if (!db_col_int(s, 3))
        return err_set(e, E_UNAUTHORIZED, NULL, "this user is deactivated");
    snprintf(out->user_id, sizeof out->user_id, "%s", db_col_text(s, 0, NULL));
    snprintf(out->workspace_id, sizeof out->workspace_id, "%s", db_col_text(s, 1, NULL));
    out->role = role_parse(db_col_text(s, 2, NULL));
    out->kind = PRINCIPAL_USER;
    out->client_id[0] = '\0'; /* a user of the firm: no client scope */
    return 0;
}

static int lookup(db *d, const char *sql, int n, const char *const *args, actor *out, err_t *e, const char *what)
{
    db_stmt *s;
    int rc = db_query_row(d, &s, e, sql, n, args);
    if (rc == DB_DONE)
        return err_set(e, E_UNAUTHORIZED, NULL, "%s", what);
    if (rc < 0)
        return rc;
    rc = read_actor(s, out, e);
    db_finalize(s);
    return rc;
}

int auth_by_token(db *d, const char *token, actor *out, err_t *e)
{
    if (!token || strlen(token) > AUTH_SECRET_MAX)
        return err_set(e, E_UNAUTHORIZED, NULL, "unknown or revoked token");
    char hash[65], now[CLOCK_RFC3339_LEN];
    id_hash_secret(token, hash);
    clock_format(clock_now(), now);
    const char *args[] = {hash, now};
    db_stmt *s;
    int rc = db_query_row(d, &s, e,
                          "SELECT u.id, u.workspace_id, u.role, u.active, t.id, t.last_used_at FROM tokens t "
                          "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? "
                          "AND (t.expires_at IS NULL OR t.expires_at > ?)",
                          2, args);
    if (rc == DB_DONE)
        return err_set(e, E_UNAUTHORIZED, NULL, "unknown, expired or revoked token");
    if (rc < 0)
        return rc;
    rc = read_actor(s, out, e);
    if (rc == 0) { /* the last use is written later, by the background worker, at most hourly */
        out->kind = PRINCIPAL_TOKEN;
        token_use_note(db_col_text(s, 4, NULL), db_col_text(s, 5, NULL));
    }
    db_finalize(s);
    return rc;
}

int auth_by_session(db *d, const char *session, actor *out, err_t *e)
{
    if (!session || strlen(session) > AUTH_SECRET_MAX)
        return err_set(e, E_UNAUTHORIZED, NULL, "no session; sign in again");
    char hash[65], now[CLOCK_RFC3339_LEN];
    id_hash_secret(session, hash);
    clock_format(clock_now(), now);
    const char *args[] = {hash, now};
    int rc = lookup(d,
                    "SELECT u.id, u.workspace_id, u.role, u.active FROM sessions s JOIN users u ON u.id = s.user_id "
                    "WHERE s.id_hash = ? AND s.expires_at > ?",
                    2, args, out, e, "the session has ended; sign in again");
    if (rc == 0)
        snprintf(out->session_hash, sizeof out->session_hash, "%s", hash);
    return rc;
}

int auth_end_sessions(db *d, const actor *who, const char *user_id, err_t *e)
{
    db_stmt *s;
    const char *args[] = {user_id, who->workspace_id, who->session_hash};
    int rc = db_query_row(d, &s, e, "DELETE FROM sessions WHERE user_id = ? AND workspace_id = ? AND id_hash <> ?", 3,
                          args);
    return rc < 0 ? rc : 0;
}

/* A fixed hash to verify against when the email is unknown, so timing does not reveal accounts. */
static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void)
{
    if (crypto_pwhash_str(dummy, "not a password", 14, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE))
        dummy[0] = '\0';
}

int auth_login(db *d, const char *email, const char *password, actor *out, char session_out[AUTH_SECRET_MAX],
               err_t *e)
{
    pthread_once(&dummy_once, make_dummy);
    if (!dummy[0])
        return err_set(e, E_INTERNAL, NULL, "out of memory");
    db_stmt *s;
    const char *args[] = {email};
    int rc = db_query_row(d, &s, e, "SELECT id, workspace_id, role, active, password FROM users WHERE email = ?", 1,
                          args);
    if (rc < 0)
        return rc;
    int found = rc == DB_ROW;
    const char *hash = found ? db_col_text(s, 4, NULL) : NULL;
    int ok = crypto_pwhash_str_verify(hash ? hash : dummy, password, strlen(password)) == 0 && hash;
    rc = ok ? read_actor(s, out, e) : 0;
    if (found)
        db_finalize(s);
    if (!ok || rc < 0) /* a deactivated account answers as a wrong password does: nothing to learn */
        return err_set(e, E_UNAUTHORIZED, NULL, "wrong email or password");
    char secret[80], hashed[65], now[CLOCK_RFC3339_LEN], expires[CLOCK_RFC3339_LEN];
    id_secret(32, secret, sizeof secret);
    snprintf(session_out, AUTH_SECRET_MAX, "%s", secret);
    id_hash_secret(secret, hashed);
    int64_t t = clock_now();
    clock_format(t, now);
    clock_format(t + AUTH_SESSION_DAYS * 86400, expires);
    const char *ins[] = {hashed, out->user_id, out->workspace_id, now, expires};
    /* a transaction of its own: on SQLite it then queues for the writer like any write, instead of
     * meeting SQLITE_BUSY and its back-off while a batch commits */
    if ((rc = db_begin(d, e)) < 0)
        return rc;
    rc = db_query_row(d, &s, e,
                      "INSERT INTO sessions (id_hash, user_id, workspace_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                      5, ins);
    const char *old[] = {now};
    if (rc >= 0)
        rc = db_query_row(d, &s, e, "DELETE FROM sessions WHERE expires_at <= ?", 1, old);
    if (rc < 0) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d, e);
}

int auth_logout(db *d, const char *session, err_t *e)
{
    char hash[65];
    id_hash_secret(session, hash);
    db_stmt *s;
    const char *args[] = {hash};
    int rc = db_begin(d, e);
    if (rc == 0 && (rc = db_query_row(d, &s, e, "DELETE FROM sessions WHERE id_hash = ?", 1, args)) >= 0)
        return db_commit(d, e);
    db_rollback(d);
    return rc;
}

int auth_actor_by_email(db *d, const char *email, actor *out, err_t *e)
{
    db_stmt *s;
    const char *args[] = {email};
    int rc = db_query_row(d, &s, e, "SELECT id, workspace_id, role, 1 FROM users WHERE email = ?", 1, args);
    if (rc == DB_DONE)
        return err_set(e, E_NOT_FOUND, "user", "no user with email %.100s", email);
    if (rc < 0)
        return rc;
    rc = read_actor(s, out, e);
    db_finalize(s);
    return rc;
}

int auth_default_actor(db *d, actor *out, err_t *e)
{
    db_stmt *s;
    int rc = db_query_row(d, &s, e,
                          "SELECT u.id, u.workspace_id, u.role, 1, (SELECT COUNT(*) FROM workspaces) FROM users u "
                          "WHERE u.role = 'owner' ORDER BY u.created_at, u.id LIMIT 1",
                          0, NULL);
    if (rc == DB_DONE)
        return err_set(e, E_USAGE, "db", "the database has no workspace yet: run rapport init first");
    if (rc < 0)
        return rc;
    int64_t n = db_col_int(s, 4);
    if (n > 1) {
        db_finalize(s);
        return err_set(e, E_USAGE, "as", "the database holds %lld workspaces: say whose with --as EMAIL", (long long)n);
    }
    rc = read_actor(s, out, e);
    db_finalize(s);
    return rc;
}
