#!/usr/bin/env bash
# t0520: access is decided in core, so the CLI (--as) refuses a viewer or a member exactly what the API
# refuses them, view by view: timeline, today, check-ins due, search, follow-up (read or recorded),
# onboarding, records, the audit log, users, tokens. Each case runs both ways and compares the API's
# status with the CLI's exit code (403 = 6, 404 = 3, 422 = 5, 2xx = 0), and both with what the table says.
. "$(dirname "$0")/lib.sh"

start_server
OWNER=$OWNER_TOKEN
create users '{"email":"mia@example.com","name":"Mia Member","role":"member","password":"member-horse-battery-3"}' "a member"
create users '{"email":"vic@example.com","name":"Vic Viewer","role":"viewer","password":"viewer-horse-battery-4"}' "a viewer"
MEMBER=$(new_token mia@example.com mia-tok)
VIEWER=$(new_token vic@example.com vic-tok)
check "tokens for the member and the viewer" test -n "$MEMBER" -a -n "$VIEWER"
create clients '{"name":"Quokka Works","stage":"active","cadence":"weekly"}' "a client"
CID=$ID
create interactions "$(jq -nc --arg c "$CID" '{client_id:$c,type:"call",direction:"outbound",subject:"Kick-off"}')" "a call without a summary"
BARE=$ID
create interactions "$(jq -nc --arg c "$CID" '{client_id:$c,type:"meeting",summary:"Scope agreed for the quokka site."}')" "a meeting with one"
MEET=$ID
api GET "/api/v1/onboarding-templates?limit=5"
TPL=$(jqr '.data[0].id // empty')
check "an onboarding template" test -n "$TPL"

class_of_status() {
	case $1 in 2??) echo ok ;; 403) echo forbidden ;; 404) echo not_found ;; 409) echo conflict ;; 422) echo invalid ;;
	400 | 405) echo usage ;; *) echo "status $1" ;; esac
}
class_of_rc() {
	case $1 in 0) echo ok ;; 6) echo forbidden ;; 3) echo not_found ;; 4) echo conflict ;; 5) echo invalid ;;
	2) echo usage ;; *) echo "exit $1" ;; esac
}
# same WANT DESC EMAIL TOKEN METHOD PATH BODY -- CLI ARGS... : the API and the CLI both answer WANT
same() {
	local want=$1 desc=$2 email=$3 tok=$4 method=$5 path=$6 body=$7
	shift 8
	TOKEN=$tok
	if [ -n "$body" ]; then api "$method" "$path" "$body"; else api "$method" "$path"; fi
	local a; a=$(class_of_status "$STATUS")
	cli "$@" --db "$DB" --as "$email"
	local c; c=$(class_of_rc "$RC")
	if [ "$a" = "$want" ] && [ "$c" = "$want" ]; then pass "$desc: API and CLI both $want"; else
		fail "$desc" "want $want from both" "API: $method $path -> $STATUS ($a)" "CLI: rapport $* -> exit $RC ($c): $(_trunc "$ERR")"; fi
	TOKEN=$OWNER
}

V=vic@example.com M=mia@example.com
same ok "viewer reads a client's timeline" $V "$VIEWER" GET "/api/v1/clients/$CID/timeline" "" -- timeline "$CID" --json
same not_found "member asks the timeline of no client" $M "$MEMBER" GET "/api/v1/clients/cli_01J0000000000000000000000/timeline" "" -- timeline cli_01J0000000000000000000000
same ok "viewer reads today" $V "$VIEWER" GET "/api/v1/today" "" -- today --json
same ok "viewer reads check-ins due" $V "$VIEWER" GET "/api/v1/check-ins/due" "" -- due --json
same ok "viewer searches" $V "$VIEWER" GET "/api/v1/search?q=quokka" "" -- search quokka --json
same invalid "viewer composes a follow-up of a call without a summary" $V "$VIEWER" POST "/api/v1/interactions/$BARE/follow-up" '{}' -- follow-up "$BARE"
# recording writes an interaction: refused before the summary is even looked at, on both paths
same forbidden "viewer records a follow-up" $V "$VIEWER" POST "/api/v1/interactions/$BARE/follow-up" '{"record":true}' -- follow-up "$BARE" --record
same forbidden "viewer records a follow-up of a summarised meeting" $V "$VIEWER" POST "/api/v1/interactions/$MEET/follow-up" '{"record":true}' -- follow-up "$MEET" --record
same forbidden "viewer applies onboarding" $V "$VIEWER" POST "/api/v1/clients/$CID/onboarding" "$(jq -nc --arg t "$TPL" '{template_id:$t}')" -- onboard "$CID" --template-id "$TPL"
same forbidden "viewer adds a client" $V "$VIEWER" POST "/api/v1/clients" '{"name":"Viewer Co"}' -- client add --name "Viewer Co"
same forbidden "viewer reads the audit log" $V "$VIEWER" GET "/api/v1/audit" "" -- audit list
same forbidden "member reads the audit log" $M "$MEMBER" GET "/api/v1/audit" "" -- audit list
same forbidden "member adds a user" $M "$MEMBER" POST "/api/v1/users" '{"email":"eve@example.com","role":"viewer","password":"eve-horse-battery-5"}' -- user add --email eve@example.com --role viewer
same ok "member records a follow-up" $M "$MEMBER" POST "/api/v1/interactions/$MEET/follow-up" '{"record":true}' -- follow-up "$MEET" --record --json

# a member sees its own tokens only, on both paths
TOKEN=$MEMBER
api GET "/api/v1/tokens?limit=500"
API_TOKENS=$(jqr '[.data[].name] | sort | join(",")')
cli token list --db "$DB" --as $M --json
CLI_TOKENS=$(jq_on "$OUT" -r '(if type == "array" then . else .data end) | [.[].name] | sort | join(",")' 2>/dev/null)
check "member lists only its own token through the API" test "$API_TOKENS" = "mia-tok"
check "and the same through the CLI" test "$CLI_TOKENS" = "mia-tok"
server_alive
