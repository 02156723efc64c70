#!/usr/bin/env bash
# t2410: roles cannot climb. An admin cannot mint a token that acts as the owner; only an owner
# changes, deactivates or deletes an owner; no one removes, deactivates or demotes the last owner;
# every token creation is in the audit log.
. "$(dirname "$0")/lib.sh"

start_server
OWNER=$OWNER_TOKEN
api GET /api/v1/me
OWNER_ID=$(jqr .user.id)
create users '{"email":"boss@example.com","name":"Ada Admin","role":"admin","password":"admin-horse-battery-5"}' "owner creates an admin"
ADMIN_ID=$ID
create users '{"email":"mia@example.com","name":"Mia","role":"member","password":"member-horse-battery-3"}' "owner creates a member"
MEMBER_ID=$ID
ADMIN=$(new_token boss@example.com admin-tok)

# ---- tokens for someone else
TOKEN=$ADMIN
api POST /api/v1/tokens "$(jq -nc --arg u "$OWNER_ID" '{name:"steal",user_id:$u}')"
expect_error 403 forbidden user_id "an admin cannot create a token for the owner"
api POST /api/v1/tokens "$(jq -nc --arg u "$MEMBER_ID" '{name:"lend",user_id:$u}')"
expect_error 403 forbidden user_id "an admin cannot create a token for a member either"
api POST /api/v1/tokens '{"name":"mine"}'
expect_status 201 "an admin creates a token for themselves"
TOKEN=$OWNER
api POST /api/v1/tokens "$(jq -nc --arg u "$MEMBER_ID" '{name:"for mia",user_id:$u}')"
expect_status 201 "the owner creates a token for a member"
create users '{"email":"co@example.com","name":"Co Owner","role":"owner","password":"owner-horse-battery-7"}' "owner creates a second owner"
CO_ID=$ID
api POST /api/v1/tokens "$(jq -nc --arg u "$CO_ID" '{name:"for co",user_id:$u}')"
expect_error 403 forbidden user_id "not even an owner creates a token for another owner"
api GET '/api/v1/audit?entity=tokens&limit=100'
expect_jq '[.data[] | select(.action == "create")] | length' 4 "every token creation is audited (CLI and API)"

# ---- an admin against owners
TOKEN=$ADMIN
api DELETE "/api/v1/users/$CO_ID"
expect_error 403 forbidden - "an admin cannot delete an owner"
api PATCH "/api/v1/users/$CO_ID" '{"version":1,"active":false}'
expect_error 403 forbidden - "an admin cannot deactivate an owner"
api PATCH "/api/v1/users/$CO_ID" '{"version":1,"role":"member"}'
expect_error 403 forbidden - "an admin cannot demote an owner"
api DELETE "/api/v1/users/$MEMBER_ID"
expect_status 204 "an admin still deletes a member"

# ---- the last owner
TOKEN=$OWNER
api DELETE "/api/v1/users/$CO_ID"
expect_status 204 "an owner deletes another owner"
api GET "/api/v1/users/$OWNER_ID"
V=$(jqr .version)
api PATCH "/api/v1/users/$OWNER_ID" "{\"version\":$V,\"role\":\"admin\"}"
expect_error 409 conflict role "the last owner cannot demote themselves"
api PATCH "/api/v1/users/$OWNER_ID" "{\"version\":$V,\"active\":false}"
expect_error 409 conflict active "the last owner cannot deactivate themselves"
api DELETE "/api/v1/users/$OWNER_ID"
expect_error 409 conflict - "the last owner cannot be deleted"
api GET /api/v1/me
expect_jq .user.role owner "the workspace still has its owner"
api PATCH "/api/v1/users/$ADMIN_ID" '{"version":1,"role":"owner"}'
expect_status 200 "an owner promotes the admin"
api PATCH "/api/v1/users/$OWNER_ID" "{\"version\":$V,\"role\":\"admin\"}"
expect_status 200 "with another owner, an owner may step down"
