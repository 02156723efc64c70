#!/usr/bin/env bash
# t2450: behind a trusted reverse proxy, X-Forwarded-Proto https gives Secure cookies and
# X-Forwarded-For names the client the throttles see; from any other peer both are ignored.
# RAPPORT_PUBLIC_URL is checked at start and a cookie write or sign-in from another Origin is refused.
. "$(dirname "$0")/lib.sh"

init_db
RAPPORT_PUBLIC_URL='javascript:alert(1)' cli serve --db "$DB" --listen 127.0.0.1:1
check "serve refuses a RAPPORT_PUBLIC_URL that is not an http(s) address" test "$RC" != 0
check "... saying which setting is wrong" grep -q RAPPORT_PUBLIC_URL <<<"$ERR"
cli serve --db "$DB" --listen 127.0.0.1:1 --trusted-proxy 10.0.0.0/33
check "serve refuses a malformed --trusted-proxy network" test "$RC" != 0 -a -n "$(grep -i 'trusted' <<<"$ERR")"

export RAPPORT_PUBLIC_URL=https://crm.example.com/
SERVE_ARGS="--trusted-proxy 127.0.0.1/32,::1" serve_db
unset RAPPORT_PUBLIC_URL
BODY_LOGIN=$(jq -nc --arg e "$ADMIN_EMAIL" --arg p "$ADMIN_PASSWORD" '{email:$e,password:$p}')

# ---- the proxy says https: the cookie is Secure
TOKEN= api POST /api/v1/login "$BODY_LOGIN" -H 'X-Forwarded-Proto: https'
expect_status 200 "sign-in through the trusted proxy"
check "behind https the session cookie is Secure" grep -qi 'rapport_session=.*; Secure' <<<"$(header set-cookie)"
TOKEN= api POST /api/v1/login "$BODY_LOGIN"
check "over plain http it is not" bash -c '! grep -qi "secure" <<<"$1"' _ "$(header set-cookie)"

# ---- an untrusted peer (127.0.0.2) cannot claim https or another address
TOKEN= api POST /api/v1/login "$BODY_LOGIN" --interface 127.0.0.2 -H 'X-Forwarded-Proto: https'
expect_status 200 "sign-in from an untrusted peer"
check "its X-Forwarded-Proto is ignored: no Secure" bash -c '! grep -qi "secure" <<<"$1"' _ "$(header set-cookie)"
TOKEN= api POST /api/v1/login '{"email":"who@example.com","password":"wrong-horse-1"}' --interface 127.0.0.2 -H 'X-Forwarded-For: 203.0.113.9'
check "its X-Forwarded-For is ignored: the log names the real peer" grep -q 'sign-in failed: who@example.com from 127.0.0.2' "$TMP/server.log"
TOKEN= api POST /api/v1/login '{"email":"via@example.com","password":"wrong-horse-1"}' -H 'X-Forwarded-For: 203.0.113.7, 10.9.9.9'
check "through the trusted proxy the client is the nearest untrusted hop" grep -q 'sign-in failed: via@example.com from 10.9.9.9' "$TMP/server.log"

# ---- Origin against RAPPORT_PUBLIC_URL
TOKEN= api POST /api/v1/login "$BODY_LOGIN" -H 'Origin: https://evil.example'
expect_error 403 forbidden - "a sign-in posted from another site is refused"
TOKEN= api POST /api/v1/login "$BODY_LOGIN" -H 'Origin: https://crm.example.com'
expect_status 200 "a sign-in from the public URL's origin is fine"
SID=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
TOKEN= COOKIE=$SID api POST /api/v1/clients '{"name":"Cross Site"}' -H 'Origin: https://evil.example'
expect_error 403 forbidden - "a cookie write from another origin is refused"
TOKEN= COOKIE=$SID api POST /api/v1/clients '{"name":"Same Site"}' -H 'Origin: https://crm.example.com'
expect_status 201 "a cookie write from the public origin works"
TOKEN=$OWNER_TOKEN api POST /api/v1/clients '{"name":"Script"}' -H 'Origin: https://evil.example'
expect_status 201 "a token is not a cookie: the Origin check is for browsers' ambient credentials"
