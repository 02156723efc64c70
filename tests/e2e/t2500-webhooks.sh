#!/usr/bin/env bash
# t2500: signed webhooks. A receiver on loopback (tests/webhook_receiver.py) verifies every request with
# the Standard Webhooks algorithm. Subscriptions are admin-only and show their whsec_ secret once; events
# go out from the generic write path (client.created, interaction.created, deal.won) and only to those who
# subscribed; a receiver answering 500 is retried with the same webhook-id, also across a server restart;
# a hanging one times out and holds up nothing else; with two servers each message goes out once; under RAPPORT_NOW a receiver failing for three days
# exhausts the retries, and the subscription is disabled with its reason and an audit entry; a ticket
# unanswered past its promised response raises ticket.breached once; without
# RAPPORT_WEBHOOK_ALLOW_PRIVATE, 127.0.0.1 and a name resolving to it (localhost) are refused on the
# address connected to; the CLI lists, tests and shows deliveries.
. "$(dirname "$0")/lib.sh"
# webhook secrets are sealed under the server's key, which PostgreSQL keeps in a file named for it
[ -n "${E2E_PG_URL:-}" ] && export RAPPORT_SECRET_KEY_FILE=$TMP/secret.key

RCV=$TMP/receiver
mkdir -p "$RCV"
python3 "$E2E_DIR/../webhook_receiver.py" "$RCV" >"$TMP/receiver.log" 2>&1 &
RCV_PID=$!
trap 'rc=$?; kill $RCV_PID 2>/dev/null; (exit $rc); _e2e_exit' EXIT
for i in $(seq 1 50); do [ -s "$RCV/port" ] && break; sleep 0.1; done
[ -s "$RCV/port" ] || bail "the receiver started"
HOOK=http://127.0.0.1:$(cat "$RCV/port")

# requests NAME : the receiver's log of requests to /NAME, one JSON object a line
requests() { [ -f "$RCV/requests.jsonl" ] && jq -c --arg p "/$1" 'select(.path == $p)' "$RCV/requests.jsonl"; }
# wait_requests NAME N : waits up to 15 s until /NAME has had N requests
wait_requests() {
	local i
	for i in $(seq 1 150); do
		[ "$(requests "$1" | grep -c .)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
# wait_named NAME CLIENT N : waits up to 15 s until /NAME has had N requests about the client named CLIENT
named() { requests "$1" | jq -c --arg n "$2" 'select((.body|fromjson|.data.name) == $n)'; }
wait_named() {
	local i
	for i in $(seq 1 150); do
		[ "$(named "$1" "$2" | grep -c .)" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}
# delivery ID : GET the delivery into BODY
delivery() { api GET "/api/v1/webhook-deliveries/$1"; }

export RAPPORT_WEBHOOK_ALLOW_PRIVATE=1 RAPPORT_WEBHOOK_TIMEOUT=3
start_server

# ---- subscriptions: admin-only, the secret once, bad input named
create webhooks "{\"url\":\"$HOOK/a\",\"events\":[\"client.created\",\"interaction.created\",\"deal.won\"],\"description\":\"CRM sync\"}" \
	"an admin subscribes to three event types"
WA=$ID
check "the create answer carries the signing secret: whsec_ + base64 of 32 bytes" \
	jqe '.secret | test("^whsec_[A-Za-z0-9+/]{43}=$")'
jqr .secret >"$RCV/a.secret"
api GET "/api/v1/webhooks/$WA"
check "a read never shows the secret" jqe 'has("secret") | not'
api GET /api/v1/webhooks
check "nor does the list" jqe '[.data[] | has("secret")] == [false]'
api POST /api/v1/webhooks "{\"url\":\"ftp://example.com/x\",\"events\":[\"client.created\"]}"
expect_error 422 invalid_value url "a URL other than http or https is refused, naming url"
api POST /api/v1/webhooks "{\"url\":\"$HOOK/a\",\"events\":[\"client.exploded\"]}"
expect_error 422 invalid_value events "an unknown event type is refused, naming events"
check "... and the message lists the event types" jqe '.error.message | test("deal.won")'
api POST /api/v1/webhooks "{\"url\":\"$HOOK/a\",\"events\":[]}"
expect_error 422 invalid_value events "no event type at all is refused"
api POST /api/v1/webhooks "{\"url\":\"$HOOK/a\",\"events\":[\"client.created\"],\"secret\":\"mine\"}"
expect_error 422 unknown_field secret "the secret cannot be chosen by the caller"
create users '{"email":"member@example.com","role":"member","password":"member-horse-battery-3"}' "a member"
MEMBER=$(new_token member@example.com)
TOKEN=$MEMBER api GET /api/v1/webhooks
expect_error 403 forbidden - "a member may not list webhooks"
TOKEN=$MEMBER api POST /api/v1/webhooks "{\"url\":\"$HOOK/a\",\"events\":[\"client.created\"]}"
expect_error 403 forbidden - "nor create one"
TOKEN=$MEMBER api GET /api/v1/webhook-deliveries
expect_error 403 forbidden - "nor read the delivery log"
api GET /api/v1/openapi.json
check "the OpenAPI document lists the event types a subscription takes" \
	jqe '.components.schemas.WebhookCreate.properties.events.items.enum | index("health.band_changed") != null'

# ---- events from the write path, signed, to their subscribers only
create clients '{"name":"Acme Ltd"}' "a client is created"
CID=$ID
wait_requests a 1 || fail "the client.created webhook arrived"
check "client.created arrived once, its signature verified" \
	bash -c "[ \"\$(jq -c 'select(.path == \"/a\")' '$RCV/requests.jsonl' | jq -s -c 'map({valid, type: (.body|fromjson|.type), name: (.body|fromjson|.data.name)})')\" = '[{\"valid\":true,\"type\":\"client.created\",\"name\":\"Acme Ltd\"}]' ]"
MSG=$(requests a | jq -r .id | head -n 1)
delivery "$MSG"
expect_jq '[.status, .attempts, .response_code, .event, .webhook_id] | join(" ")' "delivered 1 204 client.created $WA" \
	"the delivery log: delivered on the first attempt, with the receiver's status"
check "... with its timing and the attempt in its log" jqe '.duration_ms >= 0 and (.attempt_log | length) == 1 and .attempt_log[0].status == 204'
check "the webhook-id is the delivery's id, a Standard Webhooks msg_ id" bash -c "[[ '$MSG' == msg_* ]]"
api PATCH "/api/v1/clients/$CID" '{"version":1,"notes":"changed"}'
create interactions "{\"client_id\":\"$CID\",\"type\":\"call\",\"summary\":\"kick-off\"}" "an interaction is logged"
create deals "{\"client_id\":\"$CID\",\"title\":\"Retainer\"}" "a deal is opened"
DEAL=$ID
api PATCH "/api/v1/deals/$DEAL" '{"version":1,"status":"won"}'
expect_status 200 "the deal is won"
wait_requests a 3 || fail "interaction.created and deal.won arrived"
sleep 0.5
expect_types=$(requests a | jq -r '.body|fromjson|.type' | sort | tr '\n' ' ')
if [ "$expect_types" = "client.created deal.won interaction.created " ]; then
	pass "each subscribed event arrived once; client.updated (not subscribed) did not"
else fail "each subscribed event arrived once" "got: $expect_types"; fi
check "every request's signature verified" bash -c "! jq -e 'select(.valid != true)' '$RCV/requests.jsonl' >/dev/null"

# ---- send test
api POST "/api/v1/webhooks/$WA/test"
expect_status 202 "send test answers 202 with the delivery"
TEST=$(jqr .id)
wait_requests a 4 || fail "the test message arrived"
check "the test arrives as webhook.test, signed" \
	bash -c "jq -e --arg id '$TEST' 'select(.id == \$id) | .valid and (.body|fromjson|.type) == \"webhook.test\"' '$RCV/requests.jsonl' >/dev/null"
api POST "/api/v1/webhooks/wh_01aaaaaaaaaaaaaaaaaaaaaaaa/test"
expect_error 404 not_found - "send test to no such subscription is 404"

# ---- a receiver answering 500 is retried with the same webhook-id
echo 500 >"$RCV/b.mode"
create webhooks "{\"url\":\"$HOOK/b\",\"events\":[\"client.created\"]}" "a second subscription, to a failing receiver"
WB=$ID
jqr .secret >"$RCV/b.secret"
create clients '{"name":"Bolt GmbH"}' "another client"
wait_requests b 1 || fail "the failing receiver got the first attempt"
BMSG=$(requests b | jq -r .id | head -n 1)
sleep 0.5
delivery "$BMSG"
expect_jq '[.status, .attempts, .response_code] | join(" ")' "pending 1 500" "after a 500 the delivery is pending a retry"
check "... with its next attempt set and the error kept" jqe '.next_attempt_at != null and (.last_error | test("500"))'
echo ok >"$RCV/b.mode"
wait_requests b 2 || fail "the retry came about 5 s later"
check "the retry carries the same webhook-id" bash -c "[ \"\$(jq -r 'select(.path == \"/b\") | .id' '$RCV/requests.jsonl' | sort -u | wc -l)\" = 1 ]"
sleep 0.5
delivery "$BMSG"
expect_jq '[.status, .attempts, .response_code] | join(" ")' "delivered 2 204" "the second attempt delivered it"

# ---- a hanging receiver times out, and delays nothing else
echo hang >"$RCV/c.mode"
create webhooks "{\"url\":\"$HOOK/c\",\"events\":[\"interaction.created\"]}" "a subscription to a receiver that hangs"
jqr .secret >"$RCV/c.secret"
create interactions "{\"client_id\":\"$CID\",\"type\":\"email\",\"summary\":\"while c hangs\"}" "an interaction both subscriptions want"
wait_requests c 1 || fail "the hanging receiver got its request"
wait_requests a 6 || fail "the other subscriber got its copy"
CMSG=$(requests c | jq -r .id | head -n 1)
# while c still hangs (it times out after 3 s), another event reaches a at once: c holds only itself up
create clients '{"name":"Dash Inc"}' "a client while c hangs"
T=$(date +%s%N)
wait_requests a 7 || fail "a got client.created while c hung"
MS=$((($(date +%s%N) - T) / 1000000))
check "a was served within 1.5 s while c hung (took ${MS} ms)" bash -c "[ $MS -lt 1500 ]"
check "... and c had not been answered yet" bash -c "[ \"\$(jq -r --arg id '$CMSG' 'select(.id == \$id) | .answered' '$RCV/requests.jsonl')\" = hang ]"
sleep 3
delivery "$CMSG"
expect_jq '[.status, .attempts, (.response_code == null)] | join(" ")' "pending 1 true" "the hanging request timed out and awaits a retry"
check "... saying it timed out" jqe '.last_error | test("[Tt]imeout|timed out")'
server_alive "a hanging receiver"
api PATCH "/api/v1/webhooks/$(jqr .webhook_id)" '{"version":1,"active":false}'
expect_status 200 "an admin switches the hanging one off"

# ---- two servers on one database: each message goes out once
start_another_server
BEFORE_A=$(requests a | grep -c .)
for i in $(seq 1 12); do
	curl -s -o /dev/null --max-time 5 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		--data-binary "{\"client_id\":\"$CID\",\"type\":\"note\",\"summary\":\"two servers $i\"}" \
		"$([ $((i % 2)) = 0 ] && echo "$BASE" || echo "$BASE2")/api/v1/interactions"
done
wait_requests a $((BEFORE_A + 12)) || fail "the twelve interaction.created messages arrived"
sleep 1.5
check "with two servers, each of the twelve messages arrived exactly once" \
	bash -c "[ \"\$(jq -r 'select(.path == \"/a\") | .id' '$RCV/requests.jsonl' | sort | uniq -d | wc -l)\" = 0 ] && [ \$(jq -c 'select(.path == \"/a\")' '$RCV/requests.jsonl' | wc -l) = $((BEFORE_A + 12)) ]"

# ---- a server restart mid-retry keeps the webhook-id
echo 500 >"$RCV/b.mode"
create clients '{"name":"Crate Co"}' "a client while b fails"
wait_named b "Crate Co" 1 || fail "b got the first attempt for Crate Co"
RMSG=$(named b "Crate Co" | jq -r .id)
stop_server
echo ok >"$RCV/b.mode"
serve_db
wait_named b "Crate Co" 2 || fail "after the restart the retry came"
RIDS=$(named b "Crate Co" | jq -r .id | sort -u)
check "the retry after the restart carries the same webhook-id" test "$RIDS" = "$RMSG"
sleep 0.5
delivery "$RMSG"
expect_jq '[.status, .attempts] | join(" ")' "delivered 2" "delivered on its second attempt, across the restart"
stop_server

# ---- three days of failure under RAPPORT_NOW: retries back off, then the subscription is disabled
echo 500 >"$RCV/d.mode"
cli webhook add --db "$DB" --url "$HOOK/d" --events ticket.created --json
expect_rc 0 "rapport webhook add"
WD=$(jq_on "$OUT" -r .id)
jq_on "$OUT" -r .secret >"$RCV/d.secret"
check "the CLI's create shows the secret too" grep -q whsec_ "$RCV/d.secret"
T0=2026-03-02T09:00:00Z
RAPPORT_NOW=$T0 cli ticket add --db "$DB" --client-id "$CID" --subject "Broken invoice" --json
expect_rc 0 "a ticket is opened (under RAPPORT_NOW)"
STEP=0
for h in 0 13 26 39 52 65 78; do
	RAPPORT_NOW=$(date -u -d "2026-03-02 09:00:00 UTC + $h hours" +%Y-%m-%dT%H:%M:%SZ) cli jobs run --db "$DB"
	STEP=$((STEP + 1))
done
DN=$(requests d | grep -c .)
check "the failing receiver was tried once per due retry over the three days (got $DN)" bash -c "[ $DN = 7 ]"
check "every attempt carried the same webhook-id" bash -c "[ \"\$(jq -r 'select(.path == \"/d\") | .id' '$RCV/requests.jsonl' | sort -u | wc -l)\" = 1 ]"
DMSG=$(requests d | head -n 1 | jq -r .id)
cli webhook-delivery show "$DMSG" --db "$DB" --json
BODY=$OUT
expect_jq '[.status, .attempts == '"$DN"'] | join(" ")' "failed true" "the delivery failed after its last attempt"
check "its log has each attempt with its status" jqe '[.attempt_log[].status] | all(. == 500)'
cli webhook show "$WD" --db "$DB" --json
BODY=$OUT
expect_jq .active false "the subscription was disabled"
check "... saying why" jqe '.disabled_reason | test("three days")'
cli audit list --db "$DB" --record-id "$WD" --json
BODY=$OUT
check "the disabling is in the audit log" jqe '[.data[] | select(.action == "update") | .after.active] == [false]'
echo ok >"$RCV/d.mode"
RAPPORT_NOW=2026-03-06T09:00:00Z cli ticket add --db "$DB" --client-id "$CID" --subject "Another" --json
RAPPORT_NOW=2026-03-06T09:00:00Z cli jobs run --db "$DB"
check "a disabled subscription gets nothing more" bash -c "[ \"\$(jq -c 'select(.path == \"/d\")' '$RCV/requests.jsonl' | wc -l)\" = $DN ]"

# ---- the CLI: list, test, deliveries
cli webhook list --db "$DB"
expect_rc 0 "rapport webhook list"
check "... shows the subscriptions' URLs" grep -q "$HOOK/d" <<<"$OUT"
cli webhook test "$WA" --db "$DB" --json
expect_rc 0 "rapport webhook test"
CLITEST=$(jq_on "$OUT" -r .id)
cli jobs run --db "$DB"
check "the CLI's test was sent by rapport jobs run, signed" \
	bash -c "jq -e --arg id '$CLITEST' 'select(.id == \$id) | .valid' '$RCV/requests.jsonl' >/dev/null"
cli webhook deliveries "$WA" --db "$DB" --json
expect_rc 0 "rapport webhook deliveries"
BODY=$OUT
check "... lists that subscription's deliveries, all delivered" \
	jqe '(.data | length) >= 5 and all(.data[]; .status == "delivered" and .webhook_id == "'"$WA"'")'
cli webhook deliveries "$WD" --status failed --db "$DB"
expect_rc 0 "rapport webhook deliveries --status failed (a table)"
check "... shows the failed one" grep -q "$DMSG" <<<"$OUT"
cli webhook deliveries "$WD" --status bogus --db "$DB"
expect_cli_error 5 "an unknown status is refused"

# ---- ticket.breached: raised once, by time passing, when an open ticket's promised response runs out
cli webhook add --db "$DB" --url "$HOOK/f" --events ticket.breached --json
jq_on "$OUT" -r .secret >"$RCV/f.secret"
cli client add --db "$DB" --name "Slow Ltd" --response-time-hours 1 --json
SLOW=$(jq_on "$OUT" -r .id)
RAPPORT_NOW=2026-03-09T09:00:00Z cli ticket add --db "$DB" --client-id "$SLOW" --subject "Invoice is wrong" --json
TK=$(jq_on "$OUT" -r .id)
check "the ticket's response is due an hour later (Monday 10:00)" \
	test "$(jq_on "$OUT" -r .response_due_at)" = 2026-03-09T10:00:00Z
RAPPORT_NOW=2026-03-09T09:30:00Z cli jobs run --db "$DB"
check "before its due time nothing is raised" bash -c "! grep -q '\"/f\"' '$RCV/requests.jsonl'"
RAPPORT_NOW=2026-03-09T10:30:00Z cli jobs run --db "$DB"
check "past its due time ticket.breached goes out, signed, with the ticket" \
	bash -c "[ \"\$(jq -c 'select(.path == \"/f\") | [.valid, (.body|fromjson|.type), (.body|fromjson|.data.id)]' '$RCV/requests.jsonl')\" = '[true,\"ticket.breached\",\"$TK\"]' ]"
RAPPORT_NOW=2026-03-09T11:30:00Z cli jobs run --db "$DB"
check "... once: a later sweep does not raise it again" bash -c "[ \"\$(grep -c '\"/f\"' '$RCV/requests.jsonl')\" = 1 ]"

# ---- without RAPPORT_WEBHOOK_ALLOW_PRIVATE: loopback refused, by address and by name
unset RAPPORT_WEBHOOK_ALLOW_PRIVATE
serve_db
PORT_R=$(cat "$RCV/port")
for u in "http://127.0.0.1:$PORT_R/e" "http://localhost:$PORT_R/e"; do
	create webhooks "{\"url\":\"$u\",\"events\":[\"client.created\"]}" "a subscription to $u"
	WE=$ID
	api POST "/api/v1/webhooks/$WE/test"
	EMSG=$(jqr .id)
	for i in $(seq 1 50); do delivery "$EMSG"; [ "$(jqr .attempts)" -ge 1 ] 2>/dev/null && break; sleep 0.1; done
	check "$u: refused on the address connected to, saying so" jqe '.response_code == null and (.last_error | test("refused to connect to (127.0.0.1|::1): a loopback address"))'
	api DELETE "/api/v1/webhooks/$WE"
done
check "the receiver never heard from them" bash -c "! grep -q '\"/e\"' '$RCV/requests.jsonl'"
server_alive "refused deliveries"
api DELETE "/api/v1/webhooks/$WA"
expect_status 204 "a subscription is deleted"
api GET "/api/v1/webhook-deliveries?webhook_id=$WA"
expect_jq '.data | length' 0 "its deliveries go with it"
