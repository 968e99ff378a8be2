#!/usr/bin/python3
"""A loopback SMTP server (Debian's python3-aiosmtpd) for test_email.cpp.

Listens on 127.0.0.1 on a port the kernel picks and prints "READY <port>" once it accepts
connections. Each accepted message is written as <dir>/<n>.eml (the raw bytes) and <n>.json
(what Python's own mail parser reads in it: decoded headers, every part, defects), both before
the server answers 250, so a sender that saw 250 finds the files. Options refuse recipients with
a given reply (to test retries and failures), require AUTH with a login and password, and speak
TLS with a certificate made for 127.0.0.1 at start (written to <dir>/ca.pem for the client to
trust): offered and required through STARTTLS, or from the first byte (smtps).
"""
import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import ssl
import subprocess
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def describe(raw, server, envelope, session):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    defects = [str(d) for d in msg.defects]
    for p in msg.walk():
        defects += [str(d) for d in p.defects]
        if p.is_multipart():
            continue
        parts.append({"type": p.get_content_type(), "charset": p.get_content_charset(),
                      "encoding": p.get("Content-Transfer-Encoding", ""), "content": p.get_content()})
    login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else ""
    return {
        "mail_from": envelope.mail_from,
        "rcpt_tos": envelope.rcpt_tos,
        "auth_login": login,
        "tls": server.transport.get_extra_info("ssl_object") is not None,
        "content_type": msg.get_content_type(),
        "headers": {k: str(v) for k, v in msg.items()},
        "header_names": [k for k, _ in msg.items()],
        "parts": parts,
        "defects": defects,
        # Lines must end in CRLF and stay within RFC 5322's 998 characters.
        "bare_lf": any(i == 0 or raw[i - 1:i] != b"\r" for i in range(len(raw)) if raw[i:i + 1] == b"\n"),
        "longest_line": max((len(l) for l in raw.split(b"\r\n")), default=0),
    }


class Handler:
    def __init__(self, args):
        self.args = args
        self.accepted = 0
        self.refused = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        a = self.args
        if a.rcpt_reply and (a.rcpt_times == 0 or self.refused < a.rcpt_times):
            self.refused += 1
            return a.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.accepted += 1
        raw = envelope.original_content or envelope.content
        base = os.path.join(self.args.dir, str(self.accepted))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(raw)
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(describe(raw, server, envelope, session), f, ensure_ascii=False)
        os.rename(base + ".eml.tmp", base + ".eml")
        os.rename(base + ".json.tmp", base + ".json")
        return "250 Message accepted for delivery"


def tls_context(directory):
    cert, key = os.path.join(directory, "ca.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def authenticator(expected):
    login, _, password = expected.partition(":")

    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == login
              and auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return check


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--rcpt-reply", default="", help='e.g. "451 4.3.0 busy"')
    p.add_argument("--rcpt-times", type=int, default=0, help="refuse this many RCPTs; 0: all")
    p.add_argument("--auth", default="", help="login:password that AUTH must present")
    p.add_argument("--tls", choices=["", "starttls", "implicit"], default="",
                   help="starttls: offer STARTTLS and refuse MAIL without it; implicit: smtps")
    args = p.parse_args()
    handler = Handler(args)
    # Plain AUTH on loopback is what the test wants: keep aiosmtpd's warnings about it (and its
    # session log) out of the test's output.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    kw = {"hostname": "localhost"}
    if args.auth:
        kw.update(auth_required=True, auth_require_tls=False, authenticator=authenticator(args.auth))
    ctx = tls_context(args.dir) if args.tls else None
    if args.tls == "starttls":
        kw.update(tls_context=ctx, require_starttls=True)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **kw), "127.0.0.1", 0,
                                      ssl=ctx if args.tls == "implicit" else None)
    print("READY", server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()  # until the test stops us by pid


if __name__ == "__main__":
    asyncio.run(main())
