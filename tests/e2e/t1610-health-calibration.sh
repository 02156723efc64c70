#!/usr/bin/env bash
# t1610: the health score measured against stories with a known outcome (docs/health.md "Calibration").
# A small book of clients from `rapport seed --stories` (steady, quiet, leaving), then `rapport calibrate`
# scores it as of each of the last 52 weeks: the figures must be computed and agree with each other. The
# targets (90 % of leavers 30 days early, 10 % of stayers at most) are the bench's to report, not this
# test's to hold: a small book is too noisy.
. "$(dirname "$0")/lib.sh"
export RAPPORT_NOW=2026-11-01T09:00:00Z

check "the generator does not read the score's settings (no health header in stories.c)" \
	bash -c '! grep -q "insight/health" "$1"' _ "$REPO_ROOT/src/core/bulk/stories.c"
init_db
cli seed --db "$DB" --stories 150 --seed 7
expect_rc 0 "seed 150 stories"
check "it says what it wrote" grep -Eq "^seeded [0-9]+ steady, [0-9]+ quiet and [0-9]+ leaving clients, [0-9]+ interactions" <<<"$OUT"
cli seed --db "$DB" --stories 0
expect_cli_error 2 "--stories 0 is refused"

LEFT=$(sqlite3 "$DB" "SELECT COUNT(*) FROM clients WHERE ended_at IS NOT NULL" 2>/dev/null || echo "")
cli calibrate --db "$DB" --json
expect_rc 0 "rapport calibrate --json"
J=$OUT
jc() { jq -e "$1" <<<"$J" >/dev/null 2>&1; }
check "52 weekly looks as of now" jc '.weeks == 52 and .as_of == "2026-11-01T09:00:00Z"'
check "every leaver left in the last 180 days, and there are some" jc '.leavers.count > 10'
[ -n "$LEFT" ] && check "leavers are the clients with an ended_at ($LEFT)" jc ".leavers.count == $LEFT"
check "stayers: the others, all clients for more than 180 days" jc '.stayers.count > 10 and .leavers.count + .stayers.count == 150'
check "the story kinds add up to the same book" \
	jc '(.by_story.leaver.count == .leavers.count) and (.by_story.steady.count + .by_story.quiet.count == .stayers.count)'
check "shares are the counts divided" \
	jc '(.leavers.share_flagged - .leavers.flagged / .leavers.count | fabs) < 0.0001 and (.stayers.share_flagged - .stayers.flagged / .stayers.count | fabs) < 0.0001'
check "flagged early is part of flagged" jc '.leavers.flagged_early <= .leavers.flagged and .leavers.flagged <= .leavers.count'
check "the score warns of some leavers, and more often than of stayers" jc '.leavers.share_flagged > .stayers.share_flagged'
check "lead days: the 10th percentile at most the median, both within the 180 days watched" \
	jc '.leavers.lead_days_p10 <= .leavers.lead_days_median and .leavers.lead_days_median <= 180 and .leavers.lead_days_p10 >= 0'
check "the leavers by when their drift first showed add up to the leavers and to those flagged early" \
	jc '([.leavers_by_first_sign[].count] | add) == .leavers.count and ([.leavers_by_first_sign[].flagged_early] | add) == .leavers.flagged_early'
FIRST=$(sqlite3 "$DB" "SELECT COUNT(*) FROM clients WHERE ended_at IS NOT NULL AND json_extract(custom, '\$.story_first_sign_days') IS NOT NULL" 2>/dev/null || echo "")
[ -n "$LEFT" ] && check "each leaver's record tells when its drift first showed ($FIRST of $LEFT)" test "$FIRST" = "$LEFT"
check "the targets are stated beside the figures" jc '.targets.leavers_share_flagged_early == 0.9 and .targets.stayers_share_flagged == 0.1'
cli calibrate --db "$DB" --weeks 8
expect_rc 0 "rapport calibrate --weeks 8 (a table)"
check "the table names both figures" bash -c 'grep -q "^leavers " <<<"$1" && grep -q "^stayers " <<<"$1"' _ "$OUT"
cli calibrate --db "$DB" --weeks 0
expect_cli_error 2 "--weeks 0 is refused"

# --looks: every weekly look of every client watched, as CSV, to study what the score saw
cli calibrate --db "$DB" --json --looks "$TMP/looks.csv"
expect_rc 0 "rapport calibrate --looks FILE"
J=$OUT
check "the header names the client, its outcome and each factor's fraction, flag and data" \
	bash -c 'head -1 "$1" | grep -q "^client_id,story,outcome,days_before,first_sign_days,band,score,points_score,flags,reply_latency_fraction,reply_latency_flag,reply_latency_data,.*,test_replies,test_slow,before_replies,test_inbound,before_inbound,days_since_update,complaint_wait_ratio,deliverables_overdue,feedback_kind,feedback_score,feedback_age_days$"' _ "$TMP/looks.csv"
check "every row has as many fields as the header" \
	bash -c 'awk -F, "NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad }" "$1"' _ "$TMP/looks.csv"
CLIENTS=$(tail -n +2 "$TMP/looks.csv" | cut -d, -f1 | sort -u | wc -l)
check "its clients are the leavers and stayers counted ($CLIENTS)" jc ".leavers.count + .stayers.count == $CLIENTS"
FIRST_AT_RISK=$(awk -F, 'NR > 1 && $3 == "stayed" && $6 == "at_risk" { print $1 }' "$TMP/looks.csv" | sort -u | wc -l)
check "stayers at risk at some look in the file are the stayers flagged ($FIRST_AT_RISK)" jc ".stayers.flagged == $FIRST_AT_RISK"
EARLY=$(awk -F, 'NR > 1 && $3 == "left" && $6 == "at_risk" && $4 >= 30 { print $1 }' "$TMP/looks.csv" | sort -u | wc -l)
check "leavers at risk 30 days or more before leaving are those flagged early ($EARLY)" jc ".leavers.flagged_early == $EARLY"
check "a leaver's days before leaving stay within its 180 watched days" \
	bash -c 'awk -F, "NR > 1 && \$3 == \"left\" && (\$4 < 0 || \$4 > 180) { bad = 1 } END { exit bad }" "$1"' _ "$TMP/looks.csv"
cli calibrate --db "$DB" --looks /nonexistent/dir/looks.csv
expect_cli_error 2 "a --looks file that cannot be written is refused"
check "it says which file and why" grep -q "cannot write /nonexistent/dir/looks.csv" <<<"$ERR"
