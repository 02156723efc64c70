#!/usr/bin/env bash
# t1760: saved import mappings, columns without a field offered as custom fields, phones matched in
# E.164 with the workspace's default country. The CLI saves the mapping an import used (--save-mapping)
# and takes one back (--mapping); the API names one (mapping_id, mapping_name) and keeps them as records
# (import-mappings); an explicit mapping beats a saved one, which beats a preset, and the report says
# which put each column where. The dry run suggests a custom field (key and type from the values) for
# each column without a field; --create-fields / create_fields makes them (admins only) and they get the
# values, the other columns still going to the notes.
. "$(dirname "$0")/lib.sh"

start_server

import_cli() { # import_cli ENTITY FILE [OPTIONS...] : the CLI's JSON report in BODY
	cli import "$@" --db "$DB" --json
	BODY=$OUT
}
post_csv() { # post_csv ENTITY FILE QUERY : POST the file to the import route, wait for it; BODY is the import
	api POST "/api/v1/$1/import?$3" "" -H 'Content-Type: text/csv' --data-binary "@$2"
	if [ "$STATUS" = 202 ]; then wait_import "$(jqr .id)"; fi
}

cat >"$TMP/people.csv" <<'EOF'
First name,Last name,E-post,Shoe size,Birthday,Homepage,Backup mail,Pet,Postcode
Ada,Lovelace,ada@example.com,38,1815-12-10,https://ada.example,ada2@example.org,cat,01234
Bob,Byte,bob@example.com,44.5,,http://bob.example,,dog,
EOF

# ---- the dry run: each column without a field, with the custom field it could be
import_cli contacts "$TMP/people.csv" --dry-run
expect_rc 0 "a dry run of a file with columns Rapport has no field for"
expect_jq '[.unknown_columns[] | "\(.column)=\(.key):\(.type)"] | join(" ")' \
	"E-post=e_post:email Shoe size=shoe_size:number Birthday=birthday:date Homepage=homepage:url Backup mail=backup_mail:email Pet=pet:text Postcode=postcode:text" \
	"each unknown column gets a suggested key and a type from its values (a postcode with a leading 0 stays text)"
expect_jq '.column_sources["First name"] + "," + (.saved_mapping | tostring)' "header,null" \
	"the report says what placed each column, and that no saved mapping was used"

# ---- a mapping saved from a dry run, then used by name
import_cli contacts "$TMP/people.csv" --dry-run --map "E-post=email" --map "Pet=" --save-mapping "Swedish sheet"
expect_rc 0 "--save-mapping keeps the mapping a dry run used"
api GET "/api/v1/import-mappings?entity=contacts"
expect_jq '.data | map(.name) | join(",")' "Swedish sheet" "the saved mapping is a record of the workspace"
expect_jq '.data[0] | [.mapping["E-post"], .mapping.Pet, (.mapping | has("Shoe size") | tostring), (.columns | length | tostring)] | join(",")' \
	"email,,false,9" "it keeps the explicit and the header's choices, not the unknown columns' default, and the file's columns"
MAP_ID=$(jqr '.data[0].id')
import_cli contacts "$TMP/people.csv" --dry-run --mapping "Swedish sheet"
expect_jq '[.saved_mapping.name, .column_sources["E-post"], .columns["E-post"], (.ignored_columns | join(";"))] | join(",")' \
	"Swedish sheet,saved mapping,email,Pet" "--mapping NAME applies the saved mapping, and the dry run says so"
import_cli contacts "$TMP/people.csv" --dry-run --mapping "$MAP_ID" --map "Pet=notes"
expect_jq '[.column_sources.Pet, .column_sources["E-post"]] | join(",")' "mapping,saved mapping" \
	"an explicit --map beats the saved mapping (found by id too)"
cli import contacts "$TMP/people.csv" --db "$DB" --dry-run --mapping "No such"
expect_cli_error 3 "a saved mapping that does not exist is refused (not found)"

# a saved mapping beats a preset: Outlook's "E-mail Address" is recognised, the saved mapping overrides it
printf 'First Name,Last Name,E-mail Address,E-mail 2 Address\nOlga,Outlook,olga@example.com,olga@work.example\n' >"$TMP/outlook.csv"
api POST /api/v1/import-mappings '{"entity":"contacts","name":"Outlook, second address","mapping":{"E-mail 2 Address":"email","E-mail Address":"notes"},"columns":["First Name","Last Name","E-mail Address","E-mail 2 Address"]}'
expect_status 201 "a saved mapping made through the API (the generic CRUD)"
OUTLOOK_MAP=$(jqr .id)
post_csv contacts "$TMP/outlook.csv" "dry_run=true&mapping_id=$OUTLOOK_MAP"
expect_jq '[.result.preset, .result.columns["E-mail 2 Address"], .result.column_sources["E-mail 2 Address"], .result.column_sources["First Name"], .result.saved_mapping.name] | join(",")' \
	"outlook,email,saved mapping,preset,Outlook, second address" "the API's mapping_id: the saved mapping beats the preset, the preset places the rest"
post_csv contacts "$TMP/outlook.csv" "dry_run=true&mapping_name=$(urlencode 'Outlook, second address')&mapping=$(urlencode '{"E-mail Address":"email","E-mail 2 Address":"notes"}')"
expect_jq '[.result.columns["E-mail Address"], .result.column_sources["E-mail Address"]] | join(",")' "email,mapping" \
	"mapping_name finds it by name; the JSON mapping beats it"
post_csv contacts "$TMP/outlook.csv" "dry_run=true&mapping_name=Nope"
expect_error 404 not_found mapping_name "an unknown saved mapping is a 404 naming the parameter"
post_csv contacts "$TMP/outlook.csv" "dry_run=true&mapping_id=$OUTLOOK_MAP&mapping_name=x"
expect_error 400 invalid_parameter - "one saved mapping at a time"
post_csv clients "$TMP/outlook.csv" "dry_run=true&mapping_id=$OUTLOOK_MAP"
expect_error 404 not_found mapping_id "a contacts mapping is not found for a clients import"
api POST /api/v1/import-mappings '{"entity":"contacts","name":"bad","mapping":{"A":1}}'
expect_error 422 invalid_value mapping "a mapping's target must be a string"
api POST /api/v1/import-mappings '{"entity":"contacts","name":"bad","mapping":{"A":"custom.nope"}}'
expect_status 201 "a target is checked when a file is imported with it, where the error names the column"
post_csv contacts "$TMP/outlook.csv" "dry_run=true&mapping_name=bad"
expect_jq .status done "a saved mapping's columns the file does not have are no matter"
printf 'A\nx\n' >"$TMP/a.csv"
post_csv contacts "$TMP/a.csv" "mapping_name=bad"
expect_jq '[.status, .result.error.field] | join(",")' "failed,mapping" "a saved target naming no custom field fails the import, naming the mapping"

# ---- columns without a field become custom fields when asked
import_cli contacts "$TMP/people.csv" --dry-run --create-fields "Shoe size, Birthday"
expect_jq '[.unknown_columns[] | select(.create) | .column] | join(",")' "Shoe size,Birthday" "a dry run marks the columns to create"
expect_jq '.columns["Shoe size"]' "custom.shoe_size (a new custom field, number)" "and says where they would go"
api GET "/api/v1/custom-fields"
expect_jq '.data | length' "0" "a dry run makes no field"
cli import contacts "$TMP/people.csv" --db "$DB" --dry-run --create-fields "Nope"
expect_cli_error 5 "--create-fields naming no column is refused"
cli import contacts "$TMP/people.csv" --db "$DB" --dry-run --create-fields "First name"
expect_cli_error 5 "--create-fields naming a column that has a field is refused"
cli import contacts "$TMP/people.csv" --db "$DB" --create-fields all --bulk
expect_cli_error 5 "--create-fields needs the sliced import, not --bulk"
import_cli contacts "$TMP/people.csv" --create-fields "Shoe size,Birthday,E-post" --save-mapping "With fields"
expect_rc 0 "the import makes the fields, then writes the rows"
expect_jq '.custom_fields_created | join(",")' "e_post,shoe_size,birthday" "the report lists the fields made"
api GET "/api/v1/custom-fields?entity=contacts&limit=50"
expect_jq '[.data[] | "\(.key):\(.type):\(.label)"] | sort | join(" ")' \
	"birthday:date:Birthday e_post:email:E-post shoe_size:number:Shoe size" "each with the suggested key and type, labelled by its column"
api GET "/api/v1/contacts?q=Lovelace"
expect_jq '.data[0].custom | [.shoe_size, .birthday, .e_post] | map(tostring) | join(",")' "38,1815-12-10,ada@example.com" \
	"the created fields receive the values (a number as a number)"
api GET "/api/v1/interactions?type=note&limit=50"
expect_jq '[.data[].summary | select(test("Pet: cat"))] | length' "1" "the other columns still go to the notes"
expect_jq '[.data[].summary | select(test("Shoe size"))] | length' "0" "and the created ones do not"
api GET "/api/v1/import-mappings?entity=contacts&limit=50"
expect_jq '.data | map(select(.name == "With fields"))[0].mapping["Shoe size"]' "custom.shoe_size" \
	"a mapping saved from it sends the column to its custom field"
import_cli contacts "$TMP/people.csv" --dry-run
expect_jq '[.columns["Shoe size"], (.unknown_columns | map(.column) | index("Shoe size") | tostring)] | join(",")' \
	"custom.shoe_size (custom field),null" "a later file's column finds the custom field by name"

# ---- through the API: create_fields, for admins only; clients go row by row through their rules
printf 'Name,Industry code,Founded\nAcme,A-1,1999-01-01\nBeta,B-2,2001-05-06\n' >"$TMP/clients.csv"
post_csv clients "$TMP/clients.csv" "dry_run=true"
expect_jq '[.result.unknown_columns[] | "\(.column):\(.type)"] | join(",")' "Industry code:text,Founded:date" "the API's dry run suggests them too"
create users '{"email":"member@example.com","role":"member","password":"correct horse battery"}' "a member"
MT=$(new_token member@example.com)
TOKEN=$MT post_csv clients "$TMP/clients.csv" "create_fields=all"
expect_error 403 forbidden create_fields "a member may import but not make custom fields"
TOKEN=$MT post_csv clients "$TMP/clients.csv" "dry_run=true"
expect_jq .status done "(a member's plain import is fine)"
post_csv clients "$TMP/clients.csv" "create_fields=all"
expect_jq '[.status, (.result.custom_fields_created | join(";")), .options.create_fields] | join(",")' "done,industry_code;founded,all" \
	"create_fields=all makes a field of every column without one"
api GET "/api/v1/clients?q=Acme"
expect_jq '.data[0].custom | [.industry_code, .founded] | join(",")' "A-1,1999-01-01" "clients get the values through their rules"
api POST /api/v1/custom-fields '{"entity":"contacts","key":"site","type":"url"}'
expect_status 201 "url is a custom field type"
api PATCH "/api/v1/contacts/$(cli contact list --db "$DB" --json; printf '%s' "$OUT" | jq -r '.data[0].id')" \
	"{\"version\":1,\"custom\":{\"site\":\"not a url\"}}"
expect_error 422 invalid_value custom.site "a url field refuses what is no web address"

# ---- phones: E.164 with the workspace's default country
api GET /api/v1/workspaces
WS=$(jqr '.data[0].id'); V=$(jqr '.data[0].version')
expect_jq '.data[0].default_country' null "a workspace has no default country until set"
api PATCH "/api/v1/workspaces/$WS" "{\"version\":$V,\"default_country\":\"XX\"}"
expect_error 422 invalid_value default_country "a country libphonenumber does not know is refused"
api PATCH "/api/v1/workspaces/$WS" "{\"version\":$V,\"default_country\":\"gb\"}"
expect_jq .default_country GB "the default country, kept as ISO writes it"
printf 'first_name,last_name,phone\nPhil,Phone,+44 20 7946 0001\n' >"$TMP/phone1.csv"
import_cli contacts "$TMP/phone1.csv"
printf 'first_name,last_name,phone\nPhil,Again,020 7946 0001\nDora,Deutsch,030 1234567\n' >"$TMP/phone2.csv"
import_cli contacts "$TMP/phone2.csv" --dry-run --on-match skip
expect_jq '([.actions[] | "\(.row):\(.matched_by)"] | join(",")) + " in " + .phone_country' "2:phone in GB" \
	"a national number matches its international form in the workspace's country (and the report names it)"
import_cli contacts "$TMP/phone2.csv" --dry-run --on-match skip --country-code 49
expect_jq '.actions | length' "0" "--country-code reads national numbers as another country's"
V=$(api GET /api/v1/workspaces; jqr '.data[0].version')
api PATCH "/api/v1/workspaces/$WS" "{\"version\":$V,\"default_country\":null,\"locale\":\"de-DE\"}"
printf 'first_name,last_name,phone\nDora,Deutsch,+49 30 1234567\n' >"$TMP/phone3.csv"
import_cli contacts "$TMP/phone3.csv"
post_csv contacts "$TMP/phone2.csv" "dry_run=true&on_match=update"
expect_jq '[.result.actions[] | "\(.row):\(.matched_by)"] | join(",")' "3:phone" \
	"without a default country, the locale's region (de-DE) is the country"
post_csv contacts "$TMP/phone2.csv" "dry_run=true&on_match=update&country_code=999"
expect_error 400 invalid_parameter country_code "a calling code no country has is refused, named"
cli import contacts "$TMP/phone2.csv" --db "$DB" --dry-run --country-code 999
expect_cli_error 2 "and on the CLI"

server_alive "the imports"
