-- The health score reads every interaction of the last 240 days in time order (client, direction and
-- type of each); covering them in the index spares a table lookup per row.
CREATE INDEX IF NOT EXISTS interactions_ws_time_who ON interactions (workspace_id, occurred_at, client_id, direction, type);
