#!/usr/bin/env bash
# t0600: admins define custom fields that records then carry and validate
# under "custom"; GET /api/v1/openapi.json describes the API from the same table.
. "$(dirname "$0")/lib.sh"

start_server
OWNER=$OWNER_TOKEN
create users '{"email":"boss@example.com","role":"admin","password":"admin-horse-battery-5"}' "owner creates an admin"
create users '{"email":"member@example.com","role":"member","password":"member-horse-battery-3"}' "owner creates a member"
ADMIN=$(new_token boss@example.com)
MEMBER=$(new_token member@example.com)

# ---- defining fields
TOKEN=$ADMIN
create custom-fields '{"entity":"clients","key":"tier","label":"Tier","type":"select","options":["gold","silver","bronze"]}' \
	"admin defines a select custom field on clients"
TIER=$ID
expect_jq '[.entity,.key,.label,.type,(.options|join(","))]|join("|")' "clients|tier|Tier|select|gold,silver,bronze" "the definition round-trips"
expect_jq '.version' 1 "a custom field definition is a versioned record"
create custom-fields '{"entity":"clients","key":"budget_hours","label":"Budget hours","type":"number"}' "admin defines a number field"
create custom-fields '{"entity":"clients","key":"renewal_on","label":"Renewal","type":"date"}' "admin defines a date field"
create custom-fields '{"entity":"contacts","key":"nickname","label":"Nickname","type":"text"}' "admin defines a text field on contacts"
api GET /api/v1/custom-fields
check "the list holds the four definitions" jqe '[.data[].key]|sort == ["budget_hours","nickname","renewal_on","tier"]'

api POST /api/v1/custom-fields '{"entity":"clients","key":"tier","label":"Again","type":"text"}'
expect_error 409 conflict key "a duplicate key on the same entity is 409 conflict"
api POST /api/v1/custom-fields '{"entity":"clients","key":"Bad Key!","type":"text"}'
expect_error 422 invalid_value key "a key that is not a lowercase slug is 422 invalid_value"
api POST /api/v1/custom-fields '{"entity":"clients","key":"blobby","type":"blob"}'
expect_error 422 invalid_value type "an unknown type is 422 invalid_value"
api POST /api/v1/custom-fields '{"entity":"spaceships","key":"warp","type":"text"}'
expect_error 422 invalid_value entity "an unknown entity is 422 invalid_value"
api POST /api/v1/custom-fields '{"entity":"clients","type":"text"}'
expect_error 422 required key "a definition without key is 422 required"

TOKEN=$MEMBER
api POST /api/v1/custom-fields '{"entity":"clients","key":"sneaky","type":"text"}'
expect_error 403 forbidden - "member cannot define custom fields"
api PATCH "/api/v1/custom-fields/$TIER" '{"version":1,"label":"Hacked"}'
expect_error 403 forbidden - "member cannot edit custom fields"
api DELETE "/api/v1/custom-fields/$TIER"
expect_error 403 forbidden - "member cannot delete custom fields"
api GET /api/v1/custom-fields
expect_status 200 "member can read the definitions"

# ---- values on records
create clients '{"name":"Goldie","custom":{"tier":"gold","budget_hours":12.5,"renewal_on":"2027-01-31"}}' "member creates a client with custom values"
CID=$ID
expect_jq '[.custom.tier,(.custom.budget_hours|tostring),.custom.renewal_on]|join("|")' "gold|12.5|2027-01-31" "custom values round-trip on create"
api GET "/api/v1/clients/$CID"
expect_jq '[.custom.tier,(.custom.budget_hours|tostring),.custom.renewal_on]|join("|")' "gold|12.5|2027-01-31" "custom values round-trip on GET"
create clients '{"name":"Plain"}' "a client without custom values"
PLAIN=$ID
check "unset custom values are null" jqe '(.custom|type) == "object" and .custom.tier == null'
# Lists filter by a custom value (?custom.KEY=value, compared as text), alone or with other filters.
api GET '/api/v1/clients?custom.tier=gold'
check "?custom.tier=gold lists Goldie alone" jqe '[.data[].name] == ["Goldie"]'
api GET '/api/v1/clients?custom.budget_hours=12.5&name=Goldie'
expect_status 400 "a custom filter beside an unknown filter is still 400"
api GET '/api/v1/clients?custom.budget_hours=12.5'
check "?custom.budget_hours=12.5 finds the number as text" jqe '[.data[].name] == ["Goldie"]'
api GET '/api/v1/clients?custom.tier=silver'
check "?custom.tier=silver lists none" jqe '.data == []'
api GET '/api/v1/clients?custom.Tier%20X=gold'
expect_error 400 invalid_parameter 'custom.Tier X' "a malformed custom key is 400 naming it"
api GET '/api/v1/deals?custom.tier=gold'
expect_error 400 invalid_parameter custom.tier "an entity without custom fields refuses the filter"

cerr() { # cerr CUSTOM_JSON CODE FIELD DESC
	api POST /api/v1/clients "{\"name\":\"Bad custom\",\"custom\":$1}"
	expect_error 422 "$2" "$3" "$4"
}
cerr '{"tier":"platinum"}' invalid_value custom.tier "an option not in the list is 422 on custom.tier"
cerr '{"tier":"GOLD"}' invalid_value custom.tier "select options are case-sensitive"
cerr '{"tier":5}' invalid_type custom.tier "a number for a select is 422 invalid_type"
cerr '{"budget_hours":"12"}' invalid_type custom.budget_hours "a string for a number is 422 invalid_type"
cerr '{"renewal_on":"next year"}' invalid_value custom.renewal_on "a bad date is 422 invalid_value"
cerr '{"renewal_on":"2027-02-30"}' invalid_value custom.renewal_on "an impossible date is 422 invalid_value"
cerr '{"nickname":"x"}' unknown_field custom.nickname "a contacts field on a client is 422 unknown_field"
cerr '{"nope":1}' unknown_field custom.nope "an undefined custom key is 422 unknown_field"
expect_count clients 2 "invalid custom values wrote nothing"

api PATCH "/api/v1/clients/$CID" '{"version":1,"custom":{"tier":"silver"}}'
expect_status 200 "PATCH a custom value"
expect_jq '[.version,.custom.tier]|join("|")' "2|silver" "the custom value changed and version+1"
api PATCH "/api/v1/clients/$CID" '{"version":2,"custom":{"tier":"tin"}}'
expect_error 422 invalid_value custom.tier "PATCH with a bad option is 422"
api GET "/api/v1/clients/$CID"
expect_jq '[.version,.custom.tier]|join("|")' "2|silver" "the bad PATCH changed nothing"
api GET "/api/v1/clients?tier=silver"
check "custom fields are not top-level filters unless documented (400 or a filtered list)" \
	jqe --arg c "$CID" '(.error.code == "invalid_parameter") or ([.data[].id] == [$c])'

create contacts "$(jq -nc --arg c "$PLAIN" '{client_id:$c,first_name:"Nick",custom:{nickname:"Nicky"}}')" "a contact with a custom text value"
expect_jq .custom.nickname Nicky "the contact's custom value round-trips"

server_alive "custom fields"

# ---- OpenAPI
TOKEN=
api GET /api/v1/openapi.json
expect_error 401 unauthorized - "openapi.json needs authentication like every route"
TOKEN=$MEMBER
api GET /api/v1/openapi.json
expect_status 200 "GET /api/v1/openapi.json"
check "it is valid JSON" jqe 'type == "object"'
check "Content-Type is application/json" grep -qi '^application/json' <<<"$(header content-type)"
check "openapi is 3.x" jqe '.openapi | test("^3\\.[0-9]+")'
check "it has info.title and info.version" jqe '(.info.title|type) == "string" and (.info.version|type) == "string"'
P='(.paths["/api/v1/clients"] // .paths["/clients"])'
PI='(.paths["/api/v1/clients/{id}"] // .paths["/clients/{id}"])'
check "paths has /clients with get and post" jqe "$P | has(\"get\") and has(\"post\")"
check "paths has /clients/{id} with get, patch and delete" jqe "$PI | has(\"get\") and has(\"patch\") and has(\"delete\")"
for r in contacts interactions tags users tokens custom-fields audit; do
	check "paths describes /$r" jqe --arg r "$r" '.paths | has("/api/v1/" + $r) or has("/" + $r)'
done
STAGE_ENUMS='[.. | objects | select(has("properties")) | .properties.stage? | objects | .. | objects | .enum? | arrays]'
check "a schema lists the client stage enum" jqe "$STAGE_ENUMS | any(. as \$e | [\"lead\",\"prospect\",\"active\",\"past\",\"lost\"] | all(. as \$v | \$e | index(\$v) != null))"
check "the client schema has the core fields" jqe '[.. | objects | select(has("properties")) | .properties | select(has("name") and has("stage") and has("relationship_type") and has("cadence"))] | length > 0'
check "the client schema requires name" jqe '[.. | objects | select(has("properties") and (.properties|has("stage") and has("cadence"))) | .required? // [] | index("name")] | any(. != null)'
check "every \$ref resolves" jqe '. as $doc | [.. | objects | .["$ref"]? | strings | ltrimstr("#/") | split("/")] | all(. as $p | $doc | getpath($p) != null)'
check "the Error schema or responses mention the error envelope" jqe '[.. | objects | select(has("properties")) | .properties | select(has("error"))] | length > 0'

server_alive
