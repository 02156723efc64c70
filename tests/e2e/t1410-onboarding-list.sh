#!/usr/bin/env bash
# t1410: GET /api/v1/onboarding — every client being onboarded with its progress (steps done of the
# total, the next step), the least advanced first; its limit; clients without onboarding left out.
. "$(dirname "$0")/lib.sh"

export RAPPORT_NOW=2026-11-02T08:00:00Z
start_server
api GET "/api/v1/onboarding-templates?limit=5"
TPL=$(jqr '.data[] | select(.name == "Standard onboarding") | .id')
check "the standard onboarding template is there" test -n "$TPL"

api GET /api/v1/onboarding
expect_jq '.data | length' 0 "no client is onboarding yet"

create clients '{"name":"Ahead Ltd","stage":"active"}' "a client to onboard"
AHEAD=$ID
create clients '{"name":"Behind GmbH","stage":"active"}' "another"
BEHIND=$ID
create clients '{"name":"Never Onboarded","stage":"active"}' "and one never onboarded"
for c in "$AHEAD" "$BEHIND"; do
	api POST "/api/v1/clients/$c/onboarding" "$(jq -nc --arg t "$TPL" '{template_id:$t}')"
	expect_status 201 "onboarding applied"
done
api GET "/api/v1/tasks?client_id=$AHEAD&kind=onboarding&sort=due_at&limit=10"
for i in 0 1; do
	TID=$(jqr ".data[$i].id") V=$(jqr ".data[$i].version")
	api PATCH "/api/v1/tasks/$TID" "{\"status\":\"done\",\"version\":$V}"
	expect_status 200 "Ahead's step $((i + 1)) is done"
	api GET "/api/v1/tasks?client_id=$AHEAD&kind=onboarding&sort=due_at&limit=10"
done

api GET /api/v1/onboarding
expect_status 200 "the list answers"
expect_jq '[.data[].client_name] | join(",")' "Behind GmbH,Ahead Ltd" "the least advanced first; a client without onboarding is not listed"
expect_jq '.data[0] | "\(.done)/\(.total) \(.percent) \(.template)"' "0/4 0 Standard onboarding" "Behind: none of four steps"
expect_jq '.data[1] | "\(.done)/\(.total) \(.percent)"' "2/4 50" "Ahead: two of four, 50 %"
expect_jq '.data[1].next_step.title' "Hold the kickoff call" "Ahead's next step is the first not done, in order"
expect_jq '.data[1].next_step.due_at' "2026-11-07T17:00:00Z" "with when it falls due"
expect_jq '.data[0].client_id' "$BEHIND" "each names its client by id"

api GET "/api/v1/onboarding?limit=1"
expect_jq '[.data[].client_name] | join(",")' "Behind GmbH" "limit=1 gives the least advanced only"
api GET "/api/v1/onboarding?limit=0"
expect_error 400 invalid_parameter limit "limit 0 is refused, naming limit"
api GET "/api/v1/onboarding?client=x"
expect_error 400 invalid_parameter client "an unknown parameter is refused, naming it"

# every step done: 100 %, no next step
for _ in 1 2; do
	api GET "/api/v1/tasks?client_id=$AHEAD&kind=onboarding&status=open&limit=10"
	TID=$(jqr ".data[0].id") V=$(jqr ".data[0].version")
	api PATCH "/api/v1/tasks/$TID" "{\"status\":\"done\",\"version\":$V}"
done
api GET /api/v1/onboarding
expect_jq '.data[1] | "\(.percent) \(.next_step)"' "100 null" "all steps done: 100 % and no next step"

TOKEN=
api GET /api/v1/onboarding
expect_status 401 "without credentials it is refused"
