#!/usr/bin/env bash
# t2720: mail to clients' contacts. Templates refuse an unknown variable when saved, naming it, and a
# preview renders one for a real record with each value escaped for its part; the check-in update is a
# draft until approved, then sent and logged on the client's timeline; automated mail carries RFC 8058's
# List-Unsubscribe, whose signed link opts the contact out with one POST (a GET only asks, a forged link is
# 404); an opted-out contact gets no more automated mail; the onboarding welcome carries the intake
# questions in both parts.
. "$(dirname "$0")/lib.sh"

SINK=$TMP/sink
mkdir -p "$SINK"
SMTP_PORT=$(free_port)
/usr/bin/python3 "$E2E_DIR/smtp_sink.py" --port "$SMTP_PORT" --dir "$SINK" >"$TMP/sink.log" 2>&1 &
SINK_PID=$!
trap 'kill $SINK_PID 2>/dev/null; _e2e_exit' EXIT
for i in $(seq 1 50); do [ -e "$SINK/ready" ] && break; sleep 0.1; done
[ -e "$SINK/ready" ] || bail "the SMTP relay started"
[ -n "${E2E_PG_URL:-}" ] && export RAPPORT_SECRET_KEY_FILE=$TMP/secret.key
export RAPPORT_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT?tls=none" RAPPORT_MAIL_FROM=firm@example.com
export RAPPORT_PUBLIC_URL=https://crm.example.com RAPPORT_NOW=2026-03-02T09:00:00Z
wait_for() { local n=$(($1 * 10)); shift; for _ in $(seq 1 $n); do "$@" && return 0; sleep 0.1; done; return 1; }
# part FILE TYPE : the decoded text/plain or text/html part of a message
part() { /usr/bin/python3 -c 'import email,sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
for p in m.walk():
    if p.get_content_type() == sys.argv[2]: print(p.get_payload(decode=True).decode())' "$1" "$2"; }
mail_count() { ls "$SINK" | grep -c '\.eml$'; }
has_mails() { [ "$(mail_count)" = "$1" ]; }
run_at() { RAPPORT_NOW=$1 cli jobs run --db "$DB" --once; }

start_server
api GET /api/v1/users
ADMIN=$(jqr '.data[0].id')
create clients "{\"name\":\"Acme <b>&</b> Co\",\"stage\":\"active\",\"cadence\":\"weekly\",\"owner_id\":\"$ADMIN\"}" "a weekly client"
CID=$ID
create contacts "{\"client_id\":\"$CID\",\"first_name\":\"Ada*\",\"email\":\"ada@acme.test\",\"is_primary\":true}" "its contact"
CON=$ID

# ---- templates
api POST /api/v1/templates '{"name":"Update","use_for":"checkin_email","subject":"News for {{client.nmae}}","body":"x"}'
expect_error 422 invalid_value subject "an unknown variable is refused when saved, naming the field"
check "and the variable, with the fields it could be" jqe '.error.message | test("client.nmae") and test("name")'
api POST /api/v1/templates '{"name":"Update","use_for":"checkin_email","subject":"News\r\nBcc: x@y.z","body":"x"}'
expect_error 422 invalid_value subject "a subject of two lines is refused"
api POST /api/v1/templates '{"name":"Update","use_for":"checkin_email","subject":"x","body":"{{client.name"}'
expect_error 422 invalid_value body "an unclosed variable is refused naming body"
create templates '{"name":"Update","use_for":"checkin_email","subject":"Our update for {{client.name}}","body":"Hello {{contact.first_name}},\n\n**{{client.name}}** is {{client.stage}}.\n\n{{user.email}}"}' \
	"a check-in template"
TPL=$ID
api POST "/api/v1/templates/$TPL/preview" "{\"record_id\":\"$CID\"}"
expect_status 200 "a preview for a real client"
expect_jq '.subject' 'Our update for Acme <b>&</b> Co' "the subject has the value as it is, on one line"
check "the text part has the values as they are" jqe '.text | test("Hello Ada\\*,") and test("admin@example.com")'
check "the HTML part escapes them: a value is never markup" \
	jqe '.html | test("<strong>Acme &lt;b&gt;&amp;&lt;/b&gt; Co</strong>") and test("Hello Ada\\*,")'
expect_jq '.to' ada@acme.test "whom it would go to"
api POST "/api/v1/templates/$TPL/preview" '{"record_id":"cli_nobody"}'
expect_error 404 not_found - "a preview for a record that does not exist is 404"

# ---- the check-in update, as a draft, then approved
api PATCH /api/v1/settings/email '{"automations":{"checkin_email":{"enabled":true,"mode":"draft"},"checkin_reminder":{"enabled":false}}}'
expect_status 200 "the check-in update switched on, as drafts"
run_at 2026-03-09T10:00:00Z
api GET '/api/v1/outbox?status=draft'
DRAFT=$(jqr '.data[0].id')
check "a week on, the update waits as a draft" jqe '.data | length == 1 and .[0].automation == "checkin_email" and .[0].recipient == "ada@acme.test"'
check "nothing was sent yet" has_mails 0
run_at 2026-03-09T11:00:00Z
api GET '/api/v1/outbox?status=draft'
check "another run writes no second draft" jqe '.data | length == 1'
api POST "/api/v1/outbox/$DRAFT/approve"
expect_status 200 "approving the draft"
api POST "/api/v1/outbox/$DRAFT/approve"
expect_error 409 conflict status "approving twice is 409"
check "it is sent" wait_for 10 has_mails 1
api GET "/api/v1/interactions?client_id=$CID&type=email"
check "and logged as an outbound email on the client's timeline" jqe '.data | length == 1 and .[0].direction == "outbound" and (.[0].subject | test("Our update"))'
EML=$(ls "$SINK"/*.eml | head -n 1)
LINK=$(tr -d '\r' <"$EML" | sed -n 's/^List-Unsubscribe: <\(.*\)>$/\1/p')
check "automated mail carries List-Unsubscribe with the public URL" bash -c "[[ '$LINK' == https://crm.example.com/unsubscribe/$CON.* ]]"
check "and List-Unsubscribe-Post for one click (RFC 8058)" grep -q '^List-Unsubscribe-Post: List-Unsubscribe=One-Click' "$EML"
check "and an HTML part" grep -q '^Content-Type: text/html; charset=utf-8' "$EML"

# ---- unsubscribe
UPATH=${LINK#https://crm.example.com}
SAVED=$TOKEN; TOKEN=
api GET "$UPATH"
expect_status 200 "the link's page answers without signing in"
asks() { printf '%s' "$BODY" | grep -q '<form method=post><button type=submit>Unsubscribe</button>'; }
check "it asks, with one button" asks
TOKEN=$SAVED; api GET "/api/v1/contacts/$CON"; TOKEN=
expect_jq '.email_opt_out' false "a GET (a mail scanner following the link) opts no one out"
api POST "${UPATH%?}x" ""
expect_status 404 "a forged link is 404"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' \
	--data 'List-Unsubscribe=One-Click' "$BASE$UPATH")
check "the one-click POST a mail client sends is 200" test "$STATUS" = 200
TOKEN=$SAVED
api GET "/api/v1/contacts/$CON"
expect_jq '.email_opt_out' true "the contact is opted out"
api GET "/api/v1/audit?record_id=$CON"
check "and the change is in the audit log" jqe '[.data[] | select(.action == "update")] | length >= 1'

api PATCH /api/v1/settings/email '{"automations":{"checkin_email":{"mode":"send"}}}'
run_at 2026-03-16T12:00:00Z
api GET '/api/v1/outbox'
check "the next update is not written to an opted-out contact" jqe '[.data[] | select(.automation == "checkin_email")] | length == 1'
run_at 2026-03-16T12:05:00Z
check "nothing more is sent" has_mails 1

# ---- onboarding welcome, sent, with the intake questions
create onboarding-templates '{"name":"Standard","steps":[{"title":"Kick-off","kind":"meeting","offset_days":0}],"questions":["What does success look like?","Who signs off <deliverables>?"]}' \
	"an onboarding template with intake questions"
OBT=$ID
api PATCH /api/v1/settings/email '{"automations":{"onboarding_welcome":{"enabled":true,"mode":"send"},"task_deadline":{"enabled":false}}}'
export RAPPORT_NOW=2026-03-17T09:00:00Z
stop_server
serve_db
create clients "{\"name\":\"Beta\",\"stage\":\"active\",\"owner_id\":\"$ADMIN\"}" "a new active client"
BETA=$ID
create contacts "{\"client_id\":\"$BETA\",\"first_name\":\"Bo\",\"email\":\"bo@beta.test\"}" "its contact"
api POST "/api/v1/clients/$BETA/onboarding" "{\"template_id\":\"$OBT\"}"
expect_status 201 "onboarding applied"
run_at 2026-03-17T10:00:00Z
check "the welcome goes out" wait_for 10 has_mails 2
EML=$(ls "$SINK"/*.eml | sort | tail -n 1)
check "to the new client's contact" grep -q '^To: "Bo" <bo@beta.test>' "$EML"
check "with the intake questions in the text part" bash -c "grep -q '2. Who signs off <deliverables>?' <<<\"\$1\"" _ "$(part "$EML" text/plain)"
check "and escaped in the HTML part" bash -c "grep -q '<li>Who signs off &lt;deliverables&gt;?</li>' <<<\"\$1\"" _ "$(part "$EML" text/html)"
run_at 2026-03-18T10:00:00Z
check "once" has_mails 2
stop_server
