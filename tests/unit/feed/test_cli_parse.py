"""`wirewatch parse FILE --json`: the JSON contract of issue 3 and the exit status (0 read, 1 not)."""
import json
import os
import subprocess
import sys
import tempfile

BIN = os.path.join(os.environ["WW_BIN_DIR"], "wirewatch")
FIXTURES = os.path.join(os.environ["WW_SOURCE_DIR"], "tests", "fixtures", "feed")
CONTRACT = {"format", "version", "bozo", "bozo_reason", "encoding", "title", "link", "description",
            "language", "updated", "ttl_seconds", "items"}


def run(*args):
    return subprocess.run([BIN, "parse", *args], capture_output=True, timeout=60)


def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)


def main():
    r = run(os.path.join(FIXTURES, "rss2_world.xml"), "--json")
    check(r.returncode == 0, f"exit 0 for a feed, got {r.returncode} {r.stderr!r}")
    feed = json.loads(r.stdout)
    check(CONTRACT <= feed.keys(), f"contract keys, missing {CONTRACT - feed.keys()}")
    check(feed["format"] == "rss" and feed["ttl_seconds"] == 600, "format and ttl")
    item = feed["items"][0]
    check(item["key"] == "guid:herald-2026-0001", "item key")
    check(item["published"] == "2026-11-27T07:15:00Z", "published in RFC 3339 UTC")
    check("<" not in item["summary"], "summary is plain text")

    r = run(os.path.join(FIXTURES, "not_a_feed.html"), "--json")
    check(r.returncode == 1, "exit 1 for an HTML page")
    check(r.stdout == b"" and len(r.stderr.strip().splitlines()) == 1, "one line on stderr")

    r = run(os.path.join(FIXTURES, "broken_truncated.xml"), "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["bozo"] is True, "a broken feed is read, bozo")

    # windows-1251 bytes with no declaration: only the Content-Type can tell.
    body = "<rss version='2.0'><channel><title>Мир</title></channel></rss>".encode("windows-1251")
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
        f.write(body)
    try:
        r = run(f.name, "--content-type", "text/xml; charset=windows-1251", "--json")
        check(r.returncode == 0 and json.loads(r.stdout)["title"] == "Мир", "--content-type charset")
    finally:
        os.unlink(f.name)

    # A URL: the daemon's client, SSRF guard included. Loopback is refused unless asked for.
    import http.server
    import threading
    with open(os.path.join(FIXTURES, "rss2_world.xml"), "rb") as fx:
        served = fx.read()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(served)))
            self.end_headers()
            self.wfile.write(served)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/feed.rss"
    try:
        r = run(url, "--json")
        check(r.returncode == 1 and b"refused to connect" in r.stderr,
              f"a loopback URL is refused by default: {r.returncode} {r.stderr!r}")
        r = run(url, "--allow-private", "--json")
        check(r.returncode == 0 and json.loads(r.stdout)["items"][0]["key"] == "guid:herald-2026-0001",
              f"--allow-private fetches it: {r.returncode} {r.stderr!r}")
    finally:
        httpd.shutdown()
    print("ok")


if __name__ == "__main__":
    main()
