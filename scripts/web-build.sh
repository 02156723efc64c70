#!/bin/sh
# web-build.sh deps|build — the web app's two build steps, run by make (see docs/web.md):
#   deps   npm ci in web/ (make runs it only when web/package-lock.json changed), installing Debian's
#          nodejs and npm first where node is missing
#   build  vite build into web/dist, which scripts/embed-web.sh then compiles into the binary
set -eu
cd "$(dirname "$0")/../web"
case "${1:-}" in
  deps)
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || ../scripts/install-deps.sh run
    npm ci --no-audit --no-fund --loglevel=error
    touch node_modules/.installed ;;
  build)
    npm run --silent build ;;
  *) echo "usage: $0 deps|build" >&2; exit 2 ;;
esac
