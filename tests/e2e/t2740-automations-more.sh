#!/usr/bin/env bash
# t2740: the rest of the built-in automations replayed under RAPPORT_NOW through cron runs: a
# deliverable's deadline, a project's pulse check halfway and its debrief at the end, a client's health
# falling a band (told once, with the factors and their evidence, however many runs that week), and the
# morning digest from its hour, once a day.
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
export RAPPORT_NOW=2026-01-05T09:00:00Z
run_at() { RAPPORT_NOW=$1 cli jobs run --db "$DB" --once; }
subjects() { for f in "$SINK"/*.eml; do [ -e "$f" ] && tr -d '\r' <"$f" | sed -n 's/^Subject: //p'; done | sort; }
mail_count() { ls "$SINK" | grep -c '\.eml$'; }

init_db
cli user list --db "$DB" --json
ADMIN=$(printf '%s' "$OUT" | jq -r '.data[0].id')
cli email settings --db "$DB" --automations '{"checkin_reminder":{"enabled":false},"task_deadline":{"enabled":false}}'
expect_rc 0 "reminders this test does not watch are off"

# a steady weekly client: an update out and a reply back every week for nine weeks
cli client add --db "$DB" --name Steady --stage active --cadence weekly --owner-id "$ADMIN" --json
CID=$(printf '%s' "$OUT" | jq -r .id)
for w in $(seq 0 8); do
	RAPPORT_NOW=$(date -u -d "2026-01-05 + $((w * 7)) days" +%Y-%m-%dT10:00:00Z) \
		cli log --db "$DB" --client-id "$CID" --type email --direction outbound --summary "update $w"
	RAPPORT_NOW=$(date -u -d "2026-01-05 + $((w * 7 + 1)) days" +%Y-%m-%dT10:00:00Z) \
		cli log --db "$DB" --client-id "$CID" --type email --direction inbound --summary "reply $w"
done
# a project from March 2 to March 30 with a deliverable due March 20
RAPPORT_NOW=2026-03-02T09:00:00Z cli project add --db "$DB" --client-id "$CID" --name Rebrand --start-date 2026-03-02 \
	--due-date 2026-03-30 --json
PRJ=$(printf '%s' "$OUT" | jq -r .id)
RAPPORT_NOW=2026-03-02T09:00:00Z cli contact add --db "$DB" --client-id "$CID" --first-name Sam --email sam@steady.test --json
SAM=$(printf '%s' "$OUT" | jq -r .id)
RAPPORT_NOW=2026-03-02T09:00:00Z cli project edit --db "$DB" "$PRJ" --status active --agreed-at 2026-03-02T09:00:00Z \
	--agreed-by-id "$SAM" --version 1
expect_rc 0 "the project is agreed and active"
RAPPORT_NOW=2026-03-02T09:00:00Z cli deliverable add --db "$DB" --project-id "$PRJ" --name "Logo" --due-date 2026-03-20

run_at 2026-03-10T09:00:00Z
check "nothing due on March 10" test "$(mail_count)" = 0
run_at 2026-03-16T09:00:00Z
run_at 2026-03-16T18:00:00Z
check "the pulse check halfway (March 16), once" test "$(mail_count)" = 1
run_at 2026-03-18T09:00:00Z
check "the deliverable two days before it is due" test "$(mail_count)" = 2
# then the relationship sours: a complaint and a poor NPS
RAPPORT_NOW=2026-03-20T09:00:00Z cli ticket add --db "$DB" --client-id "$CID" --kind complaint --subject "Late again"
RAPPORT_NOW=2026-03-21T09:00:00Z cli feedback add --db "$DB" --client-id "$CID" --kind nps --score 2
run_at 2026-03-21T09:00:00Z
run_at 2026-03-22T08:00:00Z
run_at 2026-03-22T20:00:00Z
run_at 2026-03-24T15:00:00Z
run_at 2026-03-27T09:00:00Z
check "the health drop, told once across the week's runs" test "$(mail_count)" = 3
HEALTH=$(grep -l '^Subject: Steady is now ' "$SINK"/*.eml)
part() { /usr/bin/python3 -c 'import email,sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
for p in m.walk():
    if p.get_content_type() == "text/plain": print(p.get_payload(decode=True).decode())' "$1"; }
part "$HEALTH" >"$TMP/health.txt"
check "with the factors and their evidence" grep -q '^- cadence_lapse: [0-9]* points — no update for [0-9]* days; cadence is weekly' "$TMP/health.txt"
check "and the band it fell from" grep -q "Steady's health fell from healthy to" "$TMP/health.txt"
run_at 2026-03-30T09:00:00Z
check "the debrief at the project's end" test "$(mail_count)" = 4

# the morning digest, switched on for 07:00 on the workspace's clock (New York: 11:00 UTC that day)
cli workspace list --db "$DB" --json
WS=$(printf '%s' "$OUT" | jq -r '.data[0].id')
WSV=$(printf '%s' "$OUT" | jq -r '.data[0].version')
cli workspace edit --db "$DB" "$WS" --time-zone America/New_York --version "$WSV"
expect_rc 0 "the workspace keeps New York time"
cli email settings --db "$DB" --automations '{"morning_digest":{"enabled":true,"hour":7}}'
RAPPORT_NOW=2026-03-31T08:00:00Z cli task add --db "$DB" --title "Call Steady" --due-at 2026-03-31T15:00:00Z --assignee-id "$ADMIN"
run_at 2026-03-31T06:00:00Z
run_at 2026-03-31T10:30:00Z
check "no digest before 07:00 in New York" test "$(mail_count)" = 4
run_at 2026-03-31T11:30:00Z
run_at 2026-03-31T16:00:00Z
check "one digest that day, from 07:00 New York time" test "$(mail_count)" = 5
DIGEST=$(grep -l '^Subject: Your day: 2026-03-31' "$SINK"/*.eml)
check "it holds the day's task" grep -q 'Call Steady' "$DIGEST"
subjects | sed 's/^Steady is now \(watch\|at_risk\)$/Steady is now (a lower band)/' | sort >"$TMP/subjects"
check "exactly these mails went out, each once" diff "$TMP/subjects" <(sort <<'LIST'
Debrief: Rebrand
Deliverable due 2026-03-20: Logo
Pulse check: Rebrand
Steady is now (a lower band)
Your day: 2026-03-31
LIST
)
