-- Webhooks (the subscriptions and deliveries tables come from the entity table). Events that happen by
-- time passing rather than by a write (a ticket's promised response time running out) are found by a
-- sweep; event_marks remembers each one raised, so it is raised once however often, and by however many
-- servers, the sweep runs.
CREATE TABLE event_marks (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    event        TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (event, record_id)
);
-- The sweep's question, "open tickets still unanswered whose response was due by now", in one range scan.
CREATE INDEX tickets_unanswered_due ON tickets (response_due_at) WHERE first_response_at IS NULL;
