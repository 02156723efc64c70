#!/usr/bin/env bash
# t2710: the built-in automations replayed under RAPPORT_NOW over three weeks of a client's life, through
# `rapport jobs run --once` (cron) and `rapport serve`, against a real SMTP relay on loopback: exactly the
# reminders due go out, each once, whichever process runs and however often, across a server restart; an
# automation switched off sends nothing; email off fires nothing (and nothing is lost for later).
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
export RAPPORT_NOW=2026-03-02T09:00:00Z # a Monday
unset RAPPORT_SMTP_URL RAPPORT_MAIL_FROM
init_db
ADMIN=$(cli user list --db "$DB" --json >/dev/null; printf '%s' "$OUT" | jq -r '.data[0].id')
cli client add --db "$DB" --name Acme --stage active --cadence weekly --owner-id "$ADMIN" --response-time-hours 8 --json
CID=$(printf '%s' "$OUT" | jq -r .id)
cli contact add --db "$DB" --client-id "$CID" --first-name Ada --email ada@acme.test --json
cli task add --db "$DB" --title "Send the proposal" --due-at 2026-03-04T15:00:00Z --assignee-id "$ADMIN" --client-id "$CID" --json
TASK=$(printf '%s' "$OUT" | jq -r .id)
cli ticket add --db "$DB" --client-id "$CID" --subject "Invoice question" --json
check "the ticket's promise is Monday 17:00 (8 business hours)" jq_on "$OUT" -e '.response_due_at == "2026-03-02T17:00:00Z"'

# run AT : one cron run at that moment
run_at() { RAPPORT_NOW=$1 cli jobs run --db "$DB" --once; }
mails() { for f in "$SINK"/*.eml; do [ -e "$f" ] && grep -h '^Subject:' "$f" | tr -d '\r' | sed 's/^Subject: //'; done; }
mail_count() { ls "$SINK" | grep -c '\.eml$'; }

run_at 2026-03-02T14:00:00Z
check "with email off nothing fires" test "$(mail_count)" = 0
cli outbox list --db "$DB" --json
check "and nothing is queued" jq_on "$OUT" -e '.data == []'

export RAPPORT_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT?tls=none" RAPPORT_MAIL_FROM=firm@example.com
run_at 2026-03-02T09:30:00Z
check "Monday 09:30: nothing is due yet" test "$(mail_count)" = 0
run_at 2026-03-02T14:00:00Z
check "Monday 14:00: the ticket warning (promise within 4 hours)" test "$(mail_count)" = 1
run_at 2026-03-02T14:30:00Z
run_at 2026-03-02T15:00:00Z
check "runs after it send it again never" test "$(mail_count)" = 1
run_at 2026-03-02T18:00:00Z
check "Monday 18:00: the breach alert" test "$(mail_count)" = 2
run_at 2026-03-03T16:00:00Z
run_at 2026-03-03T16:05:00Z
check "Tuesday 16:00: the task reminder, 24 hours before, once" test "$(mail_count)" = 3
run_at 2026-03-09T10:00:00Z
check "a week on: the check-in reminder (weekly cadence lapsed)" test "$(mail_count)" = 4
RAPPORT_NOW=2026-03-09T11:00:00Z cli log --db "$DB" --client-id "$CID" --type email --direction outbound --subject "Weekly update" \
	--summary "Where things stand"
run_at 2026-03-09T12:00:00Z
run_at 2026-03-12T12:00:00Z
check "an update sent: nothing more until the cadence lapses again" test "$(mail_count)" = 4

# the server runs the same automations; a restart fires nothing twice
RAPPORT_NOW=2026-03-16T12:00:00Z serve_db
wait_for() { local n=$(($1 * 10)); shift; for _ in $(seq 1 $n); do "$@" && return 0; sleep 0.1; done; return 1; }
has_mails() { [ "$(mail_count)" = "$1" ]; }
check "the server fires the next check-in reminder (a new due time)" wait_for 15 has_mails 5
stop_server
RAPPORT_NOW=2026-03-16T12:00:00Z serve_db
sleep 3
stop_server
run_at 2026-03-16T12:30:00Z
check "after a restart and another cron run: still five" test "$(mail_count)" = 5

mails >"$TMP/subjects"
check "exactly the five reminders due, each once" diff <(sort "$TMP/subjects") <(sort <<'LIST'
Check-in due: Acme
Check-in due: Acme
Due 2026-03-04T15:00: Send the proposal
Reply due 2026-03-02T17:00: Invoice question
Response promise missed: Invoice question
LIST
)
check "all to the client's owner, the assignee" bash -c "cat '$SINK'/*.json | jq -s -e 'all(.to == [\"$ADMIN_EMAIL\"])' >/dev/null"
check "each marked as automated (RFC 3834)" bash -c "[ \$(grep -l '^Auto-Submitted: auto-generated' '$SINK'/*.eml | wc -l) = 5 ]"

# switched off: nothing
cli email settings --db "$DB" --off task_deadline --json
expect_rc 0 "rapport email settings --off task_deadline"
check "the settings show it off" jq_on "$OUT" -e '.automations.task_deadline.enabled == false'
cli task add --db "$DB" --title "Book the debrief" --due-at 2026-03-17T15:00:00Z --assignee-id "$ADMIN" --client-id "$CID"
run_at 2026-03-17T10:00:00Z
check "a task due within a day sends nothing while its automation is off" test "$(mail_count)" = 5
cli email settings --db "$DB" --on task_deadline
run_at 2026-03-17T10:05:00Z
check "switched on again, it fires" test "$(mail_count)" = 6
cli email settings --db "$DB" --automations '{"task_deadline":{"hours_before":-1}}'
expect_cli_error 5 "a tunable out of range is refused"
cli email settings --db "$DB" --automations '{"tea_break":{"enabled":true}}'
expect_cli_error 5 "an unknown automation is refused"
check "naming the ones there are" bash -c "printf '%s' \"\$1\" | grep -q 'task_deadline'" _ "$ERR"
