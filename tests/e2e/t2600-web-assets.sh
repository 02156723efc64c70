#!/usr/bin/env bash
# t2600: the web app embedded in the binary: index.html for pages that accept HTML, hashed assets cached
# for a year, gzip and brotli chosen by Accept-Encoding (q=0 honoured) with an ETag each and Vary, 304
# on a matching If-None-Match; a missing asset or API path is 404; --web-dir serves from disk.
. "$(dirname "$0")/lib.sh"

start_server
TOKEN=
not_app() { ! grep -q '<div id="app">' <<<"$BODY"; }
# head_of PATH [curl args]: STATUS and HEADERS of a GET whose (compressed) body is not kept
head_of() {
  local path=$1; shift
  STATUS=$(curl -sS --max-time "$CURL_TIMEOUT" -o /dev/null -D "$TMP/.h" -w '%{http_code}' "$@" "$BASE$path") || STATUS=000
  HEADERS=$(tr -d '\r' <"$TMP/.h") BODY= LAST_REQ="GET $path"
}

api GET /clients/some-id "" -H 'Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8'
expect_status 200 "a page under /clients answers with the app"
check "it is index.html" grep -q '<div id="app">' <<<"$BODY"
check "index.html is no-cache" [ "$(header cache-control)" = no-cache ]
check "index.html is text/html" grep -q '^text/html' <<<"$(header content-type)"
asset=$(grep -o '/assets/index-[^"]*\.js' <<<"$BODY" | head -n 1)
css=$(grep -o '/assets/index-[^"]*\.css' <<<"$BODY" | head -n 1)
check "index.html names a hashed script and stylesheet" [ -n "$asset" ] && [ -n "$css" ]
check "index.html has no inline script or style" bash -c '! grep -Eq "<script>|<script [^>]*>[^<]|<style|style=" <<<"$1"' _ "$BODY"

api GET / "" -H 'Accept: text/html'
check "/ with Accept: text/html is the app" grep -q '<div id="app">' <<<"$BODY"
api GET /today "" -H 'Accept: application/json'
expect_status 404 "a page that does not accept HTML is not the app (404)"
api GET /clients "" -H 'Accept: text/html;q=0, application/json'
expect_status 404 "text/html;q=0 does not count as accepting HTML"

head_of "$asset" -H 'Accept-Encoding: gzip, deflate, br'
expect_status 200 "the script is served"
check "brotli when offered" [ "$(header content-encoding)" = br ]
check "hashed assets are immutable for a year" [ "$(header cache-control)" = "public, max-age=31536000, immutable" ]
check "Vary: Accept-Encoding" [ "$(header vary)" = Accept-Encoding ]
check "JavaScript content type" grep -q '^text/javascript' <<<"$(header content-type)"
etag_br=$(header etag)
curl -s --compressed -H 'Accept-Encoding: br' "$BASE$asset" -o "$TMP/br.js"
curl -s "$BASE$asset" -o "$TMP/plain.js"
check "the brotli copy decodes to the same bytes" cmp -s "$TMP/br.js" "$TMP/plain.js"

head_of "$asset" -H 'Accept-Encoding: gzip, br;q=0'
check "br;q=0 refuses brotli: gzip instead" [ "$(header content-encoding)" = gzip ]
etag_gz=$(header etag)
check "each encoding has its own ETag" [ -n "$etag_gz" ] && [ "$etag_gz" != "$etag_br" ]
api GET "$asset" "" -H 'Accept-Encoding: *;q=0, identity'
check "*;q=0 gets the file as it is" [ -z "$(header content-encoding)" ]
head_of "$asset" -H 'Accept-Encoding: *'
check "* alone takes the smallest copy (brotli)" [ "$(header content-encoding)" = br ]
api GET "$asset"
check "no Accept-Encoding: no encoding" [ -z "$(header content-encoding)" ]
etag_id=$(header etag)
check "the plain copy has an ETag of its own" [ -n "$etag_id" ] && [ "$etag_id" != "$etag_br" ]

api GET "$asset" "" -H 'Accept-Encoding: br' -H "If-None-Match: $etag_br"
expect_status 304 "If-None-Match with the brotli ETag: 304"
check "a 304 has no body" [ -z "$BODY" ]
head_of "$asset" -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag_br"
expect_status 200 "the brotli ETag does not match the gzip copy"
api GET "$asset" "" -H "If-None-Match: W/$etag_id, \"other\""
expect_status 304 "a weak ETag in a list matches too"

api GET /assets/index-missing.js "" -H 'Accept: text/html'
expect_status 404 "a missing asset is 404, even when HTML is accepted"
api GET /assets/../index.html "" -H 'Accept: text/html'
check "no climbing out of /assets" [ "$STATUS" = 404 ]
api GET /favicon.svg
expect_status 200 "a file at the top of the build is itself"
check "with its type" [ "$(header content-type)" = image/svg+xml ]

TOKEN=$OWNER_TOKEN
api GET /api/v1/nothing-here "" -H 'Accept: text/html'
expect_error 404 not_found - "a missing API path is a JSON 404, never the app"
# the app opens a new client's page at once: its empty timeline (this once tripped UBSan in qsort)
api POST /api/v1/clients '{"name":"Fresh Client"}'
fresh=$(jqr .id)
api GET "/api/v1/clients/$fresh/timeline?limit=25"
expect_jq '.data|length' 0 "a new client's timeline is empty, not an error"
TOKEN=
api GET /portal/x "" -H 'Accept: text/html'
check "/portal is not the app" not_app
api GET /.well-known/carddav "" -H 'Accept: text/html'
check "/.well-known is not the app" not_app
api GET /dav/x "" -H 'Accept: text/html'
check "/dav is not the app" not_app
api GET /healthz
expect_status 200 "/healthz still answers"
check "/healthz is still JSON" jqe '.status == "ok"'

# development: --web-dir serves the files from disk, never cached
stop_server
mkdir -p "$TMP/web/assets"
printf '<!doctype html><title>dev</title><div id="dev-app"></div>\n' >"$TMP/web/index.html"
printf 'console.log(1)\n' >"$TMP/web/assets/app.js"
PORT=$(free_port) || bail "found a free port"
BASE=http://127.0.0.1:$PORT
"$RAPPORT_BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --web-dir "$TMP/web" >>"$TMP/server.log" 2>&1 </dev/null &
SERVER_PID=$!
for i in $(seq 1 100); do curl -s -o /dev/null --max-time 1 "$BASE/healthz" && break; sleep 0.1; done
api GET /clients "" -H 'Accept: text/html'
check "--web-dir serves index.html from disk" grep -q 'dev-app' <<<"$BODY"
api GET /assets/app.js
check "--web-dir serves assets from disk" [ "$BODY" = "console.log(1)" ] && [ "$(header cache-control)" = no-cache ]

