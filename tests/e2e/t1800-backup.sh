#!/usr/bin/env bash
# t1800: rapport backup makes an online, consistent copy while the server writes; rapport restore loads
# it into an empty database (refusing a non-empty one unless --overwrite) and the restored database
# serves the same records; bad backups are refused with a clear reason and nothing written; the server's
# scheduled backups appear in their folder and only the newest N are kept. On PostgreSQL the backup is
# the checked table copy into a SQLite file, and restore goes back into PostgreSQL.
. "$(dirname "$0")/lib.sh"

INIT_ARGS=--demo start_server
api GET '/api/v1/clients?limit=1&sort=name'
CID=$(jqr '.data[0].id')

# Writes go on while the backup runs: the backup holds one consistent state, whatever it catches.
(
	for i in $(seq 1 60); do
		curl -s -o /dev/null --max-time 5 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
			--data-binary "{\"client_id\":\"$CID\",\"type\":\"note\",\"summary\":\"written during the backup $i\"}" \
			"$BASE/api/v1/interactions"
	done
) &
WRITER=$!
cli backup --db "$DB" --to "$TMP/online.db" --json
expect_rc 0 "a backup while the server serves writes"
check "it says what it wrote" jq_on "$OUT" -e '.bytes > 0 and .schema_version > 0'
wait "$WRITER"
check "no partial file is left beside it" bash -c "! ls '$TMP' | grep -q partial"
check "the backup is one SQLite file that passes an integrity check" \
	bash -c "[ \"\$(sqlite3 '$TMP/online.db' 'PRAGMA integrity_check')\" = ok ] && [ ! -e '$TMP/online.db-wal' ]"

cli backup --db "$DB" --to "$TMP/online.db"
expect_cli_error 4 "a backup over an existing file is refused (exit 4)"
check "... naming --overwrite" grep -q -- "--overwrite" <<<"$ERR"

# A final backup of a quiet server, and the restore of it into a fresh database.
cli backup --db "$DB" --to "$TMP/final.db" --overwrite
expect_rc 0 "a backup with --overwrite"
api GET "/api/v1/interactions?client_id=$CID&limit=200"
BEFORE=$(jqr '.data | length')
api GET "/api/v1/clients/$CID"
CLIENT_BEFORE=$BODY
stop_server

cli restore --from "$TMP/final.db" --db "$TMP/restored.db" --json
expect_rc 0 "restore into an empty database"
cli restore --from "$TMP/final.db" --db "$TMP/restored.db"
expect_cli_error 4 "a restore into a non-empty database is refused (exit 4)"
check "... naming --overwrite" grep -q -- "--overwrite" <<<"$ERR"

SAVED_DB=$DB
DB=$TMP/restored.db serve_db
TOKEN=$OWNER_TOKEN
api GET "/api/v1/interactions?client_id=$CID&limit=200"
expect_status 200 "the restored database serves, and the original token works on it"
check "the restored database holds every interaction ($BEFORE)" [ "$(jqr '.data | length')" = "$BEFORE" ]
api GET "/api/v1/clients/$CID"
check "a client reads back byte for byte" [ "$BODY" = "$CLIENT_BEFORE" ]
stop_server
DB=$SAVED_DB

# Restoring over the original (PostgreSQL when the suite runs there) with --overwrite.
cli restore --from "$TMP/final.db" --db "$DB" --overwrite
expect_rc 0 "restore over a database with --overwrite"

# Bad backups: refused with a reason, the backup file untouched, nothing restored.
printf 'not a database at all' >"$TMP/junk.db"
cli restore --from "$TMP/junk.db" --db "$TMP/empty1.db"
expect_cli_error 5 "a file that is not a SQLite database is refused (exit 5)"
cli restore --from "$TMP/missing.db" --db "$TMP/empty2.db"
expect_cli_error 3 "a missing backup file is refused (exit 3)"
cp "$TMP/final.db" "$TMP/future.db"
sqlite3 "$TMP/future.db" "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', '2030-01-01T00:00:00Z')"
SUM=$(sha256sum <"$TMP/future.db")
cli restore --from "$TMP/future.db" --db "$TMP/empty3.db"
expect_cli_error 5 "a backup from a newer rapport is refused (exit 5)"
check "... saying so" grep -q "newer" <<<"$ERR"
check "the backup file itself is unchanged" [ "$(sha256sum <"$TMP/future.db")" = "$SUM" ]
check "nothing was restored" [ "$(sqlite3 "$TMP/empty3.db" 'SELECT COUNT(*) FROM workspaces')" = 0 ]

# Scheduled backups: one is written soon after start, and only the newest --backup-keep are kept.
mkdir -p "$TMP/backups"
for stamp in 20200101T000000Z 20200102T000000Z 20200103T000000Z; do
	cp "$TMP/final.db" "$TMP/backups/rapport-$stamp.db"
	touch -d '2020-01-03' "$TMP/backups/rapport-$stamp.db"
done
touch "$TMP/backups/notes.txt"
SERVE_ARGS="--backup-dir $TMP/backups --backup-keep 2" serve_db
for i in $(seq 1 100); do
	[ "$(ls "$TMP/backups" | grep -c '^rapport-2[0-9]*T[0-9]*Z\.db$')" = 2 ] && ls "$TMP/backups" | grep -qv '^rapport-2020' && break
	sleep 0.2
done
check "the server wrote a backup at start and kept the newest two" \
	bash -c "ls '$TMP/backups' | grep '^rapport-' | sort | tr '\n' ' ' | grep -Eq '^rapport-20200103T000000Z\.db rapport-2[0-9]{7}T[0-9]{6}Z\.db \$'"
check "files that are not its backups are left alone" [ -e "$TMP/backups/notes.txt" ]
NEW=$(ls "$TMP/backups" | grep '^rapport-' | grep -v 2020 | head -n 1)
check "the scheduled backup is a sound database" [ "$(sqlite3 "$TMP/backups/$NEW" 'PRAGMA integrity_check')" = ok ]
stop_server

cli serve --db "$DB" --backup-dir "$TMP/nowhere" --listen 127.0.0.1:1
expect_cli_error 2 "a backup folder that does not exist is refused before serving (exit 2)"
cli serve --db "$DB" --backup-keep 3 --listen 127.0.0.1:1
expect_cli_error 2 "--backup-keep without --backup-dir is refused (exit 2)"
