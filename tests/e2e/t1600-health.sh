#!/usr/bin/env bash
# t1600: client health at Northwind Studio on Friday 20 November 2026. Four active clients, built by
# hand, each score computed by hand in the comments: Brightwave (all well: 100), Kestrel Foods (drifting:
# replies slowed, updates lapsed, a deliverable and an invoice overdue, CSAT 2/5, a complaint left
# unanswered: 38, at risk, 47 points down in 30 days, two red flags), Oakline Press (never updated under
# a monthly cadence: 85 from the points, 69 under one red flag) and Juniper Labs (nothing logged yet: 100, every factor saying "no data"). Then the
# at-risk list (REST and CLI), reply latency both ways, custom weights and bands, and bad settings (422).
#
# The calendar is the default: UTC, Monday to Friday 09:00-17:00, so a business day is 8 hours.
# Windows as of now (2026-11-20T12:00Z): recent = since 2026-10-21T12:00Z, baseline = the 180 days
# before (since 2026-04-24T12:00Z). 30 days ago (2026-10-21T12:00Z): recent since 2026-09-21T12:00Z,
# baseline since 2026-03-25T12:00Z.
. "$(dirname "$0")/lib.sh"

export RAPPORT_NOW=2026-11-20T12:00:00Z
start_server

# patch RESOURCE ID JSON : PATCH at the record's current version
patch() {
	api GET "/api/v1/$1/$2"
	local v; v=$(jqr .version)
	api PATCH "/api/v1/$1/$2" "$(jq -nc --argjson v "$v" --argjson b "$3" '$b + {version: $v}')"
}
LOGGED=0 LOG_FAILS=0
# say CLIENT DIRECTION AT : one email (the log of a month, without a test line per message)
say() {
	api POST /api/v1/interactions "$(jq -nc --arg c "$1" --arg d "$2" --arg t "$3" \
		'{client_id:$c,type:"email",direction:$d,occurred_at:$t,subject:"project update"}')"
	if [ "$STATUS" = 201 ]; then LOGGED=$((LOGGED + 1)); else LOG_FAILS=$((LOG_FAILS + 1)); fail_http "log $2 email at $3"; fi
}
# exchange CLIENT DAY OUT_TIME IN_TIME : we write at OUT_TIME, they answer at IN_TIME (UTC, same day)
exchange() { say "$1" outbound "$2T$3:00Z"; say "$1" inbound "$2T$4:00Z"; }
jout() { jq -e "$1" <<<"$OUT" >/dev/null 2>&1; } # jout FILTER : true when FILTER holds on the CLI's output
factor() { jq -r --arg f "$1" ".factors[] | select(.factor == \$f) | $2" <<<"$BODY"; }
expect_factor() { # expect_factor FACTOR JQ EXPECTED DESC
	local got; got=$(factor "$1" "$2")
	if [ "$got" = "$3" ]; then pass "$4"; else fail_http "$4" "factor $1 $2: expected $3, got $got"; fi
}

# ---- the rule the hand computations below follow: the calibration's before this one (reply times and
# the client's messages as ratios over the last 30 days, every outbound message an update, the cadence's
# loss whole one cadence late). The default rule (tests against the client's own past) is checked at the end.
RULE6='{"update_answer_hours":0,"cadence_full_lapses":2,"latency_test_p":0,"frequency_test_p":0}'
api GET /api/v1/workspaces
WS=$(jqr '.data[0].id')
expect_jq '.data[0].health_settings|tostring' "{}" "a workspace starts with the defaults ({})"
patch workspaces "$WS" "{\"health_settings\":{\"thresholds\":$RULE6}}"
expect_status 200 "the workspace takes the ratio rule's settings"

# ---- the clients
create clients '{"name":"Brightwave Energy","stage":"active","cadence":"monthly","started_at":"2026-01-05T09:00:00Z"}' \
	"Brightwave: active since January, monthly updates"
BW=$ID
create clients '{"name":"Kestrel Foods","stage":"active","cadence":"weekly","response_time_hours":8,"started_at":"2026-01-05T09:00:00Z"}' \
	"Kestrel: active since January, weekly updates, 8 business hours promised"
KF=$ID
create clients '{"name":"Oakline Press","stage":"active","cadence":"monthly","started_at":"2026-08-01T00:00:00Z"}' \
	"Oakline: active since August, monthly updates"
OP=$ID
create clients '{"name":"Juniper Labs","stage":"active"}' "Juniper: just signed, no cadence yet"
JL=$ID
create clients '{"name":"Lakeside Lead","stage":"lead"}' "a lead (not on the at-risk list)"
LEAD=$ID

# ---- the interaction log
# Brightwave: a monthly exchange, they answer in 2 business hours (10:00 -> 12:00, Mondays)
for d in 2026-05-11 2026-06-08 2026-07-06 2026-08-10 2026-09-07 2026-10-05 2026-11-02 2026-11-16; do
	exchange "$BW" "$d" 10:00 12:00
done
# Kestrel: the same rhythm answered in 4 business hours (10:00 -> 14:00) until October...
for d in 2026-05-11 2026-06-08 2026-07-06 2026-08-10 2026-09-07 2026-10-05; do
	exchange "$KF" "$d" 10:00 14:00
done
# ... then Mon 26 Oct 10:00 -> Fri 30 Oct 10:00 = 7 + 8 + 8 + 8 + 1 = 32 business hours
say "$KF" outbound 2026-10-26T10:00:00Z
say "$KF" inbound 2026-10-30T10:00:00Z
# ... and Mon 2 Nov 10:00 -> Thu 5 Nov 12:00 = 7 + 8 + 8 + 3 = 26 business hours; nothing sent since
say "$KF" outbound 2026-11-02T10:00:00Z
say "$KF" inbound 2026-11-05T12:00:00Z
check "the month's log is in (32 emails)" [ "$LOGGED" = 32 ] && [ "$LOG_FAILS" = 0 ]

# ---- projects, deliverables, feedback, invoices, tickets
create contacts "{\"client_id\":\"$BW\",\"first_name\":\"Ada\",\"last_name\":\"Brook\"}" "Brightwave's contact"
BWC=$ID
create contacts "{\"client_id\":\"$KF\",\"first_name\":\"Ken\",\"last_name\":\"Fell\"}" "Kestrel's contact"
KFC=$ID
create projects "{\"client_id\":\"$BW\",\"name\":\"Grid dashboard\",\"status\":\"active\",\"budget\":\"10000.00\",\"agreed_by_id\":\"$BWC\"}" \
	"Brightwave's project, agreed at 10000.00"
BWP=$ID
create projects "{\"client_id\":\"$KF\",\"name\":\"Shop relaunch\",\"status\":\"active\",\"budget\":\"10000.00\",\"agreed_by_id\":\"$KFC\"}" \
	"Kestrel's project, agreed at 10000.00"
KFP=$ID
create deliverables "{\"project_id\":\"$BWP\",\"name\":\"Wireframes\",\"due_date\":\"2026-10-01\",\"status\":\"delivered\",\"delivered_at\":\"2026-09-28T10:00:00Z\"}" \
	"Brightwave's wireframes delivered early"
create deliverables "{\"project_id\":\"$KFP\",\"name\":\"Product pages\",\"due_date\":\"2026-11-10\",\"status\":\"in_progress\"}" \
	"Kestrel's product pages, due 10 November, still in progress"
create feedback "{\"client_id\":\"$BW\",\"kind\":\"csat\",\"score\":5,\"received_at\":\"2026-09-15T10:00:00Z\"}" "Brightwave: CSAT 5/5"
create feedback "{\"client_id\":\"$KF\",\"kind\":\"csat\",\"score\":4,\"received_at\":\"2026-06-15T10:00:00Z\"}" "Kestrel: CSAT 4/5 in June"
create feedback "{\"client_id\":\"$KF\",\"kind\":\"csat\",\"score\":2,\"received_at\":\"2026-11-12T10:00:00Z\"}" "Kestrel: CSAT 2/5 on 12 November"
create invoices "{\"client_id\":\"$BW\",\"number\":\"NW-101\",\"amount\":\"2500.00\",\"status\":\"issued\",\"issued_on\":\"2026-09-01\",\"due_on\":\"2026-09-30\"}" \
	"Brightwave's September invoice"
api PATCH "/api/v1/invoices/$ID" '{"version":1,"paid_on":"2026-09-25"}'
expect_jq .status paid "Brightwave paid it on 25 September"
create invoices "{\"client_id\":\"$KF\",\"number\":\"NW-102\",\"amount\":\"4000.00\",\"status\":\"issued\",\"issued_on\":\"2026-09-21\",\"due_on\":\"2026-10-21\"}" \
	"Kestrel's invoice due 21 October, unpaid"
create tickets "{\"client_id\":\"$KF\",\"kind\":\"complaint\",\"subject\":\"Checkout broken again\",\"opened_at\":\"2026-11-13T09:00:00Z\"}" \
	"Kestrel's complaint of Friday 13 November, unanswered"
expect_jq .response_due_at 2026-11-13T17:00:00Z "its response was due the same day at 17:00"

# ---- Brightwave: 100, healthy
# latency: 2 replies in 30 days (2 h, 2 h) vs 6 before (2 h each): steady. frequency: 4 in 30 days vs
# 12 / 6 = 2 a month. cadence monthly: last update 16 Nov 10:00, next due 16 Dec. deliverable on time,
# CSAT 5/5, invoice paid, no change to the project's scope, no tickets (no data).
api GET "/api/v1/clients/$BW/health"
expect_status 200 "GET /clients/{id}/health"
expect_jq '[.score,.band,.score_30_days_ago,.change_30_days]|map(tostring)|join(" ")' "100 healthy 100 0" \
	"Brightwave: 100, healthy, unchanged over 30 days"
expect_jq '[.factors[].points_lost]|add' 0 "Brightwave loses nothing"
expect_jq '.factors|length' 8 "eight factors, each explained"
expect_factor reply_latency .evidence "replies steady: median 2 h over the last 30 days vs 2 h before" "Brightwave: replies steady"
expect_factor interaction_frequency .evidence "2 messages from the client in the last 30 days vs 1 a month before" \
	"Brightwave: frequency counts the client's own messages (2 replies vs 6 / 6 a month)"
expect_factor cadence_lapse .evidence "last update 4 days ago; cadence is monthly" "Brightwave: updated 4 days ago"
expect_factor complaints_sla '"\(.has_data) \(.evidence)"' "false no data: no tickets" "Brightwave: no tickets, no data"
expect_factor scope_growth .evidence "Grid dashboard: approved changes 0.00 on a budget of 10000.00 (+0%)" "Brightwave: scope as agreed"

# ---- Kestrel: 38, at risk
#   reply_latency       15 x 1    = 15   median (26, 32) = 29 h vs 4 h: 7.25 times slower >= 4 (full)
#   cadence_lapse       15 x 1    = 15   last update Mon 2 Nov 10:00; due 9 Nov 10:00; 11 days late > 7
#   overdue_deliverables 15 x 1/3 = 5    one of three (full) overdue
#   satisfaction        15 x 1    = 15   CSAT 2 = the bad mark (2); 4 would be good
#   complaints_sla      10 x 0.75 = 7.5  one open complaint (1/2) + one late response (1/4)
#   invoices_overdue    10 x 0.5  = 5    30 days overdue of 60 (full)
#   interaction_frequency 0: 4 in 30 days vs 12 / 6 = 2 a month.  scope_growth 0.
#   score = 100 - 62.5 = 37.5 -> 38 (half away from zero): at risk (< 40)
api GET "/api/v1/clients/$KF/health"
expect_jq '[.score,.band]|map(tostring)|join(" ")' "38 at_risk" "Kestrel: 38, at risk"
expect_factor reply_latency '"\(.points_lost) \(.evidence)"' "15 replies slowed: median 29 h over the last 30 days vs 4 h before" \
	"Kestrel: replies slowed, 15 points"
expect_factor cadence_lapse '"\(.points_lost) \(.evidence)"' "15 no update for 18 days; cadence is weekly" \
	"Kestrel: update lapsed, 15 points"
expect_factor overdue_deliverables '"\(.points_lost) \(.evidence)"' "5 1 deliverable overdue (the oldest due 2026-11-10, 7 business days late)" \
	"Kestrel: one deliverable overdue 7 business days (11 to 19 November), 5 points"
expect_factor satisfaction '"\(.points_lost) \(.evidence)"' "15 CSAT 2/5 on 2026-11-12" "Kestrel: CSAT 2/5, 15 points"
expect_factor complaints_sla '"\(.points_lost) \(.evidence)"' \
	"7.5 complaint open for 5 business days; 1 late first response in the last 90 days" \
	"Kestrel: complaint open 5 business days (43 h / 8), 7.5 points"
expect_factor invoices_overdue '"\(.points_lost) \(.evidence)"' "5 1 invoice overdue, the oldest by 30 days (due 2026-10-21)" \
	"Kestrel: invoice 30 days overdue, 5 points"
expect_factor interaction_frequency .points_lost 0 "Kestrel: as many interactions as usual"
expect_factor reply_latency '"\(.weight) \(.max_points) \(.fraction)"' "15 15 1" "a factor shows its weight, maximum and fraction"
# red flags: replies 7.25 times slower (3 or more), the CSAT 2/5 eight days ago (at most 2 within 90
# days) and the complaint unanswered for 43 business hours against the 8 promised (3 times or more); the
# deliverable is 7 business days late (10 flags), the update 18 days late on a weekly cadence (3
# cadences, 21 days, flag)
expect_jq '[.red_flags[].factor]|join(",")' "reply_latency,satisfaction,complaints_sla" "Kestrel: three red flags: replies, the CSAT, the complaint"
expect_jq '.rule' "3 red flags counting as 4: the score is at most 39 (at risk); 38 from the points lost" \
	"the rule says why the score is what it is (the complaint's flag counts two)"
expect_jq '.red_flags[2].rule' "a complaint unanswered for 43 business hours, 3 times or more the 8 promised (flag_complaint_response_times); it counts as 2 (complaint_flag_counts)" \
	"the complaint's flag says what it met"
expect_factor satisfaction '"\(.data) \(.red_flag)"' "current CSAT 2 or less within 90 days (flag_csat_at_most, flag_feedback_days)" \
	"a flagged factor carries its rule"
expect_factor cadence_lapse '"\(.data) \(.red_flag)"' "current null" "a factor without a flag: red_flag null"
# 30 days ago (Wed 21 Oct 12:00): one reply in the recent window, 5 before (no latency data), frequency fine
# (2 vs 10 / 6), last update 5 Oct 10:00 -> due 12 Oct: 9 days late > 7: -15; the deliverable, the CSAT 2,
# the complaint were not due or not there yet, the invoice was due that very day (not overdue): 85.
expect_jq '[.score_30_days_ago,.change_30_days]|map(tostring)|join(" ")' "85 -47" "Kestrel was 85 thirty days ago: -47"
api GET "/api/v1/clients/$KF/health?as_of=2026-10-21T12:00:00Z"
expect_jq '[.score,.band,.as_of]|map(tostring)|join(" ")' "85 healthy 2026-10-21T12:00:00Z" "as_of looks at the past with the same code"
expect_factor reply_latency '"\(.has_data) \(.evidence)"' \
	"false no data: 1 replies from the client in the last 30 days and 5 in the 180 before (2 needed in each)" \
	"as of 21 Oct: too few recent replies to compare"

# ---- Oakline: 85 from the points (never updated: due 1 Sep, a whole month late -> -15), but 111 days
# without an update is more than 3 monthly cadences (3 x 31 days from 1 August): a red flag caps it at 69,
# watch. 30 days ago (81 days) it was 85, healthy.
api GET "/api/v1/clients/$OP/health"
expect_jq '[.score,.band,.points_score,.change_30_days]|map(tostring)|join(" ")' "69 watch 85 -16" "Oakline: 69, watch (85 from the points), -16"
expect_jq '.red_flags|map("\(.factor): \(.rule)")|join(",")' "cadence_lapse: no update for 3 cadences or more (flag_cadence_lapses)" \
	"Oakline's one red flag: the lapsed cadence"
expect_factor cadence_lapse .evidence "no update since the relationship started 111 days ago; cadence is monthly" \
	"Oakline: never updated since 1 August"

# ---- Juniper: nothing yet, nothing lost
api GET "/api/v1/clients/$JL/health"
expect_jq '[.score,.band]|map(tostring)|join(" ")' "100 healthy" "Juniper: no data, 100, healthy"
expect_jq '[.factors[]|select(.has_data)]|length' 0 "Juniper: no factor has data"
expect_jq '[.factors[]|select(.evidence|startswith("no data"))]|length' 8 "Juniper: every factor says no data"
expect_factor invoices_overdue .evidence "no data: no invoices" "Juniper: no invoices"
api GET "/api/v1/clients/cli_nosuch/health"
expect_error 404 not_found - "an unknown client: 404"
api GET "/api/v1/clients/$JL/health?as_of=yesterday"
expect_error 400 invalid_parameter as_of "a bad as_of: 400 naming it"

# ---- the at-risk list: lowest first, reasons biggest first, leads left out
api GET /api/v1/health/at-risk
expect_status 200 "GET /health/at-risk"
expect_jq '[.data[].client_name][0:2]|join(",")' "Kestrel Foods,Oakline Press" "Kestrel first, then Oakline"
expect_jq .total 4 "four active clients (the lead is not one)"
expect_jq '.data[0]|[.score,.score_30_days_ago,.change_30_days]|map(tostring)|join(" ")' "38 85 -47" "Kestrel: 38, was 85, -47"
expect_jq '.data[0].reasons|map("\(.factor)=\(.points_lost)")|join(",")' \
	"reply_latency=15,cadence_lapse=15,satisfaction=15" "Kestrel's top three reasons, with points"
expect_jq '.data[0].reasons[2].evidence' "CSAT 2/5 on 2026-11-12" "each reason carries its evidence"
expect_jq '.data[1].reasons|map(.factor)|join(",")' "cadence_lapse" "Oakline's one reason"
expect_jq '[.data[2:][].reasons|length]|add' 0 "the healthy ones have no reasons"
api GET "/api/v1/health/at-risk?band=at_risk"
expect_jq '[.data[].client_id]|join(",")' "$KF" "band=at_risk: Kestrel alone"
api GET "/api/v1/health/at-risk?band=healthy&limit=2"
expect_jq '[(.data|length),.total]|map(tostring)|join(" ")' "2 2" "band=healthy&limit=2: two (Oakline is watch)"
api GET "/api/v1/health/at-risk?band=grim"
expect_error 400 invalid_parameter band "band=grim: 400"
api GET "/api/v1/health/at-risk?owner_id=usr_nobody"
expect_jq .total 0 "owner_id narrows to that owner's clients"
api GET "/api/v1/health/at-risk?limit=0"
expect_error 400 invalid_parameter limit "limit=0: 400"

# ---- reply latency, both ways
api GET "/api/v1/clients/$KF/latency"
expect_status 200 "GET /clients/{id}/latency"
expect_jq '[.theirs.recent.median_hours,.theirs.recent.replies,.theirs.baseline.median_hours,.theirs.baseline.replies]|map(tostring)|join(" ")' \
	"29 2 4 6" "theirs: 29 h (2 replies) recently vs 4 h (6)"
# ours: their 5 Oct 14:00 answered 26 Oct 10:00 = 3 + 14 days x 8 + 1 = 116 h; their 30 Oct 10:00
# answered 2 Nov 10:00 = 7 + 1 = 8 h: median 62 h
expect_jq '[.ours.recent.median_hours,.ours.recent.replies]|map(tostring)|join(" ")' "62 2" "ours: 62 h over 2 replies"
expect_jq '[.interactions.recent,.interactions.baseline,.unit]|map(tostring)|join(" ")' "4 12 business_hours" \
	"4 interactions recently, 12 before, in business hours"

# ---- the CLI
cli health "$KF" --db "$DB"
expect_rc 0 "rapport health CLIENT_ID"
check "the table shows the score and each factor's evidence" \
	grep -q "Kestrel Foods  score 38 (at_risk), -47 over 30 days" <<<"$OUT"
check "... with the CSAT line" grep -Eq "^satisfaction +15 +15.0  CSAT 2/5 on 2026-11-12" <<<"$OUT"
cli health "$KF" --db "$DB" --json
check "rapport health --json is the API's answer" jout '.score == 38 and (.factors|length) == 8'
cli at-risk --db "$DB" --band at_risk
expect_rc 0 "rapport at-risk --band at_risk"
check "lists Kestrel with its reasons" grep -q "Kestrel Foods" <<<"$OUT"
check "... and the reply slowdown" grep -q "reply_latency: replies slowed" <<<"$OUT"
cli at-risk --db "$DB" --json --limit 1
check "rapport at-risk --json --limit 1" jout '(.data|length) == 1 and .data[0].score == 38'
cli latency "$KF" --db "$DB"
check "rapport latency: their replies" grep -q "their replies  last 30 days: median 29.0 h (2); 180 days before: median 4.0 h (6)" <<<"$OUT"
cli health --db "$DB"
expect_cli_error 2 "rapport health without a client"
cli at-risk --db "$DB" --band grim
expect_cli_error 2 "rapport at-risk --band grim"

# ---- tuning: satisfaction weighs nothing, stricter bands
patch workspaces "$WS" "{\"health_settings\":{\"weights\":{\"satisfaction\":0},\"bands\":{\"healthy\":90,\"watch\":50},\"thresholds\":$RULE6}}"
expect_status 200 "PATCH workspace health_settings"
# Kestrel without satisfaction: 15 + 15 + 5 + 7.5 + 5 = 47.5 of 85 -> x 100/85 = 55.9 lost -> 44: at risk (< 50)
api GET "/api/v1/clients/$KF/health"
expect_jq '[.score,.band]|map(tostring)|join(" ")' "44 at_risk" "Kestrel: 44 with satisfaction weighing nothing"
expect_factor satisfaction '"\(.weight) \(.points_lost)"' "0 0" "satisfaction: weight 0, nothing lost"
expect_factor reply_latency .max_points 17.6 "the other weights scale to 100 (15 x 100/85)"
# Oakline: 15 x 100/85 = 17.6 lost -> 82: watch under healthy >= 90
api GET "/api/v1/clients/$OP/health"
expect_jq '[.score,.band]|map(tostring)|join(" ")' "82 watch" "Oakline: 82, watch under the stricter bands"
cli at-risk --db "$DB" --band watch --json
check "the CLI reads the same settings" jout '[.data[].client_name] == ["Oakline Press"]'

# ---- bad settings: 422 naming health_settings, nothing changed
api GET "/api/v1/workspaces/$WS"
V=$(jqr .version)
for bad in '{"weights":{"vibes":10}}' '{"bands":{"healthy":30,"watch":60}}' '{"weights":"heavy"}' \
	'{"thresholds":{"csat_good":1}}' '{"thresholds":{"nonsense":1}}' '{"weights":{"reply_latency":-1}}' \
	'{"weights":{"reply_latency":0,"interaction_frequency":0,"cadence_lapse":0,"overdue_deliverables":0,"satisfaction":0,"complaints_sla":0,"invoices_overdue":0,"scope_growth":0}}' \
	'[1,2]' '{"colour":"red"}' '{"thresholds":{"complaint_flag_counts":3}}' '{"thresholds":{"flag_sustained_weeks":1.5}}' \
	'{"thresholds":{"flag_sustained_weeks":3}}' '{"thresholds":{"behaviour_corroborates_behaviour":2}}' \
	'{"thresholds":{"behaviour_window_days":200}}' '{"thresholds":{"latency_test_p":0.5}}' '{"thresholds":{"cadence_full_lapses":1}}'; do
	api PATCH "/api/v1/workspaces/$WS" "{\"version\":$V,\"health_settings\":$bad}"
	expect_error 422 invalid_value health_settings "health_settings $bad: 422"
done
api PATCH "/api/v1/workspaces/$WS" "{\"version\":$V,\"health_settings\":{\"weights\":{\"vibes\":10}}}"
expect_jq .error.message "health_settings.weights: unknown factor vibes (reply_latency, interaction_frequency, cadence_lapse, overdue_deliverables, satisfaction, complaints_sla, invoices_overdue, scope_growth)" \
	"the message names the unknown factor and the known ones"
api GET "/api/v1/workspaces/$WS"
expect_jq '[.version,(.health_settings|tostring)]|map(tostring)|join(" ")' "$V {\"weights\":{\"satisfaction\":0},\"bands\":{\"healthy\":90,\"watch\":50},\"thresholds\":$RULE6}" \
	"the workspace is unchanged"
patch workspaces "$WS" "{\"health_settings\":{\"thresholds\":$RULE6}}"
api GET "/api/v1/clients/$KF/health"
expect_jq .score 38 "back to the ratio rule: 38 again"

# ---- the default rule
# Replies to our updates in the last 60 days (since 21 Sep) against the 150 days before: Kestrel's 3
# (4, 32 and 26 h) against 5 of 4 h. The 90th percentile of 5 is the slowest, 4 h, which a reply like
# those outdoes 1 time in 6: 2 of 3 slower comes by chance 3 x (1/6)^2 x 5/6 + (1/6)^3 = 0.074, 1 in 14,
# not under latency_test_p (1 in 50): no flag, a loss of (log10(1/0.074) - 1) / (log10(50) - 1) = 0.19 of
# 15 = 2.8. Its messages: 3 in 60 days where 5 x 60/150 = 2 were expected (nothing lost). The cadence's
# loss grows from one cadence to three: 18.1 days / 7 = 2.58 cadences, (2.58 - 1) / 2 x 15 = 11.9.
# Points: 100 - (2.8 + 11.9 + 5 + 15 + 7.5 + 5) = 52.8 -> 53; the CSAT's flag and the complaint's
# (counting two) cap it at 39: at risk, without the replies' flag of the ratio rule.
patch workspaces "$WS" '{"health_settings":{}}'
api GET "/api/v1/clients/$KF/health"
expect_jq '[.score,.band,.points_score]|map(tostring)|join(" ")' "39 at_risk 53" "default rule: Kestrel 39, at risk (53 from the points)"
expect_factor reply_latency '"\(.points_lost) \(.red_flag) \(.evidence)"' \
	"2.8 null replies slower than usual: 2 of the last 3 in 60 days slower than 9 in 10 of the 150 days before (4 h); by chance: 1 in 14" \
	"default rule: 2 slow replies of 3 are not enough to flag"
expect_factor interaction_frequency .evidence \
	"3 messages from the client in the last 60 days, 2 expected from the 150 days before; by chance: 1 in 1" \
	"default rule: the client's messages against the rate before"
expect_factor cadence_lapse .points_lost 11.9 "default rule: the cadence's loss grows to whole at three cadences"
api GET "/api/v1/clients/$BW/health"
expect_jq .score 100 "default rule: Brightwave still 100"

# ---- the health bands chart: the at-risk picture for a client report
api GET /api/v1/charts/health-bands
expect_status 200 "GET the health bands chart"
check "it is SVG" bash -c 'printf "%s" "$1" | grep -qi "content-type: image/svg+xml"' _ "$HEADERS"
check "it parses as XML and names the bands" bash -c 'printf "%s" "$1" | python3 -c "import sys, xml.dom.minidom as m; t = m.parseString(sys.stdin.read()).toxml(); sys.exit(0 if \"at risk\" in t and \"healthy\" in t else 1)"' _ "$BODY"
api GET "/api/v1/charts/health-bands?from=2026-01-01"
expect_error 400 invalid_parameter - "the bands chart is a picture of now: no period"

# ---- no data yet, or nothing for too long
# Harbor Dental: a client since June 2025 with nothing logged, no cadence, no feedback ever. Silence for
# more than silence_days (120) from a client that long with us is a red flag (interaction_frequency loses
# its 10), and no scored feedback in more than feedback_stale_days (365) loses half of satisfaction's 15:
# 100 - 17.5 = 82.5 -> 83 from the points, capped at 69 by the flag: watch. Juniper (new) has no data yet.
create clients '{"name":"Harbor Dental","stage":"active","started_at":"2025-06-01T00:00:00Z"}' "Harbor: a client since June 2025, silent"
HD=$ID
api GET "/api/v1/clients/$HD/health"
expect_jq '[.score,.band,.points_score]|map(tostring)|join(" ")' "69 watch 83" "Harbor: 83 from the points, 69 under its red flag"
expect_factor interaction_frequency '"\(.data) \(.points_lost) \(.evidence)"' \
	"stale 10 nothing for too long: nothing from the client in the last 210 days, a client for 537 days" \
	"Harbor: nothing heard for too long, said so"
expect_factor satisfaction '"\(.data) \(.points_lost) \(.evidence)"' \
	"stale 7.5 nothing for too long: no scored feedback in 537 days as a client" "Harbor: no feedback for too long, half the weight"
expect_factor cadence_lapse '"\(.data) \(.has_data)"' "none false" "Harbor: no cadence, no data"
# a ticket the client opens is hearing from it, as a message is (the silence ends; it is read from a
# copy so the figures above stay Harbor's)
create clients '{"name":"Harbor Twin","stage":"active","started_at":"2025-06-01T00:00:00Z"}' "Harbor Twin: the same silence"
HT=$ID
create tickets "{\"client_id\":\"$HT\",\"kind\":\"inquiry\",\"subject\":\"Opening hours?\",\"opened_at\":\"2026-11-01T09:00:00Z\"}" \
	"Harbor Twin opens a ticket 19 days ago"
api GET "/api/v1/clients/$HT/health"
expect_factor interaction_frequency '"\(.data != "stale") \(.red_flag)"' "true null" \
	"a ticket from the client ends its silence: not 'nothing for too long', no flag"
api GET "/api/v1/clients/$JL/health"
expect_jq '[.factors[].data]|unique|join(",")' "none" "Juniper, new: every factor has no data yet, nothing lost"

# ---- felt failures (flag_felt_days, 60): a complaint answered only after three times its promise, and a
# deliverable delivered ten business days late or more, still raise their flags for 60 days after the
# answer or the delivery: the client felt them whatever has happened since. Fennel Studio: a complaint
# opened Monday 2 November 09:00, 8 business hours promised (due 17:00), first answered Thursday 5 November
# 09:00 (24 business hours: 3 times), resolved the next day; a deliverable due 1 October delivered
# 20 October 10:00 (12 business days late).
create clients '{"name":"Fennel Studio","stage":"active","response_time_hours":8,"started_at":"2026-09-01T09:00:00Z"}' \
	"Fennel: a client since September, 8 business hours promised"
FS=$ID
create tickets "{\"client_id\":\"$FS\",\"kind\":\"complaint\",\"subject\":\"Wrong colours printed\",\"opened_at\":\"2026-11-02T09:00:00Z\",\"first_response_at\":\"2026-11-05T09:00:00Z\",\"resolved_at\":\"2026-11-06T09:00:00Z\",\"status\":\"resolved\"}" \
	"Fennel's complaint, answered three days late and resolved"
api GET "/api/v1/clients/$FS/health"
expect_factor complaints_sla .red_flag \
	"a complaint answered after 24 business hours on 2026-11-05, 3 times or more the 8 promised (flag_complaint_response_times, flag_felt_days); it counts as 2 (complaint_flag_counts)" \
	"a complaint answered after three times its promise still raises the flag, said so"
expect_jq '[.band,(.red_flags|length)]|map(tostring)|join(" ")' "at_risk 1" "Fennel: at risk on that flag alone (it counts two)"
api GET "/api/v1/clients/$FS/health?as_of=2026-11-05T08:00:00Z"
expect_factor complaints_sla .red_flag \
	"a complaint unanswered for 24 business hours, 3 times or more the 8 promised (flag_complaint_response_times); it counts as 2 (complaint_flag_counts)" \
	"the evening before the answer, the flag was the waiting one"
create contacts "{\"client_id\":\"$FS\",\"first_name\":\"Fay\",\"last_name\":\"Nel\"}" "Fennel's contact"
create projects "{\"client_id\":\"$FS\",\"name\":\"Catalogue\",\"status\":\"active\",\"agreed_by_id\":\"$ID\"}" "Fennel's catalogue project"
create deliverables "{\"project_id\":\"$ID\",\"name\":\"Proofs\",\"due_date\":\"2026-10-01\",\"status\":\"delivered\",\"delivered_at\":\"2026-10-20T10:00:00Z\"}" \
	"Fennel's proofs, due 1 October, delivered 20 October"
api GET "/api/v1/clients/$FS/health"
expect_factor overdue_deliverables '"\(.points_lost) \(.evidence) | \(.red_flag)"' \
	"5 none of 1 deliverables overdue; one delivered 12 business days late on 2026-10-20 | a deliverable 10 business days late or more (flag_deliverable_business_days, delivered in the last flag_felt_days); it counts as 2 (deliverable_flag_counts)" \
	"a deliverable delivered 12 business days late: flagged, and the points of one overdue"
patch workspaces "$WS" '{"health_settings":{"thresholds":{"flag_felt_days":10}}}'
api GET "/api/v1/clients/$FS/health"
expect_jq '[.band,(.red_flags|length),.score]|map(tostring)|join(" ")' "healthy 0 98" \
	"with flag_felt_days 10 both are past: no flag, the late response's points only"
patch workspaces "$WS" '{"health_settings":{"thresholds":{"flag_felt_days":400}}}'
expect_error 422 invalid_value health_settings "flag_felt_days over 365: 422"
patch workspaces "$WS" '{"health_settings":{}}'
