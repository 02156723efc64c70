#!/usr/bin/env bash
# t1765: an API import that makes custom fields (create_fields) and is cut off by a dying server. The
# server is killed while the import writes; the next one (its clock six minutes on, so the dead server's
# claim has gone stale) resumes it after the last slice it kept. The resumed import fills the custom
# field it made before the restart in every row, and still lists it in custom_fields_created.
. "$(dirname "$0")/lib.sh"

start_server

# a file of many slices, with a column no field takes ("Shoe size")
cli seed --contacts-csv 2500 --seed 7 --db "$DB"
printf '%s\n' "$OUT" | awk -F, 'NR == 1 { print $0 ",Shoe size"; next } { print $0 "," (NR % 40) + 30 }' >"$TMP/big.csv"
api POST "/api/v1/contacts/import?create_fields=$(urlencode 'Shoe size')" "" -H 'Content-Type: text/csv' \
	--data-binary "@$TMP/big.csv"
expect_status 202 "an import with create_fields is queued"
IMP=$(jqr .id)

# wait until it writes (the field made, a slice or more kept), then kill the server mid-import
for i in $(seq 1 600); do
	api GET "/api/v1/imports/$IMP"
	if jqe '.phase == "write" and .rows_done > 0 and .status == "running"'; then break; fi
	if jqe '.status != "queued" and .status != "running"'; then break; fi
	sleep 0.05
done
expect_jq '[.status, .phase, (.rows_done > 0 and .rows_done < 2500)] | map(tostring) | join(",")' "running,write,true" \
	"the import is part-way through its write when the server dies"
expect_jq '.options.custom_fields_made["Shoe size"]' "custom.shoe_size" "the field it made is kept with the import"
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=

# a server whose clock is six minutes on: the dead server's claim is stale, the import resumes
RAPPORT_NOW=$(date -u -d '+6 minutes' +%Y-%m-%dT%H:%M:%SZ) serve_db
wait_import "$IMP"
expect_jq '[.status, .rows_done, .imported] | map(tostring) | join(",")' "done,2500,2500" "the resumed import finished every row"
expect_jq '.result.custom_fields_created | join(",")' "shoe_size" "it lists the custom field made before the restart"
expect_jq '.result.column_sources["Shoe size"]' "new custom field" "and says the column went to the new field"
api GET "/api/v1/custom-fields?entity=contacts"
expect_jq '[.data[] | select(.key | startswith("shoe_size"))] | length' "1" "the field was made once"
expect_count contacts 2500 "no row was written twice"
api GET "/api/v1/contacts?limit=500&sort=-created_at"
expect_jq '[.data[] | select(.custom.shoe_size == null)] | length' "0" "the rows written last, after the restart, have the field's value too"
server_alive "the resumed import"
