#!/usr/bin/env bash
# t0150: stopping the server while clients hold connections open and requests are in flight ends it
# cleanly (exit 0, "stopped" logged), with every acknowledged write kept.
. "$(dirname "$0")/lib.sh"

start_server
create clients '{"name":"Steady Co"}' "a client to read and write"
CID=$ID
urls=()
for i in $(seq 1 2000); do urls+=("$BASE/api/v1/clients/$CID"); done
loaders=()
for k in $(seq 1 16); do # keep-alive connections, each with hundreds of requests queued
	curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "${urls[@]}" 2>/dev/null &
	loaders+=($!)
done
for k in $(seq 1 5); do api POST /api/v1/interactions "$(jq -nc --arg c "$CID" '{client_id:$c,type:"note",summary:"written before the stop"}')"; done
expect_status 201 "writes acknowledged while readers hold connections"
sleep 0.3
kill "$SERVER_PID"
rc=0
wait "$SERVER_PID" || rc=$?
SERVER_PID=
for p in "${loaders[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
check "the server stopped with exit 0 under load (was: an h2o assertion, exit 134)" test "$rc" = 0
check "it logged that it stopped" grep -q "info stopped" "$TMP/server.log"
serve_db
api GET "/api/v1/interactions?client_id=$CID"
expect_jq '.data|length' 5 "every acknowledged write is there after a restart"
server_alive
