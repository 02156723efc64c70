#!/usr/bin/env bash
# t0410: a reference to a record that belongs to a client (a contact, a project, a ticket) names one of the
# record's own client's. Bluebell's contact on Quarry's interaction, Bluebell's project on Quarry's
# feedback, task or invoice, an interaction moved to Quarry while it still names Bluebell's contact: each
# refused with 422 naming the field, and nothing written. The same references within one client pass, and
# a record without a client (a task of nobody's) names any.
. "$(dirname "$0")/lib.sh"
start_server

create clients '{"name":"Bluebell Bakery","stage":"active"}' "Bluebell"
BB=$ID
create clients '{"name":"Quarry Labs","stage":"active"}' "Quarry"
QL=$ID
create contacts "{\"client_id\":\"$BB\",\"first_name\":\"Bea\",\"last_name\":\"Bell\"}" "Bluebell's contact"
BBC=$ID
create contacts "{\"client_id\":\"$QL\",\"first_name\":\"Quinn\",\"last_name\":\"Larsen\"}" "Quarry's contact"
QLC=$ID
create projects "{\"client_id\":\"$BB\",\"name\":\"Seasonal packaging\",\"status\":\"proposed\"}" "Bluebell's project"
BBP=$ID
create tickets "{\"client_id\":\"$BB\",\"kind\":\"inquiry\",\"subject\":\"Box sizes?\"}" "Bluebell's ticket"
BBT=$ID

count() { api GET "/api/v1/$1?client_id=$QL&limit=100"; jqr '.data | length'; }
BEFORE_INT=$(count interactions) BEFORE_FB=$(count feedback)

api POST /api/v1/interactions "{\"client_id\":\"$QL\",\"type\":\"call\",\"direction\":\"outbound\",\"contact_id\":\"$BBC\",\"summary\":\"Spoke to the wrong person\"}"
expect_error 422 invalid_value contact_id "Quarry's interaction naming Bluebell's contact: 422 on contact_id"
expect_jq .error.message "contact_id: contact $BBC belongs to another client, not this interaction's" "the message says whose it is"
api POST /api/v1/interactions "{\"client_id\":\"$QL\",\"type\":\"email\",\"direction\":\"inbound\",\"ticket_id\":\"$BBT\"}"
expect_error 422 invalid_value ticket_id "Quarry's interaction naming Bluebell's ticket: 422 on ticket_id"
api POST /api/v1/feedback "{\"client_id\":\"$QL\",\"kind\":\"csat\",\"score\":4,\"project_id\":\"$BBP\"}"
expect_error 422 invalid_value project_id "Quarry's feedback on Bluebell's project: 422 on project_id"
api POST /api/v1/tasks "{\"client_id\":\"$QL\",\"title\":\"Send the proofs\",\"project_id\":\"$BBP\"}"
expect_error 422 invalid_value project_id "Quarry's task on Bluebell's project: 422 on project_id"
api POST /api/v1/invoices "{\"client_id\":\"$QL\",\"number\":\"Q-1\",\"amount\":\"100.00\",\"project_id\":\"$BBP\"}"
expect_error 422 invalid_value project_id "Quarry's invoice for Bluebell's project: 422 on project_id"
api POST /api/v1/projects "{\"client_id\":\"$QL\",\"name\":\"Lab site\",\"status\":\"active\",\"agreed_by_id\":\"$BBC\"}"
expect_error 422 invalid_value agreed_by_id "Quarry's project agreed by Bluebell's contact: 422 on agreed_by_id"
check "nothing was written for Quarry" test "$(count interactions) $(count feedback)" = "$BEFORE_INT $BEFORE_FB"

# within one client: accepted
create interactions "{\"client_id\":\"$QL\",\"type\":\"call\",\"direction\":\"outbound\",\"contact_id\":\"$QLC\",\"summary\":\"Kick-off\"}" \
	"Quarry's interaction with Quarry's contact"
QI=$ID
create interactions "{\"client_id\":\"$BB\",\"type\":\"email\",\"direction\":\"inbound\",\"contact_id\":\"$BBC\",\"ticket_id\":\"$BBT\"}" \
	"Bluebell's interaction on its own ticket, from its own contact"
create tasks "{\"title\":\"Tidy the studio\",\"project_id\":\"$BBP\"}" "a task of no client may name any project"

# moving a record to another client while it names the first one's contact
api PATCH "/api/v1/interactions/$QI" "{\"version\":1,\"client_id\":\"$BB\"}"
expect_error 422 invalid_value contact_id "moving Quarry's interaction to Bluebell while it names Quarry's contact: 422 on contact_id"
api PATCH "/api/v1/interactions/$QI" "{\"version\":1,\"client_id\":\"$BB\",\"contact_id\":\"$BBC\"}"
expect_status 200 "moved together with a contact of the new client: accepted"
expect_jq '"\(.client_id) \(.contact_id) \(.version)"' "$BB $BBC 2" "the interaction is Bluebell's, with Bluebell's contact"
api PATCH "/api/v1/interactions/$QI" "{\"version\":2,\"contact_id\":\"$QLC\"}"
expect_error 422 invalid_value contact_id "naming Quarry's contact on it now: 422 on contact_id"
api GET "/api/v1/interactions/$QI"
expect_jq '"\(.contact_id) \(.version)"' "$BBC 2" "unchanged by the refusal"

cli interaction add --db "$DB" --client-id "Quarry Labs" --type call --contact-id "Bea Bell" --summary "From the CLI"
expect_cli_error 5 "the CLI refuses Bluebell's contact (named) on Quarry's interaction, with one line"
check "naming the field" grep -q "contact_id" <<<"$ERR"
