#!/usr/bin/env python3
"""A real SMTP server for SmtpTargetTest: Debian's aiosmtpd on 127.0.0.1 and a free port.

Each accepted mail is appended to OUT as one JSON line: the envelope (mail_from, rcpt_tos, the MAIL and
RCPT options), the data as received (dot-stuffing undone, CRLF kept), whether the session was encrypted and
which AUTH mechanism and login it used. Recipients whose local part starts with "tempfail" are refused with
451, those starting with "reject" with 550.

Prints the port on one line once listening; runs until its standard input is closed.

  smtp_server.py OUT [--user U --password P [--mechanisms PLAIN,LOGIN,CRAM-MD5]]
                     [--cert CERT --key KEY [--implicit-tls]]
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import ssl
import sys

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import MISSING, AuthResult, LoginPassword
except ImportError:
    sys.stderr.write("python3-aiosmtpd is missing: apt-get install python3-aiosmtpd (scripts/services.sh start)\n")
    sys.exit(3)


class Recorder:
    def __init__(self, out, user, password):
        self.out = out
        self.user = user
        self.password = password

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0]
        if local.startswith("tempfail"):
            return "451 4.3.0 mailbox busy"
        if local.startswith("reject"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        record = {
            "mail_from": envelope.mail_from,
            "mail_options": envelope.mail_options,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.original_content.decode("utf-8", "replace"),
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "auth_mechanism": getattr(session, "mw_mechanism", None),
            "auth_login": getattr(session, "mw_login", None),
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        return "250 2.0.0 queued"

    async def auth_CRAM__MD5(self, server, args):
        challenge = ("<%s@mediawatch-test>" % os.urandom(8).hex()).encode()
        answer = await server.challenge_auth(challenge)
        if answer is MISSING:
            return AuthResult(success=False)
        login, _, digest = answer.decode().rpartition(" ")
        expected = hmac.new((self.password or "").encode(), challenge, hashlib.md5).hexdigest()
        ok = login == self.user and hmac.compare_digest(digest, expected)
        if ok:
            server.session.mw_mechanism = "CRAM-MD5"
            server.session.mw_login = login
            return AuthResult(success=True, auth_data=LoginPassword(login.encode(), b""))
        return AuthResult(success=False, handled=False)

    def authenticator(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user.encode()
              and auth_data.password == self.password.encode())
        if ok:
            session.mw_mechanism = mechanism
            session.mw_login = self.user
        return AuthResult(success=ok, handled=False)


class FreePortController(Controller):
    """Binds port 0 and learns the port the system chose before the controller first connects to it."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--mechanisms", default="PLAIN,LOGIN")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--implicit-tls", action="store_true")
    a = p.parse_args()

    recorder = Recorder(a.out, a.user, a.password)
    kwargs = {"decode_data": False, "server_hostname": "mediawatch-test"}
    if a.user:
        offered = set(a.mechanisms.split(","))
        kwargs.update(authenticator=recorder.authenticator, auth_required=True, auth_require_tls=False,
                      auth_exclude_mechanism=[m for m in ("PLAIN", "LOGIN", "CRAM-MD5") if m not in offered])
    else:
        kwargs.update(auth_exclude_mechanism=["PLAIN", "LOGIN", "CRAM-MD5"])
    ssl_context = None
    if a.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.cert, a.key)
        if a.implicit_tls:
            ssl_context = context
        else:
            kwargs["tls_context"] = context

    controller = FreePortController(recorder, hostname="127.0.0.1", port=0, ssl_context=ssl_context, **kwargs)
    controller.start()
    print(controller.port, flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
