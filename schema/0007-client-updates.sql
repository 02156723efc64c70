-- Our updates to each client (outbound calls, emails, meetings and messages; notes are ours alone) in
-- time order: the client page's "last update", the check-ins due and the health score's cadence find the
-- newest in one seek. The covering (client_id, occurred_at, direction, type) index answers the same
-- question by walking back past every newer note and inbound message: a client with 40,000 notes since
-- our last email took 30 ms a page.
CREATE INDEX IF NOT EXISTS interactions_client_updates ON interactions (client_id, occurred_at)
    WHERE direction = 'outbound' AND type <> 'note';
