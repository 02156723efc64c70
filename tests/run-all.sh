#!/usr/bin/env bash
# run-all.sh UNIT_BINARY... — runs the unit tests (cmocka, TAP output) and the end-to-end suite, then
# prints one line summing them all: "N passed, N failed". Exits non-zero if anything failed.
set -u
cd "$(dirname "$0")/.." || exit 2
passed=0 failed=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
for t in "$@"; do
  echo "=== unit: $(basename "$t")"
  out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1)
  rc=$?
  echo "$out"
  p=$(grep -cE '^ok [0-9]+' <<<"$out")
  f=$(grep -cE '^not ok [0-9]+' <<<"$out")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "not ok - $(basename "$t") exited $rc"
    f=1
  fi
  passed=$((passed + p)) failed=$((failed + f))
done
echo "=== e2e"
e2e_out=$(mktemp)
tests/e2e/run.sh 2>&1 | tee "$e2e_out"
line=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed$' "$e2e_out" | tail -n 1)
rm -f "$e2e_out"
if [ -n "$line" ]; then
  p=${line#e2e: }; p=${p%% passed*}
  f=${line##*passed, }; f=${f%% failed}
  passed=$((passed + p)) failed=$((failed + f))
else
  echo "not ok - the e2e suite printed no summary"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
