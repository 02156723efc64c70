#!/usr/bin/env bash
# t1300: a month of service at Northwind Studio (Berlin). Tickets held against each client's promised
# response time in business hours - across a weekend, a holiday, the spring DST change, a Saturday -
# the breach list (REST and CLI), the ticket's status flow, then a move to New York; and feedback:
# scores per kind, the acted-on loop, its 409s and 422s.
. "$(dirname "$0")/lib.sh"

# Friday 20 November 2026, 11:00 in Berlin (CET, UTC+1).
export RAPPORT_NOW=2026-11-20T10:00:00Z
start_server

# patch RESOURCE ID JSON : PATCH at the record's current version
patch() {
	api GET "/api/v1/$1/$2"
	local v; v=$(jqr .version)
	api PATCH "/api/v1/$1/$2" "$(jq -nc --argjson v "$v" --argjson b "$3" '$b + {version: $v}')"
}
ticket() { # ticket CLIENT OPENED_AT SUBJECT [EXTRA_JSON] -> TID
	create tickets "$(jq -nc --arg c "$1" --arg o "$2" --arg s "$3" --argjson x "${4:-{\}}" \
		'{client_id:$c,opened_at:$o,subject:$s,kind:"request"} + $x')" "open ticket: $3"
	TID=$ID
}

# ---- the workspace: Berlin, Monday to Friday 09:00-17:00, Buss- und Bettag (Wed 18 Nov) off
api GET /api/v1/workspaces
WS=$(jqr '.data[0].id')
patch workspaces "$WS" '{"name":"Northwind Studio","time_zone":"Europe/Berlin","holidays":["2026-11-18"]}'
expect_status 200 "the workspace moves to Europe/Berlin with a holiday"
expect_jq '.business_hours.mon|join(",")' "09:00-17:00" "default business hours stay Mon-Fri 09:00-17:00"

create clients '{"name":"Brightwave Energy","stage":"active","response_time_hours":8}' "Brightwave promises 8 business hours"
BW=$ID
create clients '{"name":"Kestrel Foods","stage":"active","response_time_hours":8}' "Kestrel promises 8 business hours"
KF=$ID
create clients '{"name":"Oakline Press","stage":"active"}' "Oakline has no promised response time"
OP=$ID

# ---- the table: opened (UTC) -> due (UTC), in Berlin's business hours
#   Fri 06 Nov 16:00 CET: 1 h Friday + 7 h Monday              -> Mon 09 Nov 16:00 CET
#   Tue 17 Nov 14:00 CET: 3 h Tuesday, Wednesday is a holiday   -> Thu 19 Nov 14:00 CET
#   Fri 27 Mar 15:00 CET: 2 h Friday, clocks spring forward Sunday -> Mon 30 Mar 15:00 CEST (13:00Z)
#   Sat 07 Nov 11:00 CET: the clock starts Monday 09:00          -> Mon 09 Nov 17:00 CET
#   Fri 20 Nov 09:00 CET: same day                              -> Fri 20 Nov 17:00 CET (not due yet)
#   Thu 19 Nov 09:00 CET (Kestrel)                              -> Thu 19 Nov 17:00 CET
while read -r name client opened due; do
	ticket "${!client}" "$opened" "$name"
	eval "T_$name=\$TID"
	expect_jq .response_due_at "$due" "$name: opened $opened, response due $due"
	expect_jq '[.status,.first_response_at,.first_response_minutes]|map(tostring)|join("|")' "open|null|null" "$name: open, no response yet"
done <<'CASES'
friday BW 2026-11-06T15:00:00Z 2026-11-09T15:00:00Z
holiday_eve BW 2026-11-17T13:00:00Z 2026-11-19T13:00:00Z
dst BW 2026-03-27T14:00:00Z 2026-03-30T13:00:00Z
saturday BW 2026-11-07T10:00:00Z 2026-11-09T16:00:00Z
today BW 2026-11-20T08:00:00Z 2026-11-20T16:00:00Z
kestrel KF 2026-11-19T08:00:00Z 2026-11-19T16:00:00Z
CASES
ticket "$OP" 2026-11-02T08:00:00Z "no_promise"
T_no_promise=$TID
expect_jq .response_due_at null "a client without a promise gives no response_due_at"

api POST /api/v1/tickets "$(jq -nc --arg c "$BW" '{client_id:$c,subject:"Opened now"}')"
expect_jq '[.opened_at,.response_due_at,.kind,.priority,.status]|join("|")' \
	"2026-11-20T10:00:00Z|2026-11-23T10:00:00Z|inquiry|normal|open" "opened_at defaults to now (Fri 11:00 Berlin): 6 h Friday + 2 h, due Monday 11:00"
T_now=$(jqr .id)

# ---- responses: sending first_response_at on an open ticket answers it
while read -r name at minutes; do
	patch tickets "${!name}" "$(jq -nc --arg a "$at" '{first_response_at:$a}')"
	expect_status 200 "${name#T_}: first response at $at"
	expect_jq '[.status,.first_response_at,(.first_response_minutes|tostring)]|join("|")' "answered|$at|$minutes" \
		"${name#T_}: answered, $minutes business minutes to respond"
done <<'RESP'
T_friday 2026-11-09T14:30:00Z 450
T_holiday_eve 2026-11-19T15:00:00Z 600
T_dst 2026-03-30T14:00:00Z 540
RESP
# Kestrel's ticket goes straight to resolved at now: that is its first response too (2 h late)
patch tickets "$T_kestrel" '{"status":"resolved"}'
expect_jq '[.status,.first_response_at,.resolved_at,(.first_response_minutes|tostring),(.resolution_minutes|tostring)]|join("|")' \
	"resolved|2026-11-20T10:00:00Z|2026-11-20T10:00:00Z|600|600" "resolving an unanswered ticket records both times (600 business min)"

# ---- breaches: exactly the late ones, newest first, late in business minutes
api GET /api/v1/sla/breaches
expect_status 200 "GET /api/v1/sla/breaches"
expect_jq '.now' 2026-11-20T10:00:00Z "the breach list says which now it used"
expect_jq '[.data[]|"\(.subject):\(.late_minutes)"]|join(",")' "kestrel:120,holiday_eve:120,saturday:3480,dst:60" \
	"breaches: Kestrel 2 h, holiday eve 2 h, Saturday still unanswered 58 h, the DST ticket 1 h; on-time, not-yet-due and no-promise tickets absent"
expect_jq '[.data[]|.client_name]|unique|join(",")' "Brightwave Energy,Kestrel Foods" "each breach names its client"
expect_jq '.data[2]|[.first_response_at,.response_due_at,.status]|map(tostring)|join("|")' "null|2026-11-09T16:00:00Z|open" \
	"the unanswered breach shows no response yet"
api GET "/api/v1/sla/breaches?open=true"
expect_jq '[.data[].subject]|join(",")' saturday "?open=true: only the still-unanswered"
api GET "/api/v1/sla/breaches?client_id=$KF"
expect_jq '[.data[].subject]|join(",")' kestrel "?client_id filters by client"
api GET "/api/v1/sla/breaches?limit=2"
expect_jq '[.data[].subject]|join(",")' "kestrel,holiday_eve" "?limit=2 keeps the two newest"
api GET "/api/v1/sla/breaches?limit=0"
expect_error 400 invalid_parameter limit "limit=0 is refused"
api GET "/api/v1/sla/breaches?open=maybe"
expect_error 400 invalid_parameter open "open=maybe is refused"
api GET "/api/v1/sla/breaches?colour=red"
expect_error 400 invalid_parameter colour "an unknown parameter is refused"

cli breaches --db "$DB"
expect_rc 0 "rapport breaches"
check "the CLI table lists the four late tickets with their lateness" \
	bash -c '[ "$(printf "%s\n" "$1" | grep -c "Brightwave\|Kestrel")" = 4 ] && printf "%s" "$1" | grep -q "(not yet)" && printf "%s" "$1" | grep -q " 3480$"' _ "$OUT"
cli breaches --db "$DB" --json --open
BODY=$OUT
expect_jq '[.data[]|"\(.subject):\(.late_minutes)"]|join(",")' "saturday:3480" "rapport breaches --json --open"
cli breaches --db "$DB" --limit 0
expect_cli_error 2 "rapport breaches --limit 0 is a usage error"

# ---- the status flow
patch tickets "$T_friday" '{"status":"open"}'
expect_error 409 conflict status "answered -> open is refused (409)"
check "the message names both states" jqe '.error.message|test("answered") and test("open")'
api GET "/api/v1/tickets/$T_friday"
expect_jq '[.status,.version]|map(tostring)|join("|")' "answered|2" "the refused ticket is unchanged"

patch tickets "$T_today" '{"first_response_at":"2026-11-20T07:00:00Z"}'
expect_error 422 invalid_value first_response_at "a first response before the opening is refused (422)"
patch tickets "$T_today" '{"status":"answered","resolved_at":"2026-11-20T09:00:00Z"}'
expect_error 422 invalid_value resolved_at "an answered ticket cannot carry a resolved time"
api GET "/api/v1/tickets/$T_today"
expect_jq '[.status,.first_response_at,.resolved_at,.version]|map(tostring)|join("|")' "open|null|null|1" "nothing was written"

patch tickets "$T_today" '{"status":"answered"}'
expect_jq '[.status,.first_response_at,(.first_response_minutes|tostring)]|join("|")' "answered|2026-11-20T10:00:00Z|120" \
	"answering without a time records now (2 business hours after 09:00)"
patch tickets "$T_today" '{"status":"resolved","resolved_at":"2026-11-20T09:30:00Z"}'
expect_error 422 invalid_value resolved_at "resolved before its first response is refused"
patch tickets "$T_today" '{"status":"resolved"}'
expect_jq '[.status,.resolved_at,(.resolution_minutes|tostring)]|join("|")' "resolved|2026-11-20T10:00:00Z|120" "resolved at now"
patch tickets "$T_today" '{"status":"open","description":"Client wrote back: still broken."}'
expect_jq '[.status,.resolved_at,.resolution_minutes,.first_response_at]|map(tostring)|join("|")' \
	"open|null|null|2026-11-20T10:00:00Z" "reopening clears the resolution and keeps the first response"
patch tickets "$T_today" '{"first_response_at":null}'
expect_status 200 "an open ticket's first response may be cleared (a correction)"
patch tickets "$T_today" '{"status":"answered","first_response_at":null}'
expect_error 422 invalid_value first_response_at "an answered ticket cannot have its first response cleared"

# a correction of the opening time moves the due time; moving to another client too
patch tickets "$T_no_promise" '{"opened_at":"2026-11-03T08:00:00Z"}'
expect_jq .response_due_at null "still no promise, still no due time"
patch tickets "$T_no_promise" '{"resolved_at":"2026-11-03T10:00:00Z"}'
expect_jq '[.status,.first_response_at,(.resolution_minutes|tostring),(.first_response_minutes|tostring)]|join("|")' \
	"resolved|2026-11-03T10:00:00Z|120|120" "sending a resolved time resolves the ticket (and answers it then)"
patch tickets "$T_no_promise" "$(jq -nc --arg c "$KF" '{client_id:$c}')"
expect_jq .response_due_at 2026-11-03T16:00:00Z "moved to Kestrel: held to its promise from the opening"
patch tickets "$T_no_promise" "$(jq -nc --arg c "$OP" '{client_id:$c}')"
expect_jq .response_due_at null "back to Oakline: no due time"
api GET "/api/v1/sla/breaches?client_id=$OP"
expect_jq '.data|length' 0 "a client without a promise never has a breach"
api POST /api/v1/tickets '{"client_id":"cli_nope","subject":"Ghost"}'
expect_error 422 invalid_reference client_id "a ticket for an unknown client is refused"
api POST /api/v1/tickets "$(jq -nc --arg c "$BW" '{client_id:$c,subject:"Bad",status:"closed"}')"
expect_error 422 invalid_value status "an unknown status is a validation error"

# the CLI adds tickets with the same rules
cli ticket add --db "$DB" --client-id "$BW" --subject "Invoice question" --opened-at 2026-11-20T15:00:00Z --kind inquiry --json
expect_rc 0 "rapport ticket add"
BODY=$OUT
expect_jq .response_due_at 2026-11-23T15:00:00Z "CLI: opened Friday 16:00 Berlin, due Monday 16:00 (1 h + 7 h)"

# ---- New York: the next ticket is held to New York's hours
patch workspaces "$WS" '{"time_zone":"America/New_York","holidays":[]}'
expect_status 200 "the workspace moves to America/New_York"
api POST /api/v1/tickets "$(jq -nc --arg c "$BW" '{client_id:$c,subject:"From New York"}')"
expect_jq .response_due_at 2026-11-20T22:00:00Z "opened 05:00 EST: due 17:00 EST the same day"
api POST /api/v1/tickets "$(jq -nc --arg c "$BW" '{client_id:$c,subject:"US DST",opened_at:"2026-03-06T20:00:00Z"}')"
expect_jq .response_due_at 2026-03-09T19:00:00Z "opened Fri 15:00 EST, due Mon 15:00 EDT (US clocks moved on 8 March)"
api GET "/api/v1/tickets/$T_friday"
expect_jq .response_due_at 2026-11-09T15:00:00Z "tickets opened before keep their due time"

# ---- feedback
create projects "$(jq -nc --arg c "$BW" '{client_id:$c,name:"Brand refresh",currency:"EUR"}')" "Brightwave's project"
PRJ=$ID
api POST /api/v1/feedback "$(jq -nc --arg c "$BW" '{client_id:$c,kind:"csat",score:6}')"
expect_error 422 invalid_value score "csat 6 is refused (422)"
check "the message gives the range" jqe '.error.message|test("1 to 5")'
api POST /api/v1/feedback "$(jq -nc --arg c "$BW" '{client_id:$c,kind:"csat"}')"
expect_error 422 required score "csat without a score is refused"
api POST /api/v1/feedback "$(jq -nc --arg c "$BW" '{client_id:$c,kind:"pulse",score:0}')"
expect_error 422 invalid_value score "pulse 0 is refused"
api POST /api/v1/feedback "$(jq -nc --arg c "$BW" '{client_id:$c,kind:"debrief",score:9}')"
expect_error 422 invalid_value score "a debrief score, when given, is 1 to 5"
api POST /api/v1/feedback "$(jq -nc --arg c "$KF" --arg p "$PRJ" '{client_id:$c,project_id:$p,kind:"nps",score:9}')"
expect_error 422 invalid_value project_id "feedback on another client's project is refused"
expect_count feedback 0 "nothing was written by the refused feedback"

for s in 7 8 10 3; do
	create feedback "$(jq -nc --arg c "$BW" --arg p "$PRJ" --argjson s "$s" \
		'{client_id:$c,project_id:$p,kind:"nps",score:$s,comment:"Quarterly NPS"}')" "NPS $s recorded"
done
api GET "/api/v1/feedback?client_id=$BW&kind=nps&limit=500"
check "the NPS answers split into 2 passives (7-8), 1 promoter, 1 detractor" \
	jqe '[.data[].score] | (map(select(. >= 7 and . <= 8))|length) == 2 and (map(select(. >= 9))|length) == 1 and (map(select(. <= 6))|length) == 1'
create feedback "$(jq -nc --arg c "$BW" '{client_id:$c,kind:"debrief",comment:"Launch went well; late copy."}')" "a debrief without a score"
DEBRIEF=$ID
expect_jq '[.received_at,.acted_on_at]|map(tostring)|join("|")' "2026-11-20T10:00:00Z|null" "received_at defaults to now; not acted on"
create feedback "$(jq -nc --arg c "$BW" --arg p "$PRJ" '{client_id:$c,project_id:$p,kind:"csat",score:2,comment:"Slow answers."}')" "a CSAT of 2"
CSAT=$ID

patch feedback "$CSAT" '{"acted_on_at":"2026-11-20T09:00:00Z"}'
expect_error 422 required action_note "acted_on_at without an action note is refused"
api POST "/api/v1/feedback/$CSAT/acted-on" '{"reply_note":"Thanks"}'
expect_error 422 required action_note "acted-on needs an action_note"
api POST "/api/v1/feedback/$CSAT/acted-on" '{"action_note":"x","score":5}'
expect_error 422 unknown_field score "acted-on takes only the two notes"
api GET "/api/v1/feedback/$CSAT"
expect_jq '[.acted_on_at,.action_note,.version]|map(tostring)|join("|")' "null|null|1" "still not acted on"

api POST "/api/v1/feedback/$CSAT/acted-on" '{"action_note":"Same-day replies promised; on-call rota set up.","reply_note":"We heard you: answers within the day from now on."}'
expect_status 200 "POST /api/v1/feedback/ID/acted-on"
expect_jq '[.acted_on_at,.action_note,.reply_note]|join("|")' \
	"2026-11-20T10:00:00Z|Same-day replies promised; on-call rota set up.|We heard you: answers within the day from now on." \
	"acted on now, with the action and the note sent back"
api POST "/api/v1/feedback/$CSAT/acted-on" '{"action_note":"again"}'
expect_error 409 conflict acted_on_at "acting twice is refused (409)"
patch feedback "$CSAT" '{"score":4}'
expect_error 409 conflict score "an acted-on score cannot change (409)"
patch feedback "$CSAT" '{"kind":"pulse"}'
expect_error 409 conflict kind "an acted-on kind cannot change (409)"
patch feedback "$CSAT" '{"action_note":""}'
expect_error 422 required action_note "an acted-on feedback keeps an action note"
api GET "/api/v1/feedback/$CSAT"
expect_jq '[.score,.kind,.action_note,.version]|map(tostring)|join("|")' "2|csat|Same-day replies promised; on-call rota set up.|2" \
	"the acted-on feedback is unchanged"
patch feedback "$CSAT" '{"reply_note":"Answers within the day, and a named contact."}'
expect_status 200 "the reply note may still be edited"
api POST /api/v1/feedback/fb_nope/acted-on '{"action_note":"x"}'
expect_error 404 not_found - "acted-on on unknown feedback is 404"

# the plain PATCH of an action note marks it acted on as well
patch feedback "$DEBRIEF" '{"action_note":"Copy deadline moved a week earlier."}'
expect_jq '.acted_on_at' 2026-11-20T10:00:00Z "sending an action note marks the feedback acted on"

# the CLI
cli feedback add --db "$DB" --client-id "$KF" --kind pulse --score 3 --json
expect_rc 0 "rapport feedback add (pulse 3)"
PULSE=$(jq_on "$OUT" -r .id)
cli feedback act "$PULSE" --db "$DB" --action-note "Weekly check-in call booked." --reply-note "Talk Tuesday!" --json
expect_rc 0 "rapport feedback act"
BODY=$OUT
expect_jq '[.acted_on_at,.action_note,.reply_note]|join("|")' "2026-11-20T10:00:00Z|Weekly check-in call booked.|Talk Tuesday!" "the CLI marks it acted on"
cli feedback act "$PULSE" --db "$DB" --action-note "again"
expect_cli_error 4 "rapport feedback act twice: conflict"
cli feedback act "$PULSE" --db "$DB"
expect_cli_error 5 "rapport feedback act without --action-note"
cli feedback add --db "$DB" --client-id "$KF" --kind csat --score 6
expect_cli_error 5 "rapport feedback add csat 6"
