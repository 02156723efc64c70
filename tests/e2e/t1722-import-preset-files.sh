#!/usr/bin/env bash
# t1722: the CRMs people leave, file by file. Each fixture in tests/e2e/data/presets has the header the
# product writes (a real export's, or its documentation's: docs/import.md says which) and rows we made
# up. Each is recognised as its product's, and its contacts arrive with their emails and phones, its
# companies with their phones and websites, its deals with their amounts and close dates; what Rapport
# has no field for (owners, addresses, stages) is kept in the notes.
. "$(dirname "$0")/lib.sh"

FIX=$E2E_DIR/data/presets
start_server

import_cli() { # import_cli ENTITY FILE [OPTIONS...] : the CLI's JSON report in BODY
	cli import "$1" "$FIX/$2" --db "$DB" --json "${@:3}"
	BODY=$OUT
}
contact() { # contact EMAIL : the contact in BODY
	api GET "/api/v1/contacts?email=$(urlencode "$1")"
	BODY=$(jq -c '.data[0]' <<<"$BODY")
}
client_named() { # client_named NAME : the client in BODY
	api GET "/api/v1/clients?q=$(urlencode "$1")&limit=5"
	BODY=$(jq -c --arg n "$1" '[.data[] | select(.name == $n)][0]' <<<"$BODY")
}
deal_titled() { # deal_titled TITLE : the deal in BODY
	api GET "/api/v1/deals?limit=100"
	BODY=$(jq -c --arg t "$1" '[.data[] | select(.title == $t)][0]' <<<"$BODY")
}
note_of() { # note_of CONTACT_ID : the "Imported details" notes of a contact, as one JSON string in BODY
	api GET "/api/v1/interactions?type=note&contact_id=$1&limit=10"
	BODY=$(jq -c '[.data[].summary] | join("\n")' <<<"$BODY")
}

# ---- HubSpot: companies, contacts, deals
import_cli clients hubspot-companies.csv
expect_rc 0 "HubSpot companies import"
expect_jq '[.preset, .imported, .columns["Company name"], .columns["Company Domain Name"], .columns["Phone Number"]] | map(tostring) | join(",")' \
	"hubspot,2,name,website,phone" "recognised: the company's name, domain and phone"
client_named "Tidewater Labs"
expect_jq '[.website, .phone] | join(" ")' "tidewater.example +1 415 555 0142" "a company keeps its domain and phone"
expect_jq '.notes | test("Company owner: Olive Owner") and test("Industry: Research")' "true" "its owner and industry are in the notes"
import_cli contacts hubspot-contacts.csv
expect_rc 0 "HubSpot contacts import"
expect_jq '[.preset, .imported, .clients_created, .columns["Mobile Phone Number"]] | map(tostring) | join(",")' \
	"hubspot,2,1,phone where \"Phone Number\" is empty, else a note" "recognised; the one without a company is a client of their own; a second phone stands in for the first"
contact hannah@harbour.example
expect_jq '[.first_name, .last_name, .phone, .title] | join("|")' "Hannah|Spotwood|+44 20 7946 0110|Head of Finance" \
	"a HubSpot contact with name, phone and title"
HANNAH=$(jqr .id)
HANNAH_CLIENT=$(jqr .client_id)
client_named "Harbour Freight"
expect_jq '.id' "$HANNAH_CLIENT" "joined the company imported before, by name"
contact ivo@kettle.example
expect_jq '.phone' "+49 30 901820" "the mobile number when there is no other"
note_of "$HANNAH"
expect_jq 'test("Contact owner: Olive Owner") and test("Street Address: 1 Quay St") and test("Mobile Phone Number: [+]44 7700 900110")' "true" \
	"owner, address and the second phone kept in a note"
contact ivo@kettle.example
note_of "$(jqr .id)"
expect_jq 'test("Mobile Phone Number")' "false" "a spare phone that stood in is not in the note too"
import_cli deals hubspot-deals.csv
expect_rc 0 "HubSpot deals import"
expect_jq '[.preset, .imported, .columns["Deal Name"], .columns.Amount, .columns["Close Date"]] | map(tostring) | join(",")' \
	"hubspot,2,title,value,expected_close" "recognised: the deal's name, amount and close date"
deal_titled "Harbour Freight renewal"
expect_jq '[.value, .expected_close] | join(" ")' "18000.00 2026-04-30" "a close date with a time gives its date"

# ---- Salesforce: a data export (API names) and reports (labels)
import_cli contacts salesforce-contacts-report.csv
expect_rc 0 "a Salesforce contacts report imports"
expect_jq '[.preset, .imported, .columns["Account Name"], .columns.Phone, .columns.Title] | map(tostring) | join(",")' \
	"salesforce,2,client (by name),phone,title" "recognised from its labels"
contact tomas@brightwater.example
expect_jq '[.first_name, .phone] | join(" ")' "Tomas +46 70 123 45 67" "the mobile number when there is no phone"
import_cli contacts salesforce-contacts-dataexport.csv --client "Salesforce people"
expect_rc 0 "a Salesforce data export of contacts imports (its account is an id: --client names one)"
expect_jq '[.preset, .imported, .columns.FirstName, .columns.Phone, .columns.Email] | map(tostring) | join(",")' \
	"salesforce,2,first_name,phone,email" "recognised from its API names"
contact kofi@oduya.example
expect_jq '[.first_name, .last_name, .phone, .title] | join("|")' "Kofi|Oduya|+44 7700 900124|CTO" "MobilePhone when Phone is empty"
import_cli deals salesforce-opportunities-report.csv
expect_rc 0 "a Salesforce opportunities report imports"
deal_titled "Brightwater line upgrade"
expect_jq '[.value, .probability, .expected_close] | map(tostring) | join(" ")' "24000.00 75 2026-05-31" \
	"the opportunity's amount, probability and close date"

# ---- Pipedrive: organizations, people, deals
import_cli clients pipedrive-organizations.csv
expect_rc 0 "Pipedrive organizations import"
client_named "Fjord Analytics"
expect_jq '.website' "fjord.example" "an organization keeps its website"
import_cli contacts pipedrive-people.csv
expect_rc 0 "Pipedrive people import"
expect_jq '[.preset, .imported, .columns["Person - Email - Work"], .columns["Person - Phone - Work"], .columns["Person - Organization"]] | map(tostring) | join(",")' \
	"pipedrive,2,email,phone,client (by name)" "recognised: work email and phone, the organization"
contact lars@berg.example
expect_jq '[.first_name, .last_name, .phone, .title] | join("|")' "Lars|Berg|+47 912 34 567|Consultant" "the mobile number when there is no work phone"
contact petra@novak.example
PETRA=$(jqr .id)
note_of "$PETRA"
expect_jq 'test("Person - Email - Home: petra.home@mail.example")' "true" "the home email is kept in the note"
import_cli deals pipedrive-deals.csv
expect_rc 0 "Pipedrive deals import"
deal_titled "Fjord dashboards"
expect_jq '[.value, .currency, .status, .probability, .expected_close] | map(tostring) | join(" ")' "15000.00 NOK won 100 2026-01-20" \
	"a deal keeps its value, currency (\"Currency of Value\"), status, probability and date"

# ---- Zoho CRM: accounts, contacts, deals
import_cli clients zoho-accounts.csv
expect_rc 0 "Zoho accounts import"
expect_jq '[.preset, .columns["Account Name"], .columns.Website] | join(",")' "zoho,name,website" "recognised (not as HubSpot, whose \"Record ID\" it shares)"
client_named "Sakura Foods"
expect_jq '[.phone, .website] | join(" ")' "+81 3 1234 5600 www.sakura.example" "an account keeps its phone and website"
import_cli contacts zoho-contacts.csv
expect_rc 0 "Zoho contacts import"
expect_jq '[.preset, .imported, .columns.Mobile, .columns["Account Name"]] | map(tostring) | join(",")' \
	"zoho,2,phone where \"Phone\" is empty, else a note,client (by name)" "recognised: Phone is the phone, Mobile a second one"
contact mei@sakura.example
expect_jq '[.first_name, .phone, .title] | join("|")' "Mei|+81 3 1234 5678|Procurement Lead" "a Zoho contact with phone and title"
contact diego@ruiz.example
expect_jq '.phone' "+34 612 345 678" "the mobile number when there is no phone"
import_cli deals zoho-deals.csv
expect_rc 0 "Zoho deals import"
expect_jq '.ignored_columns | index("Stage") != null' "true" "the product's deal stage is left out (the workspace's stages are its own)"
deal_titled "Sakura Foods supply contract"
expect_jq '[.value, .probability, .expected_close] | map(tostring) | join(" ")' "42000.00 75 2026-11-15" "a deal keeps its amount, probability and closing date"


# ---- a recognised export's own formats are kept in the notes, not refused
printf '"Record ID","Deal Name","Amount","Close Date","Associated Company"\n1,Odd one,"$1,200.00",31/12/2026,Una Co\n' >"$TMP/odd-deals.csv"
cli import deals "$TMP/odd-deals.csv" --db "$DB" --json
BODY=$OUT
expect_rc 5 "deals have no notes: an amount Rapport cannot read still refuses the row"
printf '"Record ID","Company name","Phone Number","Create Date","Annual Revenue"\n1,Una Co,+1 555 0199,2025-01-01 10:00,"$1,200.00"\n' >"$TMP/odd.csv"
cli import clients "$TMP/odd.csv" --db "$DB" --json --map "Annual Revenue=response_time_hours"
BODY=$OUT
expect_rc 0 "a number the field cannot read, from a recognised export, does not refuse a client"
client_named "Una Co"
expect_jq '[.response_time_hours, (.notes | test("Annual Revenue: [$]1,200.00"))] | map(tostring) | join(",")' "null,true" \
	"it is kept in the notes instead"
server_alive "the imports"
