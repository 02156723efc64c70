#!/usr/bin/env bash
# t1700: importing records from CSV, through the CLI and the API. A spreadsheet export (byte-order mark,
# CRLF, labels for headers, quoted cells with commas, quotes and line breaks, a column we do not know)
# finds its clients by name and creates the missing ones, keeping the unknown column in a note; a file with one bad row is refused whole;
# --skip-invalid and --dry-run; a large file takes the bulk path and stays searchable; an entity with
# rules (interactions) goes row by row through them; the API's text/csv endpoint (a background job) and
# its errors.
. "$(dirname "$0")/lib.sh"

export RAPPORT_NOW=2026-11-23T10:00:00Z
start_server

create clients '{"name":"Acme Ltd","stage":"active"}' "an existing client, Acme Ltd"
ACME=$ID

# ---- a spreadsheet's export: BOM, CRLF, labels, quoting, an unknown column, companies by name
printf '\xEF\xBB\xBFFirst name,Last name,Email,Job title,Company,Favourite colour\r\n' >"$TMP/people.csv"
printf 'Ada,Lovelace,ada@example.com,"Analyst, Engines",acme ltd,blue\r\n' >>"$TMP/people.csv"
printf '"Grace ""Amazing""",Hopper,grace@example.com,"Rear\nAdmiral",Navy Yard,\r\n' >>"$TMP/people.csv"
printf 'Zoë,Åberg,zoe@example.com,,Navy Yard,green\r\n' >>"$TMP/people.csv"
cli import contacts "$TMP/people.csv" --db "$DB" --json
expect_rc 0 "rapport import contacts: a spreadsheet's export goes in"
BODY=$OUT
expect_jq '[.rows, .imported, .skipped, .clients_created] | join(",")' "3,3,0,1" \
	"3 rows, 3 imported, none skipped, 1 new client (Navy Yard; acme ltd is Acme Ltd)"
expect_jq '.columns["First name"] + " " + .columns["Job title"] + " " + .columns.Company' \
	"first_name title client (by name)" "headers by label: First name -> first_name, Job title -> title"
expect_jq '.columns["Favourite colour"]' 'a note on the record (as "column: value")' \
	"the unknown column is kept, in a note on the contact"
api GET "/api/v1/interactions?type=note"
expect_jq '[.data[].summary] | sort | join(";")' "Favourite colour: blue;Favourite colour: green" \
	"one note for each contact that had a value there"

api GET "/api/v1/contacts?client_id=$ACME"
expect_jq '.data | map(.first_name + " " + .last_name + " / " + .title) | join(";")' \
	"Ada Lovelace / Analyst, Engines" "Ada joins the existing Acme Ltd, her quoted title keeps its comma"
api GET "/api/v1/clients?q=Navy"
NAVY=$(jqr '.data[0].id')
check "Navy Yard was created as a client" test -n "$NAVY" -a "$NAVY" != null
api GET "/api/v1/contacts?client_id=$NAVY"
expect_jq '.data | map(.first_name) | sort | join("|")' 'Grace "Amazing"|Zoë' \
	"doubled quotes are one quote; UTF-8 names come through"
expect_jq '.data | map(select(.last_name == "Hopper"))[0].title' 'Rear Admiral' \
	"a line break inside quotes is a space in a one-line field (docs/security.md)"
api GET "/api/v1/audit?action=import"
expect_jq '.data[0].entity + " " + (.data[0].after.rows|tostring) + " " + .data[0].after.source' \
	"contacts 3 $TMP/people.csv" "one audit entry records the import, its rows and its file"
api GET "/api/v1/search?q=Lovelace"
expect_jq '.data | map(.type) | index("contact") != null' "true" "an imported contact is found by search"
expect_count contacts 3 "3 contacts in all"

# ---- one bad row refuses the whole file: nothing written, every problem named
printf 'first_name,email,company\nKit,kit@example.com,Brand New Co\nBad,not-an-email,Acme Ltd\nLen,len@example,Acme Ltd\n' \
	>"$TMP/bad.csv"
cli import contacts "$TMP/bad.csv" --db "$DB"
expect_rc 5 "a file with invalid rows is refused (exit 5)"
check "stderr names the row, column and problem" grep -q "row 3, email: email is not an email address" <<<"$ERR"
check "and the second bad row too" grep -q "row 4, email" <<<"$ERR"
check "and says nothing was imported" grep -q "2 of 3 rows are invalid, so nothing was imported" <<<"$ERR"
expect_count contacts 3 "still 3 contacts: the valid row of a refused file is not kept"
api GET "/api/v1/clients?q=Brand"
expect_jq '.data | length' "0" "the client the refused file named was not created either"

cli import contacts "$TMP/bad.csv" --db "$DB" --dry-run --skip-invalid
expect_rc 0 "--dry-run --skip-invalid reports what would happen"
check "the dry run says 1 of 3 would be imported" grep -q "dry run: 1 of 3 rows" <<<"$OUT"
expect_count contacts 3 "a dry run keeps nothing"

cli import contacts "$TMP/bad.csv" --db "$DB" --skip-invalid --json
expect_rc 0 "--skip-invalid keeps the valid rows"
BODY=$OUT
expect_jq '[.imported, .skipped, (.errors|map(.row)|join("+"))] | join(",")' "1,2,3+4" \
	"1 imported, 2 skipped: rows 3 and 4"
expect_count contacts 4 "the valid row is in"

# ---- files that cannot be read
printf 'first_name,email,company\n"Unclosed,x@example.com,Acme Ltd\n' >"$TMP/broken.csv"
cli import contacts "$TMP/broken.csv" --db "$DB"
expect_cli_error 5 "an unclosed quote is not valid CSV"
printf 'type,subject\ncall,No client\n' >"$TMP/noclient.csv"
cli import interactions "$TMP/noclient.csv" --db "$DB"
expect_cli_error 5 "interactions without the client (nor company) are refused"
check "the reason names client_id" grep -q "client_id" <<<"$ERR"
: >"$TMP/empty.csv"
cli import contacts "$TMP/empty.csv" --db "$DB"
expect_cli_error 5 "an empty file is refused"
cli import users "$TMP/people.csv" --db "$DB"
expect_cli_error 2 "users (passwords, roles) cannot be imported"
cli import contacts "$TMP/nonexistent.csv" --db "$DB"
expect_cli_error 2 "a file that is not there is a usage error"
expect_count contacts 4 "none of those wrote anything"

# ---- a large file with --bulk: one transaction (SQLite suspends the search triggers and indexes, then rebuilds)
cli seed --contacts-csv 1500 --seed 3 --db "$DB"
printf '%s\n' "$OUT" >"$TMP/many.csv"
LAST_FIRST=$(tail -n 1 "$TMP/many.csv" | cut -d, -f3 | cut -d@ -f1)
cli import contacts "$TMP/many.csv" --db "$DB" --json --bulk
expect_rc 0 "1,500 generated contacts go in (--bulk: one transaction)"
BODY=$OUT
expect_jq '.imported' "1500" "all 1,500 imported"
expect_count contacts 1504 "1,504 contacts in all"
api GET "/api/v1/search?q=$LAST_FIRST"
expect_jq '.data | map(select(.type == "contact")) | length >= 1' "true" "the last row of the large file is searchable"
create contacts "$(jq -nc --arg c "$ACME" '{client_id:$c,first_name:"Quentin",last_name:"Afterbulk"}')" \
	"a contact created after the bulk load"
api GET "/api/v1/search?q=Afterbulk"
expect_jq '.data | map(select(.type == "contact")) | length' "1" "search triggers are back after the bulk load"
api GET "/api/v1/contacts?client_id=$ACME&sort=last_name&limit=2"
expect_status 200 "lists by client, sorted, still answer after the indexes were rebuilt"

# ---- an entity with rules: interactions go through record_create, so a call without a summary is flagged
printf 'type,direction,occurred_at,subject,summary,company\ncall,outbound,2026-11-20T10:00:00Z,Kickoff,,Acme Ltd\nemail,inbound,2026-11-21T09:00:00Z,Re: kickoff,Thanks,Acme Ltd\n' \
	>"$TMP/talks.csv"
cli import interactions "$TMP/talks.csv" --db "$DB" --json
expect_rc 0 "interactions import row by row"
api GET "/api/v1/interactions?client_id=$ACME&needs_summary=true"
expect_jq '.data | map(.subject) | join(",")' "Kickoff" "the imported call without a summary is flagged by the rules"

# ---- the API: POST /{entity}/import with a text/csv body answers 202 with a job to poll
printf 'first_name,email,company\nApi,api@example.com,Acme Ltd\nBad,nope,Acme Ltd\n' >"$TMP/api.csv"
api POST /api/v1/contacts/import "" -H 'Content-Type: text/csv' --data-binary "@$TMP/api.csv"
expect_status 202 "POST /contacts/import answers 202: the import is a background job"
wait_import "$(jqr .id)"
expect_jq '.status + " " + (.result.errors[0].row|tostring) + " " + .result.errors[0].column' "refused 3 email" \
	"an invalid row refuses the file: the report names row 3, column email"
api POST "/api/v1/contacts/import?skip_invalid=true&dry_run=true" "" -H 'Content-Type: text/csv' --data-binary "@$TMP/api.csv"
wait_import "$(jqr .id)"
expect_jq '[.status, .result.dry_run, .result.imported] | map(tostring) | join(",")' "done,true,1" \
	"dry_run=true&skip_invalid=true: 1 would go in"
api POST "/api/v1/contacts/import?skip_invalid=true" "" -H 'Content-Type: text/csv' --data-binary "@$TMP/api.csv"
wait_import "$(jqr .id)"
expect_jq '[.status, .imported, .skipped] | map(tostring) | join(",")' "done,1,1" "skip_invalid=true: the valid row goes in"
expect_count contacts 1506 "1,506 contacts: only the API's valid row was added"
api POST /api/v1/contacts/import "" -H 'Content-Type: text/plain' --data-binary "@$TMP/api.csv"
expect_error 415 unsupported_media_type - "a CSV sent as text/plain is refused"
api POST "/api/v1/contacts/import?dryrun=true" "" -H 'Content-Type: text/csv' --data-binary "@$TMP/api.csv"
expect_error 400 invalid_parameter dryrun "an unknown parameter is named"
api POST /api/v1/users/import "" -H 'Content-Type: text/csv' --data-binary "@$TMP/api.csv"
expect_error 405 method_not_allowed - "users cannot be imported through the API either"
VIEWER_EMAIL=viewer@example.com
create users '{"email":"viewer@example.com","role":"viewer","password":"correct horse battery"}' "a viewer"
VT=$(new_token "$VIEWER_EMAIL")
TOKEN=$VT api POST /api/v1/contacts/import "" -H 'Content-Type: text/csv' --data-binary "@$TMP/api.csv"
expect_error 403 forbidden - "a viewer cannot import"
expect_count contacts 1506 "nothing written by the refused requests"
server_alive "the import requests"
