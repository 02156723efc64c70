#!/usr/bin/env bash
# t1100: Northwind Studio's November - the deal pipeline (stages, probabilities, won and lost deals, a won
# deal turning its lead into an active client) and revenue (invoices from draft to paid, retainers, a
# client's lifetime value, paid revenue per client over a month), over the REST API and the CLI, with
# every invalid transition refused and nothing changed. Every expected figure is worked out by hand in
# the comments.
. "$(dirname "$0")/lib.sh"

export RAPPORT_NOW=2026-11-23T10:00:00Z
TODAY=2026-11-23
start_server

# patch RESOURCE ID JSON : PATCH at the record's current version (sets STATUS, BODY)
patch() {
	api GET "/api/v1/$1/$2"
	local v; v=$(jqr .version)
	api PATCH "/api/v1/$1/$2" "$(jq -nc --argjson p "$3" --argjson v "${v:-0}" '$p + {version: $v}')"
}
# snapshot RESOURCE ID : the record as stored, to prove a refused write changed nothing
snapshot() { api GET "/api/v1/$1/$2"; printf '%s' "$BODY"; }

# ---- the clients
create clients '{"name":"Fjord Coffee","stage":"lead"}' "Fjord Coffee comes in as a lead"
FJORD=$ID
create clients '{"name":"Kestrel Legal","stage":"lead"}' "Kestrel Legal is a lead too"
KESTREL=$ID
create clients '{"name":"Lumen Architects","stage":"active","started_at":"2025-06-01T09:00:00Z"}' \
	"Lumen Architects is an active client since June 2025"
LUMEN=$ID
create clients '{"name":"Oakline Bakery","stage":"past","started_at":"2025-01-01T09:00:00Z","ended_at":"2026-03-01T09:00:00Z"}' \
	"Oakline Bakery is a past client (ended March 2026)"
OAK=$ID
create clients '{"name":"Harbor Dental","stage":"past","started_at":"2025-02-01T09:00:00Z","ended_at":"2026-11-15T00:00:00Z"}' \
	"Harbor Dental left mid-November"
HARBOR=$ID

# ---- stages: the three defaults plus discovery, which comes first
api GET "/api/v1/deal-stages?sort=position"
expect_jq '[.data[]|"\(.name):\(.probability)"]|join(",")' 'qualified:10,proposal:40,negotiation:70' \
	"a workspace starts with three stages and their probabilities"
create deal-stages '{"name":"discovery","label":"Discovery call","position":5,"probability":5}' "add a discovery stage first in line"
DISCOVERY=$ID

# ---- deals
create deals "$(jq -nc --arg c "$FJORD" '{client_id:$c,title:"Brand refresh",value:"12000.00"}')" \
	"a deal without stage, probability or currency"
D1=$ID
expect_jq '[.stage,.probability,.currency,.status,.closed_at]|map(tostring)|join("|")' 'discovery|5|EUR|open|null' \
	"it starts in the lowest-position stage, with that stage's probability and the workspace's currency"
create deals "$(jq -nc --arg c "$FJORD" '{client_id:$c,title:"Website",value:"8000.00",stage:"proposal"}')" "a deal at proposal"
D2=$ID
expect_jq .probability 40 "its probability is the proposal stage's 40"
create deals "$(jq -nc --arg c "$KESTREL" '{client_id:$c,title:"Case portal",value:"20000.00",currency:"usd",stage:"negotiation",probability:65}')" \
	"a dollar deal with its own probability"
D3=$ID
expect_jq '[.currency,.probability]|map(tostring)|join("|")' 'USD|65' "a sent probability wins over the stage's"
create deals "$(jq -nc --arg c "$LUMEN" '{client_id:$c,title:"Annual audit",value:"3333.35",stage:"qualified"}')" "a small deal at qualified"
D4=$ID
create deals "$(jq -nc --arg c "$OAK" '{client_id:$c,title:"Rebrand",value:"5000.00",stage:"proposal"}')" "a rebrand for Oakline"
D5=$ID

api POST /api/v1/deals "$(jq -nc --arg c "$FJORD" '{client_id:$c,title:"Pitch",stage:"pitching"}')"
expect_error 422 invalid_value stage "an unknown stage is 422 on stage"
check "the message lists the stages in pipeline order" jqe '.error.message|test("discovery, qualified, proposal, negotiation")'
expect_count deals 5 "and no deal was written"

patch deals "$D2" '{"stage":"negotiation"}'
expect_status 200 "move the website deal to negotiation"
expect_jq .probability 70 "moving stage without a probability takes the new stage's 70"
patch deals "$D2" '{"title":"Website and shop"}'
expect_jq .probability 70 "an edit that keeps the stage keeps the probability"

# ---- lost, with and without a reason; reopening
BEFORE=$(snapshot deals "$D4")
patch deals "$D4" '{"status":"lost"}'
expect_error 422 required lost_reason "losing a deal without a reason is 422 on lost_reason"
check "the message says why" jqe '.error.message|test("lost_reason")'
patch deals "$D4" '{"status":"lost","lost_reason":"   "}'
expect_error 422 required lost_reason "a blank reason is no reason"
check "the deal is unchanged (same version, still open)" test "$(snapshot deals "$D4")" = "$BEFORE"
patch deals "$D4" '{"status":"lost","lost_reason":"Went with an in-house team"}'
expect_status 200 "lose it with the reason"
expect_jq '[.status,.closed_at,.lost_reason]|join("|")' "lost|$RAPPORT_NOW|Went with an in-house team" \
	"a lost deal keeps its reason and closes now"
patch deals "$D4" '{"lost_reason":""}'
expect_error 422 required lost_reason "a lost deal cannot drop its reason"
patch deals "$D4" '{"status":"open"}'
expect_status 200 "reopen the lost deal (lost -> open)"
expect_jq '[.status,(.closed_at|tostring)]|join("|")' 'open|null' "reopening clears closed_at"
patch deals "$D5" '{"status":"lost","lost_reason":"Budget cut"}'
expect_status 200 "Oakline's rebrand is lost to a budget cut"

# ---- winning a deal activates the lead
api GET "/api/v1/clients/$FJORD"
check "Fjord is still a lead with no started_at" jqe '.stage == "lead" and .started_at == null'
patch deals "$D1" '{"status":"won"}'
expect_status 200 "win the brand refresh"
expect_jq '[.status,(.probability|tostring),.closed_at]|join("|")' "won|100|$RAPPORT_NOW" "won: probability 100, closed now"
api GET "/api/v1/clients/$FJORD"
expect_jq '[.stage,.started_at,(.ended_at|tostring)]|join("|")' "active|$RAPPORT_NOW|null" \
	"winning the deal made Fjord an active client since now"
api GET "/api/v1/audit?entity=clients&record_id=$FJORD"
check "the audit records the client's move to active" \
	jqe 'any(.data[]; .action == "update" and .after.stage == "active" and .before.stage == "lead")'

BEFORE=$(snapshot deals "$D1")
patch deals "$D1" '{"status":"open"}'
expect_error 409 conflict status "a won deal cannot be reopened (409)"
check "the message says won is final" jqe '.error.message|test("won.*final")'
patch deals "$D1" '{"status":"lost","lost_reason":"changed our mind"}'
expect_error 409 conflict status "a won deal cannot be lost (409)"
check "the won deal is unchanged" test "$(snapshot deals "$D1")" = "$BEFORE"

# a deal won for a client already active leaves the client's started_at alone
create deals "$(jq -nc --arg c "$LUMEN" '{client_id:$c,title:"Extension",value:"1000.00",stage:"qualified"}')" "a deal for the active Lumen"
D6=$ID
patch deals "$D6" '{"status":"won"}'
api GET "/api/v1/clients/$LUMEN"
expect_jq .started_at 2025-06-01T09:00:00Z "winning for an active client keeps its started_at"

# ---- stages in use
BEFORE=$(snapshot deal-stages "$(api GET '/api/v1/deal-stages?sort=position'; jqr '.data[]|select(.name=="negotiation").id')")
NEGO=$(printf '%s' "$BEFORE" | jq -r .id)
api DELETE "/api/v1/deal-stages/$NEGO"
expect_error 409 conflict - "a stage holding open deals cannot be deleted (409)"
check "the message counts the open deals" jqe '.error.message|test("negotiation holds 2 open deals")'
patch deal-stages "$NEGO" '{"name":"closing"}'
expect_error 409 conflict name "nor renamed while open deals name it"
check "the stage is unchanged" test "$(snapshot deal-stages "$NEGO")" = "$BEFORE"
api DELETE "/api/v1/deal-stages/$DISCOVERY"
expect_status 204 "discovery (only a won deal left in it) can be deleted"

# ---- the pipeline, by hand:
#   qualified (10%): Annual audit 3333.35 EUR -> weighted 333.335 -> 333.34 (half up)
#   proposal: nothing open (the rebrand was lost)
#   negotiation: Website 8000.00 EUR at 70% -> 5600.00; Case portal 20000.00 USD at 65% -> 13000.00
#   open: EUR 2 deals 11333.35 (weighted 5933.34), USD 1 deal 20000.00 (13000.00)
#   won: Brand refresh 12000.00 + Extension 1000.00 EUR = 2 deals 13000.00; lost: Rebrand 5000.00 EUR
api GET /api/v1/pipeline
expect_status 200 "GET /api/v1/pipeline"
PIPELINE=$BODY
expect_jq '[.stages[]|"\(.name):\(.open_count)"]|join(",")' 'qualified:1,proposal:0,negotiation:2' "stages in position order with open counts"
expect_jq '.stages[0].by_currency[0]|[.currency,.value,.weighted_value]|join("|")' 'EUR|3333.35|333.34' \
	"qualified: 3333.35 weighted at 10% is 333.34 (rounded half up)"
expect_jq '.stages[2].by_currency|map("\(.currency):\(.count):\(.value):\(.weighted_value)")|join(",")' \
	'EUR:1:8000.00:5600.00,USD:1:20000.00:13000.00' "negotiation per currency"
expect_jq '.open|[.count, (.by_currency|map("\(.currency):\(.count):\(.value):\(.weighted_value)")|join(","))]|map(tostring)|join("|")' \
	'3|EUR:2:11333.35:5933.34,USD:1:20000.00:13000.00' "open totals per currency"
expect_jq '[.won.count, .won.by_currency[0].value, .lost.count, .lost.by_currency[0].value]|map(tostring)|join("|")' \
	'2|13000.00|1|5000.00' "won and lost counts and values"

cli pipeline --db "$DB" --json
expect_rc 0 "rapport pipeline --json"
check "the CLI gives the same report as the API" test "$(printf '%s' "$OUT" | jq -c .)" = "$(printf '%s' "$PIPELINE" | jq -c .)"
cli pipeline --db "$DB"
expect_rc 0 "rapport pipeline (table)"
check "the table shows negotiation's weighted dollars" grep -Eq '^negotiation +1 +EUR +8000.00 +5600.00' <<<"$OUT"
check "and the USD line under it" grep -Eq 'USD +20000.00 +13000.00' <<<"$OUT"

cli deal add --db "$DB" --json --client-id "$KESTREL" --title "Retainer talk" --stage proposal --value 1500
expect_rc 0 "rapport deal add through the CLI runs the same rules"
check "it got the stage's probability and EUR" test "$(printf '%s' "$OUT" | jq -r '"\(.currency) \(.probability)"')" = "EUR 40"

# ---- invoices for Lumen Architects
create invoices "$(jq -nc --arg c "$LUMEN" '{client_id:$c,amount:"1500.00"}')" "a draft invoice with no number or currency"
I1=$ID
expect_jq '[.number,.currency,.status,(.issued_on|tostring)]|join("|")' 'INV-0001|EUR|draft|null' \
	"it gets INV-0001, the workspace's EUR, status draft"
patch invoices "$I1" '{"status":"paid"}'
expect_error 409 conflict status "a draft cannot be paid before it is issued (409)"
patch invoices "$I1" '{"status":"issued","due_on":"2026-12-23"}'
expect_status 200 "issue it"
expect_jq .issued_on "$TODAY" "issuing without issued_on dates it today"
patch invoices "$I1" '{"status":"paid"}'
expect_jq '[.status,.paid_on]|join("|")' "paid|$TODAY" "paid without paid_on: paid today"

create invoices "$(jq -nc --arg c "$LUMEN" '{client_id:$c,amount:"2000.00",status:"issued",issued_on:"2025-10-01",due_on:"2025-10-31"}')" \
	"last year's invoice, issued"
I2=$ID
expect_jq .number INV-0002 "numbers count up: INV-0002"
patch invoices "$I2" '{"paid_on":"2025-11-02"}'
expect_jq '[.status,.paid_on]|join("|")' 'paid|2025-11-02' "setting paid_on marks it paid"

create invoices "$(jq -nc --arg c "$LUMEN" '{client_id:$c,amount:"750.00",currency:"USD",status:"issued",issued_on:"2026-10-01",due_on:"2026-10-31"}')" \
	"a dollar invoice"
I3=$ID
patch invoices "$I3" '{"paid_on":"2026-11-02"}'
expect_jq '[.number,.status,.paid_on]|join("|")' 'INV-0003|paid|2026-11-02' "INV-0003 paid on 2 November"
BEFORE=$(snapshot invoices "$I3")
patch invoices "$I3" '{"status":"paid"}'
expect_error 409 conflict status "paying INV-0003 twice is 409"
expect_jq .error.message 'invoice INV-0003 was already paid on 2026-11-02' "the message names the invoice and the day"
patch invoices "$I3" '{"paid_on":"2026-11-20"}'
expect_error 409 conflict paid_on "a second paid_on is paying twice too"
patch invoices "$I3" '{"amount":"700.00"}'
expect_error 409 conflict amount "a paid invoice's amount cannot change"
patch invoices "$I3" '{"currency":"EUR"}'
expect_error 409 conflict currency "nor its currency"
patch invoices "$I3" '{"status":"void"}'
expect_error 409 conflict status "a paid invoice cannot be voided"
check "INV-0003 is unchanged" test "$(snapshot invoices "$I3")" = "$BEFORE"
patch invoices "$I3" '{"amount":"750.00","due_on":"2026-11-01"}'
expect_status 200 "resending the same amount with another edit is fine"

create invoices "$(jq -nc --arg c "$LUMEN" '{client_id:$c,amount:"400.00",status:"issued",issued_on:"2026-10-15",due_on:"2026-11-14"}')" \
	"an invoice past its due date"
create invoices "$(jq -nc --arg c "$LUMEN" '{client_id:$c,amount:"600.00",status:"issued",issued_on:"2026-11-20",due_on:"2026-12-20"}')" \
	"an invoice not yet due"

api POST /api/v1/invoices "$(jq -nc --arg c "$LUMEN" '{client_id:$c,amount:"90.00",issued_on:"2026-11-20",due_on:"2026-11-10"}')"
expect_error 422 invalid_value due_on "due_on before issued_on is 422"
check "the message gives both dates" jqe '.error.message|test("2026-11-10.*2026-11-20")'
expect_count invoices 5 "no invoice was written"

create invoices "$(jq -nc --arg c "$LUMEN" '{client_id:$c,amount:"999.00"}')" "a mistaken draft"
I6=$ID
patch invoices "$I6" '{"status":"void"}'
expect_jq '[.number,.status]|join("|")' 'INV-0006|void' "a draft can be voided"
BEFORE=$(snapshot invoices "$I6")
patch invoices "$I6" '{"status":"issued"}'
expect_error 409 conflict status "a void invoice is final"
patch invoices "$I6" '{"paid_on":"2026-11-23"}'
expect_error 409 conflict paid_on "and cannot be paid"
check "the void invoice is unchanged" test "$(snapshot invoices "$I6")" = "$BEFORE"

# other clients' invoices: an own numbering scheme, and a jump in the INV- series
create invoices "$(jq -nc --arg c "$FJORD" '{client_id:$c,number:"NW-2026-17",amount:"1200.00",status:"issued",issued_on:"2026-11-01",paid_on:"2026-11-10"}')" \
	"Fjord's invoice with its own number, paid on the 10th"
expect_jq '[.number,.status]|join("|")' 'NW-2026-17|paid' "the number is kept"
create invoices "$(jq -nc --arg c "$KESTREL" '{client_id:$c,number:"INV-0041",amount:"300.02",status:"issued",issued_on:"2026-11-25",paid_on:"2026-11-30"}')" \
	"Kestrel's invoice numbered INV-0041"
create invoices "$(jq -nc --arg c "$KESTREL" '{client_id:$c,amount:"50.00"}')" "the next invoice without a number"
expect_jq .number INV-0042 "is the highest INV-n plus one: INV-0042"
api POST /api/v1/invoices "$(jq -nc --arg c "$KESTREL" '{client_id:$c,number:"INV-0042",amount:"1.00"}')"
expect_error 409 conflict number "a number is unique in the workspace"

# ---- retainers
create retainers "$(jq -nc --arg c "$LUMEN" '{client_id:$c,name:"Care plan",amount:"3000.00",period:"quarterly",starts_on:"2026-01-01"}')" \
	"a quarterly care plan of 3000.00"
expect_jq .currency EUR "a retainer's currency defaults to the workspace's"
create retainers "$(jq -nc --arg c "$LUMEN" '{client_id:$c,name:"Hosting",amount:"250.00",starts_on:"2025-06-01",ends_on:"2026-06-30"}')" \
	"an ended monthly retainer"
create retainers "$(jq -nc --arg c "$LUMEN" '{client_id:$c,name:"US licence",amount:"1000.06",currency:"USD",period:"yearly",starts_on:"2026-02-01"}')" \
	"a yearly dollar retainer"
api POST /api/v1/retainers "$(jq -nc --arg c "$LUMEN" '{client_id:$c,name:"Backwards",amount:"10.00",starts_on:"2026-05-01",ends_on:"2026-04-30"}')"
expect_error 422 invalid_value ends_on "ends_on before starts_on is 422"
expect_count retainers 3 "no retainer was written"

# ---- Lumen's revenue, by hand (today 2026-11-23, last 12 months from 2025-11-23):
#   EUR paid: INV-0001 1500.00 (2026-11-23) + INV-0002 2000.00 (2025-11-02) = 3500.00; last 12 months 1500.00
#   EUR outstanding: 400.00 (due 11-14, overdue) + 600.00 (due 12-20) = 1000.00; overdue 400.00 (1)
#   EUR monthly recurring: 3000.00 quarterly / 3 = 1000.00 (hosting ended in June)
#   USD paid: INV-0003 750.00 on 2026-11-02; recurring 1000.06 / 12 = 83.338 -> 83.34
api GET "/api/v1/clients/$LUMEN/revenue"
expect_status 200 "GET /api/v1/clients/ID/revenue"
expect_jq '[.name,.as_of]|join("|")' "Lumen Architects|$TODAY" "the report names the client and the day"
expect_jq '.by_currency[]|select(.currency=="EUR")|[.paid_total,.lifetime_value,.paid_last_12_months,.first_paid_on,.last_paid_on,.paid_count]|map(tostring)|join("|")' \
	'3500.00|3500.00|1500.00|2025-11-02|2026-11-23|2' "EUR: lifetime 3500.00, 1500.00 in the last 12 months"
expect_jq '.by_currency[]|select(.currency=="EUR")|[.outstanding,.outstanding_count,.overdue,.overdue_count]|map(tostring)|join("|")' \
	'1000.00|2|400.00|1' "EUR: 1000.00 outstanding, 400.00 of it overdue"
expect_jq '.by_currency[]|select(.currency=="EUR")|[.monthly_recurring,.active_retainers]|map(tostring)|join("|")' \
	'1000.00|1' "EUR: the quarterly 3000.00 is 1000.00 a month"
expect_jq '.by_currency[]|select(.currency=="USD")|[.paid_total,.paid_last_12_months,.outstanding,.monthly_recurring,.first_paid_on]|join("|")' \
	'750.00|750.00|0.00|83.34|2026-11-02' "USD: 750.00 paid, 1000.06 a year is 83.34 a month"
expect_jq '[.by_currency[].currency]|join(",")' 'EUR,USD' "currencies in order"
api GET "/api/v1/clients/cli_nosuchclient/revenue"
expect_error 404 not_found - "revenue of an unknown client is 404"

cli revenue --db "$DB" "$LUMEN" --json
expect_rc 0 "rapport revenue CLIENT_ID --json"
check "the CLI's lifetime value matches" test "$(printf '%s' "$OUT" | jq -r '.by_currency[0].lifetime_value')" = 3500.00
cli revenue --db "$DB" "$LUMEN"
expect_rc 0 "rapport revenue CLIENT_ID (table)"
check "the table has the EUR line" grep -Eq '^EUR +3500.00 +1500.00 +1000.00 +400.00 \(1\) +1000.00 +2025-11-02 +2026-11-23' <<<"$OUT"

# ---- paid revenue in November [2026-11-01, 2026-12-01), by hand:
#   EUR: Lumen 1500.00, Fjord 1200.00, Kestrel 300.02 = 3000.02 from 3 clients
#   USD: Lumen 750.00
#   active at some time in the period: Lumen, Fjord (since today), Harbor Dental (until the 15th) = 3;
#   not Oakline (ended in March) nor Kestrel (a lead)
#   per active client: EUR 3000.02 / 3 = 1000.0067 -> 1000.01; USD 750.00 / 3 = 250.00
api GET "/api/v1/revenue?from=2026-11-01&to=2026-12-01"
expect_status 200 "GET /api/v1/revenue?from&to"
expect_jq .active_clients 3 "three clients were active in November"
expect_jq '.by_currency[0]|[.currency,.paid_total,.invoice_count,.clients_with_revenue,.revenue_per_client]|map(tostring)|join("|")' \
	'EUR|3000.02|3|3|1000.01' "EUR: 3000.02 from 3 clients, 1000.01 per active client"
expect_jq '.by_currency[0].clients|map("\(.name)=\(.paid_total)")|join(",")' \
	'Lumen Architects=1500.00,Fjord Coffee=1200.00,Kestrel Legal=300.02' "top clients first"
# what is open now, the whole workspace (the page beside the period): only Lumen's two EUR invoices
expect_jq '[.as_of,(.open|map("\(.currency):\(.outstanding)(\(.outstanding_count)),\(.overdue)(\(.overdue_count))")|join(";"))]|join("|")' \
	"$TODAY|EUR:1000.00(2),400.00(1)" "open now: EUR 1000.00 outstanding, 400.00 of it overdue, as of today"
expect_jq '.by_currency[1]|[.currency,.paid_total,.revenue_per_client]|join("|")' 'USD|750.00|250.00' "USD: 750.00, 250.00 per active client"
# the bounds: from is in, to is out
api GET "/api/v1/revenue?from=2026-11-02&to=2026-11-23"
expect_jq '[.by_currency[]|"\(.currency):\(.paid_total)"]|join(",")' 'EUR:1200.00,USD:750.00' \
	"[11-02, 11-23) holds INV-0003 (paid on from) but not INV-0001 (paid on to)"
api GET "/api/v1/revenue?from=2026-12-01&to=2026-11-01"
expect_error 400 invalid_parameter to "a period that ends before it starts is refused"
api GET "/api/v1/revenue?from=2026-11-01"
expect_error 400 invalid_parameter to "to is required"
api GET "/api/v1/revenue?from=2026-11-01&to=2026-12-01&client=x"
expect_error 400 invalid_parameter client "an unknown parameter is named"

cli revenue --db "$DB" --from 2026-11-01 --to 2026-12-01
expect_rc 0 "rapport revenue --from --to"
check "the table gives the euro total and per-client figure" grep -q 'EUR 3000.02 paid by 3 client(s); per active client: 1000.01' <<<"$OUT"
check "and the top client first" test "$(grep -m1 -E '^  ' <<<"$OUT" | tr -s ' ')" = " Lumen Architects 1500.00 1 invoice(s)"
cli revenue --db "$DB"
expect_cli_error 2 "rapport revenue with neither a client nor a period is a usage error"

api GET "/api/v1/invoices/$I3"
V=$(jqr .version)
cli invoice edit --db "$DB" "$I3" --status paid --version "$V"
check "paying twice from the CLI fails" test "$RC" -ne 0
check "with the same one-line reason" grep -q 'invoice INV-0003 was already paid on 2026-11-02' <<<"$ERR"

api GET /api/v1/openapi.json
check "OpenAPI describes the three reports" \
	jqe '.paths|has("/api/v1/pipeline") and has("/api/v1/revenue") and has("/api/v1/clients/{id}/revenue")'

# ---- a viewer reads the reports but cannot change deals
VIEWER_PW=$RAPPORT_USER_PASSWORD
create users '{"email":"viewer@northwind.example","role":"viewer","password":"'"$VIEWER_PW"'"}' "a viewer joins"
VTOKEN=$(new_token viewer@northwind.example)
TOKEN=$VTOKEN
api GET /api/v1/pipeline
expect_status 200 "a viewer reads the pipeline"
api GET "/api/v1/clients/$LUMEN/revenue"
expect_status 200 "and a client's revenue"
patch deals "$D4" '{"status":"won"}'
expect_error 403 forbidden - "but cannot win a deal"
TOKEN=$OWNER_TOKEN
server_alive "the pipeline and revenue scenario"
