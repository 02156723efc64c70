#!/usr/bin/env bash
# t0300: the life of a client through the CLI, --json output, users, and the
# exit codes of docs/cli.md (2 usage, 3 not found, 4 conflict, 5 invalid, 6 permission).
. "$(dirname "$0")/lib.sh"

init_db
ROWS='(if type == "array" then . else .data end)' # list --json: an array or {"data": [...]}
jout() { jq_on "$OUT" -r "$@" 2>/dev/null; }
jout_e() { jq_on "$OUT" -e "$@" >/dev/null 2>&1; }

cli version
expect_rc 0 "rapport version"
check "version prints something" test -n "$OUT"
cli help
expect_rc 0 "rapport help"

# ---- clients
cli client add --db "$DB" --name "Acme Studio" --stage lead --email hello@acme.example --relationship-type advisory
expect_rc 0 "client add"
CID=$OUT
check "client add prints just the new id" test -n "$CID" -a "$(printf '%s\n' "$CID" | wc -l)" = 1 -a "${CID//[[:space:]]/}" = "$CID"

cli --json client add --db "$DB" --name "Beta Bakery" --stage active --kind customer
expect_rc 0 "client add --json (global option before the command)"
BID=$(jout .id)
check "client add --json prints the record" jout_e '.name == "Beta Bakery" and .stage == "active" and .kind == "customer" and .version == 1'

cli client show "$CID" --db "$DB" --json
expect_rc 0 "client show --json"
check "show --json has the stored fields" jout_e --arg i "$CID" '.id == $i and .name == "Acme Studio" and .stage == "lead" and .relationship_type == "advisory" and .email == "hello@acme.example"'
cli client show "$CID" --db "$DB"
expect_rc 0 "client show (human)"
check "human show mentions the name" grep -q "Acme Studio" <<<"$OUT"

cli client list --db "$DB" --json
expect_rc 0 "client list --json"
check "list --json has both clients" jout_e --arg a "$CID" --arg b "$BID" "[$ROWS[].id] | (index(\$a) != null and index(\$b) != null and length == 2)"
cli client list --db "$DB"
check "human list shows both names" grep -q "Beta Bakery" <<<"$OUT"
cli client list --db "$DB" --stage active --json
check "list --stage active filters" jout_e --arg b "$BID" "[$ROWS[].id] == [\$b]"
cli client list --db "$DB" --sort name --limit 1 --json
check "list --sort name --limit 1" jout_e "[$ROWS[].name] == [\"Acme Studio\"]"
cli client list --db "$DB" --sort -name --json
check "list --sort -name" jout_e "[$ROWS[].name] == [\"Beta Bakery\",\"Acme Studio\"]"
cli client list --db "$DB" --q bakery --json
check "list --q bakery" jout_e --arg b "$BID" "[$ROWS[].id] == [\$b]"
RAPPORT_DB=$DB cli client list --json
check "RAPPORT_DB is used when --db is absent" jout_e "($ROWS|length) == 2"

cli client edit "$CID" --db "$DB" --stage active --version 1 --json
expect_rc 0 "client edit with the current --version"
cli client show "$CID" --db "$DB" --json
check "edit applied and version is 2" jout_e '.stage == "active" and .version == 2 and .name == "Acme Studio"'
cli client edit "$CID" --db "$DB" --name Hijacked --version 1
expect_cli_error 4 "client edit with a stale --version exits 4"
cli client show "$CID" --db "$DB" --json
check "the stale edit changed nothing" jout_e '.name == "Acme Studio" and .version == 2'
cli client edit "$CID" --db "$DB" --stage won
expect_cli_error 5 "client edit with a bad enum exits 5"

cli client edit "$BID" --db "$DB" --cadence weekly --json
expect_rc 0 "client edit without --version edits the current record"
check "the edit applied (version 2)" jout_e '.cadence == "weekly" and .version == 2'

# ---- tags, tokens, migrate
cli tag add --db "$DB" --name vip --color gold
expect_rc 0 "tag add"
TAG=$OUT
cli tag list --db "$DB" --json
check "tag list --json has the tag" jout_e "[$ROWS[] | select(.name == \"vip\" and .color == \"gold\")] | length == 1"
cli tag add --db "$DB" --name vip
expect_cli_error 4 "a duplicate tag name exits 4"
cli tag rm "$TAG" --db "$DB"
expect_rc 0 "tag rm"
cli token list --db "$DB" --json
expect_rc 0 "token list --json"
check "token list shows the owner's token but never a secret" jout_e --arg t "$OWNER_TOKEN" "($ROWS|length) >= 1 and ([.. | strings | select(. == \$t)] | length == 0)"
cli migrate --db "$DB"
expect_rc 0 "migrate on an up-to-date database is a no-op"

# ---- invalid input, usage, not found
cli client add --db "$DB" --stage lead
expect_cli_error 5 "client add without the required name exits 5"
cli client add --db "$DB" --name X --stage bogus
expect_cli_error 5 "client add with a bad enum exits 5"
cli client add --db "$DB" --name X --referred-by-id no-such-client
expect_cli_error 5 "client add with a dangling reference exits 5"
cli client add --db "$DB" --name X --email not-an-email
expect_cli_error 5 "client add with a bad email exits 5"
cli client add --db "$DB" --name X --response-time-hours soon
expect_cli_error 5 "client add with a non-integer number exits 5"
cli client add --db "$DB" --name X --no-such-option 1
expect_cli_error 2 "an unknown option exits 2"
cli frobnicate --db "$DB"
expect_cli_error 2 "an unknown command exits 2"
cli client frobnicate --db "$DB"
expect_cli_error 2 "an unknown subcommand exits 2"
cli client show --db "$DB"
expect_cli_error 2 "client show without an id exits 2"
cli client add --db "$DB" --name
expect_cli_error 2 "an option missing its value exits 2"
cli client show no-such-id --db "$DB"
expect_cli_error 3 "client show of an unknown id exits 3"
cli client rm no-such-id --db "$DB"
expect_cli_error 3 "client rm of an unknown id exits 3"
cli client edit no-such-id --db "$DB" --name Y
expect_cli_error 3 "client edit of an unknown id exits 3"
cli client list --db "$TMP/no/such/dir/x.db"
expect_cli_error 1 "an unusable database path exits 1"
cli client list --db "$DB" --json
check "no invalid client was written" jout_e "($ROWS|length) == 2"

# ---- contacts and interactions
cli contact add --db "$DB" --client-id "$CID" --first-name Ada --last-name Lovelace --email ada@acme.example
expect_rc 0 "contact add"
ADA=$OUT
check "contact add prints an id" test -n "$ADA"
cli contact show "$ADA" --db "$DB" --json
check "contact show --json" jout_e --arg c "$CID" '.client_id == $c and .first_name == "Ada" and .last_name == "Lovelace"'
cli contact add --db "$DB" --client-id no-such-client --first-name Bob
expect_cli_error 5 "contact add with a dangling client id exits 5"

cli log --db "$DB" --client-id "$CID" --type call --summary "Discussed the xylophonic rollout" --subject Kickoff \
	--direction outbound --occurred-at 2026-11-20T10:00:00Z --contact-id "$ADA"
expect_rc 0 "log a call"
CALL=$OUT
check "log prints an id" test -n "$CALL"
cli interaction add --db "$DB" --client-id "$CID" --type meeting --summary "Roadmap meeting" --json
expect_rc 0 "interaction add --json (log's long form)"
check "interaction add --json prints the record" jout_e '.type == "meeting" and .summary == "Roadmap meeting"'
cli log --db "$DB" --client-id "$CID" --type telepathy --summary x
expect_cli_error 5 "log with a bad type exits 5"
cli log --db "$DB" --client-id "$CID" --summary "no type"
expect_cli_error 5 "log without the required type exits 5"
cli interaction list --db "$DB" --client-id "$CID" --json
check "interaction list --client-id has both" jout_e "($ROWS|length) == 2"
cli interaction show "$CALL" --db "$DB" --json
check "the logged call round-trips" jout_e --arg a "$ADA" '.type == "call" and .direction == "outbound" and .occurred_at == "2026-11-20T10:00:00Z" and .contact_id == $a and .subject == "Kickoff"'

cli search xylophonic --db "$DB" --json
expect_rc 0 "search --json"
check "search finds the call by a summary word" jout_e --arg i "$CALL" "any($ROWS[]; .id == \$i)"
cli search lovelace --db "$DB"
expect_rc 0 "search (human)"
check "human search output mentions the contact" grep -qi "lovelace" <<<"$OUT"

# ---- users and roles
cli user add --db "$DB" --email bob@example.com --name Bob --role member
expect_rc 0 "user add a member"
cli user add --db "$DB" --email vera@example.com --name Vera --role viewer
expect_rc 0 "user add a viewer"
cli user list --db "$DB" --json
expect_rc 0 "user list --json"
check "user list has the owner, member and viewer with their roles" jout_e "[$ROWS[] | select(.email == \"bob@example.com\" and .role == \"member\"), select(.email == \"vera@example.com\" and .role == \"viewer\"), select(.email == \"admin@example.com\" and .role == \"owner\")] | length == 3"
check "user list never shows passwords" jout_e '[.. | objects | keys[] | select(test("password"))] | length == 0'
cli user list --db "$DB"
check "human user list shows bob" grep -q "bob@example.com" <<<"$OUT"
cli user add --db "$DB" --email bob@example.com --name Bobby
expect_cli_error 4 "user add with a taken email exits 4"
cli user add --db "$DB" --email emperor@example.com --role emperor
expect_cli_error 5 "user add with a bad role exits 5"
cli user add --db "$DB" --email not-an-email
expect_cli_error 5 "user add with a bad email exits 5"

cli --as vera@example.com client add --db "$DB" --name "Viewer Made"
expect_cli_error 6 "a viewer (--as) cannot add a client: exits 6"
cli --as vera@example.com client rm "$BID" --db "$DB"
expect_cli_error 6 "a viewer cannot remove a client: exits 6"
cli --as vera@example.com client list --db "$DB" --json
expect_rc 0 "a viewer can list clients"
cli --as bob@example.com user add --db "$DB" --email eve@example.com --role admin
expect_cli_error 6 "a member cannot add users: exits 6"
cli --as bob@example.com client add --db "$DB" --name "Member Made" --json
expect_rc 0 "a member can add a client"
check "the client records the member as its creator" test "$(jout .created_by)" != "" -a "$(jout .created_by)" != null
cli --as nobody@example.com client list --db "$DB"
check "an unknown --as user fails (non-zero)" test "$RC" != 0

# ---- remove
cli client rm "$CID" --db "$DB"
expect_rc 0 "client rm"
cli client show "$CID" --db "$DB"
expect_cli_error 3 "the removed client is not found (3)"
cli contact show "$ADA" --db "$DB"
expect_cli_error 3 "its contact went with it (3)"
cli interaction show "$CALL" --db "$DB"
expect_cli_error 3 "its interaction went with it (3)"
cli search xylophonic --db "$DB" --json
check "search no longer finds the removed call" jout_e "($ROWS|length) == 0"
