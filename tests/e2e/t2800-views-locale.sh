#!/usr/bin/env bash
# t2800: saved list views (migration 14) — each person's own, or shared with the workspace and then read
# by everyone but changed only by its owner (or an admin); and the workspace's locale, a language tag.
. "$(dirname "$0")/lib.sh"

start_server
OWNER=$OWNER_TOKEN
create users '{"email":"mia@example.com","role":"member","password":"member-horse-battery-3"}' "a member"
create users '{"email":"vic@example.com","role":"viewer","password":"viewer-horse-battery-4"}' "a viewer"
MIA=$(new_token mia@example.com mia) VIC=$(new_token vic@example.com vic)

TOKEN=$MIA
create views '{"entity":"clients","name":"Active EU","query":{"stage":"active","sort":"-name","columns":["name","stage"]}}' \
	"a member saves a view"
PRIVATE=$ID
expect_jq .shared false "a view is private unless shared"
expect_jq .query.sort -name "the query is kept as sent"
api GET /api/v1/me
ME=$(jqr '.user.id // .id')
api GET "/api/v1/views/$PRIVATE"
expect_jq .user_id "$ME" "the view belongs to who saved it"
create views '{"entity":"clients","name":"Leads","shared":true,"query":{"stage":"lead"}}' "a member shares a view"
SHARED=$ID
api POST /api/v1/views '{"entity":"clients","name":"Bad","query":["stage"]}'
expect_error 422 invalid_value query "a query that is not an object is refused, naming the field"
api POST /api/v1/views '{"entity":"nope","name":"Bad"}'
expect_error 422 invalid_value entity "a view of no list is refused"

TOKEN=$VIC
api GET /api/v1/views
expect_jq '[.data[].name] | sort | join(",")' "Leads" "another person lists the shared view, not the private one"
api GET "/api/v1/views/$PRIVATE"
expect_error 404 not_found id "a private view is nobody else's to read"
api GET "/api/v1/views/$SHARED"
expect_status 200 "a shared view reads by id"
api PATCH "/api/v1/views/$SHARED" '{"version":1,"name":"Mine now"}'
expect_error 403 forbidden user_id "a shared view is changed only by its owner"
api DELETE "/api/v1/views/$SHARED"
expect_error 403 forbidden user_id "nor deleted by another"
create views '{"entity":"clients","name":"Viewer view"}' "a viewer saves a view of their own"

TOKEN=$MIA
api PATCH "/api/v1/views/$SHARED" '{"version":1,"shared":false}'
expect_status 200 "the owner unshares it"
TOKEN=$VIC api GET "/api/v1/views/$SHARED"
expect_error 404 not_found id "an unshared view is private again"
TOKEN=$OWNER
api GET /api/v1/views
expect_jq '.data | length' 3 "an admin sees every view (to tidy up)"

# ---- the workspace's locale
TOKEN=$OWNER
api GET /api/v1/workspaces
WS=$(jqr '.data[0].id') V=$(jqr '.data[0].version')
expect_jq '.data[0].locale' null "a workspace has no locale until set (the browser's is used)"
api PATCH "/api/v1/workspaces/$WS" "{\"version\":$V,\"locale\":\"en GB\"}"
expect_error 422 invalid_value locale "a locale that is no language tag is refused"
api PATCH "/api/v1/workspaces/$WS" "{\"version\":$V,\"locale\":\"de-CH\"}"
expect_jq .locale de-CH "the owner sets the locale"
