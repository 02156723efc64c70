#!/usr/bin/env bash
# t2100: the README's tour works on the day it is read. Every `./rapport ...` command of the
# README's two tours ("A five-minute tour", "A month with a client") runs as written, in order,
# on a demo database like `make run`'s, on today's real clock: each exits 0, except the ones
# whose comment announces a refusal ("→ 422"), which must fail. A placeholder id (`fb_...`)
# stands for the newest record of its kind, as a reader would paste the id just printed.
. "$(dirname "$0")/lib.sh"

INIT_ARGS=--demo init_db
README=$REPO_ROOT/README.md
cd "$TMP" || bail "cd $TMP"
ln -s "$RAPPORT_BIN" ./rapport
export RAPPORT_DB=$DB

# the commands, one per line as "ok|fails<TAB>command": backslash continuations joined, the
# trailing comment (two spaces, then #) dropped after deciding whether it announces a refusal
python3 - "$README" >"$TMP/tour.txt" <<'PY' || bail "extract the tour from README.md"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
start = text.index("## A five-minute tour")
end = text.index("## Setting it up yourself")
for block in re.findall(r"```sh\n(.*?)```", text[start:end], re.S):
    for line in re.sub(r"\\\n\s*", "", block).splitlines():
        if not line.startswith("./rapport"):
            continue
        cmd, _, comment = line.partition("  #")
        print(("fails" if re.search(r"→ [45]\d\d", comment) and comment.strip().startswith("→") else "ok")
              + "\t" + cmd.rstrip())
PY
N=$(wc -l <"$TMP/tour.txt")
check "the README's tours hold commands ($N)" test "$N" -ge 40

declare -A SINGULAR=([fb]=feedback [inv]=invoice [int]=interaction [cli]=client [con]=contact [dl]=deal
	[prj]=project [chg]=change-request [ws]=workspace [tkt]=ticket)
newest() { # newest PREFIX : the id of the newest record of that kind
	"$RAPPORT_BIN" "${SINGULAR[$1]}" list --json --limit 500 | jq -r '[.data[].id] | max // empty'
}

while IFS=$'\t' read -r want cmd; do
	while [[ $cmd =~ (^|[^a-z])([a-z]+)_\.\.\. ]]; do
		prefix=${BASH_REMATCH[2]}
		[ -n "${SINGULAR[$prefix]:-}" ] || { fail "README: unknown placeholder ${prefix}_... in: $cmd"; continue 2; }
		cmd=${cmd/${prefix}_.../$(newest "$prefix")}
	done
	timeout "$CLI_TIMEOUT" bash -c "$cmd" >"$TMP/.out" 2>"$TMP/.err" </dev/null
	RC=$?
	if [ "$want" = ok ] && [ "$RC" = 0 ]; then
		pass "README: $cmd"
	elif [ "$want" = fails ] && [ "$RC" != 0 ] && [ "$RC" != 124 ]; then
		pass "README: $cmd (refused, as it says: exit $RC)"
	else
		fail "README: $cmd" "expected: $want, got exit $RC" "stdout: $(_trunc "$(cat "$TMP/.out")")" \
			"stderr: $(_trunc "$(cat "$TMP/.err")")"
	fi
done <"$TMP/tour.txt"

# what the tour says it shows
cli client show Acme
check "the tour's client card shows the contact and the call" bash -c \
	'grep -q "Ada Lovelace" <<<"$1" && grep -q "Discovery call" <<<"$1"' _ "$OUT"
cli project scope Relaunch
check "the tour's scope growth reads 10.0%" grep -q "scope growth: 10.0%" <<<"$OUT"
cli onboarding Acme --json
check "the tour's intake answer matches a question of the template" \
	bash -c 'jq -e "[.questions[] | select(.answer != null)] | length == 1" <<<"$1" >/dev/null' _ "$OUT"
