"""Shared pieces of wirewatch's integration tests and demo: a loopback feed server, a daemon
runner that stops its process by pid, and a ZeroMQ subscriber synchronised on heartbeats.

Nothing here sleeps to synchronise: every wait is for a real event (a request served, a message
received, a process exit) with a deadline that fails the test when it passes."""

import atexit
import email.utils
import hashlib
import html
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
from dataclasses import dataclass, field

BIN_DIR = os.environ.get("WW_BIN_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin"))
SOURCE_DIR = os.environ.get("WW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def binary(name):
    path = os.path.join(BIN_DIR, name)
    if not os.path.exists(path):
        raise RuntimeError(f"{path} is not built")
    return path


# The exit status of a Python test file none of whose tests failed but some skipped: every
# ww_py_test declares it as SKIP_RETURN_CODE (tests/CMakeLists.txt), so ctest says "Skipped"
# instead of "Passed" for a check that did not run (docs/testing.md).
SKIP_RETURN_CODE = 77


def main():
    """unittest.main for the test files: exits 1 on a failure, SKIP_RETURN_CODE when nothing
    failed but a test skipped (each skip and its reason printed last), 0 when everything ran."""
    import sys
    result = unittest.main(verbosity=2, exit=False).result
    if not result.wasSuccessful():
        sys.exit(1)
    for test, reason in result.skipped:
        print(f"SKIPPED {test.id()}: {reason}", file=sys.stderr)
    sys.exit(SKIP_RETURN_CODE if result.skipped else 0)


def tempdir(prefix="ww-"):
    """A temporary directory removed when the process exits (tests leave nothing in /tmp; a
    failing test prints the daemon's log before that)."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class FeedItem:
    guid: str
    title: str
    summary: str = ""
    content: str = ""
    link: str = ""
    categories: list = field(default_factory=list)
    author: str = ""
    published: float = 0.0  # epoch seconds; 0 = now when added


class FeedDoc:
    """One served feed: RSS 2.0 or Atom 1.0 rendered from its items, newest first."""

    def __init__(self, title, fmt="rss", link="https://news.example/"):
        self.title = title
        self.fmt = fmt
        self.link = link
        self.items = []

    def add(self, item):
        if not item.published:
            item.published = time.time()
        if not item.link:
            item.link = f"{self.link.rstrip('/')}/{item.guid}"
        self.items.insert(0, item)

    def render(self):
        return self._atom() if self.fmt == "atom" else self._rss()

    def _rss(self):
        esc = html.escape
        parts = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                 'xmlns:dc="http://purl.org/dc/elements/1.1/">',
                 f"<channel><title>{esc(self.title)}</title><link>{esc(self.link)}</link>"
                 f"<description>{esc(self.title)}</description>"]
        for it in self.items:
            parts.append("<item>")
            parts.append(f"<title>{esc(it.title)}</title><link>{esc(it.link)}</link>")
            parts.append(f'<guid isPermaLink="false">{esc(it.guid)}</guid>')
            parts.append(f"<pubDate>{email.utils.formatdate(it.published, usegmt=True)}</pubDate>")
            if it.summary:
                parts.append(f"<description>{esc(it.summary)}</description>")
            if it.content:
                parts.append(f"<content:encoded><![CDATA[{it.content}]]></content:encoded>")
            for c in it.categories:
                parts.append(f"<category>{esc(c)}</category>")
            if it.author:
                parts.append(f"<dc:creator>{esc(it.author)}</dc:creator>")
            parts.append("</item>")
        parts.append("</channel></rss>")
        return "\n".join(parts).encode()

    def _atom(self):
        esc = html.escape
        def iso(t):
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        updated = iso(max([i.published for i in self.items], default=time.time()))
        parts = ['<?xml version="1.0" encoding="utf-8"?>',
                 '<feed xmlns="http://www.w3.org/2005/Atom">',
                 f"<title>{esc(self.title)}</title><link href=\"{esc(self.link)}\"/>",
                 f"<id>{esc(self.link)}</id><updated>{updated}</updated>"]
        for it in self.items:
            parts.append("<entry>")
            parts.append(f"<id>{esc(it.guid)}</id><title>{esc(it.title)}</title>")
            parts.append(f'<link rel="alternate" href="{esc(it.link)}"/>')
            parts.append(f"<updated>{iso(it.published)}</updated><published>{iso(it.published)}</published>")
            if it.summary:
                parts.append(f'<summary type="html">{esc(it.summary)}</summary>')
            if it.content:
                parts.append(f'<content type="html">{esc(it.content)}</content>')
            for c in it.categories:
                parts.append(f'<category term="{esc(c)}"/>')
            if it.author:
                parts.append(f"<author><name>{esc(it.author)}</name></author>")
            parts.append("</entry>")
        parts.append("</feed>")
        return "\n".join(parts).encode()


class _QuietServer(http.server.ThreadingHTTPServer):
    """A client that hangs up mid-body (the daemon cutting off an oversized feed) is expected."""

    def handle_error(self, request, client_address):
        import sys
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 serving FeedDocs by path, with ETag and
    Last-Modified validation. `served` counts 200 responses per path and `requests` all of them,
    and `wait_for_requests` blocks until a path was requested n times."""

    def __init__(self):
        self.feeds = {}
        self.raw = {}  # path -> (status, headers, body) for odd responses
        self.requests = {}
        self.times = {}  # path -> wall-clock time (time.time()) of each request, in order
        self.served = {}
        self.cond = threading.Condition()
        self.gate = threading.Event()
        self.gate.set()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.gate.wait(60)
                path = self.path.split("?")[0]
                with server.cond:
                    server.requests[path] = server.requests.get(path, 0) + 1
                    server.times.setdefault(path, []).append(time.time())
                    server.cond.notify_all()
                    doc = server.feeds.get(path)
                    raw = server.raw.get(path)
                    body = doc.render() if doc else None
                if raw:
                    status, headers, body = raw
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                if body is None:
                    self.send_error(404)
                    return
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with server.cond:
                    server.served[path] = server.served.get(path, 0) + 1
                ctype = "application/atom+xml" if doc.fmt == "atom" else "application/rss+xml"
                self.send_response(200)
                self.send_header("Content-Type", ctype + "; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def add_feed(self, path, doc):
        with self.cond:
            self.feeds[path] = doc
        return self.url(path)

    def add_items(self, path, *items):
        with self.cond:
            for it in items:
                self.feeds[path].add(it)

    def request_count(self, path):
        with self.cond:
            return self.requests.get(path, 0)

    def request_times(self, path):
        with self.cond:
            return list(self.times.get(path, []))

    def wait_for_requests(self, path, n, timeout=30):
        deadline = time.monotonic() + timeout
        with self.cond:
            while self.requests.get(path, 0) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{path} was requested {self.requests.get(path, 0)} times, expected {n}")
                self.cond.wait(left)

    def close(self):
        self.gate.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def toml_str(s):
    return json.dumps(s)


class Daemon:
    """Runs wirewatchd on a config it writes into a temporary directory."""

    def __init__(self, feeds, watchlists, workdir=None, extra="", interval="1s", heartbeat="1s", feed_extra="",
                 http_extra="", pub=None, replay=None):
        self.dir = workdir or tempdir("ww-it-")
        self.pub = pub or f"tcp://127.0.0.1:{free_port()}"
        self.replay = replay or f"tcp://127.0.0.1:{free_port()}"
        self.http_port = free_port()
        self.http = f"127.0.0.1:{self.http_port}"
        self.config = os.path.join(self.dir, "wirewatch.toml")
        lines = ["[daemon]", f"state_dir = {toml_str(os.path.join(self.dir, 'state'))}", 'log_level = "debug"',
                 "[publish]", f"endpoint = {toml_str(self.pub)}", f"replay_endpoint = {toml_str(self.replay)}",
                 f"heartbeat = {toml_str(heartbeat)}", "[http]", f"listen = {toml_str(self.http)}", http_extra,
                 "[fetch]", "allow_private_networks = true"]
        lines.append(extra)
        for name, url in feeds:
            lines += ["[[feed]]", f"url = {toml_str(url)}", f"name = {toml_str(name)}", f"interval = {toml_str(interval)}",
                      feed_extra]
        for name, query in watchlists:
            lines += ["[[watchlist]]", f"name = {toml_str(name)}", f"query = {toml_str(query)}"]
        with open(self.config, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.proc = None
        self.log_path = os.path.join(self.dir, "wirewatchd.log")

    def start(self, *args):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([binary("wirewatchd"), "--config", self.config, *args],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def wait(self, timeout=60):
        try:
            return self.proc.wait(timeout)
        finally:
            self.log.close()

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
            self.proc.wait(timeout)
        if self.proc:
            self.log.close()
        return self.proc.returncode if self.proc else None

    def logs(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def wait_for_log(self, pattern, timeout=30):
        """Waits until a line of the log matches the regex `pattern` and returns the match. The
        log is a file the daemon appends to: it is re-read until the line is there or the
        deadline passes (the daemon's exit also ends the wait, with a failure)."""
        import re
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            exited = self.proc is not None and self.proc.poll() is not None  # before the read
            m = regex.search(self.logs())
            if m:
                return m
            if exited or time.monotonic() > deadline:
                raise AssertionError(f"no log line matches {pattern!r} (daemon exit status "
                                     f"{self.proc.poll() if self.proc else None})")
            time.sleep(0.05)  # re-read interval of the file, not a synchronisation


class Subscriber:
    """A pyzmq SUB on the daemon's PUB endpoint. `wait_ready` returns once a heartbeat arrived,
    which proves the subscription reached the publisher (the cure for the slow joiner)."""

    def __init__(self, endpoint, topic=b""):
        import zmq
        self.zmq = zmq
        self.ctx = zmq.Context.instance()
        self.sock = self.ctx.socket(zmq.SUB)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.setsockopt(zmq.SUBSCRIBE, b"_hb")
        if topic != b"_hb":
            self.sock.setsockopt(zmq.SUBSCRIBE, topic)
        self.sock.connect(endpoint)
        self.alerts = []
        self.last_hb = None

    def _recv(self, timeout):
        if not self.sock.poll(int(timeout * 1000)):
            return None
        topic, body = self.sock.recv_multipart()
        msg = json.loads(body)
        if topic == b"_hb":
            self.last_hb = msg["seq"]
        else:
            self.alerts.append((topic.decode(), msg))
        return topic

    def wait_ready(self, timeout=30):
        # What is queued already may come from a daemon that has stopped since (a restart): take
        # it first (alerts are kept), then wait for a heartbeat that arrives from now on.
        while self._recv(0) is not None:
            pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._recv(deadline - time.monotonic()) == b"_hb":
                return self.last_hb
        raise AssertionError("no heartbeat from the daemon: the subscription never became active")

    def wait_alerts(self, predicate, timeout=30):
        """Receives until predicate(alerts) is true."""
        deadline = time.monotonic() + timeout
        while not predicate(self.alerts):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out; alerts so far: {[ (t, a['item']['title']) for t, a in self.alerts]}")
            self._recv(left)
        return self.alerts

    def close(self):
        self.sock.close()


class WebhookReceiver:
    """A webhook endpoint on loopback. `bodies` holds one (envelope, X-Wirewatch-Signature, raw
    body, refused) per POST; `refuse(envelope)` true answers 400."""

    def __init__(self, refuse=lambda envelope: False):
        self.bodies = []
        self.cond = threading.Condition()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                envelope = json.loads(body)
                refused = refuse(envelope)
                with outer.cond:
                    outer.bodies.append((envelope, self.headers.get("X-Wirewatch-Signature"), body, refused))
                    outer.cond.notify_all()
                self.send_response(400 if refused else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"

    @property
    def envelopes(self):
        with self.cond:
            return [e for e, *_ in self.bodies]

    def wait(self, predicate, timeout=30):
        """Waits until predicate(bodies) is true."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate(self.bodies):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"receiver got seqs {[b[0].get('seq') for b in self.bodies]}")
                self.cond.wait(left)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def failed(test_case):
    """In tearDown: whether the test that just ran failed (to print the daemon's log then).
    unittest records the failure on its result before tearDown runs."""
    result = test_case._outcome.result
    return any(t is test_case for t, _ in result.failures + result.errors)
