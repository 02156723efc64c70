#!/usr/bin/env bash
# t1200: projects and scope, as Northwind Studio's November runs them. Harbor Coffee's rebrand is
# proposed at 10000.00, cannot start before Maya (Harbor's marketing lead) agrees to it, then grows
# by two approved change requests (1000.00 + 500.00, 5 + 3 days) while a third is rejected: scope
# growth 1500 / 10000 = 0.15, due date 2026-12-15 + 8 days = 2026-12-23, budget 11500.00. Every
# refused move (activating without agreement, a contact of another client agreeing, approving a
# rejected change, reopening a finished project) is 409/422 and leaves the record as it was.
# Lumen Books' catalogue goes through the CLI: add, edit, change requests, `rapport project scope`.
. "$(dirname "$0")/lib.sh"

export RAPPORT_NOW=2026-11-02T09:00:00Z
TODAY=2026-11-02
start_server

# The record as it is now, into BODY (for "nothing changed" checks).
reread() { api GET "/api/v1/$1/$2"; }
# The audit's before/after may be stored as text or as an object.
AFTER='(.after | if type == "string" then fromjson else . end)'
jout_e() { jq_on "$OUT" -e "$@" >/dev/null 2>&1; }

# ---- the workspace bills in pounds; new projects take its currency
api GET /api/v1/workspaces
WS=$(jqr '.data[0].id')
WSV=$(jqr '.data[0].version')
api PATCH "/api/v1/workspaces/$WS" "{\"version\":$WSV,\"currency\":\"GBP\"}"
expect_status 200 "Northwind Studio bills in GBP"

# ---- clients and the people who sign off
create clients '{"name":"Harbor Coffee","stage":"active"}' "Harbor Coffee is a client"
HARBOR=$ID
create clients '{"name":"Lumen Books","stage":"active"}' "Lumen Books is a client"
LUMEN=$ID
create contacts "{\"client_id\":\"$HARBOR\",\"first_name\":\"Maya\",\"last_name\":\"Okafor\",\"title\":\"Marketing lead\"}" "Maya works at Harbor"
MAYA=$ID
create contacts "{\"client_id\":\"$HARBOR\",\"first_name\":\"Tom\",\"last_name\":\"Reyes\",\"title\":\"Founder\"}" "Tom works at Harbor"
TOM=$ID
create contacts "{\"client_id\":\"$LUMEN\",\"first_name\":\"Iris\",\"last_name\":\"Lund\",\"title\":\"Publisher\"}" "Iris works at Lumen"
IRIS=$ID

# ---- a proposed project
create projects "{\"client_id\":\"$HARBOR\",\"name\":\"Harbor rebrand\",\"scope\":\"Logo, stationery, brand guidelines\",
  \"budget\":\"10000.00\",\"start_date\":\"2026-11-02\",\"due_date\":\"2026-12-15\"}" "propose the Harbor rebrand"
PRJ=$ID
expect_jq '[.status,.currency,.billing,.budget,.due_date]|join("|")' "proposed|GBP|fixed|10000.00|2026-12-15" \
	"a new project is proposed, fixed price, in the workspace's currency"
check "no baseline and no agreement before it is agreed" \
	jqe '.original_budget == null and .original_due_date == null and .agreed_by_id == null and .agreed_at == null and .approved_change_cost == "0.00" and .approved_change_days == 0'
create projects "{\"client_id\":\"$HARBOR\",\"name\":\"Euro side project\",\"currency\":\"EUR\"}" "a project may name its own currency"
expect_jq .currency EUR "an explicit currency is kept"
api DELETE "/api/v1/projects/$ID"

api POST /api/v1/projects "{\"client_id\":\"$HARBOR\",\"name\":\"Barista training\",\"billing\":\"hourly\"}"
expect_error 422 required hourly_rate "an hourly project without a rate is 422"
api POST /api/v1/projects "{\"client_id\":\"$HARBOR\",\"name\":\"Backwards\",\"start_date\":\"2026-12-01\",\"due_date\":\"2026-11-30\"}"
expect_error 422 invalid_value due_date "a due date before the start is 422"
check "the message names both dates" jqe '.error.message | contains("2026-11-30") and contains("2026-12-01")'
api POST /api/v1/projects "{\"client_id\":\"$HARBOR\",\"name\":\"Baseline forger\",\"original_budget\":\"1.00\"}"
expect_error 422 read_only original_budget "the baseline cannot be sent"
expect_count projects 1 "refused projects were not written"

api POST /api/v1/change-requests "{\"project_id\":\"$PRJ\",\"description\":\"Add a mascot\",\"impact_days\":2,\"impact_cost\":\"300.00\"}"
expect_error 422 invalid_value project_id "no change requests on a project that is only proposed"

# ---- no start without an agreement
api PATCH "/api/v1/projects/$PRJ" '{"version":1,"status":"active"}'
expect_error 422 required agreed_by_id "activating without a recorded agreement is 422"
expect_jq .error.message "a project needs a recorded agreement (who approved it at the client, and when) before it becomes active" \
	"the message says what is missing"
reread projects "$PRJ"
expect_jq '[.status,(.version|tostring),(.agreed_by_id|tostring)]|join("|")' "proposed|1|null" "the project is unchanged"

api PATCH "/api/v1/projects/$PRJ" "{\"version\":1,\"status\":\"agreed\",\"agreed_by_id\":\"$IRIS\"}"
expect_error 422 invalid_value agreed_by_id "a contact of another client cannot agree to it"
reread projects "$PRJ"
expect_jq '[.status,(.version|tostring),(.agreed_by_id|tostring),(.original_budget|tostring)]|join("|")' "proposed|1|null|null" \
	"still proposed, no agreement, no baseline"

api PATCH "/api/v1/projects/$PRJ" "{\"version\":1,\"status\":\"agreed\",\"agreed_by_id\":\"$MAYA\"}"
expect_status 200 "Maya agrees to the rebrand"
expect_jq '[.status,.agreed_by_id,.agreed_at,.original_budget,.original_due_date]|join("|")' \
	"agreed|$MAYA|2026-11-02T09:00:00Z|10000.00|2026-12-15" "the agreement is recorded and the baseline frozen"
api PATCH "/api/v1/projects/$PRJ" '{"version":2,"agreed_by_id":null}'
expect_error 422 required agreed_by_id "an agreed project cannot lose its agreement"
api PATCH "/api/v1/projects/$PRJ" '{"version":2,"status":"active"}'
expect_status 200 "the rebrand starts"
expect_jq .status active "the project is active"

# ---- milestones and deliverables carry the project's client
create milestones "{\"project_id\":\"$PRJ\",\"name\":\"Concepts presented\",\"due_date\":\"2026-11-20\"}" "milestone: concepts"
expect_jq .client_id "$HARBOR" "a milestone carries its project's client"
MS1=$ID
create milestones "{\"project_id\":\"$PRJ\",\"name\":\"Launch\",\"due_date\":\"2026-12-15\"}" "milestone: launch"
create milestones "{\"project_id\":\"$PRJ\",\"name\":\"Retrospective\"}" "milestone: retrospective (undated)"
api PATCH "/api/v1/milestones/$MS1" '{"version":1,"reached_on":"2026-11-02"}'
expect_status 200 "concepts shown early"
api POST /api/v1/milestones "{\"project_id\":\"$PRJ\",\"client_id\":\"$LUMEN\",\"name\":\"Forged\"}"
expect_error 422 read_only client_id "a part's client comes from its project"

create deliverables "{\"project_id\":\"$PRJ\",\"name\":\"Logo suite\",\"due_date\":\"2026-11-20\"}" "deliverable: logo suite"
LOGO=$ID
expect_jq '[.status,.client_id]|join("|")' "todo|$HARBOR" "a deliverable starts as todo with the project's client"
api PATCH "/api/v1/deliverables/$LOGO" '{"version":1,"status":"in_progress"}'
expect_status 200 "logo work starts"
api PATCH "/api/v1/deliverables/$LOGO" '{"version":2,"status":"delivered"}'
expect_jq '[.status,.delivered_at]|join("|")' "delivered|2026-11-02T09:00:00Z" "delivering stamps delivered_at"
api PATCH "/api/v1/deliverables/$LOGO" '{"version":3,"status":"accepted"}'
expect_jq '[.status,.accepted_at]|join("|")' "accepted|2026-11-02T09:00:00Z" "accepting stamps accepted_at"
api PATCH "/api/v1/deliverables/$LOGO" '{"version":4,"status":"in_progress"}'
expect_error 409 conflict status "an accepted deliverable is final"
reread deliverables "$LOGO"
expect_jq '[.status,(.version|tostring)]|join("|")' "accepted|4" "the accepted deliverable is unchanged"

create deliverables "{\"project_id\":\"$PRJ\",\"name\":\"Stationery\",\"due_date\":\"2026-11-01\",\"status\":\"delivered\",
  \"delivered_at\":\"2026-11-02T08:00:00Z\"}" "stationery handed over a day late"
STAT=$ID
expect_jq .delivered_at 2026-11-02T08:00:00Z "a given delivered_at is kept"
create deliverables "{\"project_id\":\"$PRJ\",\"name\":\"Brand guidelines\",\"due_date\":\"2026-10-30\"}" "guidelines, already overdue"
GUIDE=$ID
api PATCH "/api/v1/deliverables/$GUIDE" '{"version":1,"status":"accepted"}'
expect_error 409 conflict status "todo cannot jump to accepted"
create deliverables "{\"project_id\":\"$PRJ\",\"name\":\"Website mockups\",\"due_date\":\"2026-12-01\"}" "mockups, due in December"
MOCK=$ID
api PATCH "/api/v1/deliverables/$MOCK" '{"version":1,"status":"delivered"}'
api PATCH "/api/v1/deliverables/$MOCK" '{"version":2,"status":"in_progress"}'
expect_status 200 "mockups sent back for rework"
expect_jq '[.status,(.delivered_at|tostring)]|join("|")' "in_progress|null" "rework clears the earlier delivery"

# ---- change requests
create change-requests "{\"project_id\":\"$PRJ\",\"description\":\"Packaging for the retail bags\",\"impact_days\":5,\"impact_cost\":\"1000.00\"}" \
	"CR1: packaging, 5 days, 1000.00"
CR1=$ID
expect_jq '[.status,.client_id,(.decided_at|tostring)]|join("|")' "proposed|$HARBOR|null" "a change request starts proposed with the project's client"
create change-requests "{\"project_id\":\"$PRJ\",\"description\":\"Social media templates\",\"impact_days\":3,\"impact_cost\":\"500.00\"}" \
	"CR2: social templates, 3 days, 500.00"
CR2=$ID
create change-requests "{\"project_id\":\"$PRJ\",\"description\":\"Animated logo\",\"impact_days\":10,\"impact_cost\":\"4000.00\"}" \
	"CR3: animated logo, 10 days, 4000.00"
CR3=$ID

api PATCH "/api/v1/change-requests/$CR1" '{"version":1,"status":"approved"}'
expect_error 422 required decided_by_id "approving needs who approved it at the client"
api PATCH "/api/v1/change-requests/$CR1" "{\"version\":1,\"status\":\"approved\",\"decided_by_id\":\"$IRIS\"}"
expect_error 422 invalid_value decided_by_id "a contact of another client cannot approve it"
reread projects "$PRJ"
expect_jq '[.budget,.due_date,(.version|tostring)]|join("|")' "10000.00|2026-12-15|3" "refused approvals left the project alone"

api PATCH "/api/v1/change-requests/$CR1" "{\"version\":1,\"status\":\"approved\",\"decided_by_id\":\"$MAYA\"}"
expect_status 200 "Maya approves the packaging"
expect_jq '[.status,.decided_at,.decided_by_id]|join("|")' "approved|2026-11-02T09:00:00Z|$MAYA" "the decision is dated and signed"
reread projects "$PRJ"
expect_jq '[.budget,.due_date,.approved_change_cost,(.approved_change_days|tostring)]|join("|")' "11000.00|2026-12-20|1000.00|5" \
	"the project moved by 1000.00 and 5 days"
api PATCH "/api/v1/change-requests/$CR2" "{\"version\":1,\"status\":\"approved\",\"decided_by_id\":\"$TOM\"}"
expect_status 200 "Tom approves the social templates"
api PATCH "/api/v1/change-requests/$CR3" "{\"version\":1,\"status\":\"rejected\",\"decided_by_id\":\"$TOM\"}"
expect_status 200 "Tom rejects the animated logo"
expect_jq '[.status,.decided_at]|join("|")' "rejected|2026-11-02T09:00:00Z" "the rejection is dated"

reread projects "$PRJ"
PV=$(jqr .version)
expect_jq '[.budget,.due_date,.approved_change_cost,(.approved_change_days|tostring),.original_budget,.original_due_date]|join("|")' \
	"11500.00|2026-12-23|1500.00|8|10000.00|2026-12-15" "two approvals: budget 11500.00, due 8 days later, baseline kept"

api PATCH "/api/v1/change-requests/$CR3" "{\"version\":2,\"status\":\"approved\",\"decided_by_id\":\"$MAYA\"}"
expect_error 409 conflict status "approving a rejected change request is 409"
expect_jq .error.message "this change request was already rejected on 2026-11-02" "the message says when it was rejected"
reread change-requests "$CR3"
expect_jq '[.status,(.version|tostring)]|join("|")' "rejected|2" "the rejected change request is unchanged"
reread projects "$PRJ"
expect_jq '[.budget,.due_date,(.version|tostring)]|join("|")' "11500.00|2026-12-23|$PV" "and so is the project"
api PATCH "/api/v1/change-requests/$CR1" '{"version":2,"impact_cost":"900.00"}'
expect_error 409 conflict impact_cost "a decided change's cost cannot change"
api PATCH "/api/v1/change-requests/$CR1" '{"version":2,"impact_days":4}'
expect_error 409 conflict impact_days "a decided change's days cannot change"
api PATCH "/api/v1/change-requests/$CR1" '{"version":2,"description":"Packaging for the retail bags and cups"}'
expect_status 200 "a decided change's wording can still be corrected"
api PATCH "/api/v1/change-requests/$CR2" '{"version":2,"status":"proposed"}'
expect_error 409 conflict status "an approved change request stays approved"

# ---- kept in the project's history
api GET "/api/v1/audit?entity=projects&record_id=$PRJ&limit=500"
expect_status 200 "the project's audit log"
check "the audit log shows each move of the budget" \
	jqe "[.data[] | select(.action == \"update\") | $AFTER | .budget] | (index(\"11000.00\") != null and index(\"11500.00\") != null)"
check "and of the due date" \
	jqe "[.data[] | select(.action == \"update\") | $AFTER | .due_date] | (index(\"2026-12-20\") != null and index(\"2026-12-23\") != null)"

# ---- the scope report
api GET "/api/v1/projects/$PRJ/scope"
expect_status 200 "GET /api/v1/projects/ID/scope"
expect_jq '[.original_budget,.budget,.approved_change_cost,(.scope_growth|tostring),.original_due_date,.due_date,(.days_added|tostring),.currency]|join("|")' \
	"10000.00|11500.00|1500.00|0.15|2026-12-15|2026-12-23|8|GBP" "scope growth 0.15, 8 days added"
check "scope_growth is a number" jqe '(.scope_growth|type) == "number" and .scope_growth == 0.15'
expect_jq '.change_requests|[.proposed,.approved,.rejected,(.data|length)]|map(tostring)|join("|")' "0|2|1|3" "change requests by status"
expect_jq '.change_requests|[.approved_cost,(.approved_days|tostring),.pending_cost]|join("|")' "1500.00|8|0.00" "approved changes add up"
expect_jq '[.change_requests.data[].id]|join(",")' "$CR1,$CR2,$CR3" "the change requests, oldest first"
expect_jq '.deliverables|[.total,.todo,.in_progress,.delivered,.accepted,.on_time,.late,.overdue]|map(tostring)|join("|")' \
	"4|1|1|1|1|1|1|1" "deliverables: one each; logo on time, stationery late, guidelines overdue"
expect_jq '.milestones|[.total,.reached,.overdue]|map(tostring)|join("|")' "3|1|0" "milestones: three, one reached"
expect_jq '[.milestones.data[].name]|join(",")' "Concepts presented,Launch,Retrospective" "milestones by date, undated last"

# budget edited by hand after agreement: recorded, baseline and growth unchanged
api PATCH "/api/v1/projects/$PRJ" "{\"version\":$PV,\"budget\":\"12000.00\"}"
expect_status 200 "the budget can still be edited directly"
api GET "/api/v1/projects/$PRJ/scope"
expect_jq '[.original_budget,.budget,(.scope_growth|tostring)]|join("|")' "10000.00|12000.00|0.15" \
	"scope growth counts change requests, not hand edits"
api GET "/api/v1/audit?entity=projects&record_id=$PRJ&limit=500"
check "the hand edit is in the history too" jqe "[.data[] | $AFTER | .budget] | index(\"12000.00\") != null"

api PATCH "/api/v1/projects/$PRJ" "{\"version\":$((PV + 1)),\"client_id\":\"$LUMEN\"}"
expect_error 409 conflict client_id "a project with parts cannot move to another client"
api GET /api/v1/projects/prj_nope/scope
expect_error 404 not_found - "the scope of an unknown project is 404"

# ---- finished is final
api PATCH "/api/v1/projects/$PRJ" "{\"version\":$((PV + 1)),\"status\":\"done\"}"
expect_status 200 "the rebrand is done"
api PATCH "/api/v1/projects/$PRJ" "{\"version\":$((PV + 2)),\"status\":\"active\"}"
expect_error 409 conflict status "a done project cannot reopen"
reread projects "$PRJ"
expect_jq '[.status,(.version|tostring)]|join("|")' "done|$((PV + 2))" "the done project is unchanged"
api POST /api/v1/change-requests "{\"project_id\":\"$PRJ\",\"description\":\"One more thing\"}"
expect_error 422 invalid_value project_id "no change requests on a done project"

# ---- Lumen's catalogue through the CLI (no due date, no budget at first)
cli project add --db "$DB" --client-id "$LUMEN" --name "Lumen catalogue" --billing hourly --hourly-rate 95.00 --scope "Spring catalogue layout"
expect_rc 0 "rapport project add"
CAT=$OUT
cli --json project show "$CAT" --db "$DB"
check "the CLI project is proposed, hourly, in GBP" jout_e '.status == "proposed" and .billing == "hourly" and .hourly_rate == "95.00" and .currency == "GBP"'
cli project add --db "$DB" --client-id "$LUMEN" --name "No rate" --billing hourly
expect_cli_error 5 "an hourly project without a rate is refused (exit 5)"
cli project edit "$CAT" --db "$DB" --status active
expect_cli_error 5 "activating without agreement from the CLI is exit 5"
check "the CLI says why" grep -q "recorded agreement" <<<"$ERR"
cli project edit "$CAT" --db "$DB" --status active --agreed-by-id "$MAYA"
expect_cli_error 5 "Maya cannot agree to Lumen's project"
cli --json project show "$CAT" --db "$DB"
check "the catalogue is still proposed, version 1" jout_e '.status == "proposed" and .version == 1 and .agreed_by_id == null'
cli --json project edit "$CAT" --db "$DB" --status active --agreed-by-id "$IRIS"
expect_rc 0 "Iris agrees and the catalogue starts (straight from proposed)"
check "agreed_at defaults to now; the baseline has no budget" jout_e '.status == "active" and .agreed_at == "2026-11-02T09:00:00Z" and .original_budget == null'

cli change-request add --db "$DB" --project-id "$CAT" --description "Extra 16 pages" --impact-days 2 --impact-cost 300.00
expect_rc 0 "rapport change-request add"
CR4=$OUT
cli change-request edit "$CR4" --db "$DB" --status approved --decided-by-id "$IRIS"
expect_rc 0 "rapport change-request edit --status approved"
cli --json project show "$CAT" --db "$DB"
check "no due date stays none; a missing budget counts from 0" \
	jout_e '.due_date == null and .budget == "300.00" and .approved_change_cost == "300.00" and .approved_change_days == 2'
cli change-request edit "$CR4" --db "$DB" --status rejected
expect_cli_error 4 "an approved change cannot be rejected later (exit 4)"

cli --json project scope "$CAT" --db "$DB"
expect_rc 0 "rapport project scope --json"
check "no agreed budget: scope growth is null, 2 days added" \
	jout_e '.scope_growth == null and .days_added == 2 and .change_requests.approved == 1 and .budget == "300.00"'
cli project scope "$PRJ" --db "$DB"
expect_rc 0 "rapport project scope (human)"
check "the page shows the growth and the dates" grep -q "scope growth: 15.0%" <<<"$OUT"
check "and the agreed due date" grep -q "2026-12-15" <<<"$OUT"
cli project scope prj_missing --db "$DB"
expect_cli_error 3 "the scope of an unknown project is exit 3"
cli project scope --db "$DB"
expect_cli_error 2 "project scope without an id is a usage error"

server_alive "the projects scenario"
