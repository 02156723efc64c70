#!/usr/bin/env bash
# t2810: a view's CSV export has the view's columns. GET /api/v1/{entity}/export?columns=a,b,custom.k
# writes only those columns, in that order, through the list's filters and sort; an unknown column is
# 400 naming columns; JSON Lines keep only those keys; the CLI takes --columns the same way.
. "$(dirname "$0")/lib.sh"

INIT_ARGS=--demo start_server
create custom-fields '{"entity":"clients","key":"tier","type":"select","options":["gold","silver"]}' "a custom field"
api GET '/api/v1/clients?stage=active&sort=name&limit=500'
NAMES=$(jqr '[.data[].name] | join("\n")')
CID=$(jqr '.data[0].id')
VER=$(jqr '.data[0].version')
api PATCH "/api/v1/clients/$CID" "{\"version\":$VER,\"custom\":{\"tier\":\"gold\"}}"
expect_status 200 "the first active client by name gets a tier"

api GET '/api/v1/clients/export?format=csv&columns=name,custom.tier,stage&stage=active&sort=name'
expect_status 200 "export with columns"
check "the header is exactly the columns asked for, in their order" \
	bash -c "[ \"\$(printf '%s\n' \"\$1\" | head -n 1 | tr -d '\r')\" = 'name,custom.tier,stage' ]" _ "$BODY"
check "the rows follow the filter and the sort (active clients by name)" python3 -c '
import csv, io, sys
rows = list(csv.reader(io.StringIO(sys.argv[1])))[1:]
assert [r[0] for r in rows] == sys.argv[2].split("\n"), rows[:3]
assert all(r[2] == "active" for r in rows)
assert rows[0][1] == "gold" and all(len(r) == 3 for r in rows)' "$BODY" "$NAMES"
api GET '/api/v1/clients/export?columns=name,nickname'
expect_error 400 invalid_parameter columns "an unknown column is refused, naming columns"
check "... and the message names the column" jqe '.error.message | contains("nickname")'
api GET '/api/v1/clients/export?columns=name,custom.nope'
expect_error 400 invalid_parameter columns "an unknown custom field is refused too"
api GET '/api/v1/clients/export?columns=name,'
expect_error 400 invalid_parameter columns "a trailing comma is refused"
api GET '/api/v1/users/export?columns=email,password'
expect_error 400 invalid_parameter columns "a secret is no column (users' password)"
api GET '/api/v1/clients/export?format=jsonl&columns=id,name,custom.tier&stage=active&sort=name'
expect_status 200 "JSON Lines with columns"
check "each line has only the chosen keys, custom ones in custom" \
	bash -c "printf '%s\n' \"\$1\" | jq -se 'all(keys == [\"custom\",\"id\",\"name\"]) and .[0].custom.tier == \"gold\"' >/dev/null" _ "$BODY"
api GET '/api/v1/clients/export?stage=active'
check "without columns every column is written as before" \
	bash -c "printf '%s\n' \"\$1\" | head -n 1 | grep -q '^id,name,kind,.*,custom.tier,created_at,updated_at,version'" _ "$BODY"
stop_server

cli export clients --db "$DB" --columns name,stage --stage active
expect_rc 0 "rapport export --columns"
check "... writes those columns" bash -c "[ \"\$(printf '%s\n' \"\$1\" | head -n 1 | tr -d '\r')\" = 'name,stage' ]" _ "$OUT"
cli export clients --db "$DB" --columns name,bogus
expect_cli_error 2 "an unknown column is a usage error (exit 2)"
