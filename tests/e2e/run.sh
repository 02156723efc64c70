#!/usr/bin/env bash
# run.sh - runs every tests/e2e/t*.sh (or the ones named on the command line),
# prints their output, and ends with "e2e: P passed, F failed, S skipped" over all
# of them. A script that dies without its "# e2e: ..." summary line counts as 1 failed.
set -u
cd "$(dirname "$0")" || exit 2
SCRIPT_TIMEOUT=${SCRIPT_TIMEOUT:-300}
total_p=0 total_f=0 total_s=0
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=(t[0-9]*.sh)
for t in "${scripts[@]}"; do
	out=$(mktemp)
	echo "=== $t"
	timeout -k 10 "$SCRIPT_TIMEOUT" bash "$t" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	summary=$(grep -E '^# e2e: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$out" | tail -n 1)
	rm -f "$out"
	if [ -z "$summary" ]; then
		echo "not ok - $t died without its summary (exit $rc)"
		total_f=$((total_f + 1))
		continue
	fi
	p=$(echo "$summary" | sed -E 's/^# e2e: ([0-9]+) passed, ([0-9]+) failed.*$/\1/')
	f=$(echo "$summary" | sed -E 's/^# e2e: ([0-9]+) passed, ([0-9]+) failed.*$/\2/')
	s=$(echo "$summary" | sed -nE 's/^.*, ([0-9]+) skipped$/\1/p')
	if [ "$f" -eq 0 ] && [ "$rc" -ne 0 ]; then
		echo "not ok - $t exited $rc with no failed assertion"
		f=1
	fi
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + ${s:-0}))
done
echo "e2e: $total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
