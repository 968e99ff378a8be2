"""A loopback HTTP server that misbehaves on purpose, one path per misbehaviour, for the
daemon-level hostile-server tests of issue 5 (the client-level ones are C++, in
tests/unit/fetch/test_hostile_servers.cpp).

    with HostileServer() as hs:
        url = hs.url("/trickle")
        ...
        hs.wait_for_requests("/limited", 1)

or `python3 hostile_server.py` to serve until interrupted (prints the base URL), or
`python3 hostile_server.py --self-check` to check every path once with a raw socket.

Paths and the per-feed error kind the daemon should log for each:

    /feed              a calm RSS feed (control)                     ok
    /trickle           1 byte every 10 s                             timeout
    /endless           chunked body that never ends                  too_large
    /bomb              32 KiB of gzip inflating to 64 MiB            too_large
    /loop              301 to itself                                 redirects
    /private-redirect  302 to http://169.254.169.254/latest/         blocked (unless private allowed)
    /limited           429 with Retry-After: 120, on every request   rate_limited
    /reset             TCP reset mid-body                            reset
    /cut               clean close mid-body                          reset
    /empty             200 with no body                              empty
    /html              an HTML page                                  (parse module's kind)
    /huge              Content-Length: 2147483648                    too_large
    /garbage           not HTTP at all                               protocol
    /silent            reads the request, never answers              timeout

Pacing delays wait on the server's stop event, so close() ends every connection at once.
"""

import gzip
import socket
import struct
import sys
import threading
from collections import Counter

CALM_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
    b"<title>Calm Wire</title><link>https://calm.example/</link><description>Control</description>"
    b"<item><title>Harbour reopens after storm repairs</title><guid>calm-1</guid>"
    b"<description>The port authority said traffic resumed on Tuesday.</description></item>"
    b"</channel></rss>\n"
)

HTML_PAGE = b"<!DOCTYPE html><html><head><title>Welcome</title></head><body><p>Not a feed.</p></body></html>"

# What each path should produce at the daemon (see the module docstring).
EXPECTED_KINDS = {
    "/feed": "ok",
    "/trickle": "timeout",
    "/endless": "too_large",
    "/bomb": "too_large",
    "/loop": "redirects",
    "/private-redirect": "blocked",
    "/limited": "rate_limited",
    "/reset": "reset",
    "/cut": "reset",
    "/empty": "empty",
    "/huge": "too_large",
    "/garbage": "protocol",
    "/silent": "timeout",
}


def _head(status, headers=(), length=None):
    lines = [f"HTTP/1.1 {status} X"]
    lines += list(headers)
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class HostileServer:
    def __init__(self, host="127.0.0.1", bomb_size=64 << 20):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, 0))
        self._sock.listen(128)
        self.host, self.port = self._sock.getsockname()
        self._stop = threading.Event()
        self._lock = threading.Condition()
        self._counts = Counter()
        self._conns = set()
        self._bomb = gzip.compress(b"\0" * bomb_size, 1)
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    # -- public ---------------------------------------------------------------------------
    def url(self, path):
        return f"http://{self.host}:{self.port}{path}"

    def request_count(self, path):
        with self._lock:
            return self._counts[path]

    def wait_for_requests(self, path, n, timeout=30):
        with self._lock:
            if not self._lock.wait_for(lambda: self._counts[path] >= n, timeout):
                raise TimeoutError(f"{path}: {self._counts[path]} of {n} requests after {timeout}s")

    def close(self):
        self._stop.set()
        try:
            # shutdown, unlike close, wakes the thread blocked in accept().
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- serving --------------------------------------------------------------------------
    def _accept_loop(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self._conns.add(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            buf = b""
            while not self._stop.is_set():
                while b"\r\n\r\n" not in buf:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                head, buf = buf.split(b"\r\n\r\n", 1)
                target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
                path = target.split("?", 1)[0]
                with self._lock:
                    self._counts[path] += 1
                    self._lock.notify_all()
                if not self._answer(conn, path):
                    return
        except OSError:
            pass
        finally:
            with self._lock:
                self._conns.discard(conn)
            conn.close()

    def _answer(self, conn, path):
        """Answers one request; returns True when the connection may serve another."""
        if path == "/feed":
            conn.sendall(_head(200, ["Content-Type: application/rss+xml"], len(CALM_FEED)) + CALM_FEED)
            return True
        if path == "/trickle":
            conn.sendall(_head(200, ["Content-Type: application/rss+xml"], 100))
            for _ in range(100):
                conn.sendall(b"x")
                if self._stop.wait(10):
                    break
            return False
        if path == "/endless":
            conn.sendall(_head(200, ["Content-Type: application/rss+xml", "Transfer-Encoding: chunked"]))
            chunk = b"4000\r\n" + b"y" * 0x4000 + b"\r\n"
            while not self._stop.is_set():
                conn.sendall(chunk)
            return False
        if path == "/bomb":
            conn.sendall(_head(200, ["Content-Type: application/rss+xml", "Content-Encoding: gzip"],
                               len(self._bomb)) + self._bomb)
            return True
        if path == "/loop":
            conn.sendall(_head(301, [f"Location: {self.url('/loop')}"], 0))
            return True
        if path == "/private-redirect":
            conn.sendall(_head(302, ["Location: http://169.254.169.254/latest/meta-data/"], 0))
            return True
        if path == "/limited":
            body = b"slow down"
            conn.sendall(_head(429, ["Retry-After: 120"], len(body)) + body)
            return True
        if path in ("/reset", "/cut"):
            conn.sendall(_head(200, ["Content-Type: application/rss+xml"], 10000) + CALM_FEED[:100])
            if path == "/reset":
                # SO_LINGER with a zero timeout turns close() into a TCP reset.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if path == "/empty":
            conn.sendall(_head(200, ["Content-Type: application/rss+xml"], 0))
            return True
        if path == "/html":
            conn.sendall(_head(200, ["Content-Type: text/html"], len(HTML_PAGE)) + HTML_PAGE)
            return True
        if path == "/huge":
            conn.sendall(_head(200, ["Content-Type: application/rss+xml"], 2147483648) + b"h" * 4096)
            self._stop.wait(60)
            return False
        if path == "/garbage":
            conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
            return False
        if path == "/silent":
            self._stop.wait(120)
            return False
        body = b"no such path"
        conn.sendall(_head(404, [], len(body)) + body)
        return True


def _self_check():
    """Each path answers the way the docstring says, seen from a raw client socket."""
    with HostileServer(bomb_size=1 << 20) as hs:
        def first_bytes(path, n=64, timeout=5):
            with socket.create_connection((hs.host, hs.port), timeout=timeout) as s:
                s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                data = b""
                while len(data) < n:
                    try:
                        more = s.recv(n - len(data))
                    except (ConnectionResetError, socket.timeout):
                        break
                    if not more:
                        break
                    data += more
                return data

        checks = {
            "/feed": b"HTTP/1.1 200",
            "/loop": b"HTTP/1.1 301",
            "/private-redirect": b"HTTP/1.1 302",
            "/limited": b"HTTP/1.1 429",
            "/empty": b"HTTP/1.1 200",
            "/huge": b"HTTP/1.1 200",
            "/garbage": b"SSH-2.0",
            "/reset": b"HTTP/1.1 200",
            "/endless": b"HTTP/1.1 200",
        }
        failures = []
        for path, prefix in checks.items():
            got = first_bytes(path, n=len(prefix))
            if not got.startswith(prefix):
                failures.append(f"{path}: {got!r}")
        hs.wait_for_requests("/feed", 1, timeout=5)
        if "Content-Length: 2147483648" not in first_bytes("/huge", n=200).decode("latin-1"):
            failures.append("/huge: no 2 GB Content-Length")
        if failures:
            print("\n".join(failures))
            return 1
    print("hostile_server: every path behaves")
    return 0


if __name__ == "__main__":
    if "--self-check" in sys.argv:
        sys.exit(_self_check())
    with HostileServer() as server:
        print(server.url("/"), flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
