#!/usr/bin/env bash
# t1500: Northwind Studio's first quarter of 2026 in numbers. Every expected figure below is worked out
# by hand in the comments next to it, from this small dataset (business hours: Mon-Fri 09-17 UTC):
#
#   client      started      ended        owner  promise  notes
#   Acme        2025-06-01   -            admin  4h       EUR invoices 200 (Dec) + 1000 (Jan)
#   Brightside  2025-09-01   2026-02-15   -      -        churns in February
#   Cobalt      2026-02-02   -            admin  -        new in February; EUR 500 (Feb)
#   Dune        2025-11-01   -            -      8h       USD 300 (Mar)
#   Ember       2026-01-20   2026-03-10   -      1h       came and went inside the quarter
#   Fjord       (lead)                                    open deals only
#   Grove       (lead)                                    nothing at all
#
# Quarter Q = [2026-01-01, 2026-04-01); the clock stands at 2026-04-10 12:00 UTC.
. "$(dirname "$0")/lib.sh"

export RAPPORT_NOW=2026-04-10T12:00:00Z
start_server
api GET /api/v1/me
ME=$(user_id_of "$ADMIN_EMAIL")
Q='from=2026-01-01&to=2026-04-01'

client() { # client NAME JSON_EXTRA -> ID
	create clients "$(jq -nc --arg n "$1" --argjson x "$2" '{name:$n} + $x')" "client $1"
}
client Acme "{\"stage\":\"active\",\"started_at\":\"2025-06-01T09:00:00Z\",\"owner_id\":\"$ME\",\"response_time_hours\":4}"; ACME=$ID
client Brightside '{"stage":"past","started_at":"2025-09-01T09:00:00Z","ended_at":"2026-02-15T12:00:00Z"}'; BRIGHT=$ID
client Cobalt "{\"stage\":\"active\",\"started_at\":\"2026-02-02T10:00:00Z\",\"owner_id\":\"$ME\"}"; COBALT=$ID
client Dune '{"stage":"active","started_at":"2025-11-01T09:00:00Z","response_time_hours":8}'; DUNE=$ID
client Ember '{"stage":"past","started_at":"2026-01-20T09:00:00Z","ended_at":"2026-03-10T12:00:00Z","response_time_hours":1}'; EMBER=$ID
client Fjord '{"stage":"lead"}'; FJORD=$ID
client Grove '{"stage":"lead"}'; GROVE=$ID

# ---- invoices
inv() { create invoices "$(jq -nc --arg c "$1" --arg a "$2" --arg cur "$3" --arg p "$4" \
	'{client_id:$c,amount:$a,currency:$cur,status:"issued",issued_on:$p,paid_on:$p}')" "$5"; }
inv "$ACME" 200.00 EUR 2025-12-10 "Acme paid 200 EUR in December (before the quarter)"
inv "$ACME" 1000.00 EUR 2026-01-15 "Acme paid 1000 EUR in January"
inv "$COBALT" 500.00 EUR 2026-02-20 "Cobalt paid 500 EUR in February"
inv "$DUNE" 300.00 USD 2026-03-05 "Dune paid 300 USD in March"

# ---- tickets: opened -> first response, in business minutes
tk() { create tickets "$(jq -nc --arg c "$1" --arg k "$2" --arg o "$3" --arg f "$4" \
	'{client_id:$c,kind:$k,subject:"Question",opened_at:$o} + (if $f == "" then {} else {first_response_at:$f} end)')" "$5"; }
tk "$ACME" inquiry 2026-01-05T09:00:00Z 2026-01-05T10:00:00Z "T1 Acme, 60 min"
tk "$ACME" inquiry 2026-01-06T09:00:00Z 2026-01-06T10:00:00Z "T2 Acme, 60 min"
tk "$ACME" inquiry 2026-01-07T09:00:00Z 2026-01-07T10:00:00Z "T3 Acme, 60 min"
tk "$DUNE" inquiry 2026-01-08T09:00:00Z 2026-01-08T10:00:00Z "T4 Dune, 60 min"
tk "$DUNE" inquiry 2026-02-02T09:00:00Z 2026-02-02T10:00:00Z "T5 Dune, 60 min"
# Friday 16:00 -> Monday 10:00 is 66 wall-clock hours but 2 business hours (Fri 16-17, Mon 09-10)
tk "$ACME" inquiry 2026-01-09T16:00:00Z 2026-01-12T10:00:00Z "T6 Acme, opened Friday, answered Monday"
expect_jq '[.first_response_minutes, .response_due_at]|map(tostring)|join("|")' "120|2026-01-12T12:00:00Z" \
	"T6: 120 business minutes over the weekend; the 4h promise falls due Monday 12:00"
tk "$ACME" inquiry 2026-02-03T09:00:00Z 2026-02-03T11:00:00Z "T7 Acme, 120 min"
tk "$DUNE" inquiry 2026-02-04T09:00:00Z 2026-02-04T11:00:00Z "T8 Dune, 120 min"
# a request (not an inquiry) answered after Ember's 1h promise: in the response times, not in the SLA
tk "$EMBER" request 2026-02-17T09:00:00Z 2026-02-17T11:00:00Z "T9 Ember request, 120 min (late, but a request)"
# Tue 09:00 -> Wed 09:30 = 480 + 30 = 510 business minutes; Dune's 8h promise fell due Tue 17:00: late
tk "$DUNE" inquiry 2026-02-10T09:00:00Z 2026-02-11T09:30:00Z "T10 Dune, 510 min, late"
# never answered; due 2026-03-04 13:00, long past: a miss
tk "$ACME" inquiry 2026-03-04T09:00:00Z "" "T11 Acme, never answered"

# ---- feedback
fb() { create feedback "$(jq -nc --arg c "$1" --arg k "$2" --argjson s "$3" --arg r "$4" \
	'{client_id:$c,kind:$k,score:$s,received_at:$r}')" "$5"; }
fb "$ACME" csat 1 2025-12-20T10:00:00Z "CSAT 1 in December (outside the quarter)"
fb "$ACME" csat 5 2026-01-20T10:00:00Z "CSAT 5 (January)"
fb "$DUNE" csat 4 2026-02-20T10:00:00Z "CSAT 4 (February)"
fb "$COBALT" csat 3 2026-03-15T10:00:00Z "CSAT 3 (March)"
fb "$ACME" nps 10 2026-01-21T10:00:00Z "NPS 10 (promoter)"
fb "$DUNE" nps 9 2026-02-21T10:00:00Z "NPS 9 (promoter)"
fb "$COBALT" nps 8 2026-03-16T10:00:00Z "NPS 8 (passive)"
fb "$DUNE" nps 7 2026-03-17T10:00:00Z "NPS 7 (passive)"
fb "$EMBER" nps 3 2026-03-01T10:00:00Z "NPS 3 (detractor)"

# ---- projects, deliverables, change requests
create contacts "{\"client_id\":\"$ACME\",\"first_name\":\"Ada\"}" "Ada signs for Acme"; ADA=$ID
create contacts "{\"client_id\":\"$DUNE\",\"first_name\":\"Dev\"}" "Dev signs for Dune"; DEV=$ID
create projects "{\"client_id\":\"$ACME\",\"name\":\"Acme site\",\"budget\":\"10000.00\",\"currency\":\"EUR\",
  \"status\":\"agreed\",\"agreed_by_id\":\"$ADA\",\"agreed_at\":\"2026-01-10T10:00:00Z\"}" "Acme site agreed in January at 10000 EUR"
P1=$ID
create projects "{\"client_id\":\"$DUNE\",\"name\":\"Dune app\",\"budget\":\"4000.00\",\"currency\":\"USD\",
  \"status\":\"agreed\",\"agreed_by_id\":\"$DEV\",\"agreed_at\":\"2026-02-01T10:00:00Z\"}" "Dune app agreed in February at 4000 USD"
P2=$ID
cr() { create change-requests "{\"project_id\":\"$1\",\"description\":\"More\",\"impact_days\":1,\"impact_cost\":\"$2\"}" "$3"
	api PATCH "/api/v1/change-requests/$ID" "{\"version\":1,\"status\":\"approved\",\"decided_by_id\":\"$4\"}"
	expect_status 200 "$3: approved"; }
cr "$P1" 1500.00 "Acme site grows by 1500 EUR" "$ADA"
cr "$P2" 1000.00 "Dune app grows by 1000 USD" "$DEV"
dl() { create deliverables "$(jq -nc --arg p "$P1" --arg d "$1" --arg at "$2" \
	'{project_id:$p,name:"Piece",due_date:$d} + (if $at == "" then {} else {status:"delivered",delivered_at:$at} end)')" "$3"; }
dl 2026-01-31 2026-01-31T18:00:00Z "D1 due 31 Jan, delivered that evening: on time"
dl 2026-02-15 2026-02-16T09:00:00Z "D2 due 15 Feb, delivered the 16th: late"
dl 2026-03-20 "" "D3 due 20 Mar, not delivered, past due: late"
dl 2026-03-25 2026-03-24T09:00:00Z "D4 due 25 Mar, delivered the day before: on time"
dl 2026-04-20 "" "D5 due 20 Apr: not in the quarter, not yet due"

# ---- deals (closed today, 10 April: they count in April, not in the quarter)
create deals "{\"client_id\":\"$FJORD\",\"title\":\"Fjord brand\",\"value\":\"8000.00\",\"currency\":\"EUR\",\"probability\":25}" "Fjord: 8000 EUR at 25%"
create deals "{\"client_id\":\"$FJORD\",\"title\":\"Fjord app\",\"value\":\"1000.00\",\"currency\":\"USD\",\"probability\":50}" "Fjord: 1000 USD at 50%"
create deals "{\"client_id\":\"$COBALT\",\"title\":\"Cobalt extension\",\"value\":\"5000.00\",\"currency\":\"EUR\"}" "Cobalt extension"
api PATCH "/api/v1/deals/$ID" '{"version":1,"status":"won"}'
expect_status 200 "Cobalt's extension is won"
create deals "{\"client_id\":\"$DUNE\",\"title\":\"Dune retainer\",\"value\":\"2000.00\",\"currency\":\"USD\"}" "Dune retainer"
api PATCH "/api/v1/deals/$ID" '{"version":1,"status":"lost","lost_reason":"went in-house"}'
expect_status 200 "Dune's retainer is lost"

# ================================================================ the quarter
api GET "/api/v1/metrics?$Q"
expect_status 200 "GET /api/v1/metrics for the quarter"
# S (active at 1 Jan) = Acme, Brightside, Dune = 3; E (active at 1 Apr) = Acme, Cobalt, Dune = 3;
# N (new and still there) = Cobalt = 1; Ember came and went: in neither. (3 - 1) / 3 = 0.6667
expect_jq '[.basis.active_at_from,.basis.active_at_to,.basis.new_clients,.basis.churned_clients,.basis.active_in_period]|map(tostring)|join("|")' \
	"3|3|1|1|5" "S=3, E=3, N=1, one churned (Brightside), five active at some time"
expect_jq .retention_rate 0.6667 "retention (E - N) / S = (3 - 1) / 3"
expect_jq .churn_rate 0.3333 "churn: Brightside left / S = 1 / 3"
# paid in the quarter: EUR 1000 + 500 = 1500, USD 300; five clients active in the quarter
expect_jq '.revenue_per_client|tojson' '{"EUR":"300.00","USD":"60.00"}' "revenue per client per currency: 1500/5, 300/5"
# every payment before 1 April: EUR (200 + 1000 + 500) over Acme and Cobalt = 850; USD 300 over Dune
api GET "/api/v1/revenue?$Q"
expect_jq '[.by_currency[]|"\(.currency) \(.revenue_per_client)"]|join(";")' "EUR 300.00;USD 60.00" \
	"the revenue report agrees on revenue per client"
api GET "/api/v1/metrics?$Q"
expect_jq '.lifetime_value|tojson' '{"EUR":"850.00","USD":"300.00"}' "lifetime value: paid total per paying client"
# answered, sorted: 60 60 60 60 60 120 120 120 120 510 (n = 10). Nearest rank: median = 5th = 60 min,
# p90 = 9th = 120 min — a tie (interpolation would give 120 + 0.1 * 390 = 159)
expect_jq '[.first_response_median_hours,.first_response_p90_hours]|map(tostring)|join("|")' "1|2" \
	"first response median 1h and p90 2h (nearest rank, p90 inside a tie)"
# inquiries with a promise: Acme T1 T2 T3 T6 T7 T11, Dune T4 T5 T8 T10 = 10; missed: T10 (late), T11 (never)
expect_jq .sla_attainment 0.8 "SLA attainment 8 / 10 (the late request T9 does not count)"
expect_jq .basis.inquiries_with_promise 10 "ten inquiries held to a promise"
expect_jq .csat 4 "CSAT (5 + 4 + 3) / 3 = 4 (December's 1 is outside)"
# NPS: promoters 10, 9; passives 8, 7; detractor 3: (2 - 1) / 5 * 100 = 20 (passives count in the base)
expect_jq .nps 20 "NPS with passives: (2 - 1) / 5 = 20"
# deliverables due in the quarter: D1 on time, D2 late, D3 not delivered and past due (late), D4 on time
expect_jq .on_time_delivery 0.5 "on-time delivery 2 / 4 (undelivered past due counts as late)"
expect_jq '.scope_growth|tojson' '{"EUR":0.15,"USD":0.25}' "scope growth per currency: 1500/10000, 1000/4000"
expect_jq '.pipeline_value|tojson' '{"EUR":"8000.00","USD":"1000.00"}' "pipeline value: open deals now"
expect_jq '.pipeline_weighted_value|tojson' '{"EUR":"2000.00","USD":"500.00"}' "weighted: 8000 x 25%, 1000 x 50%"
expect_jq .win_rate null "no deal closed in the quarter: win rate null"

api GET "/api/v1/metrics?from=2026-04-01&to=2026-05-01"
expect_jq .win_rate 0.5 "April: one won, one lost: win rate 1 / 2"
expect_jq .first_response_median_hours null "April: no tickets, median null"

# ---- per owner: Acme and Cobalt are the admin's. S = Acme; E = Acme, Cobalt; N = Cobalt: (2-1)/1 = 1
api GET "/api/v1/metrics?$Q&owner_id=$ME"
expect_jq '[.retention_rate,.churn_rate,.csat]|map(tostring)|join("|")' "1|0|4" \
	"the admin's clients: retention 1, churn 0, CSAT (5 + 3) / 2 = 4"
expect_jq '.revenue_per_client|tojson' '{"EUR":"750.00"}' "the admin's revenue per client: 1500 / 2"

# ---- a client with no data at all: every metric null, no error
api GET "/api/v1/metrics?$Q&client_id=$GROVE"
expect_status 200 "metrics for Grove, who has no data"
check "every metric of Grove is null" jqe '[.retention_rate,.churn_rate,.revenue_per_client,.lifetime_value,
  .first_response_median_hours,.first_response_p90_hours,.sla_attainment,.csat,.nps,.on_time_delivery,.scope_growth,
  .pipeline_value,.pipeline_weighted_value,.win_rate] | all(. == null)'
api GET "/api/v1/metrics?$Q&client_id=$DUNE"
# Dune: T4 T5 T8 on time, T10 late: 3/4; first responses 60 60 120 510: median 2nd = 60, p90 4th = 510 = 8.5h
expect_jq '[.sla_attainment,.first_response_median_hours,.first_response_p90_hours]|map(tostring)|join("|")' "0.75|1|8.5" \
	"Dune alone: SLA 3/4, median 1h, p90 8.5h"

# ---- series per month
api GET "/api/v1/metrics?$Q&group_by=month"
expect_status 200 "group_by=month"
expect_jq '[.data[]|.key]|join(",")' "2026-01,2026-02,2026-03" "three months"
expect_jq '[.data[]|"\(.from)/\(.to)"]|join(",")' "2026-01-01/2026-02-01,2026-02-01/2026-03-01,2026-03-01/2026-04-01" \
	"each month's bounds"
# Jan: S = A B D (3), E = A B D Ember (4), N = Ember: 1.  Feb: S = A B D Ember (4), E = A C D Ember (4), N = C: 0.75.
# Mar: S = A C D Ember (4), E = A C D (3), N = 0: 0.75
expect_jq '[.data[]|.retention_rate]|map(tostring)|join(",")' "1,0.75,0.75" "monthly retention 1, 0.75, 0.75"
expect_jq '[.data[]|.churn_rate]|map(tostring)|join(",")' "0,0.25,0.25" "monthly churn 0, 0.25 (Brightside), 0.25 (Ember)"
# Jan: 1000 EUR over A B D Ember = 250.00
expect_jq '.data[0].revenue_per_client.EUR' "250.00" "January revenue per client 1000 / 4"
expect_jq '[.data[]|.csat]|map(tostring)|join(",")' "5,4,3" "monthly CSAT"

api GET "/api/v1/metrics?$Q&group_by=owner"
expect_jq '[.data[]|.key]|join(",")' "$ME" "group_by=owner: the one owner"
api GET "/api/v1/metrics?$Q&group_by=client"
expect_jq '[.data[]|.label]|join(",")' "Acme,Brightside,Cobalt,Dune,Ember" "group_by=client: the clients active in the quarter"
expect_jq '[.data[]|select(.label=="Brightside")|.churn_rate]|first' 1 "Brightside alone: churned 1 / 1"

# ---- bad input: 400 naming the parameter
api GET "/api/v1/metrics?from=2026-04-01&to=2026-01-01"
expect_error 400 invalid_parameter from "from after to is 400 naming from"
api GET "/api/v1/metrics?from=2026-13-01&to=2026-04-01"
expect_error 400 invalid_parameter from "a bad date is 400 naming from"
api GET "/api/v1/metrics?from=2026-01-01"
expect_error 400 invalid_parameter to "a missing to is 400 naming to"
api GET "/api/v1/metrics?$Q&group_by=week"
expect_error 400 invalid_parameter group_by "an unknown group_by is 400 naming group_by"
api GET "/api/v1/metrics?$Q&colour=blue"
expect_error 400 invalid_parameter colour "an unknown parameter is 400 naming it"
api GET "/api/v1/metrics?$Q&client_id=cli_nosuch"
expect_error 404 not_found client_id "an unknown client is 404"

# ---- charts
svg_ok() { printf '%s' "$BODY" | python3 -c 'import xml.dom.minidom,sys; d=xml.dom.minidom.parseString(sys.stdin.read()); assert d.documentElement.tagName == "svg"'; }
for c in retention "revenue&currency=EUR" response-times; do
	api GET "/api/v1/charts/${c%%&*}?$Q${c#${c%%&*}}"
	expect_status 200 "chart ${c%%&*}"
	check "chart ${c%%&*} is image/svg+xml" test "$(header content-type)" = "image/svg+xml"
	check "chart ${c%%&*} parses as XML with an <svg> root" svg_ok
	check "chart ${c%%&*} fetches nothing (no scripts, no external links)" sh -c "! printf '%s' \"\$1\" | grep -Eqi '<script|href=|@import|url\\('" _ "$BODY"
done
api GET "/api/v1/charts/revenue?$Q&currency=EUR"
check "the revenue chart shows January's 1000.00 EUR" jq -n --arg b "$BODY" '$b|contains("1000.00") and contains("(EUR)")' -e
api GET "/api/v1/charts/response-times?$Q"
check "the histogram labels its ranges" jq -n --arg b "$BODY" '$b|contains("&lt;1h") and contains("40h+")' -e
api GET "/api/v1/charts/retention?$Q&currency=EUR"
expect_error 400 invalid_parameter currency "only the revenue chart takes a currency"
api GET "/api/v1/charts/revenue?$Q&currency=euro"
expect_error 400 invalid_parameter currency "a bad currency is 400"
api GET "/api/v1/charts/retention?from=2026-05-01&to=2026-04-01"
expect_error 400 invalid_parameter from "a chart with from after to is 400"

# ================================================================ the CLI
cli report --db "$DB" --from 2026-01-01 --to 2026-04-01
expect_rc 0 "rapport report prints a table"
check "the table names retention as a percentage" sh -c 'printf "%s" "$1" | grep -Eq "^Retention rate +66.7%$"' _ "$OUT"
check "scope growth is a percentage per currency, not money" sh -c 'printf "%s" "$1" | grep -Eq "^Scope growth +15.0% \(EUR\);25.0% \(USD\)$"' _ "$OUT"
check "the table shows money per currency" sh -c 'printf "%s" "$1" | grep -Eq "^Revenue per client +EUR 300.00;USD 60.00$"' _ "$OUT"
cli report --db "$DB" --from 2026-01-01 --to 2026-04-01 --json
expect_rc 0 "rapport report --json"
check "--json is what the API answers" sh -c '[ "$(printf "%s" "$1" | jq -c "del(.basis)")" = "$(printf "%s" "$2" | jq -c "del(.basis)")" ]' _ "$OUT" \
	"$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/metrics?$Q")"
cli report --db "$DB" --from 2026-01-01 --to 2026-04-01 --csv
expect_rc 0 "rapport report --csv"
check "CSV header: plain numbers, units in the header, money a column per currency" test "$(printf '%s\n' "$OUT" | tr -d '\r' | sed -n 1p)" = \
	"key,label,from,to,retention_rate_pct,churn_rate_pct,revenue_per_client_EUR,revenue_per_client_USD,lifetime_value_EUR,lifetime_value_USD,first_response_median_business_hours,first_response_p90_business_hours,sla_attainment_pct,csat_1_to_5,nps_minus100_to_100,on_time_delivery_pct,scope_growth_pct_EUR,scope_growth_pct_USD,pipeline_value_EUR,pipeline_value_USD,pipeline_weighted_value_EUR,pipeline_weighted_value_USD,win_rate_pct"
check "CSV row for the quarter" test "$(printf '%s\n' "$OUT" | tr -d '\r' | sed -n 2p)" = \
	"all,all,2026-01-01,2026-04-01,66.7,33.3,300.00,60.00,850.00,300.00,1,2,80.0,4,20,50.0,15.0,25.0,8000.00,1000.00,2000.00,500.00,"
cli report --db "$DB" --from 2026-01-01 --to 2026-04-01 --group-by month --csv
check "CSV per month: a header and three rows" test "$(printf '%s\n' "$OUT" | wc -l)" = 4
check "CSV February row" sh -c 'printf "%s\n" "$1" | grep -q "^2026-02,2026-02,2026-02-01,2026-03-01,75.0,25.0,"' _ "$OUT"
check "--csv is what GET /metrics?format=csv answers" sh -c '[ "$1" = "$2" ]' _ "$OUT" \
	"$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/metrics?from=2026-01-01&to=2026-04-01&group_by=month&format=csv")"
cli report --db "$DB" --from 2026-01-01 --to 2026-04-01 --group-by month
expect_rc 0 "rapport report --group-by month prints a table"
check "the table has a row per month" sh -c 'printf "%s\n" "$1" | grep -c "^2026-0[123] " | grep -qx 3' _ "$OUT"
cli report --db "$DB" --from 2026-01-01 --to 2026-04-01 --html "$TMP/q1.html"
expect_rc 0 "rapport report --html writes a file"
check "the HTML report holds the four SVG charts inline (retention, revenue, response times, health bands)" sh -c 'grep -c "<svg" "$1" | grep -qx 4' _ "$TMP/q1.html"
check "the HTML report holds the metrics table" grep -q "Retention rate</td><td>66.7%" "$TMP/q1.html"
check "the HTML report parses as XML-ish HTML (python html parser)" python3 -c 'import html.parser,sys; html.parser.HTMLParser().feed(open(sys.argv[1]).read())' "$TMP/q1.html"
cli report --db "$DB" --from 2026-04-01 --to 2026-01-01
expect_cli_error 5 "CLI: from after to (invalid parameter, exit 5)"
check "the CLI names the parameter" sh -c 'printf "%s" "$1" | grep -q from' _ "$ERR"
cli report --db "$DB" --from 2026-01-01 --to 2026-04-01 --group-by week
expect_rc 5 "CLI: unknown group_by (exit 5)"
cli report --db "$DB" --from 2026-01-01
expect_rc 2 "CLI: --to missing"
cli report --db "$DB" --from 2026-01-01 --to 2026-04-01 --csv --json
expect_rc 2 "CLI: --csv and --json together"
server_alive "the metrics"
