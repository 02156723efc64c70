#!/usr/bin/env bash
# t2200: duplicates. The finder pairs clients that share an email, a phone (whatever its format), a
# company domain or a name without its legal suffix, and contacts of one client whose names differ by a
# typo, each pair with why; a merge keeps every contact, interaction, deal, tag and custom value of both,
# records where each field came from, is audited, and is undone exactly; bad requests name their field.
. "$(dirname "$0")/lib.sh"

start_server
create custom-fields '{"entity":"clients","key":"tier","type":"select","options":["gold","silver"]}' "a custom field"
create clients '{"name":"Acme Ltd","email":"hello@acme.example","phone":"+44 20 7946 0958","tags":["saas"]}' "Acme Ltd"
KEEP=$ID
create clients '{"name":"ACME limited","website":"https://www.acme.example/about","phone":"020 7946 0958","tags":["referral"],"custom":{"tier":"gold"},"cadence":"monthly"}' "ACME limited, entered twice"
OTHER=$ID
create clients '{"name":"Globex","email":"info@globex.example"}' "an unrelated client"
create clients '{"name":"Initech","email":"someone@gmail.com"}' "a client on a free mail domain"
create clients '{"name":"Umbrella","email":"other@gmail.com"}' "another on the same free mail domain"
create contacts "{\"client_id\":\"$OTHER\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"ada@acme.example\"}" "a contact of the duplicate"
CON1=$ID
create contacts "{\"client_id\":\"$OTHER\",\"first_name\":\"Adda\",\"last_name\":\"Lovelace\"}" "the same contact with a typo"
CON2=$ID
create interactions "{\"client_id\":\"$OTHER\",\"type\":\"call\",\"direction\":\"outbound\",\"summary\":\"Pricing call\"}" "a call with the duplicate"
INT=$ID
create deals "{\"client_id\":\"$OTHER\",\"title\":\"Relaunch\",\"value\":\"1000.00\"}" "a deal with the duplicate"
DEAL=$ID

api GET '/api/v1/duplicates?entity=clients'
expect_status 200 "duplicates among clients"
check "Acme Ltd and ACME limited pair up, the older first" jqe --arg k "$KEEP" --arg o "$OTHER" '.data[0].a.id == $k and .data[0].b.id == $o'
check "... because of the phone, the domain and the name" jqe '[.data[0].reasons[].kind] | sort == ["same_domain","same_name","same_phone"]'
check "... with a score between 0 and 1" jqe '.data[0].score > 0.9 and .data[0].score <= 1'
check "a shared free mail domain is no reason" jqe '[.data[] | select(.a.name == "Initech" or .b.name == "Initech")] | length == 0'
api GET '/api/v1/duplicates?entity=contacts'
check "contacts of one client a typo apart pair up" jqe --arg a "$CON1" --arg b "$CON2" '.data[0].a.id == $a and .data[0].b.id == $b and .data[0].reasons[0].kind == "similar_name"'
api GET '/api/v1/duplicates?entity=deals'
expect_error 400 invalid_parameter entity "duplicates of deals are refused, naming entity"
api GET '/api/v1/duplicates'
expect_error 422 required entity "duplicates without an entity, naming it"

api GET "/api/v1/clients/$KEEP"
KEEP_BEFORE=$BODY
api POST /api/v1/merges "{\"keep_id\":\"$KEEP\",\"other_id\":\"$OTHER\"}"
expect_status 201 "merge the duplicate into the older record"
MERGE=$(jqr .id)
check "the merge says which fields came from the other" jqe '.fields_from_other | sort == ["cadence","custom.tier","tags","website"]'
check "... and which references moved" jqe --arg c1 "$CON1" '.moved["contacts.client_id"] | index($c1) != null'
api GET "/api/v1/clients/$KEEP"
check "the kept client took the website, cadence and custom value, and both tags" \
	jqe '.website == "https://www.acme.example/about" and .cadence == "monthly" and .custom.tier == "gold" and (.tags | sort) == ["referral","saas"]'
check "... and kept its own email and phone" jqe '.email == "hello@acme.example" and .phone == "+44 20 7946 0958"'
api GET "/api/v1/clients/$OTHER"
expect_status 404 "the duplicate is gone"
api GET "/api/v1/contacts?client_id=$KEEP"
check "both contacts moved to the kept client" jqe '.data | length == 2'
api GET "/api/v1/interactions/$INT"
check "the call moved" jqe --arg k "$KEEP" '.client_id == $k'
api GET "/api/v1/deals/$DEAL"
check "the deal moved" jqe --arg k "$KEEP" '.client_id == $k'
api GET "/api/v1/audit?record_id=$OTHER&action=merge"
check "the merge is in the audit log, with the record as it was" jqe '(.data | length) == 1 and .data[0].before.name == "ACME limited"'
api GET "/api/v1/audit?record_id=$OTHER&action=create"
check "the duplicate's own history stays" jqe '.data | length == 1'

api POST /api/v1/merges "{\"keep_id\":\"$KEEP\",\"other_id\":\"$OTHER\"}"
expect_status 404 "merging a record that is gone is 404"
api POST /api/v1/merges "{\"keep_id\":\"$KEEP\",\"other_id\":\"$KEEP\"}"
expect_error 422 invalid_value other_id "merging a record with itself names other_id"
api POST /api/v1/merges "{\"keep_id\":\"$KEEP\",\"other_id\":\"$CON1\"}"
expect_error 422 invalid_value other_id "merging a contact into a client names other_id"
api POST /api/v1/merges "{\"keep_id\":\"$KEEP\",\"other_id\":\"$OTHER\",\"why\":1}"
expect_error 422 unknown_field why "an unknown key is refused, named"

api POST "/api/v1/merges/$MERGE/undo"
expect_status 200 "undo the merge"
check "it says when it was undone" jqe '.undone_at != null'
api GET "/api/v1/clients/$OTHER"
expect_status 200 "the duplicate is back"
check "... as it was" jqe '.name == "ACME limited" and .custom.tier == "gold" and .cadence == "monthly"'
api GET "/api/v1/clients/$KEEP"
check "the kept client gave back what it took" \
	jqe --argjson b "$KEEP_BEFORE" '.website == $b.website and .cadence == $b.cadence and .tags == $b.tags and .custom == $b.custom'
api GET "/api/v1/contacts?client_id=$OTHER"
check "the contacts went back" jqe '.data | length == 2'
api GET "/api/v1/deals/$DEAL"
check "the deal went back" jqe --arg o "$OTHER" '.client_id == $o'
api POST "/api/v1/merges/$MERGE/undo"
expect_error 409 conflict undone_at "undoing twice is refused"
api GET '/api/v1/merges'
check "merges are listed" jqe --arg m "$MERGE" '.data[0].id == $m'

# The CLI: the same, by the ids it prints.
cli duplicates clients --db "$DB"
expect_rc 0 "rapport duplicates clients"
check "... shows the pair with its reasons" grep -q "same_phone" <<<"$OUT"
cli merge "$KEEP" "$OTHER" --db "$DB" --json
expect_rc 0 "rapport merge KEEP OTHER"
M2=$(jq_on "$OUT" -r .id)
cli merge --undo "$M2" --db "$DB"
expect_rc 0 "rapport merge --undo"
cli merge list --db "$DB" --json
check "rapport merge list shows both merges" jq_on "$OUT" -e '.data | length == 2'

# A viewer may not merge.
RAPPORT_USER_PASSWORD=viewer-horse-battery-staple-4 cli user add --db "$DB" --email viewer@example.com --role viewer
TOKEN=$(new_token viewer@example.com)
api POST /api/v1/merges "{\"keep_id\":\"$KEEP\",\"other_id\":\"$OTHER\"}"
expect_status 403 "a viewer cannot merge"
api GET '/api/v1/duplicates?entity=clients'
expect_status 200 "a viewer can see the duplicates"
