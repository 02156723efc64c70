#!/usr/bin/env bash
# t1000: rapport seed writes a realistic workspace deterministically (same seed and clock, same data),
# in bulk, leaving search working both for the seeded rows and for rows written afterwards.
. "$(dirname "$0")/lib.sh"
export RAPPORT_NOW=2026-11-01T09:00:00Z

start_server
cli seed --db "$DB" --clients 60 --interactions 900 --seed 42 --json
expect_rc 0 "seed 60 clients and 900 interactions"
check "it reports what it wrote" jq_on "$OUT" -e '.clients == 60 and .interactions == 900 and .contacts >= 60'
api GET '/api/v1/clients?limit=500'
check "60 clients" jqe '.data | length == 60'
check "in every stage" jqe '[.data[].stage] | unique == ["active","lead","lost","past","prospect"]'
check "active and past clients have started_at; only past ones ended_at" \
	jqe 'all(.data[] | select(.stage == "active"); .started_at != null and .ended_at == null) and all(.data[] | select(.stage == "past"); .ended_at != null)'
api GET '/api/v1/interactions?limit=1&sort=-occurred_at'
check "interactions carry a subject and a summary" jqe '.data[0].subject != null and (.data[0].summary | length) > 20'
api GET '/api/v1/search?q=pricing&limit=5'
check "search finds seeded text" jqe '.data | length == 5'
# the lifecycle around each client: what the practice's views and the metrics read
check "it reports the lifecycle rows it wrote" jq_on "$OUT" -e '.lifecycle > 60'
api GET '/api/v1/deals?limit=500'
check "a deal per client: open for leads and prospects, won for clients, lost with a reason" \
	jqe '(.data | length == 60) and all(.data[] | select(.status == "lost"); .lost_reason != null) and ([.data[].status] | unique == ["lost","open","won"])'
api GET '/api/v1/projects?limit=500'
check "projects of ever-active clients, agreed, with a baseline budget" \
	jqe '(.data | length > 0) and all(.data[]; .agreed_by_id != null and .original_budget != null)'
api GET '/api/v1/tickets?limit=500'
check "tickets held to a response time, answered ones measured in business minutes" \
	jqe '(.data | length > 0) and all(.data[]; .response_due_at != null) and all(.data[] | select(.first_response_at != null); .first_response_minutes >= 0)'
api GET '/api/v1/invoices?limit=500'
check "invoices, most paid" jqe '([.data[] | select(.status == "paid")] | length) > ([.data[] | select(.status == "issued")] | length)'
CL=$(jqr '.data[0].client_id')
api GET "/api/v1/clients/$CL/timeline?types=invoice,project"
check "a seeded client's timeline shows its project and invoices" jqe '[.data[].type] | unique == ["invoice","project"]'
create interactions "$(jq -nc --arg c "$(cli client list --db "$DB" --json --limit 1 >/dev/null; jq -r '.data[0].id' <<<"$OUT")" \
	'{client_id:$c,type:"note",summary:"zyzzyva appears once"}')" "a new interaction after seeding"
api GET '/api/v1/search?q=zyzzyva'
check "search still indexes new rows after a bulk load" jqe '.data | length == 1'

# the same seed and clock give the same data (ids included); another seed gives other data
for n in 1 2; do
	cli init --db "$TMP/same$n.db" --admin-email "s$n@example.com"
	cli seed --db "$TMP/same$n.db" --clients 20 --interactions 200 --seed 7
	cli interaction list --db "$TMP/same$n.db" --json --limit 500 --sort id
	printf '%s' "$OUT" | jq -c '[.data[] | del(.created_by)]' >"$TMP/same$n.json"
done
check "seed 7 twice gives identical interactions" cmp -s "$TMP/same1.json" "$TMP/same2.json"
check "... and they are not empty" test "$(jq length "$TMP/same1.json")" -eq 200
cli init --db "$TMP/other.db" --admin-email o@example.com
cli seed --db "$TMP/other.db" --clients 20 --interactions 200 --seed 8
cli interaction list --db "$TMP/other.db" --json --limit 500 --sort id
check "another seed gives other data" test "$(printf '%s' "$OUT" | jq -c '[.data[] | del(.created_by)]')" != "$(cat "$TMP/same1.json")"
cli seed --db "$DB" --contacts-csv 1000 --seed 3
check "a contacts CSV: a header and 1000 rows" test "$(printf '%s\n' "$OUT" | wc -l)" -eq 1001
check "... with the columns an import expects" test "$(printf '%s\n' "$OUT" | head -n 1)" = "first_name,last_name,email,phone,title,company"
