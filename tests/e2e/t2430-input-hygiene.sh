#!/usr/bin/env bash
# t2430: one-line fields (names, subjects, emails, tags: the one-line field types) refuse control
# characters with 422 naming the field; multi-line text keeps its newlines; what the CLI prints to a
# terminal has control characters escaped; weak passwords (the commonest, repeated or sequential runs,
# the service's name) are refused with a clear message (NIST SP 800-63B).
. "$(dirname "$0")/lib.sh"

start_server

# ---- control characters in one-line fields
for bad in '"Acme\u001b[2J"' '"Acme\r\nBcc: x@evil.example"' '"Acme\u009b31m"' '"Tab\there"' '"Del\u007f"'; do
	api POST /api/v1/clients "{\"name\":$bad}"
	expect_error 422 invalid_value name "a client name with a control character ($bad) is refused, naming the field"
done
create clients '{"name":"Acme Ltd"}' "a plain name is fine"
CID=$ID
api POST /api/v1/interactions "$(jq -nc --arg c "$CID" '{client_id:$c,type:"email",subject:"Hi\r\nBcc: all@example.com"}')"
expect_error 422 invalid_value subject "an email subject with CR/LF is refused"
api POST /api/v1/clients '{"name":"Tagged","tags":["vip\u001b]0;x\u0007"]}'
expect_error 422 invalid_value tags "a tag with a control character is refused"
api POST /api/v1/contacts "$(jq -nc --arg c "$CID" '{client_id:$c,first_name:"Bo",email:"bo\u0000@x.example"}')"
check "an email with a NUL is refused (JSON parsing already refuses it)" test "$STATUS" = 400
api POST /api/v1/clients '{"name":"Café Ünïcode 東京"}'
expect_status 201 "non-ASCII letters are not control characters"
create interactions "$(jq -nc --arg c "$CID" '{client_id:$c,type:"note",subject:"Notes",summary:"line one\nline two\tand a tab\r\n"}')" \
	"multi-line text keeps newlines and tabs"
create interactions "$(jq -nc --arg c "$CID" '{client_id:$c,type:"note",subject:"Escapes",summary:"before\u001b]0;pwned\u0007\u001b[2Jafter"}')" \
	"multi-line text may hold escapes (the CLI escapes them on a terminal)"
IID=$ID

cli client add --db "$DB" --name $'Two\r\nLines\tand a tab' --json
check "on the command line a wrapped name becomes one line with spaces" \
	test "$RC" = 0 -a "$(jq -r .name <<<"$OUT" 2>/dev/null)" = "Two Lines and a tab"
cli client add --db "$DB" --name $'Evil\e[2J' --json
check "... but an escape is refused there too" test "$RC" = 5 -a -n "$(grep -i 'control' <<<"$ERR")"

# ---- the CLI on a terminal
# tty CMD... : runs the binary under a pseudo-terminal, prints what reached the terminal
tty() {
	python3 - "$RAPPORT_BIN" "$@" <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        b = os.read(fd, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
PY
}
out=$(tty interaction show "$IID" --db "$DB")
check "on a terminal the CLI prints no raw ESC or BEL" bash -c '! printf "%s" "$1" | grep -q "[[:cntrl:]]" <<<"$(printf "%s" "$1" | tr -d "\r\n\t")"' _ "$out"
check "... but shows them escaped" grep -qF 'before\u001b]0;pwned\u0007\u001b[2Jafter' <<<"$out"
out=$(tty interaction show "$IID" --db "$DB" --json)
check "--json on a terminal stays valid JSON with the same text" \
	test "$(printf '%s' "$out" | tr -d '\r' | jq -r .summary 2>/dev/null)" = "$(printf 'before\033]0;pwned\007\033[2Jafter')"
cli interaction show "$IID" --db "$DB" --json
check "redirected output is byte for byte what is stored" \
	test "$(printf '%s' "$OUT" | jq -r .summary)" = "$(printf 'before\033]0;pwned\007\033[2Jafter')"

# ---- weak passwords
for pw in 12345678 '        ' password password123 'Password1!' aaaaaaaa abcdefgh 87654321 qwertyuiop Rapport2026 iloveyou2; do
	api POST /api/v1/users "$(jq -nc --arg p "$pw" '{email:"weak@example.com",role:"member",password:$p}')"
	expect_error 422 invalid_value password "the weak password '$pw' is refused"
done
check "the message says what to choose instead" jqe '.error.message | test("phrase")'
api POST /api/v1/users '{"email":"weak@example.com","role":"member","password":"short"}'
expect_error 422 invalid_value password "a password under 8 characters is refused"
api POST /api/v1/users '{"email":"strong@example.com","role":"member","password":"maple kettle orbit"}'
expect_status 201 "a phrase of unrelated words is accepted"
RAPPORT_ADMIN_PASSWORD=12345678 cli init --db "$TMP/other.db" --admin-email o@example.com
check "rapport init refuses a weak admin password too" test "$RC" != 0 -a -n "$(grep -i 'guess' <<<"$ERR")"
