-- Migration 7's index of our updates to each client, now holding direction and type as well. Without
-- them SQLite counted a look-up of each row it found there, and on data where a client's updates are
-- half its interactions (100 clients with 200 each) it chose the covering (client_id, occurred_at,
-- direction, type) index instead, which walks back past every newer note. Holding the columns its
-- condition names, the smaller index is the cheaper one whatever the proportions.
DROP INDEX IF EXISTS interactions_client_updates;
CREATE INDEX interactions_client_updates ON interactions (client_id, occurred_at, direction, type)
    WHERE direction = 'outbound' AND type <> 'note';
