"""Per-watchlist delivery policy on loopback, with the real daemon, feed server and ZeroMQ:
a cooldown collapses a burst into one alert plus one summary, also across a restart; priority
high bypasses it; a digest fires exactly once at its time across restarts (and once at start when
it fell due while the daemon was down); quiet hours in a daemon-side webhook sink delay delivery
and then deliver; a digest reaches a `wirewatch bridge` sink, after the bridge's quiet hours.

Time is the daemon's policy clock (WW_CLOCK_FILE), which the test moves forward; every wait is
for an observable event (a message, a served request, a log line, a process exit) with a deadline."""

import calendar
import json
import os
import sqlite3
import sys
import threading
import time
import unittest

import signal
import subprocess

from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, WebhookReceiver, binary, failed, toml_str
import wwtest

PLUGIN_DIR = os.path.abspath(os.environ.get(
    "WW_PLUGIN_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build", "plugins")))


def utc(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


class PolicyClock:
    """The file WW_CLOCK_FILE names: Unix seconds, replaced atomically so that the daemon never
    reads half a number."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "clock")

    def set(self, seconds):
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(int(seconds)))
        os.replace(tmp, self.path)


def wait_until(predicate, what, timeout=30):
    """Waits for an observable condition (a log line, a database row) with a deadline."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        threading.Event().wait(0.05)


def wait_heartbeat(sub, seq, timeout=30):
    """Returns once a heartbeat announces `seq` or more: every alert up to it has been published."""
    deadline = time.monotonic() + timeout
    while sub.last_hb is None or sub.last_hb < seq:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no heartbeat with seq >= {seq} (last {sub.last_hb})")
        sub._recv(left)


def replay(endpoint, prefix):
    """Every alert under `prefix` from the replay socket (docs/protocol.md)."""
    import zmq
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(endpoint)
    out, after = [], 0
    try:
        while True:
            sock.send_multipart([b"REPLAY", str(after).encode(), prefix.encode()])
            while True:
                if not sock.poll(10000):
                    raise AssertionError("replay did not answer")
                frames = sock.recv_multipart()
                if frames[0] == b"ALERT":
                    out.append((frames[1].decode(), json.loads(frames[2])))
                elif frames[0] == b"END":
                    after = int(frames[1])
                    break
                else:
                    raise AssertionError(f"replay error {frames}")
            if frames[2] == b"done":
                return out
    finally:
        sock.close()


class PolicyTest(unittest.TestCase):
    def setUp(self):
        self.dir = wwtest.tempdir("ww-policy-")
        self.clock = PolicyClock(self.dir)
        os.environ["WW_CLOCK_FILE"] = self.clock.path
        self.server = FeedServer()
        self.doc = FeedDoc("Wire")
        self.doc.add(FeedItem("old-0", "Yesterday's tariffs and China news"))
        self.url = self.server.add_feed("/wire.rss", self.doc)
        self.daemon = None
        self.sub = None

    def tearDown(self):
        if self.daemon:
            if failed(self):
                print(self.daemon.logs()[-12000:], file=sys.stderr)
            self.daemon.stop()
        if self.sub:
            self.sub.close()
        self.server.close()
        os.environ.pop("WW_CLOCK_FILE", None)

    def start(self, watchlists, sinks=""):
        os.makedirs(os.path.join(self.dir, "d"), exist_ok=True)
        self.daemon = Daemon([("Wire", self.url)], [], workdir=os.path.join(self.dir, "d"), extra=watchlists)
        if sinks:
            with open(self.daemon.config) as f:
                text = f.read()
            text = text.replace("[daemon]\n", f'[daemon]\nplugin_dir = "{PLUGIN_DIR}"\n', 1) + sinks
            with open(self.daemon.config, "w") as f:
                f.write(text)
        self.sub = Subscriber(self.daemon.pub)
        self.daemon.start()
        # The first fetch is the catch-up (seen, never alerted); the second proves it committed.
        self.server.wait_for_requests("/wire.rss", 2)
        self.sub.wait_ready()

    def restart(self):
        self.assertEqual(self.daemon.stop(), 0)
        self.daemon.start()
        self.resubscribe()

    def resubscribe(self):
        """A fresh SUB socket, so that the heartbeat it waits for comes from the new process (the
        old socket may still hold the last heartbeat of the one that stopped); then, as a resumable
        subscriber does, the replay fills in what the old socket had not received yet."""
        seen = self.sub.alerts
        self.sub.close()
        self.sub = Subscriber(self.daemon.pub)
        self.sub.wait_ready()
        have = {a["seq"] for _, a in seen}
        self.sub.alerts = sorted(seen + [x for x in replay(self.daemon.replay, "") if x[1]["seq"] not in have]
                                 + self.sub.alerts, key=lambda x: x[1]["seq"])
        # A live alert that the replay also returned is kept once.
        unique = {}
        for t, a in self.sub.alerts:
            unique.setdefault(a["seq"], (t, a))
        self.sub.alerts = [unique[k] for k in sorted(unique)]

    def add_and_commit(self, *items):
        """Adds items and returns once the poll that carried them has been recorded: polls of a
        feed never overlap, so the poll that starts two after the current one began after it."""
        n = self.server.request_count("/wire.rss")
        self.server.add_items("/wire.rss", *items)
        self.server.wait_for_requests("/wire.rss", n + 3)

    def topic(self, name):
        return [a for t, a in self.sub.alerts if t == name]

    def db(self, sql):
        db = sqlite3.connect(os.path.join(self.daemon.dir, "state", "wirewatch.db"))
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def test_cooldown_collapses_a_burst_and_priority_high_bypasses_it(self):
        t0 = utc("2026-11-27T10:00:00Z")
        self.clock.set(t0)
        self.start('[[watchlist]]\nname = "tariffs"\nquery = "tariffs"\ncooldown = "10m"\n'
                   '[[watchlist]]\nname = "tariffs-urgent"\nquery = "tariffs"\ncooldown = "10m"\npriority = "high"\n')
        titles = [f"Tariffs story number {i}" for i in range(10)]
        self.server.add_items("/wire.rss", *[FeedItem(f"b-{i}", t) for i, t in enumerate(titles)])
        self.sub.wait_alerts(lambda a: len(self.topic("alert.tariffs-urgent")) == 10)
        wait_heartbeat(self.sub, 11)
        self.assertEqual(len(self.topic("alert.tariffs")), 1, "one alert per cooldown period")
        first = self.topic("alert.tariffs")[0]
        self.assertEqual(sorted(a["item"]["title"] for a in self.topic("alert.tariffs-urgent")), sorted(titles))

        # The period ends: one summary with the nine others, on the watchlist's own topic.
        self.clock.set(t0 + 601)
        self.sub.wait_alerts(lambda a: len(self.topic("alert.tariffs")) == 2)
        summary = self.topic("alert.tariffs")[1]
        self.assertEqual(summary["item"]["title"], "9 more matches for tariffs")
        self.assertEqual(summary["summary"]["kind"], "cooldown")
        self.assertEqual(summary["summary"]["count"], 9)
        self.assertEqual(sorted(e["title"] for e in summary["summary"]["entries"] + [first["item"]]), sorted(titles))
        self.assertEqual(summary["seq"], 12)
        wait_heartbeat(self.sub, 12)
        self.assertEqual(sorted(a["seq"] for _, a in self.sub.alerts), list(range(1, 13)), "gapless, each once")

        # Mid-cooldown restart: the summary opened the next period; its matches wait in the
        # database across the restart and are summarised once.
        self.add_and_commit(FeedItem("c-1", "Tariffs on wine"), FeedItem("c-2", "Tariffs on cheese"))
        self.restart()
        self.clock.set(t0 + 601 + 601)
        self.sub.wait_alerts(lambda a: len(self.topic("alert.tariffs")) == 3)
        second = self.topic("alert.tariffs")[2]
        self.assertEqual(second["item"]["title"], "2 more matches for tariffs")
        self.assertEqual(sorted(e["title"] for e in second["summary"]["entries"]),
                         ["Tariffs on cheese", "Tariffs on wine"])
        self.assertEqual(len([a for a in self.topic("alert.tariffs-urgent") if "wine" in a["item"]["title"]]), 1)
        self.assertEqual(self.daemon.stop(), 0)
        self.assertEqual(self.db("SELECT count(*) FROM held_matches"), [(0,)])
        self.assertEqual(self.db("SELECT count(*) FROM alerts WHERE topic = 'alert.tariffs'"), [(3,)])

    def test_digest_fires_once_at_its_time_across_restarts(self):
        t0 = utc("2026-11-27T10:00:00Z")  # 11:00 in Berlin: the digest is due tomorrow 08:00 CET
        due = utc("2026-11-28T07:00:00Z")
        self.clock.set(t0)
        self.start('[[watchlist]]\nname = "china"\nquery = "china"\ndigest = "daily 08:00 Europe/Berlin"\n')
        self.add_and_commit(FeedItem("d-1", "China trade talks"), FeedItem("d-2", "China and Russia sign pact"),
                            FeedItem("d-3", "Weather in Paris"), FeedItem("d-4", "China floods"))
        self.assertEqual(self.db("SELECT count(*) FROM alerts"), [(0,)], "a digest watchlist sends nothing at once")
        self.assertEqual(self.db("SELECT count(*) FROM held_matches"), [(3,)])
        self.assertEqual(self.sub.alerts, [])

        # Restart a minute before the digest's time: nothing goes out. The start runs the
        # policy step on the store thread before any poll is recorded there, so once a poll
        # carrying a new item is recorded, the step has decided at due - 60 (and others since).
        self.assertEqual(self.daemon.stop(), 0)
        self.clock.set(due - 60)
        self.daemon.start()
        self.resubscribe()
        self.add_and_commit(FeedItem("d-0", "Weather in Berlin"))
        self.assertEqual(self.topic("digest.china"), [], "a minute before its time, no digest on PUB")
        self.assertEqual(self.db("SELECT count(*) FROM alerts"), [(0,)], "nor in the alert log")
        self.assertEqual(self.db("SELECT count(*) FROM held_matches"), [(3,)], "its matches still held")
        self.clock.set(due)
        self.sub.wait_alerts(lambda a: len(self.topic("digest.china")) == 1)
        digest = self.topic("digest.china")[0]
        self.assertEqual(digest["detected_at"], "2026-11-28T07:00:00Z", "at its time, not before")
        self.assertEqual(digest["item"]["title"], "Digest for china: 3 stories, 3 matches")
        self.assertEqual(digest["summary"]["kind"], "digest")
        self.assertEqual(sorted(e["title"] for e in digest["summary"]["entries"]),
                         ["China and Russia sign pact", "China floods", "China trade talks"])
        self.assertTrue(all(e["sources"] == 1 for e in digest["summary"]["entries"]))
        self.assertEqual(digest["seq"], 1)

        # Another restart after the digest: it is not sent again.
        self.restart()
        self.clock.set(due + 30)
        wait_heartbeat(self.sub, 1)

        # A digest that falls due while the daemon is down is emitted once, at start.
        self.add_and_commit(FeedItem("d-5", "China exports rise"))
        self.assertEqual(self.daemon.stop(), 0)
        self.clock.set(utc("2026-11-29T09:00:00Z"))
        self.daemon.start()
        self.resubscribe()
        wait_until(lambda: self.db("SELECT count(*) FROM alerts WHERE topic = 'digest.china'") == [(2,)],
                   "the overdue digest")
        # Replay (the outbox) holds each digest once, also after one more restart.
        self.restart()
        digests = replay(self.daemon.replay, "digest.")
        self.assertEqual([(t, a["seq"]) for t, a in digests], [("digest.china", 1), ("digest.china", 2)])
        self.assertEqual(self.daemon.stop(), 0)
        rows = self.db("SELECT seq, envelope FROM alerts WHERE topic = 'digest.china' ORDER BY seq")
        self.assertEqual([s for s, _ in rows], [1, 2], "each digest exactly once")
        self.assertEqual(json.loads(rows[1][1])["item"]["title"], "Digest for china: 1 story, 1 match")
        self.assertEqual(self.db("SELECT count(*) FROM held_matches"), [(0,)])

    def test_quiet_hours_in_a_sink_delay_then_deliver(self):
        receiver = WebhookReceiver()
        try:
            self.clock.set(utc("2026-11-27T22:30:00Z"))  # 23:30 in Berlin
            self.start('[[watchlist]]\nname = "tariffs"\nquery = "tariffs"\n',
                       sinks=f'[[sink]]\nname = "night"\nplugin = "webhook"\nurl = "{receiver.url}"\n'
                             f'quiet_hours = "22:00-07:00 Europe/Berlin"\n')
            self.server.add_items("/wire.rss", FeedItem("q-1", "Tariffs at midnight"))
            self.sub.wait_alerts(lambda a: len(a) == 1)
            wait_until(lambda: "sink=night seq=1 outcome=quiet until=2026-11-28T06:00:00Z" in self.daemon.logs(),
                       "the sink holding seq 1 for quiet hours")
            self.assertEqual(receiver.envelopes, [], "nothing is delivered during quiet hours")

            # A restart during quiet hours loses nothing: the cursor is still before the alert.
            self.restart()
            self.clock.set(utc("2026-11-28T06:00:01Z"))
            receiver.wait(lambda b: len(b) == 1)
            self.assertEqual(receiver.envelopes[0]["item"]["title"], "Tariffs at midnight")
            self.assertEqual(self.daemon.stop(), 0)
            self.assertEqual(self.db("SELECT last_seq FROM sink_cursors WHERE sink = 'night'"), [(1,)])
        finally:
            receiver.close()


    def test_a_digest_reaches_a_bridge_sink_after_its_quiet_hours(self):
        """`wirewatch bridge` (a separate process, over ZeroMQ) gets digest.<w> topics, routes them
        by watchlist, and honours quiet_hours from its own config."""
        receiver = WebhookReceiver()
        bridge = log = None
        try:
            self.clock.set(utc("2026-11-27T22:30:00Z"))  # 23:30 in Berlin
            self.start('[[watchlist]]\nname = "china"\nquery = "china"\ndigest = "hourly"\n')
            self.add_and_commit(FeedItem("n-1", "China night session"))
            bridge_dir = os.path.join(self.dir, "bridge")
            os.makedirs(bridge_dir)
            config = os.path.join(bridge_dir, "bridge.toml")
            with open(config, "w") as f:
                f.write("\n".join([
                    "[bridge]", f"endpoint = {toml_str(self.daemon.pub)}",
                    f"replay_endpoint = {toml_str(self.daemon.replay)}",
                    f"state_dir = {toml_str(os.path.join(bridge_dir, 'state'))}",
                    f"plugin_dir = {toml_str(PLUGIN_DIR)}", 'log_level = "debug"',
                    "[[sink]]", 'name = "hook"', 'plugin = "webhook"', f"url = {toml_str(receiver.url)}",
                    'watchlists = ["china*"]', 'quiet_hours = "22:00-07:00 Europe/Berlin"']) + "\n")
            log_path = os.path.join(bridge_dir, "bridge.log")
            log = open(log_path, "ab")
            bridge = subprocess.Popen([binary("wirewatch"), "bridge", "--config", config],
                                      stdout=log, stderr=subprocess.STDOUT)

            def bridge_log():
                with open(log_path, "rb") as f:
                    return f.read().decode(errors="replace")

            self.clock.set(utc("2026-11-27T23:00:00Z"))  # the hourly digest; midnight in Berlin
            self.sub.wait_alerts(lambda a: len(self.topic("digest.china")) == 1)
            wait_until(lambda: "sink=hook seq=1 outcome=quiet until=2026-11-28T06:00:00Z" in bridge_log(),
                       "the bridge's sink holding the digest for quiet hours")
            self.assertEqual(receiver.envelopes, [])
            self.clock.set(utc("2026-11-28T06:00:00Z"))
            receiver.wait(lambda b: len(b) == 1)
            self.assertEqual(receiver.envelopes[0]["item"]["title"], "Digest for china: 1 story, 1 match")
            self.assertEqual(receiver.envelopes[0]["summary"]["entries"][0]["title"], "China night session")
        except Exception:
            if bridge:
                print(bridge_log()[-6000:], file=sys.stderr)
            raise
        finally:
            if bridge and bridge.poll() is None:
                os.kill(bridge.pid, signal.SIGTERM)
                bridge.wait(20)
            if log:
                log.close()
            receiver.close()



if __name__ == "__main__":
    wwtest.main()  # ctest: Skipped when a test skipped (docs/testing.md)
