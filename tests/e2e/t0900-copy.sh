#!/usr/bin/env bash
# t0900: rapport copy moves a whole database between backends with nothing lost: per-table counts and
# checksums match, a non-empty target is refused unless --overwrite, and the copy serves the same
# records byte for byte, with the same logins and tokens. SQLite → PostgreSQL → SQLite when a cluster
# is given (E2E_PG_URL), SQLite → SQLite otherwise.
. "$(dirname "$0")/lib.sh"

INIT_ARGS=--demo start_server
api POST /api/v1/custom-fields '{"entity":"clients","key":"tier","type":"select","options":["gold","silver"]}'
expect_status 201 "a custom field"
api GET '/api/v1/clients?limit=1&sort=name'
CID=$(jqr '.data[0].id')
VER=$(jqr '.data[0].version') # the demo has already set its point of contact
api PATCH "/api/v1/clients/$CID" '{"version":'"$VER"',"custom":{"tier":"gold"},"notes":"Ünïcödé, quotes \" and '"'"' and a\nnewline"}'
expect_status 200 "a client with a custom value and awkward text"
SID=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
cli jobs enqueue --db "$DB" --kind ping --count 3
stop_server

if [ -n "${E2E_PG_URL:-}" ]; then
	MIDDLE="${E2E_PG_URL%/*}/${E2E_PG_DB}_copy"
	psql "$E2E_PG_URL" -qAt -c "CREATE DATABASE \"${E2E_PG_DB}_copy\"" >/dev/null
else
	MIDDLE=$TMP/middle.db
fi
FINAL=$TMP/final.db

cli copy --from "$DB" --to "$MIDDLE" --json
expect_rc 0 "copy to the middle database"
check "every table's count and checksum match" jq_on "$OUT" -e '.ok and (.tables | length >= 10) and all(.tables[]; .rows_from == .rows_to and .sum_from == .sum_to)'
check "the copy carried rows (clients, interactions, audit)" \
	jq_on "$OUT" -e '[.tables[] | select(.table == "clients" or .table == "interactions" or .table == "audit") | .rows_to > 0] | all'
cli copy --from "$DB" --to "$MIDDLE"
expect_cli_error 4 "copying onto a non-empty target is refused (exit 4)"
check "... saying how to overwrite" grep -q -- "--overwrite" <<<"$ERR"
cli copy --from "$DB" --to "$MIDDLE" --overwrite --json
expect_rc 0 "--overwrite replaces it"
cli copy --from "$MIDDLE" --to "$FINAL" --json
expect_rc 0 "and back again"
check "the round trip matches too" jq_on "$OUT" -e '.ok and all(.tables[]; .rows_from == .rows_to and .sum_from == .sum_to)'
cli copy --from "$DB" --to "$DB"
expect_cli_error 2 "copying a database onto itself is a usage error"

# the same records, byte for byte, from the original and from the round trip
for what in client contact interaction tag custom-field user; do
	cli "$what" list --db "$DB" --json --limit 500 --sort id
	a=$OUT
	cli "$what" list --db "$FINAL" --json --limit 500 --sort id
	check "$what list is identical after the round trip" test "$a" = "$OUT" -a -n "$a"
done
cli search --db "$DB" --json timeline
a=$OUT
cli search --db "$FINAL" --json timeline
check "search finds the same after the round trip, snippets included" test "$a" = "$OUT" -a "$a" != '{"data":[]}'


# the copy serves: logins, sessions and tokens came along
DB=$MIDDLE
serve_db
api GET "/api/v1/clients/$CID"
expect_status 200 "the original token works on the copy"
expect_jq '.custom.tier' gold "custom values came along"
TOKEN= COOKIE=$SID
api GET /api/v1/me
expect_status 200 "the original session works on the copy"
COOKIE=
NEW=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
check "the original password signs in on the copy" test -n "$NEW"
