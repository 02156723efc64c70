#!/usr/bin/env bash
# openapi.sh — the committed API description is the binary's, and it is lint clean. Two lines, counted by
# tests/run-all.sh:
#   - docs/openapi.json equals `rapport openapi` (run `make openapi` after changing a route or an entity),
#     so the web app's build reads a committed file instead of running the server;
#   - Redocly CLI's recommended rules (tools/openapi-lint, npm ci'd by make check) find no error and no
#     warning in it.
set -u
cd "$(dirname "$0")/.." || exit 2
bin=${RAPPORT_BIN:-./rapport}
status=0
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
if env -u RAPPORT_PUBLIC_URL "$bin" openapi >"$fresh" && cmp -s "$fresh" docs/openapi.json; then
	echo "ok - docs/openapi.json is what rapport openapi prints"
else
	diff -u docs/openapi.json "$fresh" | head -n 20
	echo "not ok - docs/openapi.json differs from rapport openapi: run make openapi and commit it"
	status=1
fi
lint=tools/openapi-lint
out=$(cd "$lint" && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	node_modules/.bin/redocly lint --config redocly.yaml --format=summary --max-problems=50 ../../docs/openapi.json 2>&1)
rc=$?
# the summary names each rule with a problem, "error"/"warning" first on its line
if [ "$rc" -eq 0 ] && ! grep -qE '^(error|warning) ' <<<"$out" && grep -q 'Your API description is valid' <<<"$out"; then
	echo "ok - docs/openapi.json is lint clean under Redocly CLI's recommended rules (no error, no warning)"
else
	echo "$out" | tail -n 20
	echo "not ok - Redocly CLI finds problems in docs/openapi.json (cd $lint && npx redocly lint --config redocly.yaml ../../docs/openapi.json)"
	status=1
fi
exit $status
