#!/usr/bin/env bash
# t0200: the whole life of a client over HTTP - create, read, contacts,
# interactions, lists (filters, sort, limit, cursor walk), search, optimistic
# PATCH, delete with its owned records.
. "$(dirname "$0")/lib.sh"

start_server
api GET /api/v1/me
ME=$(user_id_of "$ADMIN_EMAIL")
check "/me gives the owner's user id" test -n "$ME"

RFC3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$'

# ---- create and read
create clients '{"name":"Acme Studio","kind":"client","relationship_type":"advisory","stage":"lead",
  "email":"hello@acme.example","phone":"+1 555 0100","website":"https://acme.example","cadence":"monthly",
  "response_time_hours":24,"preferred_channel":"email","tags":["vip","design"],"notes":"Met at the fair."}' \
  "POST /api/v1/clients creates a client (201)"
CID=$ID
expect_jq '[.name,.kind,.relationship_type,.stage,.email,.cadence,(.response_time_hours|tostring),.preferred_channel,.notes]|join("|")' \
	'Acme Studio|client|advisory|lead|hello@acme.example|monthly|24|email|Met at the fair.' "the created client echoes its fields"
expect_jq '.tags|sort|join(",")' 'design,vip' "tags round-trip as an array of strings"
expect_jq '.version' 1 "version is 1 on create"
expect_jq '.created_by' "$ME" "created_by is the calling user"
check "id is a non-empty string" jqe '(.id|type) == "string" and (.id|length) > 0'
check "created_at and updated_at are RFC 3339 UTC" jqe "(.created_at|test(\"$RFC3339\")) and (.updated_at|test(\"$RFC3339\"))"
check "unset fields are null" jqe '.referred_by_id == null and .owner_id == null and .ended_at == null and .point_of_contact_id == null'
check "custom is an object" jqe '(.custom|type) == "object"'
check "a lead has no started_at yet" jqe '.started_at == null'

api GET "/api/v1/clients/$CID"
expect_status 200 "GET /api/v1/clients/ID"
expect_jq '[.id,.name,.version,.stage]|join("|")' "$CID|Acme Studio|1|lead" "GET returns the stored client"

# ---- contacts
create contacts "$(jq -nc --arg c "$CID" '{client_id:$c,first_name:"Ada",last_name:"Lovelace",email:"ada@acme.example",title:"CTO",is_primary:true}')" \
	"POST /api/v1/contacts adds Ada"
ADA=$ID
expect_jq '[.client_id,.first_name,.last_name,.title,(.is_primary|tostring)]|join("|")' "$CID|Ada|Lovelace|CTO|true" "the contact echoes its fields"
create contacts "$(jq -nc --arg c "$CID" '{client_id:$c,first_name:"Grace",last_name:"Hopper",is_primary:false}')" \
	"POST /api/v1/contacts adds Grace"
GRACE=$ID
api GET "/api/v1/contacts?client_id=$CID"
expect_status 200 "list contacts filtered by client_id"
expect_jq '[.data[].id]|sort|join(",")' "$(printf '%s\n' "$ADA" "$GRACE" | sort | paste -sd,)" "both contacts and only them are listed"

# ---- interactions
create interactions "$(jq -nc --arg c "$CID" --arg a "$ADA" '{client_id:$c,contact_id:$a,type:"call",direction:"outbound",
	occurred_at:"2026-11-20T10:00:00Z",subject:"Kickoff",summary:"Agreed the zanzibarian rollout plan and weekly updates."}')" \
	"log a call with a summary"
CALL=$ID
expect_jq '[.type,.direction,.occurred_at,.contact_id]|join("|")' "call|outbound|2026-11-20T10:00:00Z|$ADA" "the call echoes type, direction, occurred_at, contact"
create interactions "$(jq -nc --arg c "$CID" '{client_id:$c,type:"meeting",direction:"inbound",occurred_at:"2026-11-21T15:30:00Z",
	subject:"Workshop",summary:"Quarterly roadmap workshop with the design team."}')" "log a meeting with a summary"
MEET=$ID
create interactions "$(jq -nc --arg c "$CID" '{client_id:$c,type:"note",summary:"Prefers calls before noon."}')" "log a note"
api GET "/api/v1/interactions?client_id=$CID"
expect_jq '.data|length' 3 "the client's three interactions are listed"
api GET "/api/v1/interactions?client_id=$CID&type=meeting"
expect_jq '[.data[].id]|join(",")' "$MEET" "filter interactions by type"

# ---- more clients for lists
STAGES=(lead prospect active past lost active lead active prospect active past lead)
for i in $(seq 1 12); do
	api POST /api/v1/clients "$(jq -nc --arg n "$(printf 'Pager %02d' "$i")" --arg s "${STAGES[$((i - 1))]}" '{name:$n,stage:$s}')"
	[ "$STATUS" = 201 ] || fail_http "create Pager $i"
done
TOTAL=13
api GET "/api/v1/clients?limit=500"
expect_jq '.data|length' $TOTAL "an unfiltered list has all $TOTAL clients"
expect_jq '.next_cursor' null "a list that fits in one page has next_cursor null"
ALL_IDS=$(jqr '[.data[].id]|sort|join(",")')
check "the default sort is newest first" jqe '[.data[].created_at] as $c | $c == ($c|sort|reverse)'

api GET "/api/v1/clients?stage=active"
expect_jq '.data|length' 4 "stage=active finds the four active clients"
check "every row matches the filter" jqe 'all(.data[]; .stage == "active")'
api GET "/api/v1/clients?stage=lead&sort=name"
expect_jq '[.data[].name]|join(",")' "Acme Studio,Pager 01,Pager 07,Pager 12" "filter plus sort=name"
api GET "/api/v1/clients?sort=name&limit=500"
check "sort=name is ascending" jqe '[.data[].name] as $n | $n == ($n|sort)'
api GET "/api/v1/clients?sort=-name&limit=500"
check "sort=-name is descending" jqe '[.data[].name] as $n | $n == ($n|sort|reverse)'
expect_jq '.data[0].name' "Pager 12" "sort=-name starts with the last name"
api GET "/api/v1/clients?tags=vip"
expect_jq '[.data[].id]|join(",")' "$CID" "tags=vip finds the tagged client only"
api GET "/api/v1/clients?limit=3"
expect_jq '.data|length' 3 "limit=3 returns three"
check "limit=3 of 13 gives a next_cursor" jqe '(.next_cursor|type) == "string" and (.next_cursor|length) > 0'

walk() { # walk QUERY : pages with limit=4, sets WALK_IDS (one per line) and PAGES
	local cursor= n=0
	WALK_IDS=
	PAGES=0
	while [ $n -lt 20 ]; do
		n=$((n + 1))
		api GET "/api/v1/clients?limit=4&$1${cursor:+&cursor=$(urlencode "$cursor")}"
		[ "$STATUS" = 200 ] || { fail_http "page $n of walk '$1'"; return; }
		PAGES=$n
		check "page $n of walk '$1' has at most 4 rows" jqe '(.data|length) <= 4'
		WALK_IDS+=$(jqr '.data[].id')$'\n'
		cursor=$(jqr '.next_cursor // empty')
		[ -n "$cursor" ] || return
	done
}
for q in sort=name sort=-name sort=-created_at sort=updated_at sort=started_at sort=-started_at "stage=active&sort=name"; do
	walk "$q"
	got=$(printf '%s' "$WALK_IDS" | grep -c .)
	uniq=$(printf '%s' "$WALK_IDS" | grep . | sort -u | grep -c .)
	want=$TOTAL; [ "$q" = "stage=active&sort=name" ] && want=4
	check "cursor walk '$q': $want rows in $PAGES pages" test "$got" = "$want"
	check "cursor walk '$q': no duplicates" test "$uniq" = "$got"
	[ "$q" = "stage=active&sort=name" ] ||
		check "cursor walk '$q': exactly the full set" test "$(printf '%s' "$WALK_IDS" | grep . | sort | paste -sd,)" = "$ALL_IDS"
done

# ---- full-text search
api GET "/api/v1/clients?q=Acme"
expect_jq '[.data[].id]|join(",")' "$CID" "clients?q=Acme finds the client"
api GET "/api/v1/clients?q=acm"
expect_jq '[.data[].id]|join(",")' "$CID" "q is a case-insensitive prefix match"
api GET "/api/v1/clients?q=nothingmatchesthis"
expect_jq '.data|length' 0 "q with no match is an empty list"
api GET "/api/v1/interactions?q=zanzibar"
expect_jq '[.data[].id]|join(",")' "$CALL" "interactions?q= finds a word from a summary by prefix"
api GET "/api/v1/interactions?q=roadm%20worksh"
expect_jq '[.data[].id]|join(",")' "$MEET" "q with two word prefixes finds the meeting"
api GET "/api/v1/interactions?q=roadmap%20zanzibarian"
expect_jq '.data|length' 0 "every word of q must match"
api GET "/api/v1/search?q=zanzibarian"
expect_status 200 "GET /api/v1/search"
check "search finds the interaction by a summary word" jqe --arg i "$CALL" 'any(.data[]; .type == "interaction" and .id == $i)'
check "search hits carry type, id, title, snippet" jqe 'all(.data[]; (.type|type) == "string" and (.id|type) == "string" and has("title") and has("snippet"))'
api GET "/api/v1/search?q=lovelace"
check "search finds the contact by last name" jqe --arg i "$ADA" 'any(.data[]; .type == "contact" and .id == $i)'
api GET "/api/v1/search?q=acme&limit=1"
expect_jq '.data|length' 1 "search honours limit"

# ---- PATCH with versions
create clients "$(jq -nc --arg r "$CID" '{name:"Referred Co",referred_by_id:$r}')" "a client referred by Acme"
REF=$ID
api PATCH "/api/v1/clients/$CID" '{"version":1,"stage":"active"}'
expect_status 200 "PATCH with the current version"
expect_jq '[.version,.stage,.name]|join("|")' "2|active|Acme Studio" "version+1, field changed, others kept"
check "moving to active sets started_at" jqe '.started_at != null'
check "updated_at is not before created_at" jqe '.updated_at >= .created_at'
api PATCH "/api/v1/clients/$CID" '{"version":1,"name":"Hijacked"}'
expect_error 409 version_conflict - "PATCH with a stale version is 409 version_conflict"
api GET "/api/v1/clients/$CID"
expect_jq '[.version,.name]|join("|")' "2|Acme Studio" "the stale PATCH changed nothing"
api PATCH "/api/v1/clients/$CID" '{"version":99,"name":"Future"}'
expect_error 409 version_conflict - "PATCH with a version from the future is 409 too"
api PATCH "/api/v1/clients/$CID" '{"name":"No Version"}'
expect_error 422 required version "PATCH without version is 422 required"
api PATCH "/api/v1/clients/$CID" "$(jq -nc --arg a "$ADA" '{version:2,point_of_contact_id:$a,ended_at:null}')"
expect_jq '[.version,.point_of_contact_id]|join("|")' "3|$ADA" "point_of_contact_id set to a contact"
api PATCH "/api/v1/clients/$CID" '{"version":3,"email":null}'
expect_jq '[.version,(.email|tostring)]|join("|")' "4|null" "PATCH can clear an optional field with null"
api PATCH "/api/v1/clients/$CID" '{"version":4,"stage":"past"}'
expect_jq '[.version,.stage]|join("|")' "5|past" "PATCH stage to past"
check "leaving active sets ended_at and keeps started_at" jqe '.ended_at != null and .started_at != null'
api PATCH "/api/v1/interactions/$MEET" '{"version":1,"summary":"Quarterly roadmap workshop, follow-up booked."}'
expect_jq '[.version,.summary]|join("|")' "2|Quarterly roadmap workshop, follow-up booked." "PATCH an interaction summary"

create clients '{"name":"Offset Ltd","started_at":"2026-01-01T10:00:00+02:00"}' "a time with a UTC offset is accepted"
expect_jq .started_at "2026-01-01T08:00:00Z" "... and returned in UTC"
api DELETE "/api/v1/clients/$ID"

# ---- deleting a contact clears the optional references to it
api DELETE "/api/v1/contacts/$ADA"
expect_status 204 "DELETE a contact"
api GET "/api/v1/clients/$CID"
expect_jq '.point_of_contact_id' null "the client's point_of_contact_id was cleared"
api GET "/api/v1/interactions/$CALL"
expect_jq '[(.contact_id|tostring),.summary]|join("|")' "null|Agreed the zanzibarian rollout plan and weekly updates." "the call stays, its contact_id cleared"

# ---- concurrent writers: every create lands once
PIDS=()
for i in $(seq 1 20); do
	curl -s -o /dev/null -w '%{http_code}\n' --max-time "$CURL_TIMEOUT" -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' --data-binary "{\"name\":\"Parallel $i\"}" "$BASE/api/v1/clients" >>"$TMP/par" &
	PIDS+=($!)
done
wait "${PIDS[@]}" # not a bare wait: the server is a background job too
check "20 parallel creates all answer 201" test "$(grep -c '^201$' "$TMP/par")" = 20
api GET "/api/v1/clients?q=parallel&limit=500"
expect_jq '[.data[].name]|unique|length' 20 "the 20 parallel clients exist once each"
for id in $(jqr '.data[].id'); do api DELETE "/api/v1/clients/$id"; [ "$STATUS" = 204 ] || fail_http "delete $id"; done

# ---- delete
api DELETE "/api/v1/clients/$CID"
expect_status 204 "DELETE /api/v1/clients/ID is 204"
check "204 has an empty body" test -z "$BODY"
check "204 carries no Content-Length (RFC 9110)" test -z "$(header Content-Length)"
api GET "/api/v1/clients/$CID"
expect_error 404 not_found - "the deleted client is 404"
check "an answer says its Content-Length, not chunks" test "$(header Content-Length)" = "$(printf '%s' "$BODY" | wc -c)"
check "an answer is not chunked" test -z "$(header Transfer-Encoding)"
for pair in "contacts/$ADA" "contacts/$GRACE" "interactions/$CALL" "interactions/$MEET"; do
	api GET "/api/v1/$pair"
	expect_error 404 not_found - "the client's ${pair%%/*} went with it (${pair#*/})"
done
api GET "/api/v1/interactions?q=zanzibar"
expect_jq '.data|length' 0 "the deleted interaction is gone from q="
api GET "/api/v1/search?q=zanzibarian"
expect_jq '.data|length' 0 "the deleted interaction is gone from /search"
api GET "/api/v1/clients/$REF"
expect_jq '.referred_by_id' null "the optional reference to it was cleared"
expect_jq '.version' 2 "clearing the reference counts as a change (version 2)"
api DELETE "/api/v1/clients/$CID"
expect_error 404 not_found - "deleting it again is 404"
expect_count clients $TOTAL "the other $TOTAL clients remain"

server_alive
