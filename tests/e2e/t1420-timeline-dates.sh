#!/usr/bin/env bash
# t1420: a client's timeline puts each record at its own date and names feedback by its score.
# History typed in on 3 December (projects started in spring, a deal expected to close in January, a
# deliverable due in November) sits at those dates, not all at "today" when it was entered; a record
# with no date of its own stays at its creation. Feedback reads "CSAT 2/5", "NPS 9", "Debrief" rather
# than its bare kind.
. "$(dirname "$0")/lib.sh"

export RAPPORT_NOW=2026-12-03T12:00:00Z
start_server
create clients '{"name":"Walk Ltd","stage":"active"}' "a client"
CL=$ID
create projects "$(jq -nc --arg c "$CL" '{client_id:$c,name:"Spring site",start_date:"2026-03-02",due_date:"2026-06-30"}')" \
	"a project that started on 2 March"
PRJ=$ID
create projects "$(jq -nc --arg c "$CL" '{client_id:$c,name:"Undated idea"}')" "a project with no start date"
UNDATED=$ID
create deals "$(jq -nc --arg c "$CL" '{client_id:$c,title:"Retainer",value:"1200.00",expected_close:"2027-01-15"}')" \
	"an open deal expected to close on 15 January"
DEAL=$ID
create deliverables "$(jq -nc --arg p "$PRJ" '{project_id:$p,name:"Style guide",due_date:"2026-11-20"}')" \
	"a pending deliverable due on 20 November"
DLV=$ID
create feedback "$(jq -nc --arg c "$CL" '{client_id:$c,kind:"csat",score:2,received_at:"2026-11-30T10:00:00Z"}')" "a CSAT of 2"
create feedback "$(jq -nc --arg c "$CL" '{client_id:$c,kind:"nps",score:9,received_at:"2026-11-29T10:00:00Z"}')" "an NPS of 9"
create feedback "$(jq -nc --arg c "$CL" '{client_id:$c,kind:"debrief",comment:"Went well",received_at:"2026-11-28T10:00:00Z"}')" \
	"a debrief with no score"

api GET "/api/v1/clients/$CL/timeline?limit=50"
expect_status 200 "GET the timeline"
at_of() { jqr --arg id "$1" '.data[] | select(.id == $id) | .at'; }
check "the project sits at its start date" test "$(at_of "$PRJ")" = 2026-03-02T00:00:00Z
check "the open deal sits at its expected close" test "$(at_of "$DEAL")" = 2027-01-15T00:00:00Z
check "the pending deliverable sits at its due date" test "$(at_of "$DLV")" = 2026-11-20T00:00:00Z
check "a project with no date of its own sits at its creation" test "$(at_of "$UNDATED")" = 2026-12-03T12:00:00Z
expect_jq '[.data[] | select(.type == "feedback") | .title] | join(",")' "CSAT 2/5,NPS 9,Debrief" \
	"feedback is titled by its kind and score on the kind's scale"
expect_jq '[.data[].type] | join(",")' "deal,project,feedback,feedback,feedback,deliverable,project" \
	"newest first by those dates"

# paging by the new dates walks every item once
api GET "/api/v1/clients/$CL/timeline?limit=2"
ALL=$(jq -r '.data[].id' <<<"$BODY"); C=$(jqr .next_cursor)
while [ "$C" != null ]; do
	api GET "/api/v1/clients/$CL/timeline?limit=2&cursor=$(urlencode "$C")"
	ALL+=$'\n'$(jq -r '.data[].id' <<<"$BODY"); C=$(jqr .next_cursor)
done
check "pages of two walk all seven once" test "$(sort -u <<<"$ALL" | grep -c .)" = 7 -a "$(grep -c . <<<"$ALL")" = 7

# a delivered deliverable and a won deal move to when that happened
api PATCH "/api/v1/deliverables/$DLV" '{"version":1,"status":"delivered"}'
expect_status 200 "deliver the style guide"
api GET "/api/v1/clients/$CL/timeline?types=deliverable"
expect_jq '.data[0].at' 2026-12-03T12:00:00Z "a delivered deliverable sits at its delivery"
