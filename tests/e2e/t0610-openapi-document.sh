#!/usr/bin/env bash
# t0610: `rapport openapi` prints, without a server or a database, the same document that
# GET /api/v1/openapi.json serves; only `servers` differs (the request's host, or RAPPORT_PUBLIC_URL).
. "$(dirname "$0")/lib.sh"

unset RAPPORT_PUBLIC_URL
start_server
cli_doc() { jq -e "$@" <<<"$CLI_DOC" >/dev/null 2>&1; } # cli_doc FILTER: the CLI's document passes FILTER

cli openapi
expect_rc 0 "rapport openapi needs no --db and no server"
CLI_DOC=$OUT
check "it prints one JSON document" cli_doc '.openapi == "3.0.3"'
check "its servers is / (this server) without RAPPORT_PUBLIC_URL" cli_doc '.servers == [{"url":"/","description":"this server"}]'

api GET /api/v1/openapi.json
expect_status 200 "GET /api/v1/openapi.json"
check "the route names the server the request reached" jqe --arg b "$BASE" '.servers[0].url == $b'
check "and is otherwise the CLI's document, byte for byte in meaning" \
	test "$(jq -S -c 'del(.servers)' <<<"$BODY")" = "$(jq -S -c 'del(.servers)' <<<"$CLI_DOC")"

api GET /api/v1/openapi.json "" -H 'Host: evil.example/"><script>'
check "a Host that is not a plain host[:port] is not echoed into the document" jqe '.servers[0].url == "/"'

# behind a proxy: RAPPORT_PUBLIC_URL, for the CLI and the server alike
export RAPPORT_PUBLIC_URL=https://crm.example.org/rapport
cli openapi
CLI_DOC=$OUT
check "the CLI takes servers from RAPPORT_PUBLIC_URL" cli_doc '.servers[0].url == "https://crm.example.org/rapport"'
start_another_server
SAVED=$BASE BASE=$BASE2
api GET /api/v1/openapi.json
BASE=$SAVED
check "a server with RAPPORT_PUBLIC_URL serves exactly the CLI's document" \
	test "$(jq -S -c . <<<"$BODY")" = "$(jq -S -c . <<<"$CLI_DOC")"
unset RAPPORT_PUBLIC_URL

# what the document promises, the server does: a route described as taking no parameters refuses them
api GET "/healthz?verbose=1"
expect_error 400 invalid_parameter - "GET /healthz?verbose=1 is refused: healthz takes no parameters"
check "the document lists that 400" cli_doc '.paths["/healthz"].get.responses | has("400")'
api GET "/api/v1/pipeline?stage=x"
expect_error 400 invalid_parameter - "the pipeline refuses parameters too"

server_alive "the OpenAPI document"
