#!/usr/bin/env bash
# t0510: the backend is chosen by the target's scheme and its facts are the backend's flags, never read
# from the target's text: a SQLite file named postgres.db (a relative path starting "postgres") is
# SQLite, so `serve` group-commits its writes and every acknowledged write is there. Always SQLite.
. "$(dirname "$0")/lib.sh"

cd "$TMP" || bail "cd to the test's directory"
DB=postgres.db
start_server
check "the file postgres.db is a SQLite database" test "$(head -c 15 "$TMP/postgres.db")" = "SQLite format 3"
check "serve group-commits its writes (one writer: SQLite)" grep -q 'writes group-committed' "$TMP/server.log"

# concurrent writers, each answered only once its batch committed
pids=()
for i in $(seq 1 12); do
	curl -sS --max-time "$CURL_TIMEOUT" -o "$TMP/w$i.json" -w '%{http_code}\n' -H "Authorization: Bearer $OWNER_TOKEN" \
		-H 'Content-Type: application/json' --data-binary "{\"name\":\"Batch Client $i\"}" "$BASE/api/v1/clients" >"$TMP/w$i.status" &
	pids+=($!)
done
wait "${pids[@]}" # not a bare wait: the server is a child too
ok=0
for i in $(seq 1 12); do [ "$(cat "$TMP/w$i.status")" = 201 ] && ok=$((ok + 1)); done
check "twelve concurrent creates each answered 201 (got $ok)" test "$ok" = 12
expect_count clients 12 "all twelve are stored once"
api PATCH "/api/v1/clients/$(jq -r .id "$TMP/w1.json")" '{"version":1,"stage":"active"}'
expect_status 200 "an update goes through the writer too"
server_alive
