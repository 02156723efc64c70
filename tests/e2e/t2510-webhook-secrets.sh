#!/usr/bin/env bash
# t2510: webhook signing secrets at rest and their rotation. The secret is shown once, at creation and at
# each rotation, and appears nowhere else: not in a read, a list, the CLI, an export, the audit log, nor
# the database's own bytes (it is sealed under the server's key). Rotating keeps the old secret signing
# beside the new one for 24 hours: the receiver (tests/webhook_receiver.py) verifies each delivery with
# either secret alone; a second rotation drops the oldest; past the day only the new one signs. Migration
# 17 seals a secret an older version stored in the clear (and refuses, saying why, without a key); a
# workspace loaded from an export has no secret until it is rotated.
. "$(dirname "$0")/lib.sh"

# PostgreSQL has no "beside the database" for the key file
[ -n "${E2E_PG_URL:-}" ] && export RAPPORT_SECRET_KEY_FILE=$TMP/secret.key

RCV=$TMP/receiver
mkdir -p "$RCV"
python3 "$E2E_DIR/../webhook_receiver.py" "$RCV" >"$TMP/receiver.log" 2>&1 &
RCV_PID=$!
trap 'rc=$?; kill $RCV_PID 2>/dev/null; (exit $rc); _e2e_exit' EXIT
for i in $(seq 1 50); do [ -s "$RCV/port" ] && break; sleep 0.1; done
[ -s "$RCV/port" ] || bail "the receiver started"
HOOK=http://127.0.0.1:$(cat "$RCV/port")

# requests : the receiver's log of requests to /r, one JSON object a line
requests() { [ -f "$RCV/requests.jsonl" ] && jq -c 'select(.path == "/r")' "$RCV/requests.jsonl"; }
# wait_requests N : waits up to 15 s until /r has had N requests
wait_requests() {
	local i
	for i in $(seq 1 150); do
		[ "$(requests | grep -c .)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
# last_request : how the newest request to /r verified: "SIGNATURES SIGNED_BY VALID", where SIGNED_BY
# lists, in the header's order, which line of r.secret made each signature ("2 0,1 true": two signatures,
# the first by line 0, the second by line 1, and the request verifies)
last_request() { requests | tail -n 1 | jq -r '"\(.signatures) \(.signed_by | map(tostring) | join(",")) \(.valid)"'; }
# no_whsec : $BODY (or $OUT) holds no whsec_
no_whsec() { ! grep -q whsec_ <<<"$BODY$OUT"; }
# whsec_in_store : how many times whsec_ occurs in the database's bytes (SQLite: the file and its WAL;
# PostgreSQL: a dump of the database)
whsec_in_store() {
	if [ -n "${E2E_PG_URL:-}" ]; then
		pg_dump "$DB" | grep -ac whsec_
	else
		cat "$DB" "$DB-wal" 2>/dev/null | grep -ac whsec_
	fi
}
# sql STATEMENT : run against the store, whichever it is
sql() {
	if [ -n "${E2E_PG_URL:-}" ]; then psql "$DB" -qAt -c "$1"; else sqlite3 "$DB" "$1"; fi
}

export RAPPORT_WEBHOOK_ALLOW_PRIVATE=1 RAPPORT_WEBHOOK_TIMEOUT=3
start_server

# ---- created: the secret once, then nowhere
create webhooks "{\"url\":\"$HOOK/r\",\"events\":[\"client.created\"]}" "an admin subscribes"
WH=$ID
S1=$(jqr .secret)
check "the create answer carries the secret" bash -c "[[ '$S1' =~ ^whsec_[A-Za-z0-9+/]{43}=$ ]]"
printf '%s\n' "$S1" >"$RCV/r.secret"
api GET "/api/v1/webhooks/$WH"
check "a read shows neither secret, only when a previous one stops signing (none yet)" \
	jqe '(has("secret") or has("previous_secret") | not) and .previous_secret_expires_at == null'
OUT=
api GET /api/v1/webhooks
check "nor does the list" jqe '[.data[] | has("secret")] == [false]'
check "... and no whsec_ anywhere in it" no_whsec
api GET "/api/v1/audit?record_id=$WH"
check "the audit log has the creation" jqe '.data | length == 1'
check "... without the secret" no_whsec
cli webhook show "$WH" --db "$DB" --json
expect_rc 0 "rapport webhook show"
check "... shows no secret" no_whsec
BODY=
check "the database holds no whsec_ in its bytes (sealed: grep -c whsec_ finds none)" [ "$(whsec_in_store)" = 0 ]
check "... yet it holds a sealed secret for the subscription" \
	[ "$(sql "SELECT length(secret) > 60 FROM webhooks WHERE id = '$WH'")" = "$([ -n "${E2E_PG_URL:-}" ] && echo t || echo 1)" ]

create clients '{"name":"Before rotation"}' "a client is created"
wait_requests 1 || fail "its delivery arrived"
check "the delivery carries one signature, verified by the secret" [ "$(last_request)" = "1 0 true" ]

if [ -n "${E2E_PG_URL:-}" ]; then
	# PostgreSQL without a key file: no secret can be sealed, so none is made
	RAPPORT_SECRET_KEY_FILE= cli webhook add --db "$DB" --url "$HOOK/x" --events client.created
	expect_cli_error 1 "without RAPPORT_SECRET_KEY_FILE a subscription is refused (exit 1)"
	check "... saying what to set" grep -q RAPPORT_SECRET_KEY_FILE <<<"$ERR"
	check "... and nothing is kept" [ "$(sql "SELECT COUNT(*) FROM webhooks")" = 1 ]
fi

# ---- exports carry no secret
cli export all --db "$DB" --out "$TMP/ws.jsonl"
expect_rc 0 "export the whole workspace"
check "the workspace export has no whsec_" [ "$(grep -c whsec_ "$TMP/ws.jsonl")" = 0 ]
check "... and its subscription row has neither secret column" \
	bash -c "jq -se 'map(select(.entity == \"webhooks\")) | length == 1 and all(.[]; .row | has(\"secret\") or has(\"previous_secret\") | not)' '$TMP/ws.jsonl' >/dev/null"
OUT=
api GET '/api/v1/webhooks/export?format=jsonl'
expect_status 200 "the webhooks' own export"
check "... has no secret" no_whsec
check "... nor a secret column" jqe 'has("secret") | not'

# ---- rotation: a new secret once, the old one signing beside it for 24 hours
api POST "/api/v1/webhooks/$WH/rotate-secret"
expect_status 200 "rotate-secret answers 200"
S2=$(jqr .secret)
check "with a new whsec_ secret" bash -c "[[ '$S2' =~ ^whsec_ ]] && [ '$S2' != '$S1' ]"
UNTIL=$(jqr .previous_secret_expires_at)
check "and when the old one stops signing: 24 hours from now" \
	bash -c "d=\$(( \$(date -u -d '$UNTIL' +%s) - \$(date -u +%s) )); [ \$d -gt 86000 ] && [ \$d -le 86400 ]"
expect_jq .version 2 "the rotation is a change of the record (its version moves)"
api GET "/api/v1/webhooks/$WH"
check "a read after it shows no secret" jqe 'has("secret") | not'
check "... but the overlap's end" jqe ".previous_secret_expires_at == \"$UNTIL\""
api GET "/api/v1/audit?record_id=$WH"
check "the rotation is in the audit log" jqe '.data | length == 2'
check "... without any secret" no_whsec
create users '{"email":"member@example.com","role":"member","password":"member-horse-battery-3"}' "a member"
TOKEN=$(new_token member@example.com) api POST "/api/v1/webhooks/$WH/rotate-secret"
expect_error 403 forbidden - "a member may not rotate a secret"
api POST "/api/v1/webhooks/wh_01aaaaaaaaaaaaaaaaaaaaaaaa/rotate-secret"
expect_error 404 not_found - "rotating no such subscription is 404"
check "still no whsec_ in the database's bytes: both secrets sealed" [ "$(whsec_in_store)" = 0 ]

printf '%s\n%s\n' "$S2" "$S1" >"$RCV/r.secret"
create clients '{"name":"During the overlap"}' "a client is created during the overlap"
wait_requests 2 || fail "its delivery arrived"
check "webhook-signature carries two signatures, the new secret's first, then the old one's" \
	[ "$(last_request)" = "2 0,1 true" ]
check "... and each secret alone verifies it" \
	[ "$(requests | tail -n 1 | jq -c .verified_by)" = "[0,1]" ]

# ---- the CLI rotates too; a second rotation drops the oldest
stop_server
cli webhook rotate-secret "$WH" --db "$DB"
expect_rc 0 "rapport webhook rotate-secret"
S3=$OUT
check "it prints the new secret alone on stdout" bash -c "[[ '$S3' =~ ^whsec_[A-Za-z0-9+/]{43}=$ ]] && [ '$S3' != '$S2' ]"
check "and says until when the old one signs, on stderr" grep -q "still signs every message until" <<<"$ERR"
cli webhook rotate-secret --db "$DB"
expect_cli_error 2 "rotate-secret without an id is a usage error"
printf '%s\n%s\n%s\n' "$S3" "$S2" "$S1" >"$RCV/r.secret"
cli client add --db "$DB" --name "After the second rotation"
cli jobs run --db "$DB"
expect_rc 0 "jobs run sends the delivery"
wait_requests 3 || fail "its delivery arrived"
check "signed by the newest secret and the one before it, no longer by the first" [ "$(last_request)" = "2 0,1 true" ]

# ---- past the overlap only the new secret signs
LATER=$(date -u -d '+25 hours' +%Y-%m-%dT%H:%M:%SZ)
RAPPORT_NOW=$LATER cli client add --db "$DB" --name "A day later"
RAPPORT_NOW=$LATER cli jobs run --db "$DB"
wait_requests 4 || fail "its delivery arrived"
check "a day after the rotation one signature, the new secret's" [ "$(last_request)" = "1 0 true" ]

# ---- migration 17: a secret an older version stored in the clear is sealed in place
# back_to_16 : the database as version 16 left it: the secret in the clear, no rotation columns
back_to_16() {
	sql "UPDATE webhooks SET secret = '$S3' WHERE id = '$WH'" >/dev/null
	sql "ALTER TABLE webhooks DROP COLUMN previous_secret" >/dev/null
	sql "ALTER TABLE webhooks DROP COLUMN previous_secret_expires_at" >/dev/null
	sql "DELETE FROM schema_migrations WHERE version = 17" >/dev/null
	check "set up: the database is back at version 16 with the secret in the clear" [ "$(whsec_in_store)" -ge 1 ]
}
back_to_16
RAPPORT_SECRET_KEY_FILE=/nonexistent/dir/rapport.key cli webhook list --db "$DB"
check "without a key the migration refuses, saying what to set" \
	bash -c "[ '$RC' != 0 ] && grep -q RAPPORT_SECRET_KEY_FILE <<<'$ERR' && grep -q 'in the clear' <<<'$ERR'"
check "... and leaves the database as it was" [ "$(sql 'SELECT MAX(version) FROM schema_migrations')" = 16 ]
cli copy --from "$DB" --to "$TMP/copied.db"
expect_rc 0 "rapport copy from a version 16 database migrates it first, with its key"
check "... so neither it nor the copy holds a secret in the clear" \
	bash -c "[ '$(whsec_in_store)' = 0 ] && [ \$(grep -ac whsec_ '$TMP/copied.db') = 0 ]"
back_to_16
cli webhook list --db "$DB"
expect_rc 0 "with the key, the next command migrates"
check "the secret is sealed: no whsec_ left in the database" [ "$(whsec_in_store)" = 0 ]
printf '%s\n' "$S3" >"$RCV/r.secret"
cli webhook test "$WH" --db "$DB"
cli jobs run --db "$DB"
wait_requests 5 || fail "the test message arrived"
check "deliveries still verify with the secret the receiver has" [ "$(last_request)" = "1 0 true" ]

# ---- a workspace loaded from an export has no secret: rotating gives it one
MOVED=$TMP/moved.db
RAPPORT_SECRET_KEY_FILE= cli load "$TMP/ws.jsonl" --db "$MOVED"
expect_rc 0 "the export loads into another database"
RAPPORT_SECRET_KEY_FILE= cli webhook test "$WH" --db "$MOVED" --json
RAPPORT_SECRET_KEY_FILE= cli jobs run --db "$MOVED"
RAPPORT_SECRET_KEY_FILE= cli webhook deliveries "$WH" --db "$MOVED" --json
check "a delivery of the loaded subscription fails, saying to rotate its secret" \
	bash -c 'jq -e "[.data[] | select(.event == \"webhook.test\") | .last_error] | any(test(\"rotate it\"))" >/dev/null' <<<"$OUT"
RAPPORT_SECRET_KEY_FILE= cli webhook rotate-secret "$WH" --db "$MOVED"
expect_rc 0 "rotating the loaded subscription's secret"
printf '%s\n' "$OUT" >"$RCV/r.secret"
SEEN=$(requests | grep -c .)
RAPPORT_SECRET_KEY_FILE= cli webhook test "$WH" --db "$MOVED"
RAPPORT_SECRET_KEY_FILE= cli jobs run --db "$MOVED"
check "the loaded subscription's next test message is sent" wait_requests $((SEEN + 1))
check "then its deliveries verify with the new secret" [ "$(last_request)" = "1 0 true" ]
