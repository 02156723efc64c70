#!/usr/bin/env bash
# t2420: a request whose body length reads two ways (two Content-Lengths, or Content-Length with
# Transfer-Encoding) is refused with 400 and its connection closed, so nothing can be smuggled behind
# it; every answer carries the security headers (CSP, nosniff, Referrer-Policy, no framing).
. "$(dirname "$0")/lib.sh"

start_server

# raw REQUEST_FILE : sends the bytes over one connection, prints everything the server answers until
# it closes (or 3 s pass)
raw() {
	python3 - "$PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
s.sendall(open(sys.argv[2], "rb").read())
out = b""
try:
    while True:
        b = s.recv(65536)
        if not b:
            out += b"\n<closed>"
            break
        out += b
except socket.timeout:
    out += b"\n<open>"
sys.stdout.write(out.decode("utf-8", "replace"))
PY
}

body='{"name":"Smuggled Co."}'
len=${#body}
printf 'POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nContent-Length: 30\r\n\r\n%s' \
	"$TOKEN" "$len" "$body" >"$TMP/dup.req"
out=$(raw "$TMP/dup.req")
check "two Content-Lengths: 400 bad_request" grep -q '^HTTP/1.1 400' <<<"$out"

check "two Content-Lengths: the connection is closed" grep -q '<closed>$' <<<"$out"

printf 'POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 5, 5\r\n\r\n{"a":' \
	"$TOKEN" >"$TMP/list.req"
out=$(raw "$TMP/list.req")
check "a Content-Length listing two values: 400" grep -q '^HTTP/1.1 400' <<<"$out"

printf 'POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\nGET /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n' \
	"$TOKEN" "$len" "$len" "$body" >"$TMP/te.req"
out=$(raw "$TMP/te.req")
check "Content-Length with Transfer-Encoding: 400" grep -q '^HTTP/1.1 400' <<<"$out"
check "... the connection is closed" grep -q '<closed>$' <<<"$out"
check "... and the request behind it is never answered" test "$(grep -c '^HTTP/1.1' <<<"$out")" = 1
expect_count clients 0 "no framing trick created a client"

printf 'POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n%x\r\n%s\r\n0\r\n\r\n' \
	"$TOKEN" "$len" "$body" >"$TMP/chunked.req"
out=$(raw "$TMP/chunked.req")
check "chunks alone still work: 201" grep -q '^HTTP/1.1 201' <<<"$out"

# ---- security headers, on JSON, HTML, errors and the public routes alike
for path in / /healthz /api/v1/me /api/v1/nowhere; do
	api GET "$path"
	check "GET $path: CSP default-src 'self', frame-ancestors 'none', no inline script" \
		test "$(header content-security-policy)" = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
	check "GET $path: nosniff" test "$(header x-content-type-options)" = nosniff
	check "GET $path: Referrer-Policy" test "$(header referrer-policy)" = same-origin
done
api GET /
check "the landing page has no inline style or script (the CSP would block it)" \
	bash -c '! grep -qiE "<style|<script|style=" <<<"$1"' _ "$BODY"
TOKEN= api POST /api/v1/login '{"email":"nobody@example.com","password":"x"}'
check "a 401 carries the CSP too" test -n "$(header content-security-policy)"
