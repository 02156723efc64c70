-- How far the worker has brought each workspace's stored health scores (clients.health_*): the newest
-- audit entry it had read when it last refreshed, and when it last scored every client. The at-risk list
-- scores afresh the clients written since (the audit entries after audit_id) beside the lowest stored.
CREATE TABLE health_marks (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    audit_id     TEXT NOT NULL,
    audit_at     TEXT NOT NULL,
    full_at      TEXT NOT NULL
);
