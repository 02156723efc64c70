# lib.sh - shared helpers for the Rapport end-to-end tests.
#
# Sourced by every tests/e2e/tNNNN-*.sh script.  It gives each script its own
# temp dir, database and loopback port, starts and stops the real binary, and
# counts assertions.  Every assertion prints "ok - DESC" or "not ok - DESC";
# at exit the script prints exactly one line "# e2e: P passed, F failed, S skipped"
# and exits non-zero when F > 0.  A script that does not apply here (PostgreSQL
# only, on SQLite) calls skip_all REASON: it counts as one skipped, never as a pass.
#
# Variables callers use:
#   RAPPORT_BIN  the binary (default: ../../rapport relative to this file)
#   TMP          the script's temp dir (removed at exit)
#   DB           the script's database file
#   BASE         http://127.0.0.1:PORT once start_server ran
#   TOKEN        bearer token used by `api` (empty: no Authorization header)
#   COOKIE       session id sent by `api` as the rapport_session cookie (if set)
#   OWNER_TOKEN  the owner's token created by init_db
#   STATUS BODY HEADERS   set by `api`
#   OUT ERR RC            set by `cli`

set -u

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$E2E_DIR/../.." && pwd)
RAPPORT_BIN=${RAPPORT_BIN:-$REPO_ROOT/rapport}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rapport-e2e.XXXXXX") || { echo "# e2e: 0 passed, 1 failed"; exit 1; }
DB=$TMP/rapport.db
# E2E_PG_URL (a superuser URL of a throwaway cluster, from tests/pg-cluster.sh): the same script runs
# against PostgreSQL, in a database of its own.
if [ -n "${E2E_PG_URL:-}" ]; then
	E2E_PG_DB="e2e_$(basename "$0" .sh | tr -c 'a-z0-9\n' _)_$$"
	psql "$E2E_PG_URL" -qAt -c "CREATE DATABASE \"$E2E_PG_DB\"" >/dev/null ||
		{ echo "not ok - create database $E2E_PG_DB"; echo "# e2e: 0 passed, 1 failed"; exit 1; }
	DB="${E2E_PG_URL%/*}/$E2E_PG_DB"
fi
BASE=
PORT=
TOKEN=
COOKIE=
OWNER_TOKEN=
STATUS=
BODY=
HEADERS=
OUT= ERR= RC=
SERVER_PID=
E2E_PASSED=0
E2E_FAILED=0
E2E_SKIPPED=0

ADMIN_EMAIL=admin@example.com
ADMIN_PASSWORD='correct-horse-battery-staple-1'
export RAPPORT_ADMIN_PASSWORD=$ADMIN_PASSWORD
export RAPPORT_USER_PASSWORD='user-horse-battery-staple-2'
# h2o keeps allocator caches for the life of the process; the sanitizers must not call that a leak.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$REPO_ROOT/tests/lsan.supp:print_suppressions=0}
# Never let the caller's environment pick a database or freeze the clock for us.
unset RAPPORT_DB RAPPORT_NOW

CURL_TIMEOUT=${CURL_TIMEOUT:-30}    # the same: a hung request fails the check, a slow one on a busy machine does not
CLI_TIMEOUT=${CLI_TIMEOUT:-120}   # a guard against a hang, not a speed limit: a loaded machine (two rounds at once) is slow

# ---------------------------------------------------------------- reporting

_trunc() { # _trunc STRING -> first 400 chars on one line
	local s=${1//$'\n'/\\n}
	if [ ${#s} -gt 400 ]; then s="${s:0:400}...(${#1} chars)"; fi
	printf '%s' "$s"
}

pass() { E2E_PASSED=$((E2E_PASSED + 1)); echo "ok - $1"; }
# skip_all REASON: the whole script does not apply here; it ends now, counted as one skipped.
skip_all() { E2E_SKIPPED=$((E2E_SKIPPED + 1)); echo "skip - $(basename "$0"): $1"; exit 0; }

fail() { # fail DESC [DETAIL...]
	E2E_FAILED=$((E2E_FAILED + 1))
	echo "not ok - $1"
	shift
	local d
	for d in "$@"; do echo "#   $d"; done
}

# fail_http DESC [WHY...] : fail with the last request, status and (truncated) body
fail_http() { fail "$@" "last: ${LAST_REQ:-none} -> ${STATUS:-}" "body: $(_trunc "${BODY:-}")"; }

# check DESC COMMAND... : passes when COMMAND exits 0.
check() {
	local desc=$1; shift
	if "$@"; then pass "$desc"; else
		fail_http "$desc" "command: $*"; fi
}

# expect_status CODE DESC
expect_status() {
	if [ "$STATUS" = "$1" ]; then pass "$2"; else
		fail_http "$2" "expected status $1"; fi
}

# expect_jq FILTER EXPECTED DESC [jq options like --arg n v]
expect_jq() {
	local filter=$1 want=$2 desc=$3; shift 3
	local got
	got=$(printf '%s' "$BODY" | jq -r "$@" "$filter" 2>&1) || got="<jq failed: $got>"
	if [ "$got" = "$want" ]; then pass "$desc"; else
		fail_http "$desc" "jq: $filter" "expected: $(_trunc "$want")" "got: $(_trunc "$got")"; fi
}

# jq_on TEXT JQ_FLAG ARGS... : jq over TEXT; ARGS are "FILTER [options]" or "[options] FILTER"
jq_on() {
	local text=$1 flag=$2; shift 2
	if [ "${1:0:1}" = - ]; then
		local f=${!#}
		printf '%s' "$text" | jq "$flag" "${@:1:$#-1}" "$f"
	else
		local f=$1; shift
		printf '%s' "$text" | jq "$flag" "$@" "$f"
	fi
}
# jqe FILTER [jq options] : true when FILTER yields true on $BODY (use with check)
jqe() { [ -n "$BODY" ] && jq_on "$BODY" -e "$@" >/dev/null 2>&1; } # empty input would pass jq -e vacuously

# jqr FILTER [jq options] : print jq -r FILTER of $BODY
jqr() { jq_on "$BODY" -r "$@" 2>/dev/null; }

# expect_error STATUS CODE FIELD DESC
#   FIELD: the expected "field" value, "null" for JSON null, "-" to not check it.
expect_error() {
	local st=$1 code=$2 field=$3 desc=$4 why=
	if [ "$STATUS" != "$st" ]; then why="expected status $st"
	elif ! jqe '(.error|type) == "object" and (.error.code|type) == "string"
	          and (.error.message|type) == "string" and (.error.message|length) > 0
	          and (.error|has("field"))'; then
		why='expected {"error":{"code","message","field"}}'
	elif [ "$(jqr .error.code)" != "$code" ]; then why="expected code $code, got $(jqr .error.code)"
	elif [ "$field" != "-" ] && [ "$(jqr .error.field)" != "$field" ]; then
		why="expected field $field, got $(jqr .error.field)"
	fi
	if [ -z "$why" ]; then pass "$desc"; else
		fail_http "$desc" "$why"; fi
}

# ---------------------------------------------------------------- HTTP

# api METHOD PATH [JSON_BODY] [extra curl args...]
#   Sends JSON_BODY (if non-empty) as application/json. Sets STATUS, BODY, HEADERS.
#   Pass "" as JSON_BODY to give extra curl args without a body.
api() {
	local method=$1 path=$2 body=
	shift 2
	if [ $# -gt 0 ]; then body=$1; shift; fi
	local args=(-sS --path-as-is --max-time "$CURL_TIMEOUT" -X "$method"
		-o "$TMP/.body" -D "$TMP/.headers" -w '%{http_code}')
	[ -n "${TOKEN:-}" ] && args+=(-H "Authorization: Bearer $TOKEN")
	# COOKIE: a session id to send as rapport_session (cookie-authenticated
	# requests that change data must say application/json, even without a body)
	[ -n "${COOKIE:-}" ] && args+=(-H "Cookie: rapport_session=$COOKIE")
	[ -n "${COOKIE:-}" ] && [ -z "$body" ] && [ "$method" != GET ] && args+=(-H 'Content-Type: application/json')
	if [ -n "$body" ]; then
		printf '%s' "$body" >"$TMP/.req"
		args+=(-H 'Content-Type: application/json' --data-binary "@$TMP/.req")
	fi
	: >"$TMP/.body"; : >"$TMP/.headers"
	LAST_REQ="$method $path"
	STATUS=$(curl "${args[@]}" "$@" "$BASE$path" 2>"$TMP/.curlerr") || STATUS=000
	BODY=$(cat "$TMP/.body")
	HEADERS=$(tr -d '\r' <"$TMP/.headers")
	[ "$STATUS" = 000 ] && BODY="curl: $(cat "$TMP/.curlerr")"
	return 0
}

# header NAME : print the value(s) of a response header from the last api call
header() { printf '%s\n' "$HEADERS" | awk -v n="$(echo "$1" | tr 'A-Z' 'a-z')" '
	{ i = index($0, ":"); if (i && tolower(substr($0, 1, i - 1)) == n) { v = substr($0, i + 1); sub(/^ +/, "", v); print v } }'; }

# server_alive : asserts the server still answers /healthz
server_alive() {
	local st
	st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/healthz" 2>/dev/null) || st=000
	if [ "$st" = 200 ]; then pass "server still alive${1:+ after $1}"; else
		fail "server still alive${1:+ after $1}" "GET /healthz -> $st" "server log: $(_trunc "$(tail -n 20 "$TMP/server.log" 2>/dev/null)")"; fi
}

# count_records RESOURCE [TOKEN] : prints how many records a full listing walk returns
count_records() {
	local tok=${2:-$TOKEN} n=0 cursor= page st
	local i
	for i in $(seq 1 100); do
		page=$(curl -sS --max-time "$CURL_TIMEOUT" -H "Authorization: Bearer $tok" \
			-w '\n%{http_code}' "$BASE/api/v1/$1?limit=500${cursor:+&cursor=$cursor}" 2>/dev/null) || { echo -1; return; }
		st=${page##*$'\n'}; page=${page%$'\n'*}
		[ "$st" = 200 ] || { echo -1; return; }
		n=$((n + $(printf '%s' "$page" | jq '.data|length')))
		cursor=$(printf '%s' "$page" | jq -r '.next_cursor // empty | @uri')
		[ -n "$cursor" ] || { echo "$n"; return; }
	done
	echo -1
}

# expect_count RESOURCE N DESC : nothing half-written
expect_count() {
	local got; got=$(count_records "$1")
	if [ "$got" = "$2" ]; then pass "$3"; else fail "$3" "expected $2 $1, counted $got"; fi
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ---------------------------------------------------------------- CLI

# cli ARGS... : runs the binary (bounded), sets OUT, ERR, RC
cli() {
	timeout "$CLI_TIMEOUT" "$RAPPORT_BIN" "$@" >"$TMP/.out" 2>"$TMP/.err" </dev/null
	RC=$?
	OUT=$(cat "$TMP/.out"); ERR=$(cat "$TMP/.err")
	LAST_REQ="rapport $*"; STATUS="exit $RC"; BODY="stdout: $OUT | stderr: $ERR"
	return 0
}

# expect_rc N DESC
expect_rc() {
	if [ "$RC" = "$1" ]; then pass "$2"; else
		fail "$2" "expected exit $1" "command: $LAST_REQ" "got exit $RC" "stdout: $(_trunc "$OUT")" "stderr: $(_trunc "$ERR")"; fi
}

# expect_cli_error N DESC : exit N and exactly one "rapport: ..." line on stderr
expect_cli_error() {
	expect_rc "$1" "$2"
	local lines; lines=$(printf '%s\n' "$ERR" | grep -c .)
	if [ "$lines" = 1 ] && [ "${ERR#rapport: }" != "$ERR" ]; then pass "$2: one-line 'rapport: ...' reason"; else
		fail "$2: one-line 'rapport: ...' reason" "stderr: $(_trunc "$ERR")"; fi
}

bail() { fail "$1"; exit 1; }

# init_db : creates $DB with the owner admin@example.com and an owner token (INIT_ARGS: e.g. --demo)
init_db() {
	[ -x "$RAPPORT_BIN" ] || bail "binary $RAPPORT_BIN exists and is executable"
	cli init --db "$DB" --admin-email "$ADMIN_EMAIL" ${INIT_ARGS:-}
	[ "$RC" = 0 ] || bail "rapport init (exit $RC: $(_trunc "$ERR"))"
	cli token create --db "$DB" --user "$ADMIN_EMAIL"
	[ "$RC" = 0 ] && [ -n "$OUT" ] || bail "rapport token create (exit $RC: $(_trunc "$ERR"))"
	OWNER_TOKEN=$OUT
	TOKEN=$OUT
}

# login EMAIL PASSWORD : prints the session id from POST /api/v1/login (empty on failure)
login() {
	curl -sS --max-time "$CURL_TIMEOUT" -D - -o /dev/null -H 'Content-Type: application/json' \
		--data-binary "$(jq -nc --arg e "$1" --arg p "$2" '{email:$e,password:$p}')" "$BASE/api/v1/login" 2>/dev/null |
		tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: *rapport_session=\([^;]*\).*/\1/p' | head -n 1
}

# new_token EMAIL [NAME] : prints a fresh token for EMAIL (empty on failure)
new_token() {
	timeout "$CLI_TIMEOUT" "$RAPPORT_BIN" token create --db "$DB" --user "$1" ${2:+--name "$2"} 2>>"$TMP/cli.err" </dev/null
}

# start_server : init_db, then serve on a free loopback port; waits for /healthz
start_server() {
	init_db
	serve_db
}

# serve_db : serve the existing $DB on a free loopback port (SERVE_ARGS: more options); waits for /healthz
serve_db() {
	local attempt i st
	for attempt in 1 2 3; do
		PORT=$(free_port) || bail "found a free port"
		BASE=http://127.0.0.1:$PORT
		"$RAPPORT_BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" ${SERVE_ARGS:-} >>"$TMP/server.log" 2>&1 </dev/null &
		SERVER_PID=$!
		for i in $(seq 1 100); do
			st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$BASE/healthz" 2>/dev/null) || st=000
			[ "$st" = 200 ] && return 0
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		stop_server
	done
	bail "server answered GET /healthz within 10 s (log: $(_trunc "$(tail -n 20 "$TMP/server.log" 2>/dev/null)"))"
}

# start_another_server : a second `rapport serve` on the same $DB; sets BASE2 (stopped at exit)
EXTRA_PIDS=()
start_another_server() {
	local port i st
	port=$(free_port) || bail "found a free port"
	BASE2=http://127.0.0.1:$port
	"$RAPPORT_BIN" serve --db "$DB" --listen "127.0.0.1:$port" >>"$TMP/server2.log" 2>&1 </dev/null &
	EXTRA_PIDS+=($!)
	for i in $(seq 1 100); do
		st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$BASE2/healthz" 2>/dev/null) || st=000
		[ "$st" = 200 ] && return 0
		sleep 0.1
	done
	bail "the second server answered GET /healthz within 10 s"
}

stop_server() {
	local p
	for p in "${EXTRA_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	EXTRA_PIDS=()
	[ -n "$SERVER_PID" ] || return 0
	kill "$SERVER_PID" 2>/dev/null
	local i
	for i in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}

# ---------------------------------------------------------------- helpers

# create RESOURCE JSON DESC : POST, expects 201 and an id; sets ID
create() {
	api POST "/api/v1/$1" "$2"
	ID=$(jqr '.id // empty')
	if [ "$STATUS" = 201 ] && [ -n "$ID" ]; then pass "$3"; else
		fail_http "$3" "expected 201 with an id"; fi
}

# user_id_of EMAIL : prints the id of the object with that email in $BODY
user_id_of() { jqr --arg e "$1" '[.. | objects | select(.email? == $e) | .id] | first // empty'; }

# urlencode STRING
urlencode() { jq -rn --arg s "$1" '$s|@uri'; }

_e2e_exit() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$SERVER_PID" ]; then
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			fail "server process still running at the end" "log: $(_trunc "$(tail -n 20 "$TMP/server.log" 2>/dev/null)")"
		fi
		stop_server
	fi
	local log
	for log in "$TMP/server.log" "$TMP/server2.log"; do
		if [ -f "$log" ] && grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|Segmentation fault' "$log"; then
			fail "$(basename "$log") free of sanitizer reports" "$(grep -m3 -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$log")"
		fi
	done
	if [ "$E2E_FAILED" -gt 0 ] && [ -s "$TMP/server.log" ]; then
		echo "# --- last lines of the server log ---"
		tail -n 15 "$TMP/server.log" | sed 's/^/#   /'
	fi
	[ -n "${KEEP_TMP:-}" ] && echo "# kept $TMP" || rm -rf "$TMP"
	[ -n "${E2E_PG_DB:-}" ] && psql "$E2E_PG_URL" -qAt -c "DROP DATABASE IF EXISTS \"$E2E_PG_DB\" WITH (FORCE)" >/dev/null 2>&1
	echo "# e2e: $E2E_PASSED passed, $E2E_FAILED failed, $E2E_SKIPPED skipped"
	[ "$E2E_FAILED" -eq 0 ] && [ "$rc" -eq 0 ] && exit 0
	[ "$E2E_FAILED" -eq 0 ] && exit "$rc"
	exit 1
}
trap _e2e_exit EXIT
trap 'fail "interrupted"; exit 1' INT TERM

# wait_import ID : polls GET /api/v1/imports/ID until the import has ended (at most 60 s); BODY is then
# the import.
wait_import() {
	local id=$1 i
	for i in $(seq 1 600); do
		api GET "/api/v1/imports/$id"
		case $(jqr .status) in queued | running) sleep 0.1 ;; *) return 0 ;; esac
	done
	fail "import $id ended within 60 s" "body: $(_trunc "$BODY")"
}


# skip DESC : an assertion that cannot run here (a fixture folder missing); reported, never counted as
# passed.
skip() { echo "skip - $1"; }
