-- Background jobs: queued work (follow-up emails, webhooks, worker pings) that exactly one server runs.
-- A server claims a job with one UPDATE whose sub-select skips rows another server holds
-- (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has a single writer), so no job runs twice.
-- workspace_id is NULL for the system's own jobs.
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'queued',
    run_at       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    claimed_by   TEXT,
    claimed_at   TEXT,
    finished_at  TEXT,
    result       TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at);
