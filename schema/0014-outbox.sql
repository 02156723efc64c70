-- The outbox: every message Rapport sends (email now; webhook deliveries can move onto it), queued in the
-- same transaction as the change that caused it and sent by the servers' sender threads. A message is
-- claimed (status 'sending', claimed_by the server) before any network I/O, and marked 'sent' the moment
-- the server accepted it; a server killed between the two leaves it 'sending', and it is sent again with
-- the same Message-ID once its claim is stale (docs/email.md: the at-least-once window).
-- Delivery times (next_attempt_at, claimed_at) follow the real clock, not RAPPORT_NOW: retries and stale
-- claims are about the network, not the business day being replayed.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    workspace_id    TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    recipient       TEXT,
    subject         TEXT,
    client_id       TEXT,
    contact_id      TEXT,
    interaction_id  TEXT,
    automation      TEXT,
    payload         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by      TEXT,
    claimed_at      TEXT,
    last_error      TEXT,
    sent_at         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_workspace ON outbox (workspace_id, created_at, id);

-- Each try at sending a message: when, how long, what the server said.
CREATE TABLE outbox_attempts (
    outbox_id   TEXT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    outcome     TEXT NOT NULL,
    detail      TEXT,
    sent_by     TEXT,
    PRIMARY KEY (outbox_id, attempt)
);

-- A workspace's own mail server and sender, and its automations' switches and settings. The SMTP
-- password is kept sealed (libsodium secretbox under the server's key file), never in smtp_url.
CREATE TABLE mail_settings (
    workspace_id  TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    smtp_url      TEXT,
    password_box  TEXT,
    mail_from     TEXT,
    automations   TEXT NOT NULL DEFAULT '{}',
    updated_at    TEXT NOT NULL
);

-- Each due item an automation fired: once per (automation, record, due time), whichever server got
-- there first (the primary key refuses the second).
CREATE TABLE automation_runs (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    automation   TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    fired_at     TEXT NOT NULL,
    outbox_id    TEXT,
    PRIMARY KEY (automation, record_id, due_at)
);
CREATE INDEX automation_runs_workspace ON automation_runs (workspace_id, fired_at);
