#!/usr/bin/env bash
# t1740: a HubSpot export (bench/hubspot_contacts.py) through `rapport import contacts --bulk`: the clients
# named by the company column (and one of their own for contacts without), the contacts, and a note on
# each keeping the columns Rapport has no field for; the bulk load sets aside and brings back the
# full-text triggers and indexes of every table it writes, and search finds what it wrote. On SQLite the
# benchmark's fair limit (bench/hubspot_fair.sql: sqlite3 alone loading the same file into the same
# schema) must write the same rows: the same clients, contacts, notes, audit entries, full-text rows
# and schema, or the benchmark compares Rapport with a load that does less.
. "$(dirname "$0")/lib.sh"

ROWS=1500 # the bulk load starts at 1,000 lines
python3 "$REPO_ROOT/bench/hubspot_contacts.py" "$ROWS" 7 >"$TMP/hubspot.csv" || bail "the generator runs"
init_db
sq() { sqlite3 -batch -noheader "$1" "$2"; }
# the schema, less the planner's statistics (the bulk load runs ANALYZE)
SCHEMA_SQL="SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name"
if [ -z "${E2E_PG_URL:-}" ]; then
	SCHEMA_BEFORE=$(sq "$DB" "$SCHEMA_SQL")
fi

cli import contacts "$TMP/hubspot.csv" --db "$DB" --bulk --json
expect_rc 0 "a HubSpot export imports with --bulk"
BODY=$OUT
expect_jq '[.preset, .imported, .skipped] | map(tostring) | join(",")' "hubspot,$ROWS,0" "recognised, every row kept"
CLIENTS=$(jqr .clients_created)

if [ -z "${E2E_PG_URL:-}" ]; then
	SCHEMA_AFTER=$(sq "$DB" "$SCHEMA_SQL")
	check "the schema after the bulk load is the schema before (triggers and indexes back)" \
		test "$SCHEMA_BEFORE" = "$SCHEMA_AFTER"

	# the fair limit, from the same file, into a database of its own
	FAIR=$TMP/fair.db
	cli init --db "$FAIR" --admin-email "$ADMIN_EMAIL"
	[ "$RC" = 0 ] || bail "rapport init for the fair load"
	(cd "$TMP" && sqlite3 -batch "$FAIR" <"$REPO_ROOT/bench/hubspot_fair.sql" >/dev/null 2>"$TMP/fair.err")
	check "the fair load runs ($(head -c 300 "$TMP/fair.err"))" test ! -s "$TMP/fair.err"
	check "the fair load keeps the schema" test "$SCHEMA_AFTER" = "$(sq "$FAIR" "$SCHEMA_SQL")"
	same() { # same DESC SQL: the query answers the same on both databases
		local a b
		a=$(sq "$DB" "$2") b=$(sq "$FAIR" "$2")
		if [ "$a" = "$b" ] && [ -n "$a" ]; then pass "$1"; else
			fail "$1" "query: $2" "rapport: $(_trunc "$a")" "fair: $(_trunc "$b")"; fi
	}
	same "the same counts of clients, contacts and notes" \
		"SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM contacts), (SELECT count(*) FROM interactions)"
	same "the same clients, by name" "SELECT group_concat(name, '|') FROM (SELECT name FROM clients ORDER BY name)"
	same "the same contacts, each at the same client with the same note" \
		"SELECT count(*), sum(length(x)), max(x) FROM (SELECT cl.name || '|' || coalesce(c.first_name, '') || '|' ||
		  coalesce(c.last_name, '') || '|' || coalesce(c.email, '') || '|' || coalesce(c.phone, '') || '|' ||
		  coalesce(c.title, '') || '|' || c.is_primary || c.email_opt_out || '|' || i.subject || '|' || i.summary ||
		  '|' || i.type || i.needs_summary || (i.occurred_at = i.created_at) AS x
		  FROM contacts c JOIN clients cl ON cl.id = c.client_id JOIN interactions i ON i.contact_id = c.id
		  AND i.client_id = c.client_id)"
	same "the contacts' order kept (ids by creation)" \
		"SELECT group_concat(coalesce(email, '-'), '|') FROM (SELECT email FROM contacts ORDER BY rowid LIMIT 50)"
	same "the same audit entries (one per client made, and the import's)" \
		"SELECT group_concat(entity || ' ' || action || ' ' || n, '; ') FROM (SELECT entity, action, count(*) AS n FROM audit WHERE entity IN ('clients', 'contacts', 'interactions')
		  GROUP BY 1, 2 ORDER BY 1, 2)"
	same "the clients' audit entries hold the same record" \
		"SELECT count(*) FROM audit a JOIN clients c ON c.id = a.record_id WHERE a.action = 'create' AND
		  json_extract(a.after, '$.name') = c.name AND json_extract(a.after, '$.stage') = 'lead'"
	for t in clients contacts interactions; do
		same "the same full-text rows and terms ($t)" \
			"SELECT (SELECT count(*) FROM ${t}_fts_docsize), (SELECT sum(sz) FROM (SELECT length(sz) AS sz FROM ${t}_fts_docsize))"
	done
	same "the same search vocabulary" "SELECT count(*), max(term) FROM fts_terms"

else
	skip "the fair limit is sqlite3's: compared on SQLite"
fi


serve_db
expect_count contacts "$ROWS" "the contacts are there"
expect_count clients "$CLIENTS" "and the clients the report counts"
api GET "/api/v1/interactions?type=note&limit=1"
expect_jq '.data[0] | [.subject, .needs_summary, (.summary | test("^(Phone Number: .*\n)?Record ID: [0-9]+\nLifecycle"))] | map(tostring) | join(",")' \
	"Imported details,false,true" "each contact has its note, the other columns as 'Column: value' lines"
NOTE_CLIENT=$(jqr '.data[0].client_id') NOTE_CONTACT=$(jqr '.data[0].contact_id')
api GET "/api/v1/contacts/$NOTE_CONTACT"
expect_jq '.client_id' "$NOTE_CLIENT" "the note is on the contact and the contact's client"
api GET "/api/v1/interactions?type=note&limit=1&q=Lifecycle"
expect_jq '.data | length' "1" "search finds the notes (the full-text index rebuilt)"
api GET "/api/v1/clients?q=Analytics&limit=1"
expect_jq '.data | length' "1" "and the clients made from the company column"
api GET "/api/v1/audit?action=import"
expect_jq ".data[0].after | [.rows, .imported, .clients_created] | map(tostring) | join(\",\")" "$ROWS,$ROWS,$CLIENTS" \
	"one audit entry records the import"
api GET "/api/v1/audit?entity=clients&limit=1"
expect_jq '.data[0].action' "create" "each client the import made has its own audit entry"
create clients '{"name": "Zanzibar Kites"}' "a client created after the bulk load"
api GET "/api/v1/clients?q=Zanzibar"
expect_jq '.data | length' "1" "a client written after the bulk load is indexed (the triggers are back)"

# a row whose kept columns are more than a note may hold is refused whole: its contact is not kept
python3 -c 'print("First Name,Last Name,Email,Favourite\nAda,Big,ada.big@example.com," + "x" * 100001 +
                  "\nBob,Small,bob.small@example.com,blue")' >"$TMP/big.csv"
cli import contacts "$TMP/big.csv" --db "$DB" --skip-invalid --json
BODY=$OUT
expect_jq '[.imported, .skipped, (.errors[0].message | test("note on the contact"))] | map(tostring) | join(",")' \
	"1,1,true" "a note too long for its field refuses the row, naming the note"
api GET "/api/v1/contacts?email=ada.big@example.com"
expect_jq '.data | length' "0" "and the row's contact is not kept without its note"
api GET "/api/v1/contacts?email=bob.small@example.com"
expect_jq '.data | length' "1" "the next row is"
stop_server

