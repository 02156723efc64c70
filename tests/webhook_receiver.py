#!/usr/bin/env python3
"""A webhook receiver for the end-to-end tests, on loopback.

Verifies each request's signature with the Standard Webhooks algorithm: the secret is the base64 after
"whsec_"; the signed content is "{webhook-id}.{webhook-timestamp}.{body}"; webhook-signature holds
space-separated "v1,<base64 HMAC-SHA256>" entries, one of which must match (compared in constant time),
and the timestamp must be within five minutes of now.

  webhook_receiver.py DIR
writes DIR/port, then logs every request as one JSON line to DIR/requests.jsonl:
  {"path", "id", "timestamp", "valid", "why", "body", "answered", "signatures", "verified_by", "signed_by"}.
A request to /NAME reads the signing secret from DIR/NAME.secret (several, one a line, to check a
rotation's overlap: "verified_by" lists the line numbers, from 0, of the secrets that verify it on their
own; "signatures" is how many the header carried, and "signed_by" the line number of the secret behind
each, in the header's order, -1 for none) and how to answer from DIR/NAME.mode:
"ok" (204, the default), a status code ("500", "410"), or "hang" (answer nothing for 120 s).
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIR = sys.argv[1]
LOCK = threading.Lock()
TOLERANCE = 5 * 60


def read(name, default=""):
    try:
        with open(os.path.join(DIR, name)) as f:
            return f.read().strip()
    except OSError:
        return default


def verify(secret, msg_id, timestamp, body, header):
    if not secret.startswith("whsec_"):
        return False, "no whsec_ secret for this path"
    try:
        key = base64.b64decode(secret[len("whsec_"):], validate=True)
        ts = int(timestamp)
    except Exception as exc:  # noqa: BLE001 - any malformed input is a failed verification
        return False, f"malformed secret or timestamp: {exc}"
    if abs(time.time() - ts) > TOLERANCE:
        return False, "timestamp outside the tolerance"
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for part in header.split(" "):
        version, _, sig = part.partition(",")
        if version == "v1" and hmac.compare_digest(sig, expected):
            return True, ""
    return False, "no signature matches"


def verified_by(secrets, msg_id, timestamp, body, header):
    """The indexes of the secrets that verify the request, each checked alone."""
    return [i for i, secret in enumerate(secrets) if verify(secret, msg_id, timestamp, body, header)[0]]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server API
        name = self.path.strip("/").split("?")[0] or "root"
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        msg_id = self.headers.get("webhook-id", "")
        secrets = read(name + ".secret").split() or [""]
        timestamp, header = self.headers.get("webhook-timestamp", ""), self.headers.get("webhook-signature", "")
        by = verified_by(secrets, msg_id, timestamp, body, header)
        ok, why = (True, "") if by else verify(secrets[0], msg_id, timestamp, body, header)
        mode = read(name + ".mode", "ok")
        entry = {"path": "/" + name, "id": msg_id, "timestamp": self.headers.get("webhook-timestamp"),
                 "valid": ok, "why": why, "body": body.decode("utf-8", "replace"), "answered": mode,
                 "signatures": len(header.split()), "verified_by": by,
                 "signed_by": [next(iter(verified_by(secrets, msg_id, timestamp, body, part)), -1)
                               for part in header.split()]}
        with LOCK, open(os.path.join(DIR, "requests.jsonl"), "a") as f:
            f.write(json.dumps(entry) + "\n")
        if mode == "hang":
            time.sleep(120)
            return
        status = 204 if mode == "ok" else int(mode)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
server.serve_forever()
