#!/bin/sh
# Installs the Debian packages Rapport needs, only those missing: as root with apt-get, else via sudo.
#   install-deps.sh [run|check|bench]
set -eu
# nodejs and npm build the web app (web/); brotli compresses its files at build time; chromium runs
# the browser tests
run="gcc g++ make pkg-config libpq-dev libsqlite3-dev libjansson-dev libsodium-dev libcurl4-openssl-dev libcsv-dev libh2o-evloop-dev libssl-dev zlib1g-dev libcmark-dev libphonenumber-dev tzdata brotli nodejs npm"
check="$run libcmocka-dev curl jq python3 python3-aiosmtpd openssl sqlite3 postgresql clang-14 libclang-rt-14-dev chromium"
bench="$check wrk nginx-light time"
case "${1:-run}" in
  run) want=$run ;;
  check) want=$check ;;
  bench) want=$bench ;;
  *) echo "usage: $0 [run|check|bench]" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  # node (with its npm) may come from elsewhere than Debian, as on machines with NodeSource's build
  case $p in nodejs) command -v node >/dev/null 2>&1 && continue ;; npm) command -v npm >/dev/null 2>&1 && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# the checks' npm tools (the OpenAPI linter) need node; Debian's own unless one is already on the PATH
if [ "${1:-run}" != run ] && ! command -v node >/dev/null 2>&1; then
  missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
