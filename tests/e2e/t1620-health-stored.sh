#!/usr/bin/env bash
# t1620: each active client's health score and band are stored on its row by the server's worker
# (migration 10), so client lists filter and sort by health, the at-risk list scores only the clients it
# can show, and a change of band keeps the band before it and when. Friday 20 November 2026, default
# calendar (Monday to Friday 09:00-17:00 UTC).
. "$(dirname "$0")/lib.sh"
# webhook secrets are sealed under the server's key, which PostgreSQL keeps in a file named for it
[ -n "${E2E_PG_URL:-}" ] && export RAPPORT_SECRET_KEY_FILE=$TMP/secret.key

export RAPPORT_NOW=2026-11-20T12:00:00Z
start_server

# Alder: weekly updates promised since 1 June, none sent: 172 days, 24 cadences, twice the 3 that flag
# (it counts as two): at risk. Birch: signed on 1 November, nothing yet: 100. Cedar: monthly, updated on
# 10 November, 4 business hours promised: 100, until its complaint below.
create clients '{"name":"Alder Works","stage":"active","cadence":"weekly","started_at":"2026-06-01T09:00:00Z"}' "Alder: weekly, never updated"
AL=$ID
create clients '{"name":"Birch Health","stage":"active","started_at":"2026-11-01T09:00:00Z"}' "Birch: new"
BI=$ID
create clients '{"name":"Cedar Legal","stage":"active","cadence":"monthly","response_time_hours":4,"started_at":"2026-09-01T09:00:00Z"}' "Cedar: monthly"
CE=$ID
create interactions "{\"client_id\":\"$CE\",\"type\":\"email\",\"direction\":\"outbound\",\"occurred_at\":\"2026-11-10T10:00:00Z\",\"summary\":\"Monthly update\"}" \
	"Cedar's update of 10 November"
create clients '{"name":"Dune Lead","stage":"lead"}' "a lead: no stored score"
LEAD=$ID

# wait_stored ID JQ : until the client's record satisfies JQ (the worker runs about once a second)
wait_stored() {
	for _ in $(seq 1 50); do
		api GET "/api/v1/clients/$1"
		jqe "$2" && return 0
		sleep 0.2
	done
	return 1
}
check "the worker stores every active client's score" wait_stored "$CE" '.health_score != null'
api GET "/api/v1/clients/$AL"
expect_jq '[.health_score,.health_band]|map(tostring)|join(" ")' "39 at_risk" "Alder: 39, at risk, stored on the record"
api GET "/api/v1/clients/$BI"
expect_jq '[.health_score,.health_band,.health_band_before]|map(tostring)|join(" ")' "100 healthy null" "Birch: 100, healthy, no band before"
api GET "/api/v1/clients/$LEAD"
expect_jq '[.health_score,.health_band]|map(tostring)|join(" ")' "null null" "a lead keeps no score"

api GET "/api/v1/clients?health_band=at_risk"
expect_jq '[.data[].name]|join(",")' "Alder Works" "?health_band=at_risk lists Alder alone"
api GET "/api/v1/clients?stage=active&sort=health_score"
expect_jq '.data[0].name' "Alder Works" "?sort=health_score puts the lowest first"
api GET "/api/v1/clients?health_band=grim"
expect_error 400 invalid_parameter health_band "?health_band=grim: 400 naming it"
api PATCH "/api/v1/clients/$BI" '{"version":1,"health_score":5}'
expect_error 422 read_only health_score "health_score is set by the server"

# Cedar's complaint of Monday 2 November, unanswered: 14 business days, 112 hours against 4 promised,
# 28 times (twice the 3 that flag: two flags): at risk. Asked at once, the list scores Cedar afresh
# whether or not the worker has been by.
# A subscriber to health.band_changed hears of the move the worker stores (the delivery is queued with
# the change; its address is never reached in this test).
create webhooks '{"url":"https://hooks.example.com/rapport","events":["health.band_changed"]}' "a subscription to band changes"
# (The stored path treats records written within AUDIT_MARGIN_MS, 2 s, of its mark as written since: wait
# that long first, so the others' creation is behind the mark whatever the machine's speed.)
sleep 2.5
create tickets "{\"client_id\":\"$CE\",\"kind\":\"complaint\",\"subject\":\"Wrong filing\",\"opened_at\":\"2026-11-02T09:00:00Z\"}" \
	"Cedar's complaint, unanswered"
api GET "/api/v1/health/at-risk?band=at_risk"
expect_jq '[.data[].client_name]|sort|join(",")' "Alder Works,Cedar Legal" "the at-risk list has Cedar at once"
expect_jq '.total' 2 "... two at risk"
expect_jq '[.data[]|select(.client_name == "Cedar Legal")|.red_flags[0].factor]|join(",")' complaints_sla "Cedar's flag: the complaint"
STORED=$BODY
api GET "/api/v1/health/at-risk?band=at_risk&as_of=2026-11-20T12:00:00Z"
check "scoring everyone (an explicit as_of) gives the same list" [ "$(jq -c . <<<"$BODY")" = "$(jq -c . <<<"$STORED")" ]
api GET "/api/v1/health/at-risk"
# Alder and Cedar both 39: Cedar, 51 points down in 30 days (Alder was at risk already), falls faster
expect_jq '[.data[].client_name]|join(",")' "Cedar Legal,Alder Works,Birch Health" "the whole list: lowest first, the faster fall first"
expect_jq '.total' 3 "three active clients"
check "the worker stores Cedar's new band" wait_stored "$CE" '.health_band == "at_risk"'
expect_jq '[.health_band_before,.health_band_changed_at]|join(" ")' "healthy 2026-11-20T12:00:00Z" \
	"Cedar's stored band keeps the one before and when it changed"
api GET '/api/v1/webhook-deliveries?event=health.band_changed'
check "the move is queued for the subscriber: Cedar, healthy to at_risk, with its score" \
	jqe --arg c "$CE" '[.data[] | .payload.data | select(.client_id == $c and .from == "healthy" and .to == "at_risk" and .score == 39)] | length == 1'
api GET "/api/v1/clients?health_band=at_risk&sort=name"
expect_jq '[.data[].name]|join(",")' "Alder Works,Cedar Legal" "the filter sees Cedar now"

# The list trusts what is stored for clients not written since: with Alder's stored band made healthy
# behind the server's back (SQLite only), the stored path no longer picks it for band=at_risk, while
# scoring everyone (an explicit as_of) still finds it. This is what keeps the list fast.
if [ -z "${E2E_PG_URL:-}" ]; then
	sqlite3 "$DB" "UPDATE clients SET health_score = 100, health_band = 'healthy' WHERE id = '$AL'"
	api GET "/api/v1/health/at-risk?band=at_risk"
	expect_jq '[.total,([.data[].client_name]|join(","))]|map(tostring)|join(" ")' "1 Cedar Legal" \
		"the stored path scores only the clients its stored bands point to"
	api GET "/api/v1/health/at-risk?band=at_risk&as_of=2026-11-20T12:00:00Z"
	expect_jq .total 2 "an explicit as_of scores everyone"
	sqlite3 "$DB" "UPDATE clients SET health_score = 39, health_band = 'at_risk' WHERE id = '$AL'"
fi

# the lead becomes past, an active client leaves: its stored score goes
patch_one() { api GET "/api/v1/clients/$1"; local v; v=$(jqr .version); api PATCH "/api/v1/clients/$1" "$(jq -nc --argjson v "$v" --argjson b "$2" '$b + {version: $v}')"; }
patch_one "$AL" '{"stage":"past","ended_at":"2026-11-20T11:00:00Z"}'
expect_status 200 "Alder leaves"
check "a client no longer active loses its stored score" wait_stored "$AL" '.health_score == null and .health_band == null'
