#!/usr/bin/env bash
# t1400: a month of Northwind Studio's practice under a fixed clock - a new client
# onboarded from the standard template, intake answers, the communication
# protocol (cadence, channels) and its check-ins falling due, calls flagged until
# summarised, the follow-up email, tasks and `rapport today`, and the client's
# timeline paged - through the API and the CLI.
. "$(dirname "$0")/lib.sh"

export RAPPORT_NOW=2026-11-02T08:00:00Z # Monday
start_server
api GET /api/v1/me
ME=$(user_id_of "$ADMIN_EMAIL")

# ---- day 1: Brightline becomes a client, with a protocol
create clients '{"name":"Brightline Legal","stage":"active","cadence":"weekly","response_time_hours":8,
  "preferred_channel":"email","channels":{"updates":"email","urgent":"phone","meetings":"video"}}' \
	"a new active client with a weekly cadence and channels"
BL=$ID
expect_jq '.started_at' 2026-11-02T08:00:00Z "becoming active starts the relationship now"
expect_jq '.channels.urgent' phone "channels per kind of conversation are kept"
api PATCH "/api/v1/clients/$BL" '{"version":1,"channels":{"gossip":"email"}}'
expect_error 422 invalid_value channels "an unknown kind of conversation is refused"
api PATCH "/api/v1/clients/$BL" '{"version":1,"channels":{"urgent":"pigeon"}}'
expect_error 422 invalid_value channels "an unknown channel is refused"
api GET "/api/v1/clients/$BL"
expect_jq '.version' 1 "the refused edits changed nothing"
create contacts "$(jq -nc --arg c "$BL" '{client_id:$c,first_name:"Maya",last_name:"Okafor",email:"maya@brightline.test",is_primary:true}')" \
	"Maya is Brightline's primary contact"
MAYA=$ID

# ---- onboarding from the standard template
api GET "/api/v1/onboarding-templates?limit=5"
TPL=$(jqr '.data[] | select(.name == "Standard onboarding") | .id')
check "every workspace starts with the standard onboarding template" test -n "$TPL"
expect_jq '[.data[0].steps[].kind]|join(",")' "email,questionnaire,call,email" "its steps: welcome email, intake questionnaire, kickoff call, timeline"
api POST "/api/v1/clients/$BL/onboarding" "$(jq -nc --arg t "$TPL" '{template_id:$t}')"
expect_status 201 "applying the template to the client"
expect_jq '[.tasks[].due_at]|join(",")' "2026-11-02T17:00:00Z,2026-11-03T17:00:00Z,2026-11-07T17:00:00Z,2026-11-09T17:00:00Z" \
	"its tasks fall due offset_days after the start, at the end of the business day"
expect_jq '[.tasks[] | select(.kind == "onboarding" and .client_id == "'"$BL"'")] | length' 4 "they are the client's onboarding tasks"
WELCOME=$(jqr '.tasks[0].id')
api POST "/api/v1/clients/$BL/onboarding" "$(jq -nc --arg t "$TPL" '{template_id:$t}')"
expect_error 409 conflict client_id "applying onboarding twice is a conflict"
api GET "/api/v1/tasks?client_id=$BL&limit=50"
expect_jq '.data|length' 4 "and created nothing more"
api POST "/api/v1/clients/$BL/onboarding" '{"template_id":"obt_00000000000000000000000000"}'
expect_error 422 invalid_reference template_id "an unknown template is named"
api POST /api/v1/onboarding-templates '{"name":"Broken","steps":[{"title":"x","kind":"dance","offset_days":1}]}'
expect_error 422 invalid_value steps "a step of an unknown kind is refused"
create onboarding-templates '{"name":"Legal intake","steps":[{"title":"Conflict check","kind":"task","offset_days":0}],"questions":["Matter?"]}' \
	"a workspace adds its own template"

api PATCH "/api/v1/tasks/$WELCOME" '{"version":1,"status":"done"}'
expect_jq '.done_at' 2026-11-02T08:00:00Z "finishing a step records when"
api PATCH "/api/v1/clients/$BL" '{"version":2,"intake":{"Who decides, and who should we keep informed?":"Maya decides; keep Tom in copy."}}'
expect_status 200 "intake answers are kept on the client"
api GET "/api/v1/clients/$BL/onboarding"
expect_jq '[.template,(.done|tostring),(.total|tostring),(.percent|tostring)]|join("|")' "Standard onboarding|1|4|25" "progress: 1 of 4 steps, 25%"
expect_jq '[.questions[] | select(.answer != null) | .answer]|join("")' "Maya decides; keep Tom in copy." "the answered question shows its answer"
cli onboarding "$BL" --db "$DB"
expect_rc 0 "rapport onboarding shows progress"
check "the CLI marks the finished step" grep -q '\[x\].*Send the welcome email' <<<"$OUT"

# ---- conversations documented
create interactions "$(jq -nc --arg c "$BL" --arg m "$MAYA" '{client_id:$c,contact_id:$m,type:"call",direction:"outbound",subject:"Kickoff"}')" \
	"the kickoff call is logged without a summary"
CALL=$ID
expect_jq '.needs_summary' true "a call without a summary is flagged"
create interactions "$(jq -nc --arg c "$BL" '{client_id:$c,type:"note",summary:""}')" "a note"
expect_jq '.needs_summary' false "a note is not a conversation to summarise"
api GET "/api/v1/interactions?needs_summary=true&client_id=$BL"
expect_jq '[.data[].id]|join(",")' "$CALL" "the flagged conversations are listed"
api POST "/api/v1/interactions/$CALL/follow-up" '{}'
expect_error 422 invalid_value summary "no follow-up without a written summary"
create tasks "$(jq -nc --arg c "$BL" --arg i "$CALL" --arg me "$ME" '{title:"Send the draft engagement letter",client_id:$c,interaction_id:$i,assignee_id:$me,due_at:"2026-11-04T16:00:00Z"}')" \
	"a follow-up task from the call"
api PATCH "/api/v1/interactions/$CALL" '{"version":1,"summary":"Agreed scope: contract templates. Maya wants weekly email updates."}'
expect_jq '.needs_summary' false "the summary clears the flag"
api POST "/api/v1/interactions/$CALL/follow-up" '{}'
expect_status 200 "the follow-up email is composed"
expect_jq '.to' maya@brightline.test "to the contact who was on the call"
expect_jq '.subject' "Summary of our call on Monday 2 November 2026: Kickoff" "with a subject naming the call"
check "its body carries the summary and the next steps" jqe '(.body|contains("Agreed scope: contract templates.")) and (.body|contains("Send the draft engagement letter (by 2026-11-04)"))'
cli follow-up "$CALL" --record --db "$DB"
expect_rc 0 "rapport follow-up --record sends (logs) it"
check "the CLI prints the email" grep -q '^To: maya@brightline.test' <<<"$OUT"
api GET "/api/v1/interactions?client_id=$BL&type=email"
expect_jq '.data[0].direction + "|" + .data[0].occurred_at' "outbound|2026-11-02T08:00:00Z" "logged as an outbound email now"

# ---- two weeks later: the cadence lapses
stop_server
export RAPPORT_NOW=2026-11-17T10:00:00Z # Tuesday
serve_db
create clients '{"name":"Quiet Co","stage":"active","cadence":"monthly","started_at":"2026-09-30T09:00:00Z"}' "a monthly client since 30 September"
QC=$ID
create clients '{"name":"No Promise Ltd","stage":"active","cadence":"none"}' "a client without a cadence"
create clients '{"name":"Lead Inc","stage":"lead","cadence":"weekly"}' "a lead with a cadence"
api GET /api/v1/check-ins/due
expect_jq '[.data[].client_name]|join(",")' "Quiet Co,Brightline Legal" "check-ins due: most overdue first, only active clients with a cadence"
expect_jq '[.data[] | select(.client_name == "Quiet Co") | .due_at, .last_update_at]|map(tostring)|join("|")' "2026-10-30T09:00:00Z|null" \
	"monthly from the start when nothing was sent: 30 Sep -> 30 Oct"
expect_jq '[.data[] | select(.client_name == "Brightline Legal") | .due_at, .last_update_at, .channel, (.days_overdue|tostring)]|join("|")' \
	"2026-11-09T08:00:00Z|2026-11-02T08:00:00Z|email|8" "weekly from the last outbound update, by the updates channel"
create interactions "$(jq -nc --arg c "$QC" '{client_id:$c,type:"email",direction:"inbound",subject:"Question"}')" "Quiet Co writes in"
api GET /api/v1/check-ins/due
expect_jq '.total' 2 "an inbound message is not our update"
create interactions "$(jq -nc --arg c "$QC" '{client_id:$c,type:"email",direction:"outbound",subject:"Monthly update"}')" "we send Quiet Co its update"
api GET /api/v1/check-ins/due
expect_jq '[.data[].client_name]|join(",")' "Brightline Legal" "the update clears its check-in"
cli due --db "$DB"
expect_rc 0 "rapport due"
check "rapport due lists Brightline" grep -q 'Brightline Legal.*weekly' <<<"$OUT"
api GET "/api/v1/check-ins/due?limit=0"
expect_error 400 invalid_parameter limit "a bad limit is named"

# ---- today
api GET /api/v1/today
expect_jq '.date' 2026-11-17 "today is the workspace's date"
expect_jq '[.overdue[].title]|join(",")' "Send the intake questionnaire,Send the draft engagement letter,Hold the kickoff call,Share the project timeline" \
	"overdue tasks, oldest first (the finished step is not among them)"
expect_jq '.check_ins|length' 1 "check-ins due are on today's list"
create tasks "$(jq -nc --arg me "$ME" '{title:"Prepare the quarterly review",assignee_id:$me,due_at:"2026-11-17T15:00:00Z"}')" "a task due this afternoon"
create tasks '{"title":"Someone else'"'"'s task","due_at":"2026-11-17T15:00:00Z"}' "an unassigned task due today"
api GET /api/v1/today
expect_jq '[.due_today[].title]|join(",")' "Prepare the quarterly review" "due today: mine only"
api GET "/api/v1/today?all=true"
expect_jq '.due_today|length' 2 "?all=true: everyone's"
cli today --db "$DB"
expect_rc 0 "rapport today"
check "rapport today has its sections" bash -c 'grep -q "^Overdue (4)" <<<"$1" && grep -q "^Due today (1)" <<<"$1" && grep -q "^Check-ins due (1)" <<<"$1"' _ "$OUT"

# ---- the timeline
api GET "/api/v1/clients/$BL/timeline?limit=3"
expect_status 200 "GET the client's timeline"
expect_jq '[.data[].type]|join(",")' "task,task,task" "newest first: the onboarding steps due later lead"
C1=$(jqr .next_cursor)
ALL=$(jq -r '.data[].id' <<<"$BODY")
while [ "$C1" != null ]; do
	api GET "/api/v1/clients/$BL/timeline?limit=3&cursor=$(urlencode "$C1")"
	ALL+=$'\n'$(jq -r '.data[].id' <<<"$BODY")
	C1=$(jqr .next_cursor)
done
N=$(grep -c . <<<"$ALL"); U=$(sort -u <<<"$ALL" | grep -c .)
check "paging walks every item once (tasks 5 + interactions 3 = 8)" test "$N" = 8 -a "$U" = 8
api GET "/api/v1/clients/$BL/timeline?types=interaction"
expect_jq '[.data[].type]|unique|join(",")' interaction "?types narrows the kinds"
check "each item carries its record" jqe 'all(.data[]; .record.id == .id and (.at|test("^2026-")))'
api GET "/api/v1/clients/$BL/timeline?cursor=garbage"
expect_error 400 invalid_parameter cursor "a cursor it never gave is refused"
api GET "/api/v1/clients/cli_00000000000000000000000000/timeline"
expect_error 404 not_found - "no timeline for an unknown client"
cli timeline "$BL" --types interaction --db "$DB"
expect_rc 0 "rapport timeline"
check "the CLI lists the call" grep -q 'interaction.*Kickoff' <<<"$OUT"

# ---- workspace calendar settings are validated
WS=$(api GET /api/v1/workspaces; jqr '.data[0].id')
api PATCH "/api/v1/workspaces/$WS" '{"version":1,"time_zone":"Mars/Olympus"}'
expect_error 422 invalid_value time_zone "an unknown time zone is refused"
api PATCH "/api/v1/workspaces/$WS" '{"version":1,"business_hours":{"mon":["09:00-25:00"]}}'
expect_error 422 invalid_value business_hours "impossible business hours are refused"
api PATCH "/api/v1/workspaces/$WS" '{"version":1,"time_zone":"Europe/Berlin","holidays":["2026-12-24","2026-12-25"]}'
expect_status 200 "a real zone and holidays are accepted"
api GET /api/v1/today
expect_jq '.date' 2026-11-17 "today still reads the workspace's date in its zone"

server_alive
