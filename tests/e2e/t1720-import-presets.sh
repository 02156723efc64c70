#!/usr/bin/env bash
# t1720: moving in from other products. Real exports (Google's older CSV, Outlook, Thunderbird, and two
# more, from roundcube's test suite in ../shared/data/interop, read in place) are recognised from their
# header and import with their emails and phones; the dry run shows the mapping used; --map and the API's
# mapping override a preset; a contact without a company becomes a client of their own or joins
# --client; columns Rapport has no field for are kept in a note; HubSpot, Pipedrive, Salesforce, Zoho and
# Google's current export are recognised by their documented columns; deals arrive with their dates.
. "$(dirname "$0")/lib.sh"

INTEROP=${RAPPORT_INTEROP_DIR:-$REPO_ROOT/../shared/data/interop}/csv/roundcube
start_server

import_cli() { # import_cli ENTITY FILE [OPTIONS...] : the CLI's JSON report in BODY
	cli import "$@" --db "$DB" --json
	BODY=$OUT
}

if [ -d "$INTEROP" ]; then
	import_cli contacts "$INTEROP/gmail.csv" --dry-run
	expect_rc 0 "Google's older export: a dry run"
	expect_jq '[.preset, .columns["E-mail 1 - Value"], .columns["Given Name"], .columns["Organization 1 - Name"]] | join(",")' \
		"google-legacy,email,first_name,client (by name)" "recognised, and the dry run shows the mapping used"
	expect_count contacts 0 "the dry run kept nothing"
	for f in gmail outlook tb_plain email all; do
		import_cli contacts "$INTEROP/$f.csv"
		expect_rc 0 "the real export $f.csv imports"
	done
	api GET "/api/v1/contacts?limit=100"
	expect_jq '[.data[].email] | sort | join(" ")' \
		"home@aaa.pl home@example.com test1@domain.tld test1@domain.tld test2@domain.tld test3@domain.tld test4@domain.tld test@domain.tld" \
		"every contact came with its email"
	expect_jq '.data | map(select(.email == "home@example.com"))[0] | [.first_name, .last_name, .phone] | join(" ")' \
		"First Name Last Name 100" "and its name and phone"
	api GET "/api/v1/clients?q=test2&limit=5"
	expect_jq '.data | map(.name) | index("test2@domain.tld") != null' "true" \
		"a contact with no company became a client of their own, named after them"
	api GET "/api/v1/interactions?type=note&limit=100"
	expect_jq '[.data[].summary | select(test("Email Work: work@example.com"))] | length' "1" \
		"columns without a field of their own are kept in a note on the contact"
	expect_jq '[.data[].summary | select(test("Work Phone: phone work"))] | length' "1" \
		"a phone that is no phone number is kept in the note, not refused"

	import_cli contacts "$INTEROP/outlook.csv" --dry-run --map "E-mail 2 Address=email" --map "E-mail Address="
	expect_jq '[.preset, .columns["E-mail 2 Address"], (.ignored_columns | index("E-mail Address") != null | tostring)] | join(",")' \
		"outlook,email,true" "--map overrides the preset (and COLUMN= leaves a column out)"
	api POST "/api/v1/contacts/import?dry_run=true&mapping=$(urlencode '{"E-mail 3 Address":"email","E-mail Address":"notes"}')" "" \
		-H 'Content-Type: text/csv' --data-binary "@$INTEROP/outlook.csv"
	wait_import "$(jqr .id)"
	expect_jq '[.result.preset, .result.columns["E-mail 3 Address"], .result.columns["E-mail Address"]] | join(",")' \
		"outlook,email,a note on the record (as \"column: value\")" "the API's JSON mapping overrides it too"
else
	skip "the real exports (no $INTEROP folder): Google, Outlook, Thunderbird"
fi

# ---- a contact without a company is a client of their own; with --client, they join that one
printf 'first_name,last_name,email\nIndy,Vidual,indy@example.com\n' >"$TMP/indy.csv"
import_cli contacts "$TMP/indy.csv"
expect_jq '.clients_created' "1" "a contact without a company makes a client"
api GET "/api/v1/clients?q=Vidual"
expect_jq '.data | map(.name) | join(",")' "Indy Vidual" "named after the person"
create clients '{"name":"Freelance Pool"}' "a client for people without a company"
POOL=$ID
printf 'First Name,Last Name,E-mail Address\nSam,Solo,sam@example.com\n' >"$TMP/solo.csv"
import_cli contacts "$TMP/solo.csv" --client "Freelance Pool"
expect_jq '.imported' "1" "--client NAME"
api GET "/api/v1/contacts?client_id=$POOL"
expect_jq '.data | map(.email) | join(",")' "sam@example.com" "the contact joined Freelance Pool"

# ---- documented export columns of the CRMs people leave
printf 'Record ID,First Name,Last Name,Email,Phone Number,Job Title,Company Name,Lifecycle Stage\n1,Hub,Spot,hub@example.com,+1 555 0100,CTO,Hub Co,lead\n' >"$TMP/hubspot.csv"
import_cli contacts "$TMP/hubspot.csv"
expect_jq '[.preset, .columns["Company Name"], .columns["Phone Number"]] | join(",")' "hubspot,client (by name),phone" "HubSpot contacts"
printf 'Person - Name,Person - Email,Person - Phone,Person - Organization\nPipe Drive,pipe@example.com,+44 20 7946 0000,Pipe Ltd\n' >"$TMP/pipedrive.csv"
import_cli contacts "$TMP/pipedrive.csv"
expect_jq '[.preset, .columns["Person - Email"], .columns["Person - Name"]] | join(",")' \
	"pipedrive,email,first_name and last_name (when the row has neither)" "Pipedrive people"
api GET "/api/v1/contacts?email=pipe@example.com"
expect_jq '.data[0] | [.first_name, .last_name] | join(" ")' "Pipe Drive" "a full name is split into first and last"
printf 'Contact Owner,First Name,Last Name,Account Name,Title,Email,Phone,Mailing City\nowner,Sales,Force,SF Inc,VP,sf@example.com,555 0101,Paris\n' >"$TMP/salesforce.csv"
import_cli contacts "$TMP/salesforce.csv"
expect_jq '[.preset, .columns["Account Name"]] | join(",")' "salesforce,client (by name)" "Salesforce contacts (report)"
printf 'Record Id,Contact Owner,First Name,Last Name,Account Name,Email,Secondary Email,Mobile\n9,owner,Zo,Ho,Zoho Co,zo@example.com,z2@example.com,555 0102\n' >"$TMP/zoho.csv"
import_cli contacts "$TMP/zoho.csv"
expect_jq '[.preset, .columns.Mobile] | join(",")' "zoho,phone" "Zoho contacts"
printf 'First Name,Middle Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Organization Name,Organization Title\nGoo,,Gle,* myContacts,Work,goo@example.com,Mobile,+1 555 0103 ::: +1 555 0104,Goo Inc,Dev\n' >"$TMP/google.csv"
import_cli contacts "$TMP/google.csv"
expect_jq '[.preset, .columns["Organization Name"]] | join(",")' "google,client (by name)" "Google's current export"
api GET "/api/v1/contacts?email=goo@example.com"
expect_jq '.data[0].phone' "+1 555 0103" "of several values in one cell, the field takes the first"

# ---- matching existing records: by email, by phone in E.164, by company name or domain
create clients '{"name":"Match Co","website":"https://www.match.example"}' "a client to match"
MATCHCO=$ID
create contacts "$(jq -nc --arg c "$MATCHCO" '{client_id:$c,first_name:"Mia",email:"Mia@Example.com"}')" "a contact to match by email"
MIA=$ID
create contacts "$(jq -nc --arg c "$MATCHCO" '{client_id:$c,first_name:"Pat",phone:"+44 20 7946 0001"}')" "one to match by phone"
PAT=$ID
printf 'first_name,last_name,email,phone,company
Mia,Moved,mia@example.com,,Match Co
Patrick,,,020 7946 0001,Match Co
New,Person,new@example.com,,Match Co
' >"$TMP/again.csv"
import_cli contacts "$TMP/again.csv" --dry-run --on-match update --country-code 44
expect_rc 0 "a dry run with --on-match update"
expect_jq '[.imported, .updated, (.actions | map("\(.row) \(.action) \(.matched_by)") | join(";"))] | map(tostring) | join(",")' \
	"1,2,2 update email;3 update phone" "it shows what each row would do: rows 2 and 3 update (by email, by phone), one is new"
api GET "/api/v1/contacts/$MIA"
expect_jq '.last_name' "null" "the dry run changed nothing"
import_cli contacts "$TMP/again.csv" --on-match skip --country-code 44
expect_jq '[.imported, .unchanged] | map(tostring) | join(",")' "1,2" "--on-match skip: the matched rows are left alone"
import_cli contacts "$TMP/again.csv" --on-match update --country-code 44
expect_jq '[.imported, .updated] | map(tostring) | join(",")' "0,3" "--on-match update: now all three match (the new one too)"
api GET "/api/v1/contacts/$MIA"
expect_jq '.last_name' "Moved" "the matched contact took the row's values"
api GET "/api/v1/contacts/$PAT"
expect_jq '.first_name + " " + .phone' "Patrick 020 7946 0001" "matched by the same number written nationally"
printf 'name,website,email
MATCH CO,,
Other name,http://match.example/about,
' >"$TMP/companies.csv"
api POST "/api/v1/clients/import?on_match=skip&dry_run=true" "" -H 'Content-Type: text/csv' --data-binary "@$TMP/companies.csv"
wait_import "$(jqr .id)"
expect_jq '.result.actions | map(.matched_by + " " + .id) | join(";")' "name $MATCHCO;domain $MATCHCO" \
	"clients match by name (any case) and by their website's domain, through the API too"
api POST "/api/v1/clients/import?on_match=sometimes" "" -H 'Content-Type: text/csv' --data-binary "@$TMP/companies.csv"
expect_error 400 invalid_parameter on_match "on_match is create, update or skip"

# ---- deals with their dates
printf 'Deal - Title,Deal - Value,Deal - Currency,Deal - Expected close date,Deal - Status,Deal - Organization\nBig one,12500.50,EUR,2026-03-31,open,Pipe Ltd\n' >"$TMP/deals.csv"
import_cli deals "$TMP/deals.csv"
expect_rc 0 "Pipedrive deals import"
expect_jq '.preset' "pipedrive" "recognised"
api GET "/api/v1/deals?limit=5"
expect_jq '.data[0] | [.title, .value, .currency, .expected_close] | join(" ")' "Big one 12500.50 EUR 2026-03-31" \
	"the deal keeps its value, currency and date"
server_alive "the imports"
