#!/usr/bin/env bash
# t2830: one change to every record a filter selects. POST /api/v1/{entity}/bulk?FILTERS with
# {"set": {...}, "add": {"tags": [...]}} changes each matching record through the generic update path:
# every page of matches (not only a loaded one), each record audited, each refusal reported for its
# record (a won deal cannot be reopened; a lost one needs a reason) while the others change; a dry run
# counts; viewers are refused; a body of the wrong shape is refused whole, naming the key.
. "$(dirname "$0")/lib.sh"

INIT_ARGS=--demo start_server
# more clients than one page of the list, so "every matching" means more than what a page shows
for i in $(seq 1 60); do
	api POST /api/v1/clients "{\"name\":\"Bulk client $i\",\"stage\":\"lead\",\"tags\":[\"imported\"]}"
done
expect_status 201 "sixty leads made"
api GET '/api/v1/clients?stage=lead&limit=500'
LEADS=$(jqr '.data | length')
check "more leads ($LEADS) than the list's first page of 50" [ "$LEADS" -gt 50 ]

api POST '/api/v1/clients/bulk?stage=lead' '{"dry_run":true}'
expect_status 200 "a dry run"
expect_jq .matched "$LEADS" "... counts every lead"
api POST '/api/v1/clients/bulk?stage=lead&q=bulk' '{"add":{"tags":["vip"]},"set":{"relationship_type":"advisory"}}'
expect_status 200 "tag and set every lead found by 'bulk'"
expect_jq '[.matched,.updated,.unchanged,(.failed|length)]|map(tostring)|join(",")' '60,60,0,0' \
	"... sixty matched and changed, none refused"
api GET '/api/v1/clients?tags=vip&limit=500'
check "all sixty carry vip, their own tag kept, the field set" \
	jqe '[.data[] | select(.name | startswith("Bulk client"))] | length == 60 and all(.[]; (.tags | index("imported") != null) and .relationship_type == "advisory")'
BC=$(jqr '[.data[] | select(.name == "Bulk client 7")][0].id')
api GET "/api/v1/audit?record_id=$BC&limit=50"
check "each record's change is in its audit log" jqe '[.data[] | select(.action == "update")] | length == 1'
api POST '/api/v1/clients/bulk?stage=lead&q=bulk' '{"add":{"tags":["vip"]}}'
expect_jq '[.updated,.unchanged]|map(tostring)|join(",")' '0,60' "the same tag again changes nothing (all unchanged)"

# deals: the API's rules per record
for t in One Two Three; do create deals "$(jq -nc --arg c "$BC" --arg t "$t" '{client_id:$c,title:$t,value:"1000.00"}')" "deal $t"; done
api GET "/api/v1/deals?client_id=$BC&sort=created_at&limit=3"
D1=$(jqr '.data[0].id') D2=$(jqr '.data[1].id') D3=$(jqr '.data[2].id')
V1=$(jqr '.data[0].version') V2=$(jqr '.data[1].version')
api PATCH "/api/v1/deals/$D1" "{\"version\":$V1,\"status\":\"won\"}"
expect_status 200 "one deal won"
api PATCH "/api/v1/deals/$D2" "{\"version\":$V2,\"status\":\"lost\",\"lost_reason\":\"budget\"}"
expect_status 200 "one deal lost"
api POST "/api/v1/deals/bulk?id=$D1,$D2,$D3" '{"set":{"status":"open"}}'
expect_status 200 "reopen three deals at once"
check "the won one is refused with the API's reason, the lost one reopened, the open one as it was" jqe --arg w "$D1" \
	'.updated == 1 and .unchanged == 1 and (.failed | length) == 1 and .failed[0].id == $w and .failed[0].code == "conflict" and .failed[0].field == "status" and (.failed[0].message | test("won"))'
api GET "/api/v1/deals/$D2"
expect_jq .status open "... the lost deal is open again"
api POST "/api/v1/deals/bulk?id=$D2,$D3" '{"set":{"status":"lost"}}'
check "lost without a reason: refused by the deal's rule where it has none, naming the field and the deal" \
	jqe --arg d "$D3" '.updated == 1 and (.failed | length) == 1 and .failed[0].id == $d and .failed[0].field == "lost_reason" and .failed[0].title == "Three"'

# refusals of the whole request
api POST '/api/v1/clients/bulk?stage=lead' '{}'
expect_error 422 invalid_value set "nothing to change is refused"
api POST '/api/v1/clients/bulk?stage=lead' '{"set":{"nickname":"x"}}'
expect_error 422 invalid_value nickname "an unknown field is refused, naming it"
api POST '/api/v1/clients/bulk?stage=lead' '{"set":{"version":3}}'
expect_error 422 invalid_value version "set cannot carry a version"
api POST '/api/v1/clients/bulk?stage=lead' '{"add":{"name":["x"]}}'
expect_error 422 invalid_value name "add takes tags fields only"
api POST '/api/v1/clients/bulk?stage=leed' '{"add":{"tags":["x"]}}'
expect_error 400 invalid_parameter stage "a bad filter is refused like the list's"
api POST '/api/v1/clients/bulk?stage=lead' '{"set":{"stage":"bogus"}}'
check "an invalid value is refused per record (every one)" jqe '.updated == 0 and (.failed | length) > 50 and .failed[0].field == "stage"'

create users '{"email":"vic@example.com","role":"viewer","password":"viewer-horse-battery-4"}' "a viewer"
VIEWER=$(new_token vic@example.com)
TOKEN=$VIEWER api POST '/api/v1/clients/bulk?stage=lead' '{"add":{"tags":["x"]}}'
expect_error 403 forbidden - "a viewer may not change clients in bulk"
