#!/usr/bin/env bash
# t1710: imports as background jobs, and files that are not what they should be. The API answers 202 with
# an import to poll: its phase, rows done, counts and first errors while it runs, its report once it has
# ended; a file larger than one slice takes several; another workspace cannot see it; a cancelled import
# stops. UTF-16 and Windows-1252 files are converted; a NUL, broken quoting, 20,000 columns and a header
# repeated are refused with their row and column, and nothing is written. A text cell Rapport wrote with
# a formula guard (') comes back without it.
. "$(dirname "$0")/lib.sh"

start_server
create clients '{"name":"Acme Ltd","stage":"active"}' "an existing client, Acme Ltd"
ACME=$ID

post_csv() { # post_csv FILE [QUERY]
	api POST "/api/v1/contacts/import${2:+?$2}" "" -H 'Content-Type: text/csv' --data-binary "@$1"
}

# ---- a file of several slices: progress, then the report
cli seed --contacts-csv 1200 --seed 5 --db "$DB"
printf '%s\n' "$OUT" >"$TMP/many.csv"
post_csv "$TMP/many.csv"
expect_status 202 "POST answers 202 at once"
IMP=$(jqr .id)
expect_jq '.status + " " + (.rows_total|tostring)' "queued 1200" "the import is queued, with about 1,200 rows"
wait_import "$IMP"
expect_jq '[.status, .phase, .rows_done, .imported, .skipped, .result.imported] | map(tostring) | join(",")' \
	"done,write,1200,1200,0,1200" "all 1,200 rows checked, then written, in slices"
expect_jq '.result.clients_created > 0' "true" "the companies it named became clients"
expect_count contacts 1200 "1,200 contacts"
api GET "/api/v1/contacts?limit=500"
expect_jq '[.data[].phone | select(startswith("'"'"'"))] | length' "0" \
	"the seed's phones (written with a formula guard, '+1 555 ...) come back without the '"
api GET "/api/v1/audit?action=import"
expect_jq '.data[0].after.rows' "1200" "one audit entry for the import"

# ---- another workspace cannot see or cancel it
cli workspace add --db "$DB" --name "Second Shop" --owner-email boss2@example.com
T2=$(new_token boss2@example.com)
TOKEN=$T2 api GET "/api/v1/imports/$IMP"
expect_error 404 not_found - "another workspace's import is not found"
TOKEN=$T2 api DELETE "/api/v1/imports/$IMP"
expect_error 404 not_found - "nor can it be cancelled from there"
TOKEN=$T2 api GET "/api/v1/imports"
expect_jq '.data | length' "0" "nor listed there"
api GET "/api/v1/imports?limit=5"
expect_jq '.data | map(.id) | index("'"$IMP"'") != null' "true" "GET /imports lists the workspace's imports"
api GET "/api/v1/imports?limit=0"
expect_error 400 invalid_parameter limit "a limit out of range is named"
api DELETE "/api/v1/imports/$IMP"
expect_error 409 conflict status "an import that has ended cannot be cancelled"
create users '{"email":"viewer@example.com","role":"viewer","password":"correct horse battery"}' "a viewer"
VT=$(new_token viewer@example.com)
TOKEN=$VT api GET "/api/v1/imports/$IMP"
expect_status 200 "a viewer may watch an import"
TOKEN=$VT api DELETE "/api/v1/imports/$IMP"
expect_error 403 forbidden - "but not cancel it"

# ---- cancel: a queued import never starts, a running one stops after its slice (the worker may have
# claimed it already: either way the import's counts say what it kept)
post_csv "$TMP/many.csv" "skip_invalid=true"
IMP2=$(jqr .id)
api DELETE "/api/v1/imports/$IMP2"
expect_status 200 "DELETE /imports/{id} cancels"
wait_import "$IMP2"
expect_jq '.status' "cancelled" "the import is cancelled"
KEPT=$(jqr .imported)
check "it stopped before the end ($KEPT of 1200 rows kept)" test "$KEPT" -lt 1200
sleep 1
expect_count contacts $((1200 + KEPT)) "nothing more was written than the slices it reports"

# ---- encodings: UTF-16 (with a BOM, as Outlook and Excel write it) and Windows-1252
printf 'first_name,last_name,email,company\nZoë,Åberg,zoe@example.com,Acme Ltd\n' | iconv -f UTF-8 -t UTF-16 >"$TMP/u16.csv"
post_csv "$TMP/u16.csv"
wait_import "$(jqr .id)"
expect_jq '[.status, .options.encoding, .imported] | map(tostring) | join(",")' "done,utf-16le,1" "a UTF-16 file is converted"
printf 'first_name,last_name,email,company\nJos\xe9,M\xfcller,jose@example.com,Acme Ltd\n' >"$TMP/latin1.csv"
post_csv "$TMP/latin1.csv"
wait_import "$(jqr .id)"
expect_jq '[.status, .options.encoding] | join(",")' "done,windows-1252" "a Latin-1 file is read as Windows-1252"
api GET "/api/v1/contacts?client_id=$ACME&sort=first_name"
expect_jq '.data | map(.first_name + " " + .last_name) | join(";")' "José Müller;Zoë Åberg" "their names come through intact"
cli import contacts "$TMP/latin1.csv" --db "$DB" --as "$ADMIN_EMAIL" --dry-run
expect_rc 0 "the CLI reads it too"
check "and says what it read" grep -q "read as windows-1252" <<<"$ERR"

# ---- the CLI on a terminal draws a progress bar; elsewhere it prints no bar
script -qec "$RAPPORT_BIN import contacts $TMP/many.csv --db $DB --as $ADMIN_EMAIL --dry-run" /dev/null >"$TMP/tty.out" 2>&1
check "on a terminal, rapport import draws a progress bar" grep -q 'check  \[[#.]*\] *[0-9]*%  [0-9]* of 1200 rows' "$TMP/tty.out"
cli import contacts "$TMP/many.csv" --db "$DB" --as "$ADMIN_EMAIL" --dry-run
check "not on a terminal: no bar" test "$(grep -c '\[' <<<"$ERR")" = 0

# ---- refused: nothing written, the row and column named
printf 'first_name,email,company\nNul,n\0ul@example.com,Acme Ltd\n' >"$TMP/nul.csv"
post_csv "$TMP/nul.csv"
expect_error 422 invalid_value - "a NUL in a cell is refused at once"
expect_jq '.error.message | test("row 2, column 2")' "true" "naming row 2, column 2"
cli import contacts "$TMP/nul.csv" --db "$DB" --as "$ADMIN_EMAIL"
expect_cli_error 5 "the CLI refuses it too"

printf 'first_name,email,company\nOk,ok@example.com,Acme Ltd\n"Broken,b@example.com,Acme Ltd\n' >"$TMP/quote.csv"
post_csv "$TMP/quote.csv"
wait_import "$(jqr .id)"
expect_jq '.status + " " + .result.error.code' "failed invalid_value" "broken quoting fails the import"
expect_jq '.result.error.message | test("row 3")' "true" "naming row 3"

python3 -c 'import sys; print(",".join("c%d" % i for i in range(20000))); print(",".join("x" for i in range(20000)))' >"$TMP/wide.csv"
post_csv "$TMP/wide.csv"
wait_import "$(jqr .id)"
expect_jq '.status + " " + (.result.error.message | test("20000 columns") | tostring)' "failed true" \
	"20,000 columns are refused, saying how many"

printf 'first_name,email,first_name,company\nA,a@example.com,B,Acme Ltd\n' >"$TMP/twice.csv"
post_csv "$TMP/twice.csv"
wait_import "$(jqr .id)"
expect_jq '.status + " " + .result.error.field' "failed first_name" "a column named twice is refused, naming it"
cli import contacts "$TMP/twice.csv" --db "$DB" --as "$ADMIN_EMAIL"
expect_cli_error 5 "the CLI refuses it too"
printf 'first_name,email,company\nA,a@example.com,Acme Ltd\nfirst_name,email,company\nB,b@example.com,Acme Ltd\n' >"$TMP/joined.csv"
post_csv "$TMP/joined.csv"
wait_import "$(jqr .id)"
expect_jq '.status + " " + .result.errors[0].message' "refused row 3 repeats the header row (two files joined together?)" \
	"a header row repeated inside the file is refused, naming its row"
expect_count contacts $((1202 + KEPT)) "none of the refused files wrote anything"

# ---- a formula guard Rapport wrote comes off again; numbers are left alone
printf "first_name,last_name,title,company\n'=Eve,'-Dash,'@home,Acme Ltd\n" >"$TMP/guarded.csv"
cli import contacts "$TMP/guarded.csv" --db "$DB" --as "$ADMIN_EMAIL" --json
expect_rc 0 "a file with guarded cells imports"
api GET "/api/v1/contacts?client_id=$ACME&limit=50"
expect_jq '.data | map(select(.first_name == "=Eve"))[0] | [.first_name, .last_name, .title] | join(" ")' "=Eve -Dash @home" "each leading ' is taken off"
server_alive "the import jobs"
