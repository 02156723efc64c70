#!/usr/bin/env bash
# run-all.sh UNIT_BINARY... — runs the unit tests (cmocka, TAP output) and the end-to-end suite, then
# prints one line summing them all: "N passed, N failed, N skipped" (a skipped test or suite does not
# apply here, and is never counted as passed). Exits non-zero if anything failed.
set -u
cd "$(dirname "$0")/.." || exit 2
passed=0 failed=0 skipped=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
for t in "$@"; do
  echo "=== unit: $(basename "$t")"
  out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1)
  rc=$?
  echo "$out"
  p=$(grep -E '^ok [0-9]+' <<<"$out" | grep -cvE '# SKIP')
  s=$(grep -cE '^ok [0-9]+.*# SKIP' <<<"$out")
  f=$(grep -cE '^not ok [0-9]+' <<<"$out")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "not ok - $(basename "$t") exited $rc"
    f=1
  fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done
# suite NAME COMMAND... — runs a script that prints "ok"/"not ok" lines, and counts them.
suite() {
  local name=$1 out
  shift
  echo "=== $name"
  out=$("$@" 2>&1)
  echo "$out"
  passed=$((passed + $(grep -c '^ok ' <<<"$out"))) failed=$((failed + $(grep -c '^not ok ' <<<"$out")))
}
# fuzz TARGET MAX_LEN CORPUS WHAT — a libFuzzer target for five seconds from its committed seeds (make fuzz
# runs it longer); WHAT says what a failure found.
fuzz() {
  local target=$1 max_len=$2 corpus=$3 what=$4 dir out
  echo "=== fuzz ($target)"
  dir=$(mktemp -d /tmp/rapport-fuzz.XXXXXX)
  if out=$(build/fuzz/"$target" -max_total_time=5 -max_len="$max_len" "$dir" "$corpus" 2>&1); then
    echo "ok - $target: $(grep -oE 'Done [0-9]+ runs' <<<"$out" | tail -n 1) without $what"
    passed=$((passed + 1))
  else
    echo "$out" | tail -n 30
    echo "not ok - $target found $what (its input is in the lines above)"
    failed=$((failed + 1))
  fi
  rm -rf "$dir"
}
suite layers tests/layers.sh                 # the layering rules of docs/architecture.md, one line per folder
fuzz fuzz_template 4096 fuzz/corpus/template "a crash or a value that escaped its part"
suite openapi tests/openapi.sh               # the committed docs/openapi.json is the binary's, and lint clean
suite banned tests/banned.sh                 # the C library calls src/util/banned.h makes compile errors
fuzz fuzz_import_csv 65536 fuzz/corpus/import_csv "a crash"
# The web app in Debian's chromium (tests/web/run.sh), one line per check: it runs beside the e2e rounds
# below (its own server and database), into its own log, counted after them.
e2e_logs=$(mktemp -d /tmp/rapport-e2e-logs.XXXXXX)
echo "=== web, beside the e2e rounds (at ${SECONDS} s)"
RAPPORT_BIN=${RAPPORT_BIN:-$PWD/rapport} tests/web/run.sh >"$e2e_logs/web" 2>&1 &
web_suite=$!
count_web() {
  local out p f
  wait "$web_suite"
  echo "=== web"
  out=$(cat "$e2e_logs/web")
  echo "$out"
  p=$(grep -c '^ok ' <<<"$out") f=$(grep -c '^not ok ' <<<"$out")
  if ! grep -qE '^web: [0-9]+ passed, [0-9]+ failed$' <<<"$out" && [ "$f" -eq 0 ]; then
    echo "not ok - the browser suite printed no summary"
    f=1
  fi
  passed=$((passed + p)) failed=$((failed + f))
}
# The end-to-end suite runs twice, on SQLite files and on a throwaway PostgreSQL cluster, the two rounds
# at the same time (each runs E2E_JOBS scripts at once; the scripts mostly wait, on servers and sleeps),
# each into its own log, printed whole one after the other.
# count_e2e LABEL LOG : prints a round's log and adds up its summary line
count_e2e() {
  local line p f s
  echo "=== e2e ($1)"
  cat "$2"
  line=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$2" | tail -n 1)
  if [ -n "$line" ]; then
    p=${line#e2e: }; p=${p%% passed*}
    f=${line##*passed, }; f=${f%% failed*}
    s=$(sed -nE 's/^.*, ([0-9]+) skipped$/\1/p' <<<"$line")
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
  else
    echo "not ok - the e2e suite ($1) printed no summary"
    failed=$((failed + 1))
  fi
}
pgdir=$(mktemp -d /tmp/rapport-pg.XXXXXX)
trap 'tests/pg-cluster.sh stop "$pgdir"; rm -rf "$pgdir" "$e2e_logs"' EXIT
if pg_url=$(tests/pg-cluster.sh start "$pgdir"); then
  E2E_PG_URL=$pg_url E2E_PG_DIR=$pgdir tests/e2e/run.sh >"$e2e_logs/postgres" 2>&1 &
  pg_round=$!
else
  echo "not ok - start a throwaway PostgreSQL cluster"
  failed=$((failed + 1))
  pg_round=
fi
echo "=== e2e, both rounds (at ${SECONDS} s)"
tests/e2e/run.sh >"$e2e_logs/sqlite" 2>&1
count_e2e sqlite "$e2e_logs/sqlite"
if [ -n "$pg_round" ]; then
  wait "$pg_round"
  count_e2e postgres "$e2e_logs/postgres"
fi
count_web
# The benchmark's smoke run: size S for a second per scenario, so the bench cannot rot unnoticed.
echo "=== bench smoke (at ${SECONDS} s)"
if bench/run.sh smoke >/tmp/rapport-bench-smoke.log 2>&1 && grep -q '^| get one client |' bench/results/smoke.md &&
  grep -q '^| Clients |' bench/results/smoke.md &&
  grep -q '^| leavers flagged at risk 30 days or more before leaving | ≥ 90 % | [0-9.]* % |' bench/results/smoke.md &&
  grep -q '^| bound: leavers flagged 30 days early .* | | [0-9.]* % (stayers [0-9.]* %) |' bench/results/smoke.md; then
  echo "ok - bench/run.sh smoke ran every scenario"
  passed=$((passed + 1))
else
  tail -n 20 /tmp/rapport-bench-smoke.log
  echo "not ok - bench/run.sh smoke"
  failed=$((failed + 1))
fi
echo "=== all suites took ${SECONDS} s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
