/* cmd_setup: init, workspace add, migrate, serve — the bootstrap commands scripts and tests rely on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/engine/schema.h"
#include "core/bulk/seed.h"
#include "core/bulk/stories.h"
#include "core/access/workspace.h"
#include "core/bulk/demo.h"
#include "http/server.h"
#include "cmd/cmd.h"

static int workspace_count(db *d, err_t *e)
{
    db_stmt *s;
    int rc = db_query_row(d, &s, e, "SELECT COUNT(*) FROM workspaces", 0, NULL);
    if (rc != DB_ROW)
        return rc < 0 ? rc : 0;
    int n = (int)db_col_int(s, 0);
    db_finalize(s);
    return n;
}

static int new_workspace(cli *c, const char *name, const char *email, const char *email_opt, err_t *e)
{
    if (!email)
        return err_set(e, E_USAGE, email_opt, "--%s is required", email_opt);
    char pw[200];
    int generated, rc = cli_password("RAPPORT_ADMIN_PASSWORD", "password", pw, sizeof pw, &generated, e);
    if (rc < 0)
        return rc;
    actor owner;
    if ((rc = workspace_create(c->db, name, email, pw, &owner, e)) < 0)
        return rc;
    c->who = owner;
    if (!c->json) {
        printf("workspace \"%s\" created (%s)\n", name, owner.workspace_id);
        printf("owner: %s\n", email);
        if (generated)
            printf("password: %s\n", pw);
    } else {
        printf("{\"workspace_id\":\"%s\",\"user_id\":\"%s\"}\n", owner.workspace_id, owner.user_id);
    }
    return 0;
}

int cmd_init(cli *c, err_t *e)
{
    char shown[512];
    const char *name = cli_opt(c, "workspace"), *email = cli_opt(c, "admin_email");
    int demo = cli_opt(c, "demo") != NULL;
    int rc = cli_check_unused(c, e);
    if (rc == 0 && (rc = workspace_count(c->db, e)) > 0)
        return err_set(e, E_CONFLICT, "db", "%s is already initialised; use rapport workspace add for another workspace",
                       db_display(c->db_target, shown, sizeof shown));
    if (rc == 0)
        rc = new_workspace(c, name ? name : "My firm", email, "admin-email", e);
    if (rc == 0 && demo && (rc = demo_seed(c->db, &c->who, e)) == 0 && !c->json)
        printf("demo workspace added: clients, conversations, deals, projects, tickets, feedback and invoices\n");
    return rc;
}

int cmd_workspace_add(cli *c, err_t *e)
{
    const char *name = cli_opt(c, "name"), *email = cli_opt(c, "owner_email");
    if (!name)
        return err_set(e, E_USAGE, "name", "--name is required");
    int rc = cli_check_unused(c, e);
    return rc ? rc : new_workspace(c, name, email, "owner-email", e);
}

/* The database was migrated when it was opened (C_DB); this reports where it stands. */
int cmd_migrate(cli *c, err_t *e)
{
    char shown[512];
    int rc = cli_check_unused(c, e);
    if (rc == 0 && !c->json)
        printf("%s is at schema version %d\n", db_display(c->db_target, shown, sizeof shown), schema_latest());
    return rc;
}

int cmd_serve(cli *c, err_t *e)
{
    const char *listen = cli_opt(c, "listen"), *threads = cli_opt(c, "threads"), *web_dir = cli_opt(c, "web_dir");
    const char *proxies = cli_opt(c, "trusted_proxy");
    const char *backup_dir = cli_opt(c, "backup_dir"), *every = cli_opt(c, "backup_every"),
               *keep = cli_opt(c, "backup_keep");
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    server_config cfg = {.db_target = c->db_target, .listen = listen ? listen : "127.0.0.1:8080",
                         .backup_dir = backup_dir, .backup_every_seconds = 24 * 3600, .backup_keep = 7,
                         .trusted_proxies = proxies ? proxies : getenv("RAPPORT_TRUSTED_PROXIES"),
                         .public_url = getenv("RAPPORT_PUBLIC_URL"),
                         .web_dir = web_dir};
    if ((every || keep) && !backup_dir)
        return err_set(e, E_USAGE, every ? "backup_every" : "backup_keep", "--backup-every and --backup-keep need --backup-dir");
    if (every) {
        char *end;
        double hours = strtod(every, &end);
        if (*end || !(hours >= 1.0 / 60 && hours <= 24 * 365))
            return err_set(e, E_USAGE, "backup_every", "--backup-every wants hours, from 0.017 (a minute) to 8760");
        cfg.backup_every_seconds = (int64_t)(hours * 3600);
    }
    if (keep) {
        char *end;
        long k = strtol(keep, &end, 10);
        if (*end || k < 1 || k > 10000)
            return err_set(e, E_USAGE, "backup_keep", "--backup-keep wants a number from 1 to 10000");
        cfg.backup_keep = (int)k;
    }
    if (backup_dir) {
        struct stat st;
        if (stat(backup_dir, &st) < 0 || !S_ISDIR(st.st_mode) || access(backup_dir, W_OK) < 0)
            return err_set(e, E_USAGE, "backup_dir", "--backup-dir %s is not a folder this process can write", backup_dir);
    }
    if (threads) {
        char *end;
        cfg.threads = (int)strtol(threads, &end, 10);
        if (*end || cfg.threads < 1 || cfg.threads > 64)
            return err_set(e, E_USAGE, "threads", "--threads wants a number from 1 to 64");
    }
    const char *smtp = getenv("RAPPORT_SMTP_URL");
    if (!smtp || !*smtp) /* email is off until configured: say how, once, where the operator looks */
        fprintf(stderr, "rapport: email is off: set RAPPORT_SMTP_URL=smtp://user:password@host:587 and "
                        "RAPPORT_MAIL_FROM=you@example.com (or per workspace: rapport email settings); see docs/email.md\n");
    /* each server thread opens its own connection; the command's own one is not needed */
    db_close(c->db);
    c->db = NULL;
    return server_run(&cfg, e);
}

/* rapport seed: bulk demo or benchmark data into the acting user's workspace, or a contacts CSV. */
int cmd_seed(cli *c, err_t *e)
{
    const char *clients = cli_opt(c, "clients"), *interactions = cli_opt(c, "interactions"),
               *seed = cli_opt(c, "seed"), *csv = cli_opt(c, "contacts_csv"), *stories = cli_opt(c, "stories");
    int rc = cli_check_unused(c, e);
    if (rc)
        return rc;
    char *end;
    seed_config cfg = {.seed = seed ? strtoull(seed, &end, 10) : 1};
    if (csv) {
        long n = strtol(csv, &end, 10);
        if (*end || n < 1)
            return err_set(e, E_USAGE, "contacts-csv", "--contacts-csv wants a number of rows");
        seed_contacts_csv(stdout, n, cfg.seed);
        return 0;
    }
    if (stories) { /* clients with a known outcome, for rapport calibrate */
        stories_config sc = {.clients = strtol(stories, &end, 10), .seed = cfg.seed};
        if (*end || sc.clients < 1)
            return err_set(e, E_USAGE, "stories", "--stories wants a number of clients");
        stories_counts sn;
        if ((rc = stories_generate(c->db, &c->who, &sc, &sn, e)) < 0)
            return rc;
        printf("seeded %ld steady, %ld quiet and %ld leaving clients, %ld interactions, %ld other records\n",
               sn.clients[STORY_STEADY], sn.clients[STORY_QUIET], sn.clients[STORY_LEAVER], sn.interactions, sn.other);
        return 0;
    }
    cfg.clients = clients ? strtol(clients, &end, 10) : 1000;
    cfg.interactions = interactions ? strtol(interactions, &end, 10) : cfg.clients * 100;
    if (cfg.clients < 1 || cfg.interactions < 0)
        return err_set(e, E_USAGE, "clients", "--clients wants a positive number");
    seed_counts n;
    if ((rc = seed_workspace(c->db, &c->who, &cfg, &n, e)) < 0)
        return rc;
    if (c->json)
        printf("{\"clients\":%ld,\"contacts\":%ld,\"interactions\":%ld,\"lifecycle\":%ld}\n", n.clients, n.contacts,
               n.interactions, n.lifecycle);
    else
        printf("seeded %ld clients, %ld contacts, %ld interactions, %ld deals, projects, deliverables, changes, "
               "tickets, feedback and invoices\n",
               n.clients, n.contacts, n.interactions, n.lifecycle);
    return 0;
}
