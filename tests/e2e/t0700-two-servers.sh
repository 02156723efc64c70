#!/usr/bin/env bash
# t0700: two `rapport serve` processes on one database work as one: sessions and tokens are valid on
# both, concurrent edits of one record resolve by version (one winner, 409 for the rest, no lost
# update), every acknowledged write from many concurrent writers is present exactly once, and every
# background job runs exactly once. Runs on SQLite (two processes, one file) and on PostgreSQL.
. "$(dirname "$0")/lib.sh"

start_server
start_another_server
A=$BASE B=$BASE2

# ---- sessions and tokens are shared
SID=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
check "signed in on server A" test -n "$SID"
TOKEN= COOKIE=$SID BASE=$B
api GET /api/v1/me
expect_status 200 "A's session cookie works on server B"
COOKIE= TOKEN=$OWNER_TOKEN
api GET /api/v1/me
expect_status 200 "the token works on server B"
BASE=$A

# ---- concurrent edits of one record: one winner, the rest 409, no lost update
create clients '{"name":"Contended Co","stage":"lead"}' "a client to fight over"
CID=$ID
race_dir=$TMP/race
mkdir -p "$race_dir"
pids=()
for i in $(seq 1 12); do
	base=$A; [ $((i % 2)) -eq 0 ] && base=$B
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 -X PATCH -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' --data "{\"version\":1,\"notes\":\"writer $i\"}" \
		"$base/api/v1/clients/$CID" >"$race_dir/$i" &
	pids+=($!)
done
wait "${pids[@]}" # (a bare wait would also wait for the servers)
ok200=$(cat "$race_dir"/* | grep -c '^200$')
ok409=$(cat "$race_dir"/* | grep -c '^409$')
check "exactly one of 12 concurrent PATCHes at version 1 wins (got $ok200)" test "$ok200" -eq 1
check "the other 11 get 409 version_conflict (got $ok409)" test "$ok409" -eq 11
api GET "/api/v1/clients/$CID"
expect_jq '.version' 2 "the record moved to version 2 once"
winner=$(jqr .notes)
check "the stored notes are the winner's ($winner)" test -n "$winner"

# ---- many concurrent writers across both servers: every acknowledged write exactly once
writes=$TMP/writes
mkdir -p "$writes"
writer() { # writer N: 25 creates, alternating servers; records the ids that were acknowledged (201)
	local n=$1 k base code body
	for k in $(seq 1 25); do
		base=$A; [ $(((n + k) % 2)) -eq 0 ] && base=$B
		body=$(curl -s --max-time 20 -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" \
			-H 'Content-Type: application/json' \
			--data "{\"client_id\":\"$CID\",\"type\":\"note\",\"subject\":\"w$n-$k\",\"summary\":\"writer $n note $k\"}" \
			"$base/api/v1/interactions")
		code=${body##*$'\n'}
		[ "$code" = 201 ] && printf '%s\n' "${body%$'\n'*}" | jq -r .id >>"$writes/$n"
		[ "$code" = 201 ] || echo "$code" >>"$writes/errors"
	done
}
pids=()
for n in $(seq 1 8); do
	writer "$n" &
	pids+=($!)
done
wait "${pids[@]}"
acked=$(cat "$writes"/[0-9]* | sort | uniq | wc -l)
dupes=$(cat "$writes"/[0-9]* | sort | uniq -d | wc -l)
errors=$(cat "$writes/errors" 2>/dev/null | sort | uniq -c | tr '\n' ' ')
check "all 200 concurrent creates were acknowledged (got $acked; other answers: ${errors:-none})" test "$acked" -eq 200
check "no id was handed out twice" test "$dupes" -eq 0
# walk every page and compare with what was acknowledged
stored=$TMP/stored
: >"$stored"
cursor=
for page in $(seq 1 20); do
	api GET "/api/v1/interactions?client_id=$CID&limit=50${cursor:+&cursor=$cursor}"
	jqr '.data[].id' >>"$stored"
	cursor=$(jqr '.next_cursor // empty')
	[ -n "$cursor" ] || break
done
check "the list holds each acknowledged write exactly once" \
	test "$(sort "$stored" | uniq -d | wc -l)" -eq 0 -a "$(sort -u "$stored" | comm -3 - <(cat "$writes"/[0-9]* | sort -u) | wc -l)" -eq 0
BASE=$B
api GET "/api/v1/interactions?client_id=$CID&limit=500"
check "server B sees the same 200 records" jqe '.data | length == 200'
BASE=$A

# ---- writes committed together fail alone: valid and invalid creates racing, some clients hanging up
mixed=$TMP/mixed
mkdir -p "$mixed"
pids=()
for i in $(seq 1 40); do
	cid=$CID; [ $((i % 2)) -eq 0 ] && cid=cli_0000000000000000000000dead
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		--data "{\"client_id\":\"$cid\",\"type\":\"note\",\"subject\":\"mixed $i\"}" "$A/api/v1/interactions" >"$mixed/$i" &
	pids+=($!)
done
for i in $(seq 1 20); do # requests whose clients leave before the answer
	{ exec 3<>"/dev/tcp/127.0.0.1/${A##*:}" &&
		printf 'POST /api/v1/interactions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
			"$TOKEN" ${#body} "${body:={\"client_id\":\"$CID\",\"type\":\"note\",\"subject\":\"gone\"}}" >&3 && exec 3>&-; } 2>/dev/null &
	pids+=($!)
done
wait "${pids[@]}"
check "the 20 valid creates in the mix were 201" test "$(cat "$mixed"/* | grep -c '^201$')" -eq 20
check "the 20 with a dangling reference were 422 and took nothing with them" test "$(cat "$mixed"/* | grep -c '^422$')" -eq 20
api GET "/api/v1/interactions?client_id=$CID&limit=500&q=mixed"
check "exactly the 20 valid ones are stored" jqe '[.data[] | select(.subject | startswith("mixed "))] | length == 20'
server_alive "clients hanging up before their answers"

# ---- background jobs: each runs exactly once across the two servers
# each takes 20 ms, so both servers' workers are busy at once and contend for the queue
cli jobs enqueue --db "$DB" --kind ping --count 150 --payload '{"sleep_ms":20}'
expect_rc 0 "150 ping jobs queued"
for i in $(seq 1 100); do
	cli jobs list --db "$DB" --json --limit 1000
	left=$(printf '%s' "$OUT" | jq '[.data[] | select(.status != "done")] | length')
	[ "$left" = 0 ] && break
	sleep 0.2
done
check "every job finished within 20 s ($left left)" test "$left" = 0
jobs_ok() { [ -n "$OUT" ] && printf '%s' "$OUT" | jq -e "$1" >/dev/null; }
check "every job ran exactly once (attempts = 1)" \
	jobs_ok '[.data[] | select(.kind == "ping")] | length == 150 and all(.attempts == 1)'
servers=$(printf '%s' "$OUT" | jq -r '[.data[].result.ran_on] | group_by(.) | map("\(.[0]): \(length)") | join(", ")')
check "both servers took jobs from the queue ($servers)" jobs_ok '[.data[].result.ran_on] | unique | length == 2' 

server_alive "concurrent writers"
BASE=$B
server_alive "concurrent writers (server B)"
