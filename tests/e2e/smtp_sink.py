#!/usr/bin/python3
"""smtp_sink: a real SMTP server on loopback for the end-to-end tests (Debian's python3-aiosmtpd).

Records every message it accepts as DIR/NNNN.eml (the bytes as received) and DIR/NNNN.json (envelope and
the AUTH user), and behaves as DIR/mode says at each message's end of DATA, read anew each time:
  ok        250 (the default)
  tempfail  451, a temporary refusal
  permfail  554, a permanent refusal
  hang      no answer for 120 s (the client's timeout ends it)
  drop      the connection closed without an answer
With --tls CERT KEY it requires STARTTLS; with --auth USER:PASS it requires AUTH (PLAIN or LOGIN) over TLS.
Writes DIR/ready once listening. Run with /usr/bin/python3 (Debian's aiosmtpd)."""
import argparse
import asyncio
import json
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    def mode(self):
        try:
            with open(os.path.join(self.folder, "mode")) as f:
                return f.read().strip() or "ok"
        except FileNotFoundError:
            return "ok"

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode == "tempfail":
            return "451 4.3.0 try again later"
        if mode == "permfail":
            return "554 5.7.1 refused for good"
        if mode == "hang":
            await asyncio.sleep(120)
            return "451 too late"
        if mode == "drop":
            session.peer and server.transport.close()
            return None
        self.count += 1
        base = os.path.join(self.folder, "%04d" % self.count)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "user": session.auth_data.decode() if isinstance(session.auth_data, bytes) else None,
                       "tls": session.ssl is not None, "at": time.time()}, f)
        return "250 2.0.0 accepted as %04d" % self.count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--auth")
    a = ap.parse_args()
    kw = {}
    if a.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        kw.update(tls_context=ctx, require_starttls=True)
    if a.auth:
        user, password = a.auth.split(":", 1)

        def check(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
            return AuthResult(success=ok, auth_data=data.login if ok else None)

        kw.update(authenticator=check, auth_required=True, auth_require_tls=bool(a.tls))
    c = Controller(Sink(a.dir), hostname="127.0.0.1", port=a.port, **kw)
    c.start()
    open(os.path.join(a.dir, "ready"), "w").close()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        c.stop()


if __name__ == "__main__":
    sys.exit(main())
