#!/usr/bin/env bash
# t2460: a password change ends the user's other sessions (the one that made the change stays); API
# tokens may expire, and carry when they were last used, written off the request path at most hourly.
. "$(dirname "$0")/lib.sh"

start_server
OWNER=$OWNER_TOKEN
create users '{"email":"mia@example.com","role":"member","password":"member-horse-battery-3"}' "a member"
MIA=$ID
create users '{"email":"ada@example.com","role":"admin","password":"admin-horse-battery-5"}' "an admin"
ADA=$ID
S1=$(login mia@example.com member-horse-battery-3)
S2=$(login mia@example.com member-horse-battery-3)
check "the member has two sessions" test -n "$S1" -a -n "$S2"
MIA_TOKEN=$(new_token mia@example.com mia-script)

api PATCH "/api/v1/users/$MIA" '{"version":1,"password":"member-new-battery-4"}'
expect_status 200 "the owner sets the member a new password"
for s in "$S1" "$S2"; do
	TOKEN= COOKIE=$s api GET /api/v1/me
	expect_error 401 unauthorized - "a session from before the change has ended"
done
S3=$(login mia@example.com member-new-battery-4)
TOKEN= COOKIE=$S3 api GET /api/v1/me
expect_status 200 "the new password signs in"
TOKEN=$MIA_TOKEN api GET /api/v1/me
expect_status 200 "API tokens are not sessions: they stay until revoked or expired"

# the admin changes their own password from one of two sessions
A1=$(login ada@example.com admin-horse-battery-5)
A2=$(login ada@example.com admin-horse-battery-5)
TOKEN= COOKIE=$A1 api PATCH "/api/v1/users/$ADA" '{"version":1,"password":"admin-new-battery-6"}'
expect_status 200 "the admin changes their own password, signed in by cookie"
TOKEN= COOKIE=$A1 api GET /api/v1/me
expect_status 200 "the session that made the change goes on"
TOKEN= COOKIE=$A2 api GET /api/v1/me
expect_error 401 unauthorized - "the admin's other session has ended"

# ---- token expiry
TOKEN=$OWNER
api POST /api/v1/tokens '{"name":"past","expires_at":"2020-01-01T00:00:00Z"}'
expect_error 422 invalid_value expires_at "a token cannot expire in the past"
soon=$(date -u -d '+3 seconds' +%Y-%m-%dT%H:%M:%SZ)
api POST /api/v1/tokens "{\"name\":\"brief\",\"expires_at\":\"$soon\"}"
expect_status 201 "a token with an expiry"
BRIEF=$(jqr .token) BRIEF_ID=$(jqr .id)
expect_jq .expires_at "$soon" "the token shows its expiry"
expect_jq .last_used_at null "a new token was never used"
TOKEN=$BRIEF api GET /api/v1/me
expect_status 200 "before its expiry the token works"
sleep 4
TOKEN=$BRIEF api GET /api/v1/me
expect_error 401 unauthorized - "after its expiry the token is refused"

cli token create --db "$DB" --user "$ADMIN_EMAIL" --expires 2020-01-01T00:00:00Z
check "the CLI refuses a past expiry too" test "$RC" = 5
LATER=$(timeout "$CLI_TIMEOUT" "$RAPPORT_BIN" token create --db "$DB" --user "$ADMIN_EMAIL" --expires 2099-01-01T00:00:00Z 2>/dev/null)
TOKEN=$LATER api GET /api/v1/tokens
expect_jq '[.data[] | select(.expires_at == "2099-01-01T00:00:00Z")] | length' 1 "rapport token create --expires sets the expiry"

# ---- last use, written by the background worker, at most hourly
api POST /api/v1/tokens '{"name":"watched"}'
W=$(jqr .token) WID=$(jqr .id)
TOKEN=$W api GET /api/v1/clients
used=
for i in $(seq 1 30); do
	api GET "/api/v1/tokens/$WID"
	used=$(jqr '.last_used_at // empty')
	[ -n "$used" ] && break
	sleep 0.2
done
check "a use is recorded soon after, off the request path ($used)" test -n "$used"
V=$(jqr .version)
sleep 1.1
TOKEN=$W api GET /api/v1/clients
sleep 1.5
api GET "/api/v1/tokens/$WID"
expect_jq .last_used_at "$used" "a second use within the hour writes nothing"
expect_jq .version "$V" "recording a use is not an edit of the token (its version stays)"
