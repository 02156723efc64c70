#!/usr/bin/env bash
# t2840: the health score's settings answer for themselves. GET /api/v1/settings/health names every
# factor with its weight in force and its default, the bands, and every threshold (red flags marked)
# with its value and default — also in a workspace with no clients, so a settings page needs no client
# to read them from; a changed weight or threshold shows there; any member may read, no parameters.
. "$(dirname "$0")/lib.sh"

start_server # no --demo: a workspace without a single client
api GET /api/v1/clients
check "the workspace has no clients" jqe '.data == []'
api GET /api/v1/settings/health
expect_status 200 "GET /settings/health with no clients"
check "every factor, with its weight and default (reply_latency 15 of 15)" jqe \
	'(.factors | length) == 8 and (.factors | map(.factor) | index("satisfaction") != null) and (.factors[] | select(.factor == "reply_latency") | .weight == 15 and .default == 15)'
check "the bands with their defaults" jqe '.bands.healthy == 70 and .bands.watch == 40 and .bands.default_healthy == 70'
check "every threshold, the red flags marked" jqe \
	'(.thresholds | length) > 30 and ([.thresholds[] | select(.flag)] | length) >= 8 and (.thresholds[] | select(.name == "flag_nps_at_most") | .flag and .value == 6 and .default == 6) and (.thresholds[] | select(.name == "silence_days") | .flag | not)'
api GET /api/v1/workspaces
WS=$(jqr '.data[0].id') V=$(jqr '.data[0].version')
api PATCH "/api/v1/workspaces/$WS" "{\"version\":$V,\"health_settings\":{\"weights\":{\"reply_latency\":0,\"satisfaction\":30},\"bands\":{\"healthy\":75,\"watch\":45},\"thresholds\":{\"flag_nps_at_most\":5}}}"
expect_status 200 "the owner changes weights, bands and a flag"
api GET /api/v1/settings/health
check "the settings in force are answered, the defaults beside them" jqe \
	'(.factors[] | select(.factor == "reply_latency") | .weight == 0 and .default == 15) and (.factors[] | select(.factor == "satisfaction") | .weight == 30) and .bands.healthy == 75 and .bands.default_healthy == 70 and (.thresholds[] | select(.name == "flag_nps_at_most") | .value == 5 and .default == 6)'
create users '{"email":"vic@example.com","role":"viewer","password":"viewer-horse-battery-4"}' "a viewer"
TOKEN=$(new_token vic@example.com) api GET /api/v1/settings/health
expect_status 200 "a viewer reads them too"
api GET '/api/v1/settings/health?x=1'
expect_error 400 invalid_parameter - "it takes no parameters"
