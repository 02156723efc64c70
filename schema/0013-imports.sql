-- Imports run as background jobs: the file (already converted to UTF-8) waits here while the job
-- checks and writes it in bounded slices, and the progress a person polls is kept beside it.
-- id is the job's id. rows_done counts the data rows the current phase has finished; in the write
-- phase it is updated in the same transaction as each slice, so a job that a dead server left behind
-- resumes after the last slice it kept. The body is cleared when the import ends. (IF NOT EXISTS: a
-- migration may run again over an older database, as the search tests do.)
CREATE TABLE IF NOT EXISTS imports (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    entity           TEXT NOT NULL,
    created_by       TEXT,
    role             INTEGER NOT NULL,
    options          TEXT NOT NULL DEFAULT '{}',
    source           TEXT,
    body             TEXT,
    status           TEXT NOT NULL DEFAULT 'queued',
    phase            TEXT NOT NULL DEFAULT 'check',
    rows_total       INTEGER NOT NULL DEFAULT 0,
    rows_done        INTEGER NOT NULL DEFAULT 0,
    imported         INTEGER NOT NULL DEFAULT 0,
    skipped          INTEGER NOT NULL DEFAULT 0,
    clients_created  INTEGER NOT NULL DEFAULT 0,
    errors           TEXT NOT NULL DEFAULT '[]',
    report           TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS imports_workspace ON imports (workspace_id, created_at);
