#!/usr/bin/env bash
# t2730: two `rapport serve` processes on one database (and cron runs beside them) send each automation's
# due item once and each queued message once: their workers race for the same 30 due reminders and their
# sender threads for the same outbox, and every mail arrives exactly once with a Message-ID of its own.
# Runs on SQLite (two processes, one file) and on PostgreSQL (the case it is for).
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
export RAPPORT_NOW=2026-03-02T09:00:00Z
wait_for() { local n=$(($1 * 10)); shift; for _ in $(seq 1 $n); do "$@" && return 0; sleep 0.1; done; return 1; }
mail_count() { ls "$SINK" | grep -c '\.eml$'; }
has_mails() { [ "$(mail_count)" = "$1" ]; }

init_db
cli user list --db "$DB" --json
ADMIN=$(printf '%s' "$OUT" | jq -r '.data[0].id')
cli client add --db "$DB" --name Acme --json
CID=$(printf '%s' "$OUT" | jq -r .id)
for i in $(seq -w 1 30); do
	cli task add --db "$DB" --title "Task $i" --due-at "2026-03-02T15:$i:00Z" --assignee-id "$ADMIN" --client-id "$CID"
done
cli contact add --db "$DB" --client-id "$CID" --first-name Ada --email ada@acme.test
cli interaction add --db "$DB" --client-id "$CID" --type meeting --subject Review --summary "We agreed." --json
MEETING=$(printf '%s' "$OUT" | jq -r .id)

serve_db
start_another_server
A=$BASE B=$BASE2
# cron runs beside the servers, at the same time
CRON=()
for i in 1 2 3; do
	RAPPORT_NOW=2026-03-02T09:00:00Z timeout 60 "$RAPPORT_BIN" jobs run --db "$DB" --once >/dev/null 2>&1 &
	CRON+=($!)
done
check "the 30 task reminders arrive" wait_for 30 has_mails 30
wait "${CRON[@]}"
sleep 11 # every worker has looked again
check "each once, whoever looked" has_mails 30

# 30 follow-ups queued through both servers: each sent once
for i in $(seq 1 30); do
	BASE=$A; [ $((i % 2)) -eq 0 ] && BASE=$B
	api POST "/api/v1/interactions/$MEETING/follow-up" '{"send":true}'
	[ "$STATUS" = 201 ] || fail_http "follow-up $i queued"
done
BASE=$A
check "the 30 follow-ups arrive" wait_for 30 has_mails 60
sleep 2
check "no message arrives twice" has_mails 60
for f in "$SINK"/*.eml; do tr -d '\r' <"$f" | grep '^Message-ID:'; done | sort | uniq -d >"$TMP/dups"
check "every Message-ID is its own" test ! -s "$TMP/dups"
api GET '/api/v1/outbox?limit=500'
check "the outbox shows all 60 sent, each on one attempt" jqe '(.data | length) == 60 and all(.data[]; .status == "sent" and .attempts == 1)'
check "both servers' senders took part" jqe '[.data[].attempt_log[0].sent_by | split(":")[1]] | unique | length >= 2'
stop_server
