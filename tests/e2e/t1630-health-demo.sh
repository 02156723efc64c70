#!/usr/bin/env bash
# t1630: the demo workspace replayed three months ahead (issue 15): nobody has written to its clients
# since, so its four active clients are neglected, and the at-risk list says so with the right reasons.
# Northwind (weekly updates, the last 3 days before the demo was made): about 13 weeks without one, twice
# the 3 cadences that flag. Harbor & Finch (monthly, the last call 12 days before): over 3 months without
# an update, and its low CSAT among the reasons (its survey and its complaint are hearing from it, so it
# is not "nothing from the client"). Bluebell (biweekly since 120 days before, never updated): 15
# fortnights. Juniper (biweekly, won 9 days before): 7 fortnights. Northwind has one more red flag, the
# launch toolkit, due the week the demo was made, three months late; Maya, who answered every weekly
# update, has gone quiet too (a reason, not a flag: 0 messages where 2.8 were expected comes 1 time in
# 16 by chance, and the flag needs 1 in 20).
. "$(dirname "$0")/lib.sh"

INIT_ARGS=--demo init_db
LATER=$(date -u -d '+91 days' +%Y-%m-%dT09:00:00Z)
RAPPORT_NOW=$LATER cli at-risk --db "$DB" --json
expect_rc 0 "rapport at-risk, three months ahead"
J=$OUT
jc() { jq -e "$1" <<<"$J" >/dev/null 2>&1; }
check "all four active clients at risk" jc '.total == 4 and ([.data[].band] | unique) == ["at_risk"]'
check "Northwind: its lapsed weekly updates, the first reason and a red flag twice over" \
	jc '.data[] | select(.client_name == "Northwind Studio") | (.reasons[0].factor == "cadence_lapse") and (.reasons[0].evidence | test("^no update for 9[0-9] days; cadence is weekly$")) and (.red_flags[] | select(.factor == "cadence_lapse") | .rule | test("twice over"))'
check "Harbor & Finch: lapsed monthly updates, its low CSAT a reason, not silent (it answered a survey)" \
	jc '.data[] | select(.client_name == "Harbor & Finch LLP") | ([.red_flags[].factor] | sort) == ["cadence_lapse"] and (.reasons[0].evidence | test("cadence is monthly")) and ([.reasons[].factor] | index("satisfaction") != null) and ([.reasons[].factor] | index("interaction_frequency") == null)'
check "Bluebell: never updated under a biweekly cadence" \
	jc '.data[] | select(.client_name == "Bluebell Bakery") | .reasons[0].evidence | test("^no update since the relationship started 2[0-9][0-9] days ago; cadence is biweekly$")'
RAPPORT_NOW=$LATER cli at-risk --db "$DB"
check "the table shows the red flags" grep -q "red flag cadence_lapse: no update for" <<<"$OUT"
ID=$(jq -r '.data[] | select(.client_name == "Northwind Studio") | .client_id' <<<"$J")
RAPPORT_NOW=$LATER cli health "$ID" --db "$DB"
check "rapport health says the rule that applied" grep -Eq "^2 red flags counting as 4: the score is at most 39 \(at risk\); [0-9]+ from the points lost" <<<"$OUT"
# the demo as made: Northwind updated 3 days ago is healthy
cli at-risk --db "$DB" --json
J=$OUT
check "today, Northwind is healthy" jc '.data[] | select(.client_name == "Northwind Studio") | .band == "healthy"'
