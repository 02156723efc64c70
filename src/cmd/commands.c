/* commands: the one command table. main.c finds a command here and meets its preconditions (flags)
 * in one place before running it. */
#include "cmd/cmd.h"

/* Sorted by name, then sub (a unit test keeps it so, and free of duplicates). */
const command cli_commands[] = {
    {"at-risk", NULL, cmd_at_risk, C_DB | C_ACTOR,
     "rapport at-risk [--band healthy|watch|at_risk] [--owner-id ID | --mine] [--limit N] [--as-of TIME]"},
    {"backup", NULL, cmd_backup, C_DB,
     "rapport backup --db PATH_OR_URL --to FILE [--overwrite]   (an online, consistent copy, while serving)"},
    {"breaches", NULL, cmd_breaches, C_DB | C_ACTOR, "rapport breaches [--client-id ID] [--open] [--limit N]"},
    {"calibrate", NULL, cmd_calibrate, C_DB | C_ACTOR,
     "rapport calibrate [--weeks N] [--looks FILE]   (the health score, weekly, against who left and who stayed)"},
    {"copy", NULL, cmd_copy, 0, "rapport copy --from PATH_OR_URL --to PATH_OR_URL [--overwrite]"},
    {"due", NULL, cmd_due, C_DB | C_ACTOR, "rapport due [--mine] [--limit N]   (check-ins due under each client's cadence)"},
    {"duplicates", NULL, cmd_duplicates, C_DB | C_ACTOR,
     "rapport duplicates clients|contacts [--limit N]   (likely duplicates, and why)"},
    {"email", "settings", cmd_email_settings, C_DB | C_ACTOR,
     "rapport email settings [--smtp-url smtp://user:pass@host:587] [--smtp-password P] [--mail-from ADDR] "
     "[--on AUTOMATION] [--off AUTOMATION] [--automations JSON]   (shows them after any change)"},
    {"export", NULL, cmd_export, C_DB | C_ACTOR,
     "rapport export ENTITY [--FIELD VALUE ...] [--q WORDS] [--sort F] [--format csv|jsonl] [--out FILE] | "
     "rapport export all [--out FILE]   (the whole workspace, JSON Lines)"},
    {"feedback", "act", cmd_feedback_act, C_DB | C_ACTOR,
     "rapport feedback act ID --action-note TEXT [--reply-note TEXT]"},
    {"follow-up", NULL, cmd_followup, C_DB | C_ACTOR,
     "rapport follow-up INTERACTION_ID [--record | --send]   (the summary email after a call or meeting; --send emails it)"},
    {"health", NULL, cmd_health, C_DB | C_ACTOR,
     "rapport health CLIENT_ID [--as-of TIME]   (health score: each factor's points and evidence)"},
    {"help", NULL, cmd_help, 0, "rapport help"},
    {"import", NULL, cmd_import, C_DB | C_ACTOR,
     "rapport import ENTITY FILE|- [--dry-run] [--skip-invalid] [--preset NAME] [--map COLUMN=FIELD]... [--client NAME|ID] "
     "[--on-match create|update|skip] [--country-code CC] [--mapping SAVED] [--save-mapping NAME] "
     "[--create-fields COLUMN,...|all] [--bulk]   (records from CSV; the header, a saved mapping or a preset names "
     "the fields)"},
    {"init", NULL, cmd_init, C_DB, "rapport init --db PATH --admin-email EMAIL [--workspace NAME] [--demo]"},
    {"jobs", "enqueue", cmd_jobs_enqueue, C_DB, "rapport jobs enqueue --kind ping [--count N] [--payload JSON] [--workspace-id ID]"},
    {"jobs", "list", cmd_jobs_list, C_DB, "rapport jobs list [--status queued|running|done|failed] [--limit N]"},
    {"jobs", "run", cmd_jobs_run, C_DB, "rapport jobs run [--once]   (due jobs, automations and outbox messages, once, in this process: for cron)"},
    {"latency", NULL, cmd_latency, C_DB | C_ACTOR,
     "rapport latency CLIENT_ID [--as-of TIME]   (reply times both ways, in business hours)"},
    {"load", NULL, cmd_load, C_DB, "rapport load FILE|-   (a workspace from rapport export all, into this database)"},
    {"log", NULL, cmd_log, C_DB | C_ACTOR,
     "rapport log --client-id ID --type call|email|meeting|message|note --summary TEXT [--subject S] [--direction D]"},
    {"merge", NULL, cmd_merge, C_DB | C_ACTOR,
     "rapport merge KEEP_ID OTHER_ID | rapport merge --undo MERGE_ID | rapport merge list|show   (clients, contacts)"},
    {"migrate", NULL, cmd_migrate, C_DB, "rapport migrate --db PATH"},
    {"onboard", NULL, cmd_onboard, C_DB | C_ACTOR,
     "rapport onboard CLIENT_ID --template-id ID [--start-date YYYY-MM-DD]"},
    {"onboarding", NULL, cmd_onboarding, C_DB | C_ACTOR, "rapport onboarding CLIENT_ID   (progress and intake answers)"},
    {"openapi", NULL, cmd_openapi, 0, "rapport openapi   (the API's OpenAPI document; servers from RAPPORT_PUBLIC_URL)"},
    {"outbox", "approve", cmd_outbox_approve, C_DB | C_ACTOR,
     "rapport outbox approve MESSAGE_ID   (send a draft an automation wrote)"},
    {"outbox", "list", cmd_outbox_list, C_DB | C_ACTOR,
     "rapport outbox list [--status draft|queued|sending|sent|failed] [--limit N] [--cursor C]   (with attempts)"},
    {"pipeline", NULL, cmd_pipeline, C_DB | C_ACTOR, "rapport pipeline   (open deals per stage, weighted; won and lost)"},
    {"project", "scope", cmd_project_scope, C_DB | C_ACTOR, "rapport project scope ID   (baseline, changes, deliverables)"},
    {"report", NULL, cmd_report, C_DB | C_ACTOR,
     "rapport report --from DATE --to DATE [--group-by month|owner|client] [--owner-id ID] [--client-id ID] "
     "[--csv | --html FILE]"},
    {"restore", NULL, cmd_restore, C_DB,
     "rapport restore --from FILE --db PATH_OR_URL [--overwrite]   (into an empty database unless --overwrite)"},
    {"revenue", NULL, cmd_revenue, C_DB | C_ACTOR,
     "rapport revenue CLIENT_ID | rapport revenue --from DATE --to DATE   (paid, outstanding, recurring)"},
    {"search", NULL, cmd_search, C_DB | C_ACTOR, "rapport search WORDS [--limit N]"},
    {"seed", NULL, cmd_seed, C_DB | C_ACTOR,
     "rapport seed [--clients N] [--interactions M] [--seed S] | rapport seed --contacts-csv N [--seed S] | "
     "rapport seed --stories N [--seed S]"},
    {"serve", NULL, cmd_serve, C_DB, "rapport serve --db PATH --listen 127.0.0.1:PORT [--threads N] [--backup-dir DIR [--backup-every HOURS] "
     "[--backup-keep N]] [--trusted-proxy CIDR,...] [--web-dir DIR]"},
    {"template", "preview", cmd_template_preview, C_DB | C_ACTOR,
     "rapport template preview TEMPLATE_ID --record-id CLIENT|CONTACT|PROJECT|TICKET_ID   (the email it makes)"},
    {"timeline", NULL, cmd_timeline, C_DB | C_ACTOR,
     "rapport timeline CLIENT_ID [--types interaction,ticket,...] [--limit N] [--cursor C]"},
    {"today", NULL, cmd_today, C_DB | C_ACTOR, "rapport today [--all]   (overdue, due today, check-ins, summaries owed)"},
    {"token", "create", cmd_token_create, C_DB, "rapport token create --user EMAIL [--name NAME] [--expires RFC3339]"},
    {"token", "list", cmd_token_list, C_DB | C_ACTOR, "rapport token list"},
    {"token", "revoke", cmd_token_revoke, C_DB | C_ACTOR, "rapport token revoke ID"},
    {"version", NULL, cmd_version, 0, "rapport version"},
    {"webhook", "deliveries", cmd_webhook_deliveries, C_DB | C_ACTOR,
     "rapport webhook deliveries [WEBHOOK_ID] [--status pending|delivered|failed|cancelled] [--limit N]   "
     "(each message's attempts, last response and timing)"},
    {"webhook", "rotate-secret", cmd_webhook_rotate_secret, C_DB | C_ACTOR,
     "rapport webhook rotate-secret WEBHOOK_ID   (prints the new signing secret once; the old one still signs for "
     "24 hours)"},
    {"webhook", "test", cmd_webhook_test, C_DB | C_ACTOR,
     "rapport webhook test WEBHOOK_ID   (queues a signed webhook.test message; a running server sends it)"},
    {"workspace", "add", cmd_workspace_add, C_DB, "rapport workspace add --name NAME --owner-email EMAIL"},
};
const int cli_command_count = (int)(sizeof cli_commands / sizeof cli_commands[0]);

