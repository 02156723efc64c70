#!/usr/bin/env bash
# run.sh - runs every tests/e2e/t*.sh (or the ones named on the command line), E2E_JOBS at a time
# (default 2: most scripts spend their time waiting on a server, a scheduler tick or a sleep), prints
# each script's output whole and in order, and ends with "e2e: P passed, F failed, S skipped" over all
# of them. A script that dies without its "# e2e: ..." summary line counts as 1 failed. Each script has
# its own temporary directory, loopback ports and (on PostgreSQL) database, so they do not meet.
set -u
cd "$(dirname "$0")" || exit 2
SCRIPT_TIMEOUT=${SCRIPT_TIMEOUT:-300}
JOBS=${E2E_JOBS:-2}
total_p=0 total_f=0 total_s=0
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=(t[0-9]*.sh)
outdir=$(mktemp -d "${TMPDIR:-/tmp}/rapport-e2e-run.XXXXXX") || exit 2
trap 'rm -rf "$outdir"' EXIT

# run_one I SCRIPT : runs one script into $outdir/I.out, its exit code and time into $outdir/I.rc
run_one() {
	local start rc
	start=$(date +%s%N)
	timeout -k 10 "$SCRIPT_TIMEOUT" bash "$2" >"$outdir/$1.out" 2>&1
	rc=$?
	echo "$rc $((($(date +%s%N) - start) / 1000000))" >"$outdir/$1.rc.tmp" && mv "$outdir/$1.rc.tmp" "$outdir/$1.rc"
}

# report I SCRIPT : prints a finished script's output and adds up its summary line
report() {
	local i=$1 t=$2 rc ms summary p f s
	read -r rc ms <"$outdir/$i.rc"
	echo "=== $t"
	cat "$outdir/$i.out"
	echo "# $t took $ms ms"
	summary=$(grep -E '^# e2e: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$outdir/$i.out" | tail -n 1)
	if [ -z "$summary" ]; then
		echo "not ok - $t died without its summary (exit $rc)"
		total_f=$((total_f + 1))
		return
	fi
	p=$(echo "$summary" | sed -E 's/^# e2e: ([0-9]+) passed, ([0-9]+) failed.*$/\1/')
	f=$(echo "$summary" | sed -E 's/^# e2e: ([0-9]+) passed, ([0-9]+) failed.*$/\2/')
	s=$(echo "$summary" | sed -nE 's/^.*, ([0-9]+) skipped$/\1/p')
	if [ "$f" -eq 0 ] && [ "$rc" -ne 0 ]; then
		echo "not ok - $t exited $rc with no failed assertion"
		f=1
	fi
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + ${s:-0}))
}

next_report=0 running=0
for i in "${!scripts[@]}"; do
	# a script that restarts what others share (the PostgreSQL cluster) says "# e2e: runs alone"
	alone=0
	grep -q '^# e2e: runs alone' "${scripts[$i]}" && alone=1
	while [ "$running" -gt 0 ] && { [ "$running" -ge "$JOBS" ] || [ "$alone" = 1 ]; }; do
		wait -n
		running=$((running - 1))
	done
	if [ "$alone" = 1 ]; then
		run_one "$i" "${scripts[$i]}"
	else
		run_one "$i" "${scripts[$i]}" &
		running=$((running + 1))
	fi
	# print, in order, every script that has finished
	while [ "$next_report" -lt "$i" ] && [ -e "$outdir/$next_report.rc" ]; do
		report "$next_report" "${scripts[$next_report]}"
		next_report=$((next_report + 1))
	done
done
wait
while [ "$next_report" -lt "${#scripts[@]}" ]; do
	report "$next_report" "${scripts[$next_report]}"
	next_report=$((next_report + 1))
done
echo "e2e: $total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
