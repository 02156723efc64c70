#!/usr/bin/env bash
# t2400: input that grows a buffer has a ceiling with a clear error: `rapport import ENTITY -` reads
# standard input into memory up to 256 MiB (a named file is mapped instead, whatever its size).
. "$(dirname "$0")/lib.sh"

init_db
{ printf 'first_name,last_name\n'; head -c $((256 * 1024 * 1024)) /dev/zero | tr '\0' 'a'; } |
	timeout "$CLI_TIMEOUT" "$RAPPORT_BIN" import contacts - --db "$DB" >"$TMP/.out" 2>"$TMP/.err"
RC=$? OUT=$(cat "$TMP/.out") ERR=$(cat "$TMP/.err") LAST_REQ="rapport import contacts - (256 MiB and more)"
expect_cli_error 5 "standard input over 256 MiB is refused (exit 5, payload too large)"
check "the reason names the limit and the way round it" grep -q 'standard input is over 256 MiB; name the file instead' <<<"$ERR"
cli --json contact list --db "$DB"
check "nothing was imported" test "$(jq '.data | length' <<<"$OUT")" = 0

printf 'first_name,last_name,company\nAda,Okafor,Stdin Ltd\n' |
	timeout "$CLI_TIMEOUT" "$RAPPORT_BIN" import contacts - --db "$DB" >"$TMP/.out" 2>"$TMP/.err"
RC=$? OUT=$(cat "$TMP/.out") ERR=$(cat "$TMP/.err") LAST_REQ="rapport import contacts - (one row)"
expect_rc 0 "a small import from standard input still works"
cli --json contact list --db "$DB"
check "its one contact is there" test "$(jq '.data | length' <<<"$OUT")" = 1
