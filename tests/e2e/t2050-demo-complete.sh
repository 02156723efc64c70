#!/usr/bin/env bash
# t2050: the demo workspace tells the whole story. `rapport init --demo` (what `make run` serves) has
# every kind of record a page lists — deals in each status, projects with deliverables and change
# requests (one approved, one waiting), a client and a contact typed in twice, tickets of each kind (one answered late, one waiting past its
# promise), feedback of each kind (a low score acted on with a note back, one not yet), invoices (paid,
# outstanding, overdue, a draft) in the workspace's currency, a retainer, an onboarding in progress and a
# shared view — and Today shows its lines for them. Then on each day of one week under RAPPORT_NOW (the
# weekend included: promises are business hours), the same story holds, and the same day gives the
# same records.
. "$(dirname "$0")/lib.sh"

INIT_ARGS=--demo start_server
TODAY=$(date -u +%F)
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
jt() { jq -e "$@" >/dev/null 2>&1; } # jt FILTER [ARGS] <<<JSON : the filter holds
list() { # list RESOURCE : every record of RESOURCE (the demo fits one page) into $BODY
	api GET "/api/v1/$1?limit=200"
	expect_status 200 "list $1"
}

list clients
check "four active clients, a prospect, two leads and a past one" \
	jqe '[.data[].stage] | sort == ["active","active","active","active","lead","lead","past","prospect"]'
JUNIPER=$(jqr '.data[] | select(.name == "Juniper Architects") | .id')
HARBOR=$(jqr '.data[] | select(.name == "Harbor & Finch LLP") | .id')

check "each client with a contact has its point of contact" \
	jqe 'all(.data[] | select(.name != "Juniper Architects Ltd"); .point_of_contact_id != null)'
api GET '/api/v1/duplicates?entity=clients'
check "the Duplicates page has a client typed in twice" \
	jqe 'any(.data[]; .a.name == "Juniper Architects" and .b.name == "Juniper Architects Ltd" or .b.name == "Juniper Architects" and .a.name == "Juniper Architects Ltd")'
api GET '/api/v1/duplicates?entity=contacts'
check "and a contact typed in twice" jqe 'any(.data[]; .a.name == "Daniel Reyes" and .b.name == "Dan Reyes")'

list deals
check "deals open in each pipeline stage, won and lost (with its reason)" \
	jqe '([.data[] | select(.status == "open") | .stage] | unique) == ["negotiation","proposal","qualified"] and any(.data[]; .status == "won") and any(.data[]; .status == "lost" and (.lost_reason | length) > 0)'
check "Juniper's deal was won nine days ago, and Juniper is a client since" \
	jqe --arg c "$JUNIPER" '.data[] | select(.client_id == $c) | .status == "won" and .closed_at < "'"$NOW"'"'
api GET "/api/v1/clients/$JUNIPER"
check "Juniper is active, from the day its deal was won" jqe '.stage == "active" and .started_at < "'"$TODAY"'"'

list projects
check "projects proposed, active and done" jqe '([.data[].status] | unique) == ["active","done","proposed"]'
check "an active project has grown by an approved change" \
	jqe 'any(.data[]; .status == "active" and .approved_change_cost != "0.00" and .budget != .original_budget)'
list change-requests
check "change requests: one approved (decided by the client), one still proposed" \
	jqe '([.data[].status] | sort) == ["approved","proposed"] and any(.data[]; .status == "approved" and .decided_by_id != null and .decided_at != null)'
list deliverables
check "deliverables to do, in progress, delivered and accepted" \
	jqe '([.data[].status] | unique) == ["accepted","delivered","in_progress","todo"]'

list tickets
check "tickets of every kind: inquiries, requests, a complaint" jqe '([.data[].kind] | unique) == ["complaint","inquiry","request"]'
check "the complaint was answered, late against its promise" \
	jqe 'any(.data[]; .kind == "complaint" and .first_response_at > .response_due_at and .status == "resolved")'
check "one ticket still waits, past its promise" \
	jqe --arg now "$NOW" 'any(.data[]; .status == "open" and .first_response_at == null and .response_due_at < $now)'

list feedback
check "feedback of every kind: CSAT, NPS, a pulse, a debrief" jqe '([.data[].kind] | unique) == ["csat","debrief","nps","pulse"]'
check "a low score acted on, with what was done and the note back" \
	jqe 'any(.data[]; .score <= 2 and .acted_on_at != null and (.action_note | length) > 0 and (.reply_note | length) > 0)'
check "a low score not yet acted on" jqe 'any(.data[]; .score <= 2 and .acted_on_at == null)'

api GET /api/v1/workspaces?limit=1
CURRENCY=$(jqr '.data[0].currency')
list invoices
check "invoices paid, issued and draft, all in the workspace's currency ($CURRENCY)" \
	jqe --arg cur "$CURRENCY" '([.data[].status] | unique) == ["draft","issued","paid"] and all(.data[]; .currency == $cur)'
check "one invoice overdue, one outstanding not yet due" \
	jqe --arg d "$TODAY" '([.data[] | select(.status == "issued" and .due_on < $d)] | length) == 1 and any(.data[]; .status == "issued" and .due_on >= $d)'
list retainers
check "a retainer" jqe '(.data | length) == 1 and .data[0].period == "monthly"'
list views
check "a saved view, shared with the workspace" jqe 'any(.data[]; .shared == true and .entity == "clients")'

api GET "/api/v1/clients/$JUNIPER/onboarding"
expect_status 200 "Juniper's onboarding"
check "an onboarding in progress: some steps done, not all, and intake answers kept" \
	jqe '([.steps[] | select(.status == "done")] | length) as $d | $d > 0 and $d < (.steps | length) and ([.questions[] | select(.answer != null)] | length) > 0'

api GET /api/v1/today
expect_status 200 "Today"
check "Today: the ticket waiting past its promise" \
	jqe --arg c "$HARBOR" 'any(.tickets[]; .kind == "ticket_response" and .late == true and .client_id == $c and .client_name == "Harbor & Finch LLP")'
check "Today: the overdue invoice" jqe 'any(.invoices_overdue[]; .kind == "invoice_overdue" and .days_overdue > 0 and .client_name != null)'
check "Today: the low scores, as the reason clients are at risk" \
	jqe '[.at_risk[] | select(any(.reasons[]; .evidence | test("^CSAT 2/5"))) | .client_name] | sort == ["Bluebell Bakery","Harbor & Finch LLP"]'
check "Today: a deliverable due this week, an overdue onboarding step, a task due today, a check-in" \
	jqe '(.deliverables_due | length) > 0 and any(.overdue[]; .task_kind == "onboarding") and (.due_today | length) > 0 and (.check_ins | length) > 0'

# On each day of a week, read on the day the demo was made: the promises are business hours, so a
# weekend must not turn the late answer into an early one or the waiting ticket into one still in time.
for d in 2026-06-01 2026-06-02 2026-06-03 2026-06-04 2026-06-05 2026-06-06 2026-06-07; do
	for n in 1 2; do
		RAPPORT_NOW=${d}T08:30:00Z timeout "$CLI_TIMEOUT" "$RAPPORT_BIN" init --db "$TMP/$d-$n.db" \
			--admin-email "$ADMIN_EMAIL" --demo >/dev/null 2>"$TMP/init.err" || fail "demo made on $d" "$(cat "$TMP/init.err")"
	done
	RAPPORT_NOW=${d}T08:30:00Z cli today --db "$TMP/$d-1.db" --json
	T=$OUT
	RAPPORT_NOW=${d}T08:30:00Z cli ticket list --db "$TMP/$d-1.db" --json --limit 100
	check "$d: Today has the late ticket, the overdue invoice, a deliverable due, clients at risk" \
		jt '(.tickets | map(select(.late)) | length) == 1 and (.invoices_overdue | length) == 1 and (.deliverables_due | length) == 1 and (.at_risk | length) == 2' <<<"$T"
	check "$d: the complaint answered late, the inquiry waiting past its promise" jt --arg now "${d}T08:30:00Z" \
		'any(.data[]; .kind == "complaint" and .first_response_at > .response_due_at) and any(.data[]; .status == "open" and .response_due_at < $now)' <<<"$OUT"
	same() { # the records of a day's two demos, without what is new each time (ids, versions, writes)
		RAPPORT_NOW=${d}T08:30:00Z "$RAPPORT_BIN" "$1" list --db "$2" --json --limit 200 2>/dev/null |
			jq -S '[.data[] | del(.id, .created_at, .updated_at, .created_by, .client_id, .contact_id, .project_id, .retainer_id, .agreed_by_id, .decided_by_id, .assignee_id, .user_id, .owner_id, .onboarding_template_id, .health_scored_at, .point_of_contact_id)] | sort_by(tostring)'
	}
	for r in client deal project ticket feedback invoice task; do
		[ "$(same $r "$TMP/$d-1.db")" = "$(same $r "$TMP/$d-2.db")" ] || fail "$d: the $r records differ between two demos made on the same day"
	done
	pass "$d: two demos made on the same day have the same records"
done
