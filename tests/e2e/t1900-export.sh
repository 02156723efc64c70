#!/usr/bin/env bash
# t1900: moving out. rapport export writes every record of an entity as CSV or JSON Lines through the
# same filters as a list; rapport export all writes the whole workspace (no secrets), which rapport load
# puts into another database so that exporting it again gives the same bytes, ids and times included;
# bad or foreign exports are refused with nothing written.
. "$(dirname "$0")/lib.sh"

INIT_ARGS=--demo start_server
create custom-fields '{"entity":"clients","key":"tier","type":"select","options":["gold","silver"]}' "a custom field"
api GET '/api/v1/clients?limit=500'
TOTAL=$(jqr '.data | length')
ACTIVE=$(jqr '[.data[] | select(.stage == "active")] | length')
CID=$(jqr '.data[0].id')
api PATCH "/api/v1/clients/$CID" '{"version":1,"custom":{"tier":"gold"},"notes":"line one\nline two, with \"quotes\""}'
expect_status 200 "a client with a custom value and a multi-line note"
# The same over HTTP.
api GET '/api/v1/clients/export'
expect_status 200 "GET /clients/export"
check "... is CSV with a header row and a row per client" \
	bash -c "[ \"\$(printf '%s\n' \"\$1\" | python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(sys.stdin)))')\" = $TOTAL ]" _ "$BODY"
check "... served as text/csv" grep -qi '^content-type: text/csv' <<<"$HEADERS"
api GET '/api/v1/clients/export?format=jsonl&stage=active'
check "?format=jsonl&stage=active: one JSON line per active client" \
	bash -c "[ \$(printf '%s\n' \"\$1\" | grep -c .) = $ACTIVE ] && printf '%s\n' \"\$1\" | jq -se 'all(.stage == \"active\")' >/dev/null" _ "$BODY"
check "... served as application/x-ndjson" grep -qi '^content-type: application/x-ndjson' <<<"$HEADERS"
api GET '/api/v1/clients/export?format=xml'
expect_error 400 invalid_parameter format "an unknown format is refused, naming format"
api GET '/api/v1/clients/export?stage=activ'
expect_error 400 invalid_parameter stage "a bad filter is refused, naming it"
api GET '/api/v1/nonsense/export'
expect_status 404 "an unknown resource's export is 404"
stop_server

cli export clients --db "$DB"
expect_rc 0 "export clients as CSV"
printf '%s\n' "$OUT" >"$TMP/clients.csv"
check "the header names the fields, custom fields as custom.KEY" \
	bash -c "head -n 1 '$TMP/clients.csv' | grep -q '^id,name,kind,.*,custom.tier,created_at,updated_at,version'"
ROWS=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=""))))' "$TMP/clients.csv")
check "one CSV row per client ($TOTAL), multi-line cells quoted" [ "$ROWS" = "$TOTAL" ]
check "the custom value and the note survive CSV quoting" python3 -c '
import csv,sys
rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
r = rows[sys.argv[2]]
assert r["custom.tier"] == "gold", r
assert r["notes"] == "line one\nline two, with \"quotes\"", r["notes"]' "$TMP/clients.csv" "$CID"

cli export clients --db "$DB" --stage active --format jsonl
expect_rc 0 "export active clients as JSON Lines"
check "the filter holds: only the $ACTIVE active clients" \
	bash -c "[ \$(printf '%s\n' \"\$1\" | grep -c .) = $ACTIVE ] && printf '%s\n' \"\$1\" | jq -se 'all(.stage == \"active\")' >/dev/null" _ "$OUT"
cli export clients --db "$DB" --stage activ
expect_cli_error 2 "a bad filter value is a usage error (exit 2)"
check "... whose message names the allowed values (not a bare 'usage')" grep -q "lead, prospect, active" <<<"$ERR"
cli export clients --db "$DB" --format xml
expect_cli_error 2 "an unknown format is a usage error (exit 2)"
check "... whose message says which formats there are" grep -q "format must be csv or jsonl, not 'xml'" <<<"$ERR"
cli export clients --db "$DB" --columns name,nope
expect_cli_error 2 "an unknown column is a usage error (exit 2)"
check "... whose message names the column" grep -q "unknown column nope" <<<"$ERR"
cli export nonsense --db "$DB"
expect_cli_error 2 "an unknown entity is a usage error (exit 2)"

cli export all --db "$DB" --out "$TMP/ws.jsonl"
expect_rc 0 "export the whole workspace"
check "its first line is the header" bash -c "head -n 1 '$TMP/ws.jsonl' | jq -e '.rapport_export == \"workspace\" and .schema_version > 0' >/dev/null"
check "every line is JSON" bash -c "jq -c . '$TMP/ws.jsonl' >/dev/null"
check "the audit log, users and interactions are in it" bash -c "jq -se '[.[].entity] | (index(\"audit\") != null) and (index(\"users\") != null) and (index(\"interactions\") != null)' '$TMP/ws.jsonl' >/dev/null"
check "no secret leaves: no password column, no tokens table" \
	bash -c "jq -se 'all(.[]; .entity != \"tokens\" and ((.row // {}) | has(\"password\") or has(\"token_hash\") | not))' '$TMP/ws.jsonl' >/dev/null"
check "... and the owner's API token appears nowhere" bash -c "! grep -qF -- '$OWNER_TOKEN' '$TMP/ws.jsonl'"

# Into a fresh database (SQLite), then out again: the same bytes.
cli load "$TMP/ws.jsonl" --db "$TMP/moved.db" --json
expect_rc 0 "load the workspace into an empty database"
check "it says how many records came" jq_on "$OUT" -e '.rows > 50'
cli export all --db "$TMP/moved.db" --out "$TMP/ws2.jsonl"
check "export → load → export is byte-identical, ids and times included" cmp -s "$TMP/ws.jsonl" "$TMP/ws2.jsonl"
cli load "$TMP/ws.jsonl" --db "$TMP/moved.db"
expect_cli_error 4 "loading the same workspace twice is refused (exit 4)"

# A moved user signs in only after setting a password.
SAVED_DB=$DB
DB=$TMP/moved.db
serve_db
check "a moved user cannot sign in before a password is set" [ -z "$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")" ]
stop_server
UID_=$(jq -r 'select(.entity == "users") | .row.id' "$TMP/ws.jsonl" | head -n 1)
RAPPORT_USER_PASSWORD='moved-horse-battery-staple-3' cli user edit "$UID_" --db "$TMP/moved.db" --set-password
expect_rc 0 "an admin sets a moved user's password from the environment"
serve_db
check "then the user signs in" [ -n "$(login "$ADMIN_EMAIL" 'moved-horse-battery-staple-3')" ]
stop_server
DB=$SAVED_DB

if [ -n "${E2E_PG_URL:-}" ]; then
	# and into PostgreSQL: the same bytes out of a different store
	PG2="${E2E_PG_URL%/*}/${E2E_PG_DB}_moved"
	psql "$E2E_PG_URL" -qAt -c "CREATE DATABASE \"${E2E_PG_DB}_moved\"" >/dev/null
	cli load "$TMP/ws.jsonl" --db "$PG2"
	expect_rc 0 "load the workspace into an empty PostgreSQL database"
	cli export all --db "$PG2" --out "$TMP/ws3.jsonl"
	check "PostgreSQL gives back the same bytes" cmp -s "$TMP/ws.jsonl" "$TMP/ws3.jsonl"
fi

# Bad exports: refused, naming the line, and nothing written.
head -n 20 "$TMP/ws.jsonl" >"$TMP/bad.jsonl"
printf '{"entity":"clients","row":{"id":"cli_x", "name": 12}}\n' >>"$TMP/bad.jsonl"
cli load "$TMP/bad.jsonl" --db "$TMP/bad.db"
expect_cli_error 5 "a row of the wrong shape is refused (exit 5)"
check "... naming its line" grep -q "line 21" <<<"$ERR"
check "... and nothing of the first 20 lines was kept" [ "$(sqlite3 "$TMP/bad.db" 'SELECT COUNT(*) FROM workspaces')" = 0 ]
WS=$(head -n 1 "$TMP/ws.jsonl" | jq -r .workspace_id)
{ head -n 5 "$TMP/ws.jsonl"; printf '{"entity":"clients","row":{"id":"cli_y","workspace_id":"ws_other","name":"Intruder"}}\n'; } >"$TMP/foreign.jsonl"
cli load "$TMP/foreign.jsonl" --db "$TMP/foreign.db"
expect_cli_error 5 "a row of another workspace is refused (exit 5)"
{ printf '{"rapport_export":"workspace","format":1,"schema_version":999,"workspace_id":"%s"}\n' "$WS"; tail -n +2 "$TMP/ws.jsonl"; } >"$TMP/future.jsonl"
cli load "$TMP/future.jsonl" --db "$TMP/future.db"
expect_cli_error 5 "an export from a newer rapport is refused (exit 5)"
printf 'name,email\nAcme,a@acme.example\n' >"$TMP/not-an-export.csv"
cli load "$TMP/not-an-export.csv" --db "$TMP/csv.db"
expect_cli_error 5 "a file that is not a workspace export is refused (exit 5)"

# Only admins and owners export the whole workspace.
RAPPORT_USER_PASSWORD=viewer-horse-battery-staple-4 cli user add --db "$DB" --email viewer@example.com --role viewer
cli export all --db "$DB" --as viewer@example.com
expect_cli_error 6 "a viewer cannot export the whole workspace (exit 6)"
cli export clients --db "$DB" --as viewer@example.com --format jsonl
expect_rc 0 "a viewer can export the clients they can read"
