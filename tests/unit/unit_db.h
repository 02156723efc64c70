/* unit_db: a fresh SQLite file with the whole schema and one workspace, for the unit tests that need a
 * real database (header-only: each test is one file linked against the library objects). Like a server
 * on SQLite, it has a secret key (util/secret.h): webhook secrets are sealed under it. */
#ifndef RAPPORT_UNIT_DB_H
#define RAPPORT_UNIT_DB_H
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/engine/schema.h"
#include "core/access/workspace.h"
#include "util/secret.h"

/* path is a mkstemp template, rewritten to the file made; returns 0, or -1 after saying why on stderr. */
static inline int unit_db_open(char *path, const char *firm, db **d, actor *owner)
{
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    err_t e;
    entity_init();
    static const unsigned char key[32] = "unit-test-key-unit-test-key-1234";
    secret_set_key(key);
    if (fd < 0 || db_open(path, d, &e) < 0 || schema_migrate(*d, &e) < 0 ||
        workspace_create(*d, firm, "owner@example.com", "owner-password-1", owner, &e) < 0) {
        fprintf(stderr, "setup: %s\n", fd < 0 ? "cannot make a temporary file" : e.message);
        return -1;
    }
    return 0;
}

/* Closes d and removes the file with its WAL and shared-memory files. */
static inline void unit_db_remove(db *d, const char *path)
{
    db_close(d);
    char buf[256];
    unlink(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
}

#endif
