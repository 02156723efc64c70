#!/usr/bin/env bash
# t2820: two list filters the web app needed. ?id=a,b,c lists only those records (the names behind a
# page of references in one request; at most 500, each a well-formed id, else 400 naming id); and a
# moment whose being set is a state filters by it: feedback's ?acted_on=true|false (acted_on_at set or
# not), so "feedback not yet acted on" is one request. Both also in the export and the CLI's list.
. "$(dirname "$0")/lib.sh"

INIT_ARGS=--demo start_server
api GET '/api/v1/clients?limit=5&sort=name'
A=$(jqr '.data[0].id') B=$(jqr '.data[2].id') C=$(jqr '.data[4].id')
api GET "/api/v1/clients?id=$A,$B,$C&limit=10"
expect_status 200 "?id= with three ids"
check "... answers exactly those three" jqe --arg a "$A" --arg b "$B" --arg c "$C" '[.data[].id] | sort == ([$a,$b,$c] | sort)'
api GET "/api/v1/clients?id=$A,$B&sort=name&limit=1"
check "... paged and sorted like any list" jqe --arg a "$A" '(.data | length) == 1 and .data[0].id == $a and .next_cursor != null'
api GET "/api/v1/clients?id=$A,$B,$C&stage=nonesuch"
expect_error 400 invalid_parameter stage "other filters still check their values"
api GET "/api/v1/clients?id=$A,,$B"
expect_error 400 invalid_parameter id "an empty id is refused, naming id"
api GET "/api/v1/clients?id=$A,x%27%20OR%201=1"
expect_error 400 invalid_parameter id "a malformed id is refused"
MANY=$(python3 -c 'print(",".join("cli_%026d" % i for i in range(501)))')
api GET "/api/v1/clients?id=$MANY"
expect_error 400 invalid_parameter id "more than 500 ids are refused"
api GET "/api/v1/contacts?id=$A"
check "another entity's id matches nothing there" jqe '.data == []'
api GET "/api/v1/clients/export?id=$A,$C&columns=id"
check "the export takes ids too" bash -c "[ \$(printf '%s\n' \"\$1\" | tr -d '\r' | grep -c '^cli_') = 2 ]" _ "$BODY"

for score in 2 4 5; do
	create feedback "$(jq -nc --arg c "$A" --argjson s $score '{client_id:$c,kind:"csat",score:$s}')" "feedback scored $score"
done
api POST "/api/v1/feedback/$(jqr .id)/acted-on" '{"action_note":"thanked them"}'
expect_status 200 "one of them acted on"
api GET '/api/v1/feedback?limit=500'
TOTAL=$(jqr '.data | length')
ACTED=$(jqr '[.data[] | select(.acted_on_at != null)] | length')
FID=$(jqr '[.data[] | select(.acted_on_at == null)][0].id')
check "the demo has feedback both acted on and not ($ACTED of $TOTAL)" [ "$TOTAL" -gt "$ACTED" ]
api GET '/api/v1/feedback?acted_on=false&limit=500'
expect_status 200 "?acted_on=false"
check "... only feedback not acted on, all of it" jqe --argjson n "$((TOTAL - ACTED))" '(.data | length) == $n and all(.data[]; .acted_on_at == null)'
api POST "/api/v1/feedback/$FID/acted-on" '{"action_note":"called them back"}'
expect_status 200 "mark one acted on"
api GET '/api/v1/feedback?acted_on=true&limit=500'
check "?acted_on=true now has it, and only acted-on ones" jqe --arg f "$FID" --argjson n "$((ACTED + 1))" \
	'(.data | length) == $n and all(.data[]; .acted_on_at != null) and any(.data[]; .id == $f)'
api GET '/api/v1/feedback?acted_on=false&limit=500'
check "?acted_on=false no longer has it" jqe --arg f "$FID" 'all(.data[]; .id != $f)'
api GET '/api/v1/feedback?acted_on=yes'
expect_error 400 invalid_parameter acted_on "acted_on takes true or false, naming it"
api GET '/api/v1/clients?acted_on=true'
expect_error 400 invalid_parameter acted_on "an entity without that moment refuses it as unknown"
api GET '/api/v1/openapi.json'
check "the document lists id on lists and acted_on on feedback's" jqe \
	'(.paths["/api/v1/feedback"].get.parameters | map(.name) | index("acted_on") != null) and (.paths["/api/v1/clients"].get.parameters | map(.name) | index("id") != null)'
stop_server

cli feedback list --db "$DB" --acted-on false --json
expect_rc 0 "rapport feedback list --acted-on false"
check "... the same filter from the CLI" jq_on "$OUT" -e '(.data | length) > 0 and all(.data[]; .acted_on_at == null)'
