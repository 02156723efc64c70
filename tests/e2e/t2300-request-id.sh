#!/usr/bin/env bash
# t2300: every answer carries an X-Request-Id: the client's own when it sends a sane one (letters,
# digits and -_.: up to 64 characters), else a new "req_" id, different for each request; it is the id
# on the log lines of that request (t0800 checks a logged 503 on PostgreSQL).
. "$(dirname "$0")/lib.sh"

start_server

api GET /healthz
first=$(header x-request-id)
check "an answer without a request id gets a new one ($first)" grep -qE '^req_[0-9a-z]{26}$' <<<"$first"
api GET /healthz
check "the next request gets another" test -n "$(header x-request-id)" -a "$(header x-request-id)" != "$first"

api GET /healthz "" -H 'X-Request-Id: lb-7f3a.2026:11_02'
expect_jq .status ok "a request with its own id is answered"
check "a sane incoming id comes back as it was sent" test "$(header x-request-id)" = "lb-7f3a.2026:11_02"

api POST /api/v1/clients '{"name":"Traced Ltd"}' -H 'X-Request-Id: trace-create-1'
expect_status 201 "a write with its own id"
check "a write (answered by the writer thread on SQLite) keeps the id" test "$(header x-request-id)" = "trace-create-1"
api POST /api/v1/clients '{"name":""}' -H 'X-Request-Id: trace-bad-1'
expect_error 422 required name "a refused write"
check "an error answer carries the id too" test "$(header x-request-id)" = "trace-bad-1"

replaced() { # replaced HEADER-VALUE DESC
	api GET /healthz "" -H "X-Request-Id: $1"
	check "$2 is replaced by a new id" grep -qE '^req_[0-9a-z]{26}$' <<<"$(header x-request-id)"
}
replaced "has space" "an id with a space"
replaced "a/b" "an id with a slash"
replaced "$(printf 'x%.0s' $(seq 65))" "an id of 65 characters"
api GET /healthz "" -H "X-Request-Id: $(printf 'y%.0s' $(seq 64))"
check "an id of 64 characters is kept" test "$(header x-request-id)" = "$(printf 'y%.0s' $(seq 64))"
