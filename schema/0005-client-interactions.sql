-- Each client's interactions in time order with their direction and type, in one covering index: the
-- health score and the latencies seek it client by client (a join from the clients in scope), the client
-- page's "last update" and the check-ins' find our last outbound message without a table lookup per
-- row. It replaces the plain (client_id, occurred_at) index, and 0004's workspace-wide index, which made
-- the health scan read every client's rows to use the active ones'.
CREATE INDEX IF NOT EXISTS interactions_client_id__occurred_at__direction__type
    ON interactions (client_id, occurred_at, direction, type);
DROP INDEX IF EXISTS interactions_client_id__occurred_at;
DROP INDEX IF EXISTS interactions_ws_time_who;
