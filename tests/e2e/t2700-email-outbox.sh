#!/usr/bin/env bash
# t2700: email out through a real SMTP server on loopback (Debian's aiosmtpd, with STARTTLS and AUTH). Off
# until configured, saying how; a follow-up sent is logged on the client's timeline and queued in the
# outbox in one transaction, then submitted by the server's sender threads with a stable Message-ID; a
# CR/LF in a subject is refused; faults: 4xx and a dropped connection are retried with backoff, a 5xx stops
# with the reason, a server that hangs holds up nothing else, a refused connection is retried; a kill -9
# mid-send loses nothing; a normal restart sends nothing twice; a workspace's own SMTP password is stored
# sealed and never shown.
. "$(dirname "$0")/lib.sh"

SINK=$TMP/sink
mkdir -p "$SINK"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 2 -subj /CN=127.0.0.1 \
	-addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' >/dev/null 2>&1 || bail "made a test certificate"
SMTP_PORT=$(free_port)
/usr/bin/python3 "$E2E_DIR/smtp_sink.py" --port "$SMTP_PORT" --dir "$SINK" --tls "$TMP/cert.pem" "$TMP/key.pem" \
	--auth rapport:s3cret-pw >"$TMP/sink.log" 2>&1 &
SINK_PID=$!
trap 'kill $SINK_PID 2>/dev/null; _e2e_exit' EXIT
for i in $(seq 1 50); do [ -e "$SINK/ready" ] && break; sleep 0.1; done
[ -e "$SINK/ready" ] || bail "the SMTP sink started ($(cat "$TMP/sink.log"))"
[ -n "${E2E_PG_URL:-}" ] && export RAPPORT_SECRET_KEY_FILE=$TMP/secret.key
sink_count() { ls "$SINK" | grep -c '\.eml$'; }
# wait_for SECONDS CMD... : until CMD succeeds
wait_for() { local n=$(($1 * 10)); shift; for _ in $(seq 1 $n); do "$@" && return 0; sleep 0.1; done; return 1; }
outbox() { api GET "/api/v1/outbox$1"; }
status_of() { outbox "" && jqr --arg id "$1" '.data[] | select(.id == $id) | .status'; }
is_status() { [ "$(status_of "$1")" = "$2" ]; }

# ---- off until configured
unset RAPPORT_SMTP_URL RAPPORT_MAIL_FROM
start_server
check "serve says email is off and how to switch it on" grep -q 'email is off: set RAPPORT_SMTP_URL' "$TMP/server.log"
api GET /api/v1/settings/email
expect_jq '.email_enabled' false "the settings say email is off"
create clients '{"name":"Acme","stage":"active"}' "a client"
CID=$ID
create contacts "{\"client_id\":\"$CID\",\"first_name\":\"Zoë\",\"email\":\"zoe@acme.test\",\"is_primary\":true}" "a contact"
create interactions "{\"client_id\":\"$CID\",\"type\":\"meeting\",\"subject\":\"Kick-off\",\"summary\":\"We agreed.\\n. One dot line.\"}" \
	"a meeting with a summary"
MEETING=$ID
api POST "/api/v1/interactions/$MEETING/follow-up" '{"send":true}'
expect_error 409 conflict email "sending with email off is 409 naming email"
check "the refusal says how to switch it on" jqe '.error.message | test("RAPPORT_SMTP_URL")'
api GET "/api/v1/interactions?client_id=$CID&type=email"
expect_jq '.data | length' 0 "nothing was logged for the refused send"
stop_server

# ---- configured for the server, through STARTTLS and AUTH
export RAPPORT_SMTP_URL="smtp://rapport:s3cret-pw@127.0.0.1:$SMTP_PORT" RAPPORT_MAIL_FROM=firm@example.com
export RAPPORT_SMTP_CA_FILE=$TMP/cert.pem RAPPORT_OUTBOX_RETRY_SECONDS=1 RAPPORT_SMTP_TIMEOUT_SECONDS=3
serve_db
api GET /api/v1/settings/email
expect_jq '[.email_enabled, .source, .server_default.smtp_url]' "$(jq -nc --arg u "smtp://rapport@127.0.0.1:$SMTP_PORT" '[true,"server",$u]')" \
	"the settings show the server's default without its password" -c
api POST "/api/v1/interactions/$MEETING/follow-up" '{"send":true}'
expect_status 201 "a follow-up sent is 201"
MSG=$(jqr .outbox_id)
LOGGED=$(jqr .logged_interaction_id)
check "it names the outbox message and the logged interaction" test -n "$MSG" -a -n "$LOGGED"
api GET "/api/v1/clients/$CID/timeline?types=interaction"
check "the email is an outbound interaction on the client's timeline" \
	jqe --arg id "$LOGGED" '[.data[] | select(.id == $id and .record.type == "email" and .record.direction == "outbound")] | length == 1'
sink_has() { [ "$(sink_count)" -ge "$1" ]; }
check "the server's sender submitted it" wait_for 10 sink_has 1
check "the outbox shows it sent" wait_for 5 is_status "$MSG" sent
outbox ""
M=$(jqr --arg id "$MSG" '.data[] | select(.id == $id)')
check "one attempt, logged with the server's answer" jq_on "$M" -e '.attempts == 1 and (.attempt_log | length) == 1
	and .attempt_log[0].outcome == "sent" and (.attempt_log[0].detail | test("250"))'
EML=$SINK/0001.eml
check "submitted over STARTTLS as the configured user, envelope from and to" \
	jq -e '.tls and .user == "rapport" and .from == "firm@example.com" and .to == ["zoe@acme.test"]' "$SINK/0001.json"
MID=$(jq_on "$M" -r .message_id)
check "the Message-ID is the outbox's" grep -q "^Message-ID: <$MID>" "$EML"
check "the recipient's name is an RFC 2047 encoded word" grep -q '^To: =?UTF-8?B?Wm/Dqw==?= <zoe@acme.test>' "$EML"
check "a body line starting with a dot is encoded, so it cannot end DATA" grep -q '^=2E One dot line' "$EML"
check "the server log never holds the password" bash -c "! grep -q 's3cret-pw' '$TMP/server.log'"

# ---- header injection: a CR/LF in what becomes a subject is refused, nothing logged or queued
api POST /api/v1/interactions "{\"client_id\":\"$CID\",\"type\":\"call\",\"subject\":\"Hi\\r\\nBcc: evil@example.com\",\"summary\":\"x\"}"
if [ "$STATUS" = 201 ]; then # (where one-line fields take control characters, the outbox refuses them)
	api POST "/api/v1/interactions/$(jqr .id)/follow-up" '{"send":true}'
	expect_error 422 invalid_value subject "a subject with CR/LF is refused at the outbox, naming subject"
else
	expect_error 422 invalid_value subject "a subject with CR/LF is refused when the interaction is written"
fi

# ---- faults
send_followup() { # prints the new outbox id
	api POST "/api/v1/interactions/$MEETING/follow-up" '{"send":true}'
	jqr .outbox_id
}
attempt_outcomes() { outbox "" && jqr --arg id "$1" '.data[] | select(.id == $id) | [.attempt_log[].outcome] | join(",")'; }
echo tempfail >"$SINK/mode"
M2=$(send_followup)
check "a 451 is retried with backoff" wait_for 15 bash -c "[ \"\$(curl -s -H 'Authorization: Bearer $TOKEN' $BASE/api/v1/outbox |
	jq -r --arg id $M2 '.data[] | select(.id == \$id) | .attempts')\" -ge 2 ]"
outbox ""
check "each retry is logged with the 451" jqe --arg id "$M2" '.data[] | select(.id == $id) | .status == "queued"
	and (.attempt_log | all(.outcome == "retry" and (.detail | test("451"))))'
echo ok >"$SINK/mode"
check "once the server takes it, it is sent" wait_for 15 is_status "$M2" sent

echo permfail >"$SINK/mode"
M3=$(send_followup)
check "a 554 stops it" wait_for 10 is_status "$M3" failed
outbox "?status=failed"
check "with the reason shown, after one attempt" jqe --arg id "$M3" '.data[] | select(.id == $id) |
	.attempts == 1 and (.last_error | test("554"))'

echo drop >"$SINK/mode"
M4=$(send_followup)
check "a connection dropped before the answer is retried" wait_for 15 bash -c "[ \"\$(curl -s -H 'Authorization: Bearer $TOKEN' \
	$BASE/api/v1/outbox | jq -r --arg id $M4 '[.data[] | select(.id == \$id) | .attempt_log[] | select(.outcome == \"retry\")] | length')\" -ge 1 ]"
echo ok >"$SINK/mode"
check "and sent once the server answers" wait_for 15 is_status "$M4" sent

echo hang >"$SINK/mode"
M5=$(send_followup)
sleep 0.5
START=$(date +%s%N)
api GET /healthz
api GET "/api/v1/clients/$CID"
ELAPSED=$((($(date +%s%N) - START) / 1000000))
check "a hanging mail server holds up no request (${ELAPSED} ms)" test "$ELAPSED" -lt 1500
check "its timeout is a retry" wait_for 15 bash -c "curl -s -H 'Authorization: Bearer $TOKEN' $BASE/api/v1/outbox |
	jq -e --arg id $M5 '.data[] | select(.id == \$id) | .attempt_log[0] | .outcome == \"retry\" and (.detail | test(\"[Tt]imeout\"))' >/dev/null"
echo ok >"$SINK/mode"
check "then sent" wait_for 15 is_status "$M5" sent

# ---- kill -9 mid-send loses nothing; the message goes out again with the same Message-ID
echo hang >"$SINK/mode"
M6=$(send_followup)
check "a message is being sent" wait_for 10 is_status "$M6" sending
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
echo ok >"$SINK/mode"
BEFORE=$(sink_count)
serve_db
check "after kill -9 and a restart, the message is sent" wait_for 20 is_status "$M6" sent
outbox ""
MID6=$(jqr --arg id "$M6" '.data[] | select(.id == $id) | .message_id')
check "with its Message-ID" bash -c "grep -l '^Message-ID: <$MID6>' '$SINK'/*.eml | grep -q ."

# ---- a normal restart sends nothing already accepted
AFTER=$(sink_count)
stop_server
serve_db
sleep 2
check "a normal restart sends nothing twice ($AFTER messages)" test "$(sink_count)" = "$AFTER"
for f in "$SINK"/*.eml; do grep -h '^Message-ID:' "$f"; done | sort | uniq -d >"$TMP/dups"
check "no Message-ID arrived twice in normal operation" test ! -s "$TMP/dups"

# ---- a workspace's own server: the password sealed, never returned
api PATCH /api/v1/settings/email "{\"smtp_url\":\"smtp://rapport:s3cret-pw@127.0.0.1:$SMTP_PORT\",\"mail_from\":\"acme-team@example.com\"}"
expect_status 200 "an owner sets the workspace's own SMTP server"
check "the answer shows the URL without the password, and that one is stored" \
	jqe --arg u "smtp://rapport@127.0.0.1:$SMTP_PORT" '.smtp_url == $u and .smtp_password_set and .source == "workspace"'
no_password() { ! printf '%s' "$BODY" | grep -q s3cret-pw; }
check "no answer holds the password" no_password
api GET /api/v1/settings/email
check "nor does reading the settings" no_password
if [ -z "${E2E_PG_URL:-}" ]; then
	check "the database does not hold it in the clear" bash -c "! sqlite3 '$DB' 'SELECT * FROM mail_settings' | grep -q s3cret-pw"
	check "the key file is beside the database, mode 0600" test "$(stat -c %a "$DB.key")" = 600
fi
api PATCH /api/v1/settings/email '{"smtp_url":"smtp://x@host\r\nRCPT TO:<evil@example.com>"}'
expect_error 422 invalid_value smtp_url "a URL with CR/LF is refused naming smtp_url"
api PATCH /api/v1/settings/email '{"mail_from":"a@b.c, evil@example.com"}'
expect_error 422 invalid_value mail_from "a sender that is two addresses is refused"
api PATCH /api/v1/settings/email '{"smtp_host":"x"}'
expect_error 422 unknown_field smtp_host "an unknown setting is refused naming it"
M7=$(send_followup)
check "mail goes out through the workspace's server, with its sealed password" wait_for 10 is_status "$M7" sent
LAST=$(ls "$SINK"/*.json | sort | tail -n 1)
check "from the workspace's sender" jq -e '.from == "acme-team@example.com" and .user == "rapport"' "$LAST"

# ---- the CLI sees the same outbox
cli outbox list --db "$DB"
expect_rc 0 "rapport outbox list"
check "it lists the messages with their state" bash -c "printf '%s' '$OUT' | grep -q '$M3 failed'"

# ---- refused connection: retried
api PATCH /api/v1/settings/email "{\"smtp_url\":\"smtp://127.0.0.1:$(free_port)?tls=none\"}"
M8=$(send_followup)
check "a refused connection is retried" wait_for 10 bash -c "curl -s -H 'Authorization: Bearer $TOKEN' $BASE/api/v1/outbox |
	jq -e --arg id $M8 '.data[] | select(.id == \$id) | .status == \"queued\" and .attempts >= 1' >/dev/null"
stop_server

# ---- rapport copy carries the outbox, its attempts and the mail settings
if [ -z "${E2E_PG_URL:-}" ]; then
	cli copy --from "$DB" --to "$TMP/copy.db" --json
	check "rapport copy carries the outbox, every attempt and the mail settings, checksums equal" jq_on "$OUT" -e '
		[.tables[] | select(.table == "outbox" or .table == "outbox_attempts" or .table == "mail_settings")]
		| length == 3 and all(.rows_from > 0 and .rows_to == .rows_from and .sum_to == .sum_from)'
fi
