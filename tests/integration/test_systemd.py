"""wirewatchd as systemd sees it: the sd_notify protocol through a NOTIFY_SOCKET of the test's
own, and the HTTP listener that READY=1 promises is up.

The test plays systemd: it binds an AF_UNIX datagram socket, hands it to the daemon in
NOTIFY_SOCKET with WATCHDOG_USEC, and checks what arrives and in which order:
READY=1 (with STATUS=), WATCHDOG=1 pings at about a third of the timeout, RELOADING=1 (with
MONOTONIC_USEC=) after SIGHUP and READY=1 again, then STOPPING=1 after SIGTERM and an exit
within 5 s. Every wait is for a datagram or a process exit, with a deadline."""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import unittest
import urllib.error
import urllib.request

from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, free_port, failed
import wwtest

WATCHDOG_USEC = 900_000  # pings expected every 0.3 s


class NotifySocket:
    """The systemd side of sd_notify: one datagram per notification."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.messages = []  # (monotonic time, {key: value})

    def receive(self, timeout):
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data = self.sock.recv(4096)
        except socket.timeout:
            return None
        fields = dict(line.split("=", 1) for line in data.decode().splitlines() if "=" in line)
        self.messages.append((time.monotonic(), fields))
        return fields

    def wait_for(self, key, value="1", timeout=30):
        """Receives until a message has key=value; returns that message."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {key}={value} within {timeout}s; got {[m for _, m in self.messages]}")
            m = self.receive(left)
            if m is not None and m.get(key) == value:
                return m

    def close(self):
        self.sock.close()


def http_get(port, path, timeout=5):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


class SystemdTestCase(unittest.TestCase):
    def setUp(self):
        self.dir = wwtest.tempdir("ww-systemd-")
        self.server = FeedServer()
        doc = FeedDoc("World Desk")
        doc.add(FeedItem("w-1", "Parliament debates the budget"))
        self.feed_url = self.server.add_feed("/world.rss", doc)
        feeds, watchlists = [("World Desk", self.feed_url)], [("budget-watch", "budget")]
        self.daemon = Daemon(feeds, watchlists, workdir=self.dir)
        # A free port of our own unless wwtest already gives each daemon one.
        self.http_port = getattr(self.daemon, "http_port", None)
        if self.http_port is None:
            self.http_port = free_port()
            self.daemon = Daemon(feeds, watchlists, workdir=self.dir,
                                 extra=f'[http]\nlisten = "127.0.0.1:{self.http_port}"')
        self.notify = NotifySocket(self.dir)
        self.saved_env = {k: os.environ.get(k) for k in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")}
        # The daemon inherits the environment (wwtest.Daemon.start passes no env of its own).
        os.environ["NOTIFY_SOCKET"] = self.notify.path
        os.environ["WATCHDOG_USEC"] = str(WATCHDOG_USEC)
        os.environ.pop("WATCHDOG_PID", None)

    def tearDown(self):
        for k, v in self.saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        self.daemon.stop(signal.SIGKILL)  # only if a failed test left it running
        self.notify.close()
        self.server.close()
        if failed(self) or os.environ.get("WW_KEEP_LOGS"):
            print(self.daemon.logs())
        shutil.rmtree(self.dir, ignore_errors=True)

    def sequence(self):
        """The protocol events received so far, in order, without repeated STATUS-only updates."""
        events = []
        for _, m in self.notify.messages:
            for key in ("READY", "WATCHDOG", "RELOADING", "STOPPING"):
                if m.get(key) == "1":
                    events.append(key)
        return events


class NotifyProtocol(SystemdTestCase):
    def test_ready_watchdog_reload_stop_in_order(self):
        self.daemon.start()
        ready = self.notify.wait_for("READY")
        self.assertTrue(ready.get("STATUS"), f"READY=1 comes with a STATUS= summary: {ready}")
        # READY=1 promises the HTTP listener is up: it answers at once, no retry.
        status, _, _ = http_get(self.http_port, "/healthz")
        self.assertEqual(status, 200)

        # Watchdog pings at about a third of WATCHDOG_USEC: two in a row, spaced sensibly.
        first = self.notify.wait_for("WATCHDOG")
        t1 = self.notify.messages[-1][0]
        self.notify.wait_for("WATCHDOG", timeout=WATCHDOG_USEC / 1e6)
        t2 = self.notify.messages[-1][0]
        self.assertIsNotNone(first)
        self.assertLess(t2 - t1, WATCHDOG_USEC / 1e6, "pings must come well inside the watchdog timeout")
        self.assertGreater(t2 - t1, WATCHDOG_USEC / 1e6 / 10, "pings must not be a busy loop")

        # SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1 when the new config is in force.
        os.kill(self.daemon.proc.pid, signal.SIGHUP)
        reloading = self.notify.wait_for("RELOADING")
        self.assertIn("MONOTONIC_USEC", reloading)
        # Python's time.monotonic() is CLOCK_MONOTONIC on Linux: the same clock systemd means.
        self.assertLess(abs(int(reloading["MONOTONIC_USEC"]) / 1e6 - time.monotonic()), 10)
        self.notify.wait_for("READY")
        self.notify.wait_for("WATCHDOG", timeout=WATCHDOG_USEC / 1e6)  # still alive after reload

        # SIGTERM: STOPPING=1, and the process is gone within 5 s.
        t0 = time.monotonic()
        os.kill(self.daemon.proc.pid, signal.SIGTERM)
        self.notify.wait_for("STOPPING", timeout=5)
        self.assertEqual(self.daemon.wait(timeout=5), 0)
        self.assertLess(time.monotonic() - t0, 5.0)

        events = self.sequence()
        self.assertEqual(events[0], "READY", events)
        reload_at = events.index("RELOADING")
        self.assertIn("WATCHDOG", events[1:reload_at], events)
        self.assertEqual(events[reload_at + 1:].count("READY"), 1, events)
        self.assertLess(reload_at, events.index("READY", reload_at), events)
        self.assertEqual(events[-1], "STOPPING", events)
        self.assertEqual(events.count("STOPPING"), 1, events)
        self.assertNotIn("READY", events[events.index("STOPPING"):], events)

    def test_an_invalid_config_on_reload_keeps_the_daemon_ready(self):
        self.daemon.start()
        self.notify.wait_for("READY")
        with open(self.daemon.config, "a") as f:
            f.write("\n[[watchlist]]\nname = \"Bad Name\"\n")
        os.kill(self.daemon.proc.pid, signal.SIGHUP)
        self.notify.wait_for("RELOADING")
        after = self.notify.wait_for("READY")  # the old config stays in force, and says so
        self.assertTrue(after.get("STATUS"))
        self.notify.wait_for("WATCHDOG", timeout=WATCHDOG_USEC / 1e6)
        self.assertEqual(self.daemon.stop(), 0)


class HttpEndpoints(SystemdTestCase):
    def test_health_metrics_and_api(self):
        self.daemon.start()
        self.notify.wait_for("READY")
        self.assertEqual(http_get(self.http_port, "/healthz")[0], 200)
        self.assertEqual(http_get(self.http_port, "/readyz")[0], 200)
        self.assertEqual(http_get(self.http_port, "/no-such-page")[0], 404)

        # After the first fetch was recorded, the metrics say so.
        self.server.wait_for_requests("/world.rss", 1)
        deadline = time.monotonic() + 30
        while True:
            status, headers, text = http_get(self.http_port, "/metrics")
            self.assertEqual(status, 200)
            if 'wirewatch_fetches_total{result="ok"}' in text:
                break
            self.assertLess(time.monotonic(), deadline, text)
            self.notify.receive(0.2)  # waits on the daemon's own next notification, not a sleep
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"), headers["Content-Type"])
        for name in ("wirewatch_fetch_duration_seconds_bucket", "wirewatch_feed_last_success_timestamp_seconds",
                     "wirewatch_alerts_published_total", "wirewatch_queue_depth"):
            self.assertIn(name, text)
        promtool = shutil.which("promtool")
        if promtool:
            check = subprocess.run([promtool, "check", "metrics"], input=text.encode(), capture_output=True)
            self.assertEqual(check.returncode, 0, check.stdout.decode() + check.stderr.decode())

        # A replay request is counted (the replay server runs on its own thread).
        replay = subprocess.run([os.path.join(os.environ.get("WW_BIN_DIR", ""), "wirewatch"), "replay",
                                 "--endpoint", self.daemon.replay, "--json"],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(replay.returncode, 0, replay.stderr)
        self.assertIn("wirewatch_replay_requests_total 1", http_get(self.http_port, "/metrics")[2])

        status, headers, body = http_get(self.http_port, "/api/feeds")
        self.assertEqual(status, 200)
        self.assertIn("application/json", headers["Content-Type"])
        self.assertIn(self.feed_url, json.dumps(json.loads(body)))
        status, _, body = http_get(self.http_port, "/api/watchlists")
        self.assertEqual(status, 200)
        self.assertIn("budget-watch", json.dumps(json.loads(body)))
        self.assertEqual(self.daemon.stop(), 0)
        if not promtool:  # everything else was checked; ctest reports the file as Skipped
            self.skipTest("promtool is not installed (Debian package prometheus): /metrics was not checked by it")


if __name__ == "__main__":
    wwtest.main()  # ctest: Skipped when a test skipped (docs/testing.md)
