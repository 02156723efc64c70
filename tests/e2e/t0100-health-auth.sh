#!/usr/bin/env bash
# t0100: /healthz is public; everything else needs a valid token or session;
# login sets a safe cookie, logout ends it; revoked tokens stop working at once.
. "$(dirname "$0")/lib.sh"

start_server

# ---- health and the 401 wall
TOKEN=
api GET /healthz
expect_status 200 "GET /healthz answers without auth"
want=$("$RAPPORT_BIN" version --json | jq -r .version)
expect_jq .version "$want" "/healthz names the same build as rapport version"

api GET /api/v1/me
expect_error 401 unauthorized - "GET /api/v1/me without a token is 401 unauthorized"
api GET /api/v1/clients
expect_error 401 unauthorized - "GET /api/v1/clients without a token is 401"
api POST /api/v1/clients '{"name":"Sneaky"}'
expect_error 401 unauthorized - "POST /api/v1/clients without a token is 401"
api GET /api/v1/nonexistent-route
expect_status 401 "an unknown route without auth is 401, not a route probe"

TOKEN=not-a-real-token
api GET /api/v1/me
expect_error 401 unauthorized - "a bad bearer token is 401"
TOKEN="${OWNER_TOKEN}x"
api GET /api/v1/me
expect_error 401 unauthorized - "the owner token with one extra char is 401"
TOKEN=
api GET /api/v1/me "" -H "Authorization: Basic $(printf 'admin@example.com:%s' "$ADMIN_PASSWORD" | base64 -w0)"
expect_status 401 "HTTP Basic auth is not accepted"
api GET /api/v1/me "" -H "Authorization: Bearer"
expect_status 401 "an empty Bearer is 401"

# ---- tokens
check "token create prints exactly one token and nothing else" \
	test "$(printf '%s\n' "$OWNER_TOKEN" | wc -l)" = 1 -a -n "$OWNER_TOKEN" -a "${OWNER_TOKEN//[[:space:]]/}" = "$OWNER_TOKEN"

TOKEN=$OWNER_TOKEN
api GET /api/v1/me
expect_status 200 "GET /api/v1/me with the owner token"
check "/me names the calling user" jqe '[.. | objects | .email? | strings] | index("admin@example.com") != null'
check "/me never returns a password or hash" jqe '[.. | objects | keys[] | select(test("password"))] | length == 0'
check "/me does not echo the token" test "${BODY/$OWNER_TOKEN/}" = "$BODY"

# ---- login / cookie / logout
TOKEN=
api POST /api/v1/login "$(jq -nc --arg p "$ADMIN_PASSWORD" '{email:"admin@example.com",password:$p}')" -c "$TMP/jar"
check "login with the right password succeeds (2xx)" test "${STATUS:0:1}" = 2
SETCOOKIE=$(header set-cookie | grep -i '^rapport_session=' | head -n 1)
check "login sets the rapport_session cookie" test -n "$SETCOOKIE"
check "the session cookie is HttpOnly" grep -qi '; *HttpOnly' <<<"$SETCOOKIE"
check "the session cookie is SameSite=Strict" grep -qi '; *SameSite=Strict' <<<"$SETCOOKIE"
SESSION=${SETCOOKIE%%;*}; SESSION=${SESSION#*=}
check "the session value is not empty" test -n "$SESSION"
check "login does not return a password" jqe '[.. | objects | keys[] | select(test("password"))] | length == 0'

api GET /api/v1/me "" -H "Cookie: rapport_session=$SESSION"
expect_status 200 "the session cookie authenticates GET /api/v1/me"
check "the cookie session is the admin" jqe '[.. | objects | .email? | strings] | index("admin@example.com") != null'

api POST /api/v1/clients '{"name":"Cookie Client"}' -H "Cookie: rapport_session=$SESSION"
expect_status 201 "a cookie-authenticated JSON POST creates a record"

api POST /api/v1/clients "" -H "Cookie: rapport_session=$SESSION" --data-binary 'name=Forged'
check "a cookie-authenticated form POST (CSRF shape) is refused with 4xx" test "${STATUS:0:1}" = 4
api POST /api/v1/clients "" -H "Cookie: rapport_session=$SESSION" -H 'Content-Type: text/plain' --data-binary '{"name":"Forged"}'
check "a cookie-authenticated text/plain POST is refused with 4xx" test "${STATUS:0:1}" = 4
TOKEN=$OWNER_TOKEN
api GET "/api/v1/clients?q=Forged"
expect_jq '.data | length' 0 "no forged client was created"
api GET "/api/v1/clients?q=Cookie"
VICTIM=$(jqr '.data[0].id // empty')
TOKEN=
api DELETE "/api/v1/clients/$VICTIM" "" -H "Cookie: rapport_session=$SESSION"
check "a cookie-authenticated DELETE without application/json is refused (4xx)" test "${STATUS:0:1}" = 4
api GET "/api/v1/clients/$VICTIM" "" -H "Cookie: rapport_session=$SESSION"
expect_status 200 "... and the record is still there"

api POST /api/v1/logout '{}' -H "Cookie: rapport_session=$SESSION"
check "logout succeeds (2xx)" test "${STATUS:0:1}" = 2
api GET /api/v1/me "" -H "Cookie: rapport_session=$SESSION"
expect_error 401 unauthorized - "the old session cookie is 401 after logout"

api POST /api/v1/login "$(jq -nc '{email:"admin@example.com",password:"wrong-password"}')"
expect_error 401 unauthorized - "login with a wrong password is 401"
check "a failed login sets no session cookie" test -z "$(header set-cookie | grep -i '^rapport_session=[^;]')"
api POST /api/v1/login "$(jq -nc --arg p "$ADMIN_PASSWORD" '{email:"nobody@example.com",password:$p}')"
expect_error 401 unauthorized - "login with an unknown email is 401"
api POST /api/v1/login '{"email":"admin@example.com"}'
check "login without a password is 4xx" test "${STATUS:0:1}" = 4
api GET /api/v1/me "" -H "Cookie: rapport_session=forged-session-value"
expect_error 401 unauthorized - "a forged session cookie is 401"

# ---- revoke via the CLI
T2=$(new_token "$ADMIN_EMAIL" cli-revoke)
check "a second token can be created with --name" test -n "$T2"
TOKEN=$T2
api GET /api/v1/me
expect_status 200 "the second token works"
TOKEN=$OWNER_TOKEN
api GET "/api/v1/tokens?limit=500"
expect_status 200 "owner lists tokens"
check "the token list never contains a token secret" test "${BODY/$T2/}" = "$BODY"
T2_ID=$(jqr '[.data[] | select(.name == "cli-revoke") | .id] | first // empty')
check "the token list has the named token with an id" test -n "$T2_ID"

cli token revoke "$T2_ID" --db "$DB"
expect_rc 0 "rapport token revoke ID --db succeeds"
TOKEN=$T2
api GET /api/v1/me
expect_error 401 unauthorized - "a token revoked by the CLI is 401 at once"
cli token revoke "no-such-token-id" --db "$DB"
expect_rc 3 "revoking an unknown token id exits 3 (not found)"

# ---- revoke via DELETE
T3=$(new_token "$ADMIN_EMAIL" http-revoke)
TOKEN=$T3
api GET /api/v1/me
expect_status 200 "the third token works"
TOKEN=$OWNER_TOKEN
api GET "/api/v1/tokens?limit=500"
T3_ID=$(jqr '[.data[] | select(.name == "http-revoke") | .id] | first // empty')
check "the third token is listed" test -n "$T3_ID"
api DELETE "/api/v1/tokens/$T3_ID"
expect_status 204 "DELETE /api/v1/tokens/ID is 204"
TOKEN=$T3
api GET /api/v1/me
expect_error 401 unauthorized - "a token revoked over HTTP is 401 at once"
api GET /api/v1/clients
expect_error 401 unauthorized - "the revoked token cannot list clients either"
TOKEN=$OWNER_TOKEN
api GET /api/v1/me
expect_status 200 "the owner token still works after revoking others"
api DELETE "/api/v1/tokens/$T3_ID"
expect_error 404 not_found - "revoking the same token twice is 404"

# ---- POST /api/v1/tokens shows the secret once
api POST /api/v1/tokens '{"name":"via-http"}'
expect_status 201 "POST /api/v1/tokens creates a token"
T4=$(jqr '[.. | strings | select(startswith("rpt_"))] | first // empty')
[ -n "$T4" ] || T4=$(jqr '.token // .secret // empty')
check "the new secret is in the response" test -n "$T4"
T4_ID=$(jqr .id)
TOKEN=$T4
api GET /api/v1/me
expect_status 200 "the HTTP-created token works"
TOKEN=$OWNER_TOKEN
api GET "/api/v1/tokens/$T4_ID"
check "GET of the token does not show its secret again" test -n "$T4" -a "${BODY/$T4/}" = "$BODY"

server_alive "the auth checks"
