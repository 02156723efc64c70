-- bench/hubspot_fair.sql: the fair limit for importing a HubSpot contact export (bench/hubspot_contacts.py)
-- into a Rapport database: sqlite3 alone writing the rows `rapport import contacts FILE --bulk` writes,
-- into the same schema (made by `rapport init`), with the same indexes and full-text indexes, in one
-- transaction, as an SQL expert would: the file into a staging table with .import, then INSERT ... SELECT,
-- with the full-text triggers and the non-unique indexes set aside and rebuilt at the end (as Rapport's
-- bulk load does). What it skips, Rapport does: checking each value, matching, the clients' rules. Its
-- ids have the shape of Rapport's (a prefix and 26 characters, ascending as the rows are written, as
-- Rapport's time-ordered ids are), so the primary keys grow at their end as Rapport's do.
--
-- The rows, as Rapport writes them:
--   clients    one per company name (ignoring case: the first spelling wins), and one per contact without
--              a company, named after them ("Ada Lovelace"; one of that name already is theirs), each with
--              its audit entry (action 'create', the record's JSON after);
--   contacts   one per row: names, email, job title, and the phone when it is a phone number;
--   interactions  one note per contact ("Imported details") keeping the columns Rapport has no field for
--              as "Column: value" lines (a phone that is no number first);
--   audit      the import's own entry; fts_terms the indexes' vocabulary.
-- Run from the directory holding hubspot.csv (it writes fair_drop.sql and fair_ddl.sql there):
--   sqlite3 -bail DB < .../bench/hubspot_fair.sql
.bail on
.import --csv --schema temp hubspot.csv staging
.mode list
.headers off
-- the statements that set the triggers and indexes aside, and the ones that bring them back
.output fair_drop.sql
SELECT 'DROP ' || type || ' "' || name || '";' FROM sqlite_master
 WHERE tbl_name IN ('clients', 'contacts', 'interactions', 'audit') AND sql IS NOT NULL
   AND ((type = 'trigger' AND name LIKE '%\_fts\_%' ESCAPE '\') OR (type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%'));
.output fair_ddl.sql
SELECT sql || ';' FROM sqlite_master
 WHERE tbl_name IN ('clients', 'contacts', 'interactions', 'audit') AND sql IS NOT NULL
   AND ((type = 'trigger' AND name LIKE '%\_fts\_%' ESCAPE '\') OR (type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%'));
.output stdout
-- Rapport's import settings: a page cache of up to 1 GiB, and the database's own durability (its WAL
-- synced at the commit)
PRAGMA cache_size = -1048576;

BEGIN IMMEDIATE;
.read fair_drop.sql
CREATE TEMP TABLE ctx AS SELECT
  (SELECT id FROM workspaces ORDER BY created_at LIMIT 1) AS ws,
  (SELECT id FROM users ORDER BY created_at LIMIT 1) AS usr,
  strftime('%Y-%m-%dT%H:%M:%SZ', 'now') AS now;
-- each row with its contact's id, its phone when it is one, and its client's name
CREATE TEMP TABLE r AS SELECT
  s.rowid AS n,
  'con_' || printf('%010d', s.rowid) || lower(hex(randomblob(8))) AS cid,
  CASE WHEN s."Phone Number" = '' OR length(s."Phone Number") > 40 OR s."Phone Number" GLOB '*[^0-9+() ./x-]*'
       THEN NULL ELSE s."Phone Number" END AS phone,
  CASE WHEN s."Phone Number" <> '' AND (length(s."Phone Number") > 40 OR s."Phone Number" GLOB '*[^0-9+() ./x-]*')
       THEN s."Phone Number" END AS bad_phone,
  CASE WHEN s."Company Name" <> '' THEN s."Company Name"
       WHEN s."First Name" <> '' OR s."Last Name" <> ''
         THEN s."First Name" || CASE WHEN s."First Name" <> '' AND s."Last Name" <> '' THEN ' ' ELSE '' END || s."Last Name"
       WHEN s."Email" <> '' THEN s."Email"
       WHEN s."Phone Number" <> '' THEN s."Phone Number"
       ELSE 'Contact from row ' || (s.rowid + 1) END AS cname,
  s.*
FROM temp.staging s;
CREATE TEMP TABLE nc (ckey TEXT PRIMARY KEY, cname TEXT, first INTEGER, id TEXT) WITHOUT ROWID;
INSERT INTO nc SELECT lower(cname), cname, min(n), 'cli_' || printf('%010d', min(n)) || lower(hex(randomblob(8)))
  FROM r GROUP BY lower(cname);
INSERT INTO clients (id, workspace_id, created_at, updated_at, created_by, version, name, kind, stage, cadence, tags,
                     custom, channels, intake)
SELECT id, ctx.ws, ctx.now, ctx.now, ctx.usr, 1, cname, 'client', 'lead', 'none', '[]', '{}', '{}', '{}'
  FROM nc, ctx ORDER BY first;
INSERT INTO audit (id, workspace_id, created_at, updated_at, created_by, version, action, entity, record_id, before, after)
SELECT 'aud_' || printf('%010d', first) || lower(hex(randomblob(8))), ctx.ws, ctx.now, ctx.now, ctx.usr, 1, 'create',
       'clients', id, NULL,
       json_object('id', id, 'name', cname, 'kind', 'client', 'relationship_type', NULL, 'stage', 'lead',
                   'owner_id', NULL, 'referred_by_id', NULL, 'email', NULL, 'phone', NULL, 'website', NULL,
                   'started_at', NULL, 'ended_at', NULL, 'cadence', 'none', 'response_time_hours', NULL,
                   'preferred_channel', NULL, 'point_of_contact_id', NULL, 'tags', json('[]'), 'notes', NULL,
                   'channels', json('{}'), 'intake', json('{}'), 'onboarding_template_id', NULL, 'health_score', NULL,
                   'health_band', NULL, 'health_change_30_days', NULL, 'health_band_before', NULL,
                   'health_band_changed_at', NULL, 'health_scored_at', NULL, 'custom', json('{}'),
                   'created_at', ctx.now, 'updated_at', ctx.now, 'created_by', ctx.usr, 'version', 1)
  FROM nc, ctx ORDER BY first;
INSERT INTO contacts (id, workspace_id, created_at, updated_at, created_by, version, client_id, first_name, last_name,
                      email, phone, title, is_primary, email_opt_out)
SELECT r.cid, ctx.ws, ctx.now, ctx.now, ctx.usr, 1, nc.id, nullif(r."First Name", ''), nullif(r."Last Name", ''),
       nullif(r."Email", ''), r.phone, nullif(r."Job Title", ''), 0, 0
  FROM r JOIN nc ON nc.ckey = lower(r.cname), ctx ORDER BY r.n;
INSERT INTO interactions (id, workspace_id, created_at, updated_at, created_by, version, client_id, contact_id, type,
                          occurred_at, subject, summary, needs_summary)
SELECT 'int_' || printf('%010d', r.n) || lower(hex(randomblob(8))), ctx.ws, ctx.now, ctx.now, ctx.usr, 1, nc.id, r.cid, 'note', ctx.now,
       'Imported details',
       substr(CASE WHEN r.bad_phone IS NOT NULL THEN char(10) || 'Phone Number: ' || r.bad_phone ELSE '' END
           || CASE WHEN r."Record ID" <> '' THEN char(10) || 'Record ID: ' || r."Record ID" ELSE '' END
           || CASE WHEN r."Lifecycle Stage" <> '' THEN char(10) || 'Lifecycle Stage: ' || r."Lifecycle Stage" ELSE '' END
           || CASE WHEN r."Contact owner" <> '' THEN char(10) || 'Contact owner: ' || r."Contact owner" ELSE '' END
           || CASE WHEN r."Create Date" <> '' THEN char(10) || 'Create Date: ' || r."Create Date" ELSE '' END
           || CASE WHEN r."Last Activity Date" <> '' THEN char(10) || 'Last Activity Date: ' || r."Last Activity Date" ELSE '' END
           || CASE WHEN r."City" <> '' THEN char(10) || 'City: ' || r."City" ELSE '' END
           || CASE WHEN r."Country" <> '' THEN char(10) || 'Country: ' || r."Country" ELSE '' END, 2),
       0
  FROM r JOIN nc ON nc.ckey = lower(r.cname), ctx ORDER BY r.n;
INSERT INTO audit (id, workspace_id, created_at, updated_at, created_by, version, action, entity, record_id, before, after)
SELECT 'aud_' || printf('%010d', 9999999999) || lower(hex(randomblob(8))), ctx.ws, ctx.now, ctx.now, ctx.usr, 1, 'import', 'contacts', NULL, NULL,
       json_object('rows', (SELECT count(*) FROM r), 'imported', (SELECT count(*) FROM r),
                   'skipped', 0, 'clients_created', (SELECT count(*) FROM nc), 'source', 'hubspot.csv')
  FROM ctx;
.read fair_ddl.sql
-- the full-text indexes rebuilt and the vocabulary refilled, as Rapport's bulk load ends
INSERT INTO clients_fts(clients_fts, rank) VALUES ('automerge', 4);
INSERT INTO clients_fts(clients_fts) VALUES ('rebuild');
INSERT INTO clients_fts(clients_fts) VALUES ('optimize');
INSERT INTO clients_fts(clients_fts, rank) VALUES ('automerge', 0);
INSERT INTO contacts_fts(contacts_fts, rank) VALUES ('automerge', 4);
INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild');
INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize');
INSERT INTO contacts_fts(contacts_fts, rank) VALUES ('automerge', 0);
INSERT INTO interactions_fts(interactions_fts, rank) VALUES ('automerge', 4);
INSERT INTO interactions_fts(interactions_fts) VALUES ('rebuild');
INSERT INTO interactions_fts(interactions_fts) VALUES ('optimize');
INSERT INTO interactions_fts(interactions_fts, rank) VALUES ('automerge', 0);
CREATE VIRTUAL TABLE temp.v1 USING fts5vocab(main, clients_fts, 'row');
CREATE VIRTUAL TABLE temp.v2 USING fts5vocab(main, contacts_fts, 'row');
CREATE VIRTUAL TABLE temp.v3 USING fts5vocab(main, interactions_fts, 'row');
INSERT OR IGNORE INTO fts_terms (term) SELECT term FROM temp.v1;
INSERT OR IGNORE INTO fts_terms (term) SELECT term FROM temp.v2;
INSERT OR IGNORE INTO fts_terms (term) SELECT term FROM temp.v3;
COMMIT;
