#!/usr/bin/env bash
# t2850: the metrics as CSV from the server. GET /api/v1/metrics?format=csv answers text/csv: a row per
# group (month, owner) or the one row "all", every figure a plain number with its unit in the header
# (rates _pct as 0-100, money one column per currency, hours), the same filters as the JSON; a format
# other than json or csv is 400 naming format.
. "$(dirname "$0")/lib.sh"

INIT_ARGS=--demo start_server
api GET /api/v1/users
ME=$(user_id_of "$ADMIN_EMAIL")
create clients "{\"name\":\"Acme\",\"stage\":\"active\",\"started_at\":\"2025-06-01T09:00:00Z\",\"owner_id\":\"$ME\"}" "a client of mine"
ACME=$ID
create invoices "$(jq -nc --arg c "$ACME" '{client_id:$c,amount:"1000.00",currency:"EUR",status:"issued",issued_on:"2026-03-01",paid_on:"2026-03-15"}')" "it paid 1000 EUR"
create invoices "$(jq -nc --arg c "$ACME" '{client_id:$c,amount:"250.50",currency:"USD",status:"issued",issued_on:"2026-04-01",paid_on:"2026-04-15"}')" "and 250.50 USD"
api GET '/api/v1/metrics?from=2026-01-01&to=2027-01-01&format=csv'
expect_status 200 "format=csv"
check "... served as text/csv" grep -qi '^content-type: text/csv' <<<"$HEADERS"
check "the header has units: rates in percent, hours, scores" python3 -c '
import csv, io, sys
rows = list(csv.reader(io.StringIO(sys.argv[1])))
h = rows[0]
assert h[:4] == ["key", "label", "from", "to"], h
for k in ["retention_rate_pct", "win_rate_pct", "first_response_median_business_hours", "csat_1_to_5"]:
    assert k in h, (k, h)
assert not any(x in ("retention_rate", "revenue_per_client") for x in h), h
assert len(rows) == 2 and rows[1][0] == "all", rows' "$BODY"
api GET '/api/v1/metrics?from=2026-01-01&to=2027-01-01'
RET=$(jqr '.retention_rate')
api GET '/api/v1/metrics?from=2026-01-01&to=2027-01-01&format=csv'
check "a rate is the JSON fraction as a percentage, a plain number ($RET)" python3 -c '
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
ret = sys.argv[2]
want = "" if ret == "null" else "%.1f" % (float(ret) * 100)
assert rows[0]["retention_rate_pct"] == want, (rows[0]["retention_rate_pct"], want)
for k, v in rows[0].items():
    assert "%" not in v and not v.startswith(("EUR", "USD")), (k, v)' "$BODY" "$RET"
api GET '/api/v1/metrics?from=2026-01-01&to=2027-01-01&group_by=month&format=csv'
check "by month: a row per month of the period" python3 -c '
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
assert [r["key"] for r in rows] == ["2026-%02d" % m for m in range(1, 13)], [r["key"] for r in rows]' "$BODY"
api GET '/api/v1/metrics?from=2026-01-01&to=2027-01-01&group_by=owner'
OWNERS=$(jqr '[.data[].key] | join(",")')
api GET '/api/v1/metrics?from=2026-01-01&to=2027-01-01&group_by=owner&format=csv'
check "by owner: a row per owner, as in the JSON ($OWNERS)" python3 -c '
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
assert ",".join(r["key"] for r in rows) == sys.argv[2], rows' "$BODY" "$OWNERS"
check "money columns name their currency and hold plain amounts" python3 -c '
import csv, io, re, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
cols = [k for k in rows[0] if k.startswith("lifetime_value_")]
assert sorted(cols) == ["lifetime_value_EUR", "lifetime_value_USD"], cols
assert any(re.fullmatch(r"-?\d+\.\d\d", r[c]) for r in rows for c in cols), rows' "$BODY"
api GET '/api/v1/metrics?from=2026-01-01&to=2027-01-01&format=xml'
expect_error 400 invalid_parameter format "another format is refused, naming format"
api GET '/api/v1/metrics?from=2026-01-01&to=2027-01-01&format=json'
check "format=json is the JSON answer" jqe 'has("retention_rate")'
