"""End to end: wirewatchd publishes, `wirewatch bridge` runs the webhook plugin, a loopback
receiver collects. The bridge is killed with SIGKILL twice mid-stream (while alerts are queued
and in flight) and restarted; the receiver must end with every alert exactly once by alert_id,
every seq from 1 to N, each body signed with the shared secret.

Every wait is for a real event (a request served, a count reached, a process exit) with a
deadline; nothing sleeps to synchronise."""

import hashlib
import hmac
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import unittest

import wwtest
from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, binary, toml_str

PLUGIN_DIR = os.environ.get("WW_PLUGIN_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build", "plugins"))
SECRET = "e2e-secret-5d1c"


class QuietServer(http.server.ThreadingHTTPServer):
    # A bridge killed mid-request resets its connection: expected here, not worth a traceback.
    def handle_error(self, request, client_address):
        pass


class Receiver:
    """A webhook endpoint on 127.0.0.1 that records every POST. Each answer is held back a
    little so that alerts queue up in the bridge and a kill lands mid-stream."""

    def __init__(self, delay=0.02):
        self.posts = []  # (alert_id, seq, signature_ok)
        self.cond = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                want = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                envelope = json.loads(body)
                time.sleep(delay)  # a slow service, not a synchronisation
                with receiver.cond:
                    receiver.posts.append((envelope["alert_id"], envelope["seq"],
                                           self.headers.get("X-Wirewatch-Signature") == want))
                    receiver.cond.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def distinct(self):
        with self.cond:
            return len({a for a, _, _ in self.posts})

    def wait_distinct(self, n, timeout=60):
        deadline = time.monotonic() + timeout
        with self.cond:
            while len({a for a, _, _ in self.posts}) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"receiver has {len({a for a, _, _ in self.posts})} distinct alerts, expected {n}")
                self.cond.wait(left)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class MatrixHomeserver:
    """The part of a homeserver the matrix sink uses: PUT .../send/m.room.message/{txnId}. A
    real homeserver posts one event per transaction id and answers a repeated one with the same
    event id; this mock counts both."""

    def __init__(self):
        self.txns = {}  # txn id -> number of PUTs
        self.cond = threading.Condition()
        hs = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_PUT(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                json.loads(body)
                ok = self.headers.get("Authorization") == "Bearer syt_e2e_token"
                prefix = "/_matrix/client/v3/rooms/%21room%3Ae2e/send/m.room.message/"
                if ok and self.path.startswith(prefix):
                    with hs.cond:
                        txn = self.path[len(prefix):]
                        hs.txns[txn] = hs.txns.get(txn, 0) + 1
                        hs.cond.notify_all()
                    answer = json.dumps({"event_id": "$" + txn}).encode()
                    self.send_response(200)
                else:
                    answer = b'{"errcode":"M_FORBIDDEN"}'
                    self.send_response(403)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait_txns(self, n, timeout=60):
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.txns) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"homeserver has {len(self.txns)} transactions, expected {n}")
                self.cond.wait(left)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Bridge:
    def __init__(self, daemon, receiver, homeserver, workdir):
        self.dir = workdir
        self.config = os.path.join(workdir, "bridge.toml")
        self.state = os.path.join(workdir, "bridge-state")
        secret_file = os.path.join(workdir, "hook.secret")
        with open(secret_file, "w") as f:
            f.write(SECRET + "\n")
        with open(self.config, "w") as f:
            f.write("\n".join([
                "[bridge]",
                f"endpoint = {toml_str(daemon.pub)}",
                f"replay_endpoint = {toml_str(daemon.replay)}",
                f"state_dir = {toml_str(self.state)}",
                f"plugin_dir = {toml_str(PLUGIN_DIR)}",
                'log_level = "debug"',
                "[[sink]]",
                'name = "hook"',
                'plugin = "webhook"',
                f"url = {toml_str(receiver.url)}",
                f"secret_file = {toml_str(secret_file)}",
                'retry_initial = "100ms"',
                'watchlists = ["tariffs-*"]',
                "[[sink]]",
                'name = "room"',
                f"url = {toml_str('matrix://syt_e2e_token@' + homeserver.url[len('http://'):] + '/!room:e2e')}",
                'retry_initial = "100ms"',
                'watchlists = ["tariffs-*"]',
            ]) + "\n")
        self.log_path = os.path.join(workdir, "bridge.log")
        self.proc = None

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([binary("wirewatch"), "bridge", "--config", self.config],
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def kill(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.log.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            code = self.proc.wait(20)
            self.log.close()
            return code
        return self.proc.returncode if self.proc else None

    def logs(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")


def distinct_words(n, count=4):
    """`count` made-up words that belong to item n alone."""
    words = []
    for k in range(count):
        v = n * count + k + 26 ** 3
        word = ""
        while v:
            word = chr(ord("a") + v % 26) + word
            v //= 26
        words.append(word)
    return " ".join(words)


class BridgeEndToEnd(unittest.TestCase):
    def test_every_alert_exactly_once_across_bridge_kills(self):
        workdir = wwtest.tempdir("ww-bridge-e2e-")
        server = FeedServer()
        doc = FeedDoc("Trade wire", "rss")
        doc.add(FeedItem("seed", "Tariffs seed item", summary="present at the first fetch"))
        url = server.add_feed("/trade.rss", doc)
        daemon = Daemon([("Trade", url)], [("tariffs-steel", "tariffs"), ("weather", "rain")],
                        workdir=workdir, interval="1s", heartbeat="1s")
        receiver = Receiver()
        homeserver = MatrixHomeserver()
        bridge = Bridge(daemon, receiver, homeserver, workdir)
        batches = [10, 10, 10]
        total = sum(batches)
        try:
            daemon.start()
            # The first fetch marks the seed item seen without alerting (catch-up).
            server.wait_for_requests("/trade.rss", 1)
            bridge.start()
            added = 0
            for round_no, size in enumerate(batches):
                # Each item is a story of its own (words no other item has): items that read
                # alike would be one story, one alert and story.update events, which sinks skip.
                items = [FeedItem(f"item-{added + i}", f"Tariffs on {distinct_words(added + i)}",
                                  summary=f"<тарифы> & 关税 {distinct_words(added + i + 1000)}")
                         for i in range(size)]
                # A non-matching item in each batch: the sink must not see it.
                items.append(FeedItem(f"rain-{round_no}", f"Rain expected, round {round_no}"))
                server.add_items("/trade.rss", *items)
                added += size
                if round_no < len(batches) - 1:
                    # Kill while this batch is still being delivered (the receiver is slow).
                    receiver.wait_distinct(added - size + 3, timeout=90)
                    bridge.kill()
                    # Proof that the kill landed mid-stream: part of the batch was still owed.
                    self.assertLess(receiver.distinct(), added)
                    bridge.start()
            receiver.wait_distinct(total, timeout=120)
            homeserver.wait_txns(total, timeout=120)
            self.assertEqual(bridge.stop(), 0)

            with receiver.cond:
                posts = list(receiver.posts)
            seqs = sorted({s for _, s, _ in posts})
            ids = {a for a, _, _ in posts}
            self.assertEqual(len(ids), total)
            self.assertTrue(all(ok for _, _, ok in posts), "a body arrived without a valid signature")
            # Only the tariffs watchlist is routed; its seqs are interleaved with the weather
            # ones, so they are increasing but not contiguous.
            self.assertEqual(len(seqs), total)
            # Delivery is at least once; the window for a repeat is one request per kill.
            repeats = len(posts) - len(ids)
            self.assertLessEqual(repeats, len(batches) - 1, f"{repeats} repeats")
            self.assertIn("bridge: subscribed", bridge.logs())
            # In order: each first delivery has a higher seq than the one before it.
            first_seen = []
            seen = set()
            for a, s, _ in posts:
                if a not in seen:
                    seen.add(a)
                    first_seen.append(s)
            self.assertEqual(first_seen, sorted(first_seen))
            # Matrix: one transaction per alert, named after its alert_id (the homeserver
            # deduplicates a repeated PUT of the same transaction).
            with homeserver.cond:
                txns = dict(homeserver.txns)
            self.assertEqual(set(txns), {"ww-" + a for a in ids})
            self.assertLessEqual(sum(txns.values()) - len(txns), len(batches) - 1)
            # The durable cursor covers the last delivered alert.
            with open(os.path.join(bridge.state, "hook.cursor")) as f:
                self.assertGreaterEqual(int(f.read().strip()), seqs[-1])
        except Exception:
            print("---- daemon\n" + daemon.logs(), file=sys.stderr)
            print("---- bridge\n" + bridge.logs(), file=sys.stderr)
            bridge.stop()
            daemon.stop()
            raise
        finally:
            bridge.stop()
            daemon.stop()
            receiver.close()
            homeserver.close()
            server.close()
        shutil.rmtree(workdir, ignore_errors=True)  # kept on failure, for its logs


class BridgeOverCurve(unittest.TestCase):
    def test_an_allowed_client_key_receives_and_replays(self):
        workdir = wwtest.tempdir("ww-bridge-curve-")
        server = FeedServer()
        doc = FeedDoc("Trade wire", "rss")
        url = server.add_feed("/trade.rss", doc)
        daemon = Daemon([("Trade", url)], [("tariffs-steel", "tariffs")], workdir=workdir)
        # mkdtemp's names make "<workdir>/daemon.key" exactly 40 characters, all of them Z85
        # digits: the bridge must still read it as a file, not as an inline key.
        for base in ("daemon", "bridge"):
            subprocess.run([binary("wirewatch"), "keygen", os.path.join(workdir, base)], check=True,
                           capture_output=True, timeout=30)
        # wwtest's Daemon has no CURVE switch: add the keys to its [publish] table.
        with open(daemon.config) as f:
            text = f.read()
        text = text.replace("[publish]\n", "[publish]\n" +
                            f"curve_secret_key_file = {toml_str(os.path.join(workdir, 'daemon.key_secret'))}\n" +
                            f"curve_allowed_clients = {toml_str(os.path.join(workdir, 'bridge.key'))}\n", 1)
        with open(daemon.config, "w") as f:
            f.write(text)
        receiver = Receiver(delay=0)
        homeserver = MatrixHomeserver()
        bridge = Bridge(daemon, receiver, homeserver, workdir)
        with open(bridge.config) as f:
            text = f.read()
        text = text.replace("[bridge]\n", "[bridge]\n" +
                            f"server_key = {toml_str(os.path.join(workdir, 'daemon.key'))}\n" +
                            f"client_key_file = {toml_str(os.path.join(workdir, 'bridge.key_secret'))}\n", 1)
        with open(bridge.config, "w") as f:
            f.write(text)
        try:
            daemon.start()
            server.wait_for_requests("/trade.rss", 1)
            # Alerts recorded before the bridge exists come through the (encrypted) replay...
            server.add_items("/trade.rss", *[FeedItem(f"early-{i}", f"Tariffs early {i}") for i in range(3)])
            server.wait_for_requests("/trade.rss", 3)
            bridge.start()
            receiver.wait_distinct(3)
            # ...and the later ones live.
            server.add_items("/trade.rss", *[FeedItem(f"late-{i}", f"Tariffs late {i}") for i in range(3)])
            receiver.wait_distinct(6)
            homeserver.wait_txns(6)
            self.assertEqual(bridge.stop(), 0)
            self.assertTrue(all(ok for _, _, ok in receiver.posts))
        except Exception:
            print("---- daemon\n" + daemon.logs(), file=sys.stderr)
            print("---- bridge\n" + bridge.logs(), file=sys.stderr)
            raise
        finally:
            bridge.stop()
            daemon.stop()
            receiver.close()
            homeserver.close()
            server.close()
        shutil.rmtree(workdir, ignore_errors=True)


class BridgeConfigErrors(unittest.TestCase):
    def run_bridge(self, text):
        workdir = wwtest.tempdir("ww-bridge-cfg-")
        try:
            path = os.path.join(workdir, "bridge.toml")
            with open(path, "w") as f:
                f.write(text.replace("STATE", toml_str(os.path.join(workdir, "state"))).replace("PLUGINS", toml_str(PLUGIN_DIR)))
            p = subprocess.run([binary("wirewatch"), "bridge", "--config", path], capture_output=True, timeout=30)
            return p.returncode, p.stderr.decode(errors="replace")
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def test_every_problem_is_located(self):
        code, err = self.run_bridge("[bridge]\nstate_dir = STATE\nendpont = \"tcp://x\"\n"
                                    "[[sink]]\nplugin = \"webhook\"\nwatchlists = \"china-*\"\n")
        self.assertEqual(code, 2, err)
        self.assertIn('bridge.toml:3:1: unknown key "endpont" in [bridge]', err)
        self.assertIn("bridge.toml:6:14: watchlists must be an array, not a string", err)
        self.assertIn("bridge.toml:4:1: [[sink]] needs a name", err)

    def test_a_missing_plugin_names_the_file_and_the_sink(self):
        code, err = self.run_bridge("[bridge]\nstate_dir = STATE\nplugin_dir = PLUGINS\n"
                                    "[[sink]]\nname = \"chat\"\nplugin = \"no-such-sink\"\n")
        self.assertEqual(code, 1, err)
        self.assertIn("no-such-sink.so does not exist", err)
        self.assertIn("sink=chat at", err)
        self.assertIn("bridge.toml:4:1", err)

    def test_a_secret_never_reaches_the_error(self):
        code, err = self.run_bridge("[bridge]\nstate_dir = STATE\nplugin_dir = PLUGINS\n"
                                    "[[sink]]\nname = \"tg\"\nurl = \"tgram://123456:SECRETTOKEN\"\n")
        self.assertEqual(code, 1, err)
        self.assertIn("tgram://BotToken/ChatID", err)
        self.assertNotIn("SECRETTOKEN", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
