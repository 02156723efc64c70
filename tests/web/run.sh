#!/usr/bin/env bash
# run.sh — the web app in a real browser: a fresh demo database, a real `rapport serve` on a free
# loopback port, and Debian's chromium driven by playwright-core (web/node_modules) through
# every module tests/web/*.mjs (app.mjs, pipeline.mjs, ...; their shared helpers in lib.mjs). Prints
# one "ok"/"not ok" line per check and "web: N passed, N failed" at the end; screenshots of every
# page at 1280 and 375 px go to build/screenshots/.
#   RAPPORT_BIN=build/asan/rapport [WEB_MODULES=tests/web/app.mjs] tests/web/run.sh [--screenshots-only]
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
RAPPORT_BIN=${RAPPORT_BIN:-$ROOT/rapport}
CHROMIUM=${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}
tmp=$(mktemp -d /tmp/rapport-web.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
die() { echo "not ok - $1"; echo "web: 0 passed, 1 failed"; exit 1; }

[ -x "$RAPPORT_BIN" ] || die "the binary $RAPPORT_BIN exists"
[ -x "$CHROMIUM" ] || die "chromium is installed (scripts/install-deps.sh check)"
[ -d web/node_modules/playwright-core ] || die "web/node_modules has playwright-core (make runs npm ci)"

export RAPPORT_ADMIN_PASSWORD='web-test-owner-pass-1'
export RAPPORT_USER_PASSWORD='web-test-user-pass-2'
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
db=$tmp/web.db
"$RAPPORT_BIN" init --db "$db" --admin-email owner@example.com --demo >"$tmp/init.log" 2>&1 || die "rapport init --demo ($(tail -n 3 "$tmp/init.log"))"
token=$("$RAPPORT_BIN" token create --db "$db" --user owner@example.com 2>>"$tmp/init.log") || die "rapport token create"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$RAPPORT_BIN" serve --db "$db" --listen "127.0.0.1:$port" >"$tmp/server.log" 2>&1 </dev/null &
pid=$!
for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz" || die "rapport serve answers ($(tail -n 3 "$tmp/server.log"))"

mkdir -p build/screenshots
# every test module (tests/web/*.mjs but the shared lib.mjs), one after another against this server;
# each ends with its own "web: N passed, N failed", and the last line here adds them up
rc=0 passed=0 failed=0
for mod in ${WEB_MODULES:-tests/web/*.mjs}; do # WEB_MODULES=tests/web/x.mjs runs one
  [ "$(basename "$mod")" = lib.mjs ] && continue
  BASE=http://127.0.0.1:$port OWNER_TOKEN=$token OWNER_EMAIL=owner@example.com OWNER_PASSWORD=$RAPPORT_ADMIN_PASSWORD \
    CHROMIUM=$CHROMIUM SHOTS=$ROOT/build/screenshots NODE_PATH=$ROOT/web/node_modules \
    timeout -k 10 300 node "$mod" "$@" >"$tmp/module.out" 2>&1
  [ $? -eq 0 ] || rc=1
  grep -v '^web: ' "$tmp/module.out"
  summary=$(grep -E '^web: [0-9]+ passed, [0-9]+ failed$' "$tmp/module.out" | tail -n 1)
  if [ -z "$summary" ]; then echo "not ok - $mod printed its summary"; failed=$((failed + 1)); rc=1; continue; fi
  p=${summary#web: }; p=${p%% passed*}; f=${summary##*passed, }; f=${f%% failed}
  passed=$((passed + p)) failed=$((failed + f))
done
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/server.log"; then
  echo "not ok - the server log is free of sanitizer reports"
  grep -m3 -E 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/server.log"
  rc=1 failed=$((failed + 1))
fi
echo "web: $passed passed, $failed failed"
exit $rc
