#!/usr/bin/env bash
# t0800: PostgreSQL faults. A wrong URL, a refused connection, a wrong password or a missing database
# is a clear one-line error at start (and never shows the password); a database restarted under a
# running server answers the requests in flight with a JSON 503, then reconnects, with nothing lost and
# nothing half-written. PostgreSQL only: on SQLite it reports itself skipped.
# e2e: runs alone (it restarts the cluster the other scripts use)
. "$(dirname "$0")/lib.sh"
if [ -z "${E2E_PG_URL:-}" ] || [ -z "${E2E_PG_DIR:-}" ]; then
	skip_all "PostgreSQL only (E2E_PG_URL and E2E_PG_DIR unset)"
fi
hostport=${E2E_PG_URL#*@}
hostport=${hostport%%/*}

# ---- a clear error at start
bad_start() { # bad_start URL EXPECTED-TEXT DESC
	cli serve --db "$1" --listen "127.0.0.1:$(free_port)"
	check "$3: exits non-zero (got $RC)" test "$RC" -ne 0 -a "$RC" -ne 124
	check "$3: says '$2'" grep -q -- "$2" <<<"$ERR"
	check "$3: one line on stderr" test "$(printf '%s\n' "$ERR" | grep -c .)" -eq 1
	check "$3: never prints the password" test -z "$(grep -o 'secret-wrong-pw' <<<"$ERR")"
}
bad_start "postgres://rapport:secret-wrong-pw@$hostport/postgres" "password authentication failed" "a wrong password"
bad_start "postgres://rapport:secret-wrong-pw@127.0.0.1:$(free_port)/postgres" "Connection refused" "a refused connection"
bad_start "postgres://rapport:rapport-test-password@$hostport/no_such_database" "does not exist" "a missing database"
bad_start "postgres://rapport@127.0.0.1:notaport/x" "cannot connect" "a malformed URL"
cli client list --db "postgres://rapport:secret-wrong-pw@$hostport/postgres"
check "the CLI also fails cleanly on a wrong password (exit $RC)" test "$RC" -eq 1

# ---- a restart under a running server
start_server
for i in 1 2 3 4 5; do create clients "{\"name\":\"Before $i\"}" "client $i before the restart"; done
log=$TMP/during
mkdir -p "$log"
writer() { # creates clients for ~6 s, one line per answer: STATUS ID-or-CODE [REQUEST-ID of a failure]
	local end=$((SECONDS + 6)) n=0 out code
	while [ $SECONDS -lt $end ]; do
		n=$((n + 1))
		out=$(curl -s --max-time 10 -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
			-H "X-Request-Id: w$1-$n" \
			--data "{\"name\":\"During $1-$n\"}" "$BASE/api/v1/clients")
		code=${out##*$'\n'}
		body=${out%$'\n'*}
		case $code in
		201) echo "201 $(jq -r .id <<<"$body")" ;;
		*) echo "$code $(jq -r '.error.code // "not-json"' <<<"$body" 2>/dev/null) w$1-$n" ;;
		esac
		sleep 0.05
	done >"$log/$1"
}
pids=()
for w in 1 2 3; do writer "$w" & pids+=($!); done
sleep 1.5
"$E2E_DIR/../pg-cluster.sh" restart "$E2E_PG_DIR"
check "PostgreSQL restarted under the running server" test $? -eq 0
wait "${pids[@]}"
answers=$(cat "$log"/* | awk '{print $1, ($1 == 201 ? "" : $2)}' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
echo "# answers during the restart: $answers"
check "every answer was 201 or a JSON 503 'unavailable'" \
	test "$(cat "$log"/* | grep -vcE '^(201 [a-z]+_[0-9a-z]+|503 unavailable w[0-9]+-[0-9]+)$')" -eq 0
check "some writes failed with 503 while it was down" grep -q '^503 unavailable' <(cat "$log"/*)
failed_id=$(cat "$log"/* | awk '$1 == 503 {print $3; exit}')
check "the server logged the 503 under the request's own X-Request-Id ($failed_id)" \
	grep -qE "error req=$failed_id POST /api/v1/clients: " "$TMP/server.log"
check "writes succeeded again after it came back" test "$(tail -qn 1 "$log"/* | grep -c '^201 ')" -ge 1
server_alive "the restart"
acked=$(cat "$log"/* | grep -c '^201 ')
expect_count clients $((5 + acked)) "nothing lost and nothing half-written: 5 + $acked acknowledged clients"
api GET /api/v1/clients?limit=500
missing=$(cat "$log"/* | awk '$1 == 201 {print $2}' | while read -r id; do jq -e --arg i "$id" 'any(.data[]; .id == $i)' <<<"$BODY" >/dev/null || echo "$id"; done)
check "every acknowledged write is there" test -z "$missing"
