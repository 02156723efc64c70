#!/usr/bin/env bash
# t0500: roles gate writes (viewer reads only, member cannot manage users,
# only the owner edits the workspace); workspaces are fully isolated; the
# audit log records who changed what, with before and after.
. "$(dirname "$0")/lib.sh"

start_server
OWNER=$OWNER_TOKEN
api GET /api/v1/me
OWNER_ID=$(user_id_of "$ADMIN_EMAIL")
MEMBER_PW='member-horse-battery-3'

# ---- users
create users "$(jq -nc --arg p "$MEMBER_PW" '{email:"member@example.com",name:"Mia Member",role:"member",password:$p}')" "owner creates a member"
MEMBER_ID=$ID
expect_jq '[.email,.name,.role]|join("|")' "member@example.com|Mia Member|member" "the user echoes email, name, role"
check "the password is never returned" jqe '[.. | objects | keys[] | select(test("password"))] | length == 0'
check "the password value is nowhere in the response" test "${BODY/$MEMBER_PW/}" = "$BODY"
create users '{"email":"viewer@example.com","name":"Vic Viewer","role":"viewer","password":"viewer-horse-battery-4"}' "owner creates a viewer"
VIEWER_ID=$ID
create users '{"email":"boss@example.com","name":"Ada Admin","role":"admin","password":"admin-horse-battery-5"}' "owner creates an admin"
api POST /api/v1/users '{"email":"member@example.com","role":"viewer","password":"another-horse-6"}'
expect_error 409 conflict email "a taken email is 409 conflict"
api POST /api/v1/users '{"email":"x@example.com","role":"emperor","password":"another-horse-6"}'
expect_error 422 invalid_value role "a bad role is 422 invalid_value"
api GET "/api/v1/users/$MEMBER_ID"
check "GET a user never returns the password" jqe '[.. | objects | keys[] | select(test("password"))] | length == 0'

MEMBER=$(new_token member@example.com member-tok)
ADMIN=$(new_token boss@example.com admin-tok)
check "CLI tokens for the member and the admin" test -n "$MEMBER" -a -n "$ADMIN"
# Every role may own API tokens (a read-only reporting script runs as a viewer); a token only ever
# carries its owner's role.
VIEWER_TOKEN=$(new_token viewer@example.com viewer-tok)
check "a viewer can own an API token" test -n "$VIEWER_TOKEN"
TOKEN=$VIEWER_TOKEN
api GET /api/v1/clients
expect_status 200 "the viewer's token reads"
api POST /api/v1/clients '{"name":"Viewer Token Made"}'
expect_error 403 forbidden - "the viewer's token cannot write"
TOKEN=$OWNER
VIEWER=$(login viewer@example.com viewer-horse-battery-4)
check "the viewer signs in with a session cookie" test -n "$VIEWER"

create clients '{"name":"Shared Client","stage":"active"}' "owner creates a client"
CID=$ID

# ---- viewer (session cookie)
TOKEN= COOKIE=$VIEWER
api GET /api/v1/clients
expect_jq '[.data[].id]|join(",")' "$CID" "viewer lists clients"
api GET "/api/v1/clients/$CID"
expect_status 200 "viewer reads a client"
api POST /api/v1/clients '{"name":"Viewer Made"}'
expect_error 403 forbidden - "viewer POST is 403 forbidden"
api PATCH "/api/v1/clients/$CID" '{"version":1,"name":"Viewer Edit"}'
expect_error 403 forbidden - "viewer PATCH is 403"
api DELETE "/api/v1/clients/$CID"
expect_error 403 forbidden - "viewer DELETE is 403"
api POST /api/v1/contacts "$(jq -nc --arg c "$CID" '{client_id:$c,first_name:"V"}')"
expect_error 403 forbidden - "viewer cannot add contacts"
api POST /api/v1/interactions "$(jq -nc --arg c "$CID" '{client_id:$c,type:"note",summary:"v"}')"
expect_error 403 forbidden - "viewer cannot log interactions"
api PATCH "/api/v1/users/$VIEWER_ID" '{"version":1,"role":"owner"}'
expect_error 403 forbidden - "viewer cannot promote itself"
api POST /api/v1/tokens "$(jq -nc --arg u "$OWNER_ID" '{name:"steal",user_id:$u}')"
expect_error 403 forbidden - "viewer cannot create a token for another user"
api GET /api/v1/tokens
check "viewer sees only its own tokens" jqe --arg v "$VIEWER_ID" '[.data[].user_id] | all(. == $v)' 
COOKIE= TOKEN=$OWNER
api GET "/api/v1/clients/$CID"
expect_jq '[.name,.version]|join("|")' "Shared Client|1" "the viewer changed nothing"
expect_count clients 1 "the viewer created nothing"

# ---- member
TOKEN=$MEMBER
create clients '{"name":"Member Made","stage":"lead"}' "member creates a client"
MCID=$ID
api PATCH "/api/v1/clients/$CID" '{"version":1,"stage":"past"}'
expect_status 200 "member edits a client"
api POST /api/v1/users '{"email":"eve@example.com","role":"member","password":"eve-horse-battery-7"}'
expect_error 403 forbidden - "member cannot create users"
api PATCH "/api/v1/users/$MEMBER_ID" '{"version":1,"role":"admin"}'
expect_error 403 forbidden - "member cannot promote itself"
api DELETE "/api/v1/users/$VIEWER_ID"
expect_error 403 forbidden - "member cannot delete users"
api GET "/api/v1/tokens?limit=500"
check "member sees its own token and no one else's" jqe '[.data[].name] == ["member-tok"]'
TOKEN=$ADMIN
api GET "/api/v1/tokens?limit=500"
check "admin sees every token in the workspace" jqe '[.data[].name | select(. == "member-tok" or . == "admin-tok")] | length == 2'
ADMIN_TOKEN_ID=$(jqr '[.data[] | select(.name == "admin-tok") | .id] | first // empty')
TOKEN=$MEMBER
api DELETE "/api/v1/tokens/$ADMIN_TOKEN_ID"
check "member cannot revoke another user's token (403 or 404)" test "$STATUS" = 403 -o "$STATUS" = 404
TOKEN=$ADMIN
api GET /api/v1/me
expect_status 200 "the admin token still works"
api GET /api/v1/workspaces
WS1=$(jqr '.data[0].id // empty')
check "GET /api/v1/workspaces lists exactly our own" jqe '(.data|length) == 1'
WS1_VERSION=$(jqr '.data[0].version')
api PATCH "/api/v1/workspaces/$WS1" "$(jq -nc --argjson v "${WS1_VERSION:-1}" '{version:$v,name:"Admin Renamed"}')"
expect_error 403 forbidden - "admin cannot edit the workspace record"
create users '{"email":"newbie@example.com","role":"member","password":"newbie-horse-battery-8"}' "admin creates a user"
NEWBIE_ID=$ID
NEWBIE=$(new_token newbie@example.com)
create clients "$(jq -nc --arg u "$NEWBIE_ID" '{name:"Owned Client",owner_id:$u}')" "a client owned by the new user"
OWNED=$ID
api DELETE "/api/v1/users/$NEWBIE_ID"
expect_status 204 "admin deletes the user"
TOKEN=$NEWBIE
api GET /api/v1/me
expect_error 401 unauthorized - "a deleted user's token is 401 at once"
TOKEN=$ADMIN
api GET "/api/v1/clients/$OWNED"
expect_jq '.owner_id' null "the deleted user's clients lose their owner_id"
api DELETE "/api/v1/clients/$OWNED"
TOKEN=$OWNER
api PATCH "/api/v1/workspaces/$WS1" "$(jq -nc --argjson v "${WS1_VERSION:-1}" '{version:$v,name:"Studio One"}')"
expect_status 200 "owner edits the workspace record"
expect_jq .name "Studio One" "the workspace was renamed"
TOKEN=$MEMBER
api DELETE "/api/v1/clients/$MCID"
expect_status 204 "member deletes a client"

# ---- second workspace
cli workspace add --db "$DB" --name "Second Shop" --owner-email boss2@example.com
expect_rc 0 "rapport workspace add"
WS2=$(new_token boss2@example.com)
check "a token for the second owner" test -n "$WS2"
TOKEN=$OWNER
create contacts "$(jq -nc --arg c "$CID" '{client_id:$c,first_name:"Ada",last_name:"Quokkaberg"}')" "ws1 contact"
W1CONTACT=$ID

TOKEN=$WS2
api GET /api/v1/clients
expect_status 200 "ws2 lists clients"
expect_jq '.data|length' 0 "ws2 sees none of ws1's clients"
api GET /api/v1/contacts
expect_jq '.data|length' 0 "ws2 sees none of ws1's contacts"
api GET "/api/v1/users?limit=500"
expect_jq '[.data[].email]|join(",")' "boss2@example.com" "ws2 sees only its own user"
api GET "/api/v1/tokens?limit=500"
check "ws2 sees none of ws1's tokens" jqe --arg t "$ADMIN_TOKEN_ID" '(.data|length) == 1 and all(.data[]; .id != $t and .name != "member-tok" and .name != "admin-tok")'
api GET /api/v1/workspaces
check "ws2 sees only its own workspace" jqe --arg w "$WS1" '(.data|length) == 1 and .data[0].id != $w'
api GET "/api/v1/workspaces/$WS1"
expect_error 404 not_found - "GET ws1's workspace from ws2 is 404"
api GET "/api/v1/clients/$CID"
expect_error 404 not_found - "GET ws1's client from ws2 is 404"
api PATCH "/api/v1/clients/$CID" '{"version":2,"name":"Stolen"}'
expect_error 404 not_found - "PATCH ws1's client from ws2 is 404"
api DELETE "/api/v1/clients/$CID"
expect_error 404 not_found - "DELETE ws1's client from ws2 is 404"
api GET "/api/v1/contacts/$W1CONTACT"
expect_error 404 not_found - "GET ws1's contact from ws2 is 404"
api GET "/api/v1/users/$MEMBER_ID"
expect_error 404 not_found - "GET ws1's user from ws2 is 404"
api DELETE "/api/v1/tokens/$ADMIN_TOKEN_ID"
expect_error 404 not_found - "revoking ws1's token from ws2 is 404"
api POST /api/v1/contacts "$(jq -nc --arg c "$CID" '{client_id:$c,first_name:"Spy"}')"
expect_error 422 invalid_reference client_id "a ws2 contact of a ws1 client is 422 invalid_reference"
api POST /api/v1/clients "$(jq -nc --arg c "$CID" '{name:"Spy Co",referred_by_id:$c}')"
expect_error 422 invalid_reference referred_by_id "referring to a ws1 client is 422"
api POST /api/v1/clients "$(jq -nc --arg u "$OWNER_ID" '{name:"Spy Co",owner_id:$u}')"
expect_error 422 invalid_reference owner_id "owner_id of a ws1 user is 422"
api GET "/api/v1/search?q=quokkaberg"
expect_jq '.data|length' 0 "ws2 search finds nothing of ws1"
api GET "/api/v1/clients?q=shared"
expect_jq '.data|length' 0 "ws2 q= finds nothing of ws1"
create clients '{"name":"Second Client"}' "ws2 creates its own client"
W2CID=$ID
create contacts "$(jq -nc --arg c "$W2CID" '{client_id:$c,first_name:"Local"}')" "ws2 creates a contact of its client"
api PATCH "/api/v1/contacts/$ID" "$(jq -nc --arg c "$CID" '{version:1,client_id:$c}')"
expect_error 422 invalid_reference client_id "moving a ws2 contact onto a ws1 client is 422"
api GET "/api/v1/clients?referred_by_id=$CID"
expect_jq '.data|length' 0 "filtering ws2 by a ws1 id finds nothing"
TOKEN=$OWNER
api GET "/api/v1/clients/$W2CID"
expect_error 404 not_found - "ws1 cannot see ws2's client"
api GET "/api/v1/clients/$CID"
expect_jq '[.name,.version]|join("|")' "Shared Client|2" "ws1's client untouched by ws2"
TOKEN=$ADMIN
api GET "/api/v1/tokens?limit=500"
check "the admin's token survived ws2's revoke attempt" jqe --arg t "$ADMIN_TOKEN_ID" 'any(.data[]; .id == $t)'

# ---- audit
TOKEN=$OWNER
api GET "/api/v1/audit?limit=500"
expect_status 200 "owner reads the audit log"
AUDIT=$BODY
entries_for() { printf '%s' "$AUDIT" | jq -c --arg id "$1" '[.data[] | select([.. | strings] | index($id))]'; }
E=$(entries_for "$MCID")
BODY=$E
check "the member's client has at least a create and a delete entry" jqe 'length >= 2'
check "a create entry with after and no before" jqe 'any(.[]; ([.. | strings] | any(test("create"))) and .before == null and .after.name == "Member Made")'
check "a delete entry with before and no after" jqe 'any(.[]; ([.. | strings] | any(test("delete"))) and .before.name == "Member Made" and .after == null)'
check "the entries name the member (user id)" jqe --arg u "$MEMBER_ID" 'all(.[]; [.. | strings] | index($u))'
BODY=$(entries_for "$CID")
check "an update entry with before and after stage" jqe 'any(.[]; ([.. | strings] | any(test("update"))) and .before.stage == "active" and .after.stage == "past")'
check "the update names the member who made it" jqe --arg u "$MEMBER_ID" 'any(.[]; ([.. | strings] | any(test("update"))) and ([.. | strings] | index($u)))'
BODY=$AUDIT
check "the audit log never holds a password" test "${BODY/$MEMBER_PW/}" = "$BODY"
check "the audit log never holds a token" test "${BODY/$MEMBER/}" = "$BODY"
check "audit entries have no password or hash keys" jqe '[.. | objects | keys[] | select(test("password|hash"))] | length == 0'
check "audit entries carry their time" jqe 'all(.data[]; (.created_at // .at // .occurred_at // .time) | type == "string")'
TOKEN=$WS2
api GET "/api/v1/audit?limit=500"
expect_status 200 "ws2 reads its audit log"
check "ws2's audit has none of ws1's records" jqe --arg a "$CID" --arg b "$MCID" --arg u "$MEMBER_ID" '[.. | strings | select(. == $a or . == $b or . == $u)] | length == 0'
check "ws2's audit has its own client" jqe --arg c "$W2CID" '[.. | strings] | index($c) != null'
TOKEN=$OWNER
api DELETE "/api/v1/audit/$(printf '%s' "$AUDIT" | jq -r '.data[0].id')"
check "audit entries cannot be deleted (403, 404 or 405)" test "$STATUS" = 405 -o "$STATUS" = 403 -o "$STATUS" = 404
api GET "/api/v1/audit?limit=500"
check "the audit log did not shrink" jqe --argjson n "$(printf '%s' "$AUDIT" | jq '.data|length')" '(.data|length) >= $n'

server_alive
