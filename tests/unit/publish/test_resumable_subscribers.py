#!/usr/bin/python3
"""The resumable subscribers (`wirewatch sub --resume` and docs/examples/resumable_sub.py)
against a real publisher: ww_fake_daemon runs the daemon's outbox path on the real store and
publish modules. Subscribers and the publisher are killed with SIGKILL at chosen moments; at
the end each output file must hold every recorded alert exactly once, in seq order.

Waits are on real conditions (the output file's content, the publisher's answers), polled
with a deadline."""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import unittest

BIN = os.environ.get("WW_BIN_DIR", "")
SRC = os.environ.get("WW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FAKE = os.path.join(BIN, "ww_fake_daemon")
WIREWATCH = os.path.join(BIN, "wirewatch")
EXAMPLE = os.path.join(SRC, "docs", "examples", "resumable_sub.py")
PYTHON = "/usr/bin/python3"


def wait_for(condition, what, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)  # a polling interval; the condition is the synchronisation
    raise AssertionError("timed out waiting for " + what)


class FakeDaemon:
    def __init__(self, state_dir, endpoint="tcp://127.0.0.1:*", replay="tcp://127.0.0.1:*",
                 extra=()):
        self.state_dir, self.extra = state_dir, list(extra)
        self.start(endpoint, replay)

    def start(self, endpoint, replay):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [FAKE, "--state-dir", self.state_dir, "--endpoint", endpoint, "--replay-endpoint",
             replay, "--heartbeat-ms", "100"] + self.extra,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        ready = self.proc.stdout.readline().split()
        if not ready or ready[0] != "READY":
            raise AssertionError("fake daemon did not start: %s" % self.errors())
        self.endpoint, self.replay, self.last_seq = ready[1], ready[2], int(ready[3])

    def command(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().split()
        assert answer and answer[0] == "OK", (line, answer, self.errors())
        self.last_seq = int(answer[1])
        return self.last_seq

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.stderr):
            f.close()

    def restart(self):
        self.kill()
        self.start(self.endpoint, self.replay)  # same endpoints, as a restarted daemon

    def errors(self):
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        for f in (self.proc.stdin, self.proc.stdout, self.stderr):
            f.close()


class Sub:
    """One of the two resumable subscribers, writing JSON envelopes to `output`."""

    def __init__(self, kind, daemon, workdir, topic="alert.", extra=()):
        self.kind, self.daemon, self.topic, self.extra = kind, daemon, topic, list(extra)
        self.state = os.path.join(workdir, kind + ".state")
        self.output = os.path.join(workdir, kind + ".jsonl")
        self.stderr = open(os.path.join(workdir, kind + ".stderr"), "ab")
        self.proc = None

    def start(self):
        if self.kind == "cli":
            out = open(self.output, "ab")
            self.proc = subprocess.Popen(
                [WIREWATCH, "sub", "--json", "--endpoint", self.daemon.endpoint,
                 "--replay-endpoint", self.daemon.replay, "--topic", self.topic,
                 "--resume", self.state] + self.extra, stdout=out, stderr=self.stderr)
            out.close()
        else:
            self.proc = subprocess.Popen(
                [PYTHON, EXAMPLE, "--endpoint", self.daemon.endpoint, "--replay-endpoint",
                 self.daemon.replay, "--topic", self.topic, "--state", self.state, "--output",
                 self.output] + self.extra, stderr=self.stderr)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM if self.kind == "cli" else signal.SIGINT)
            self.proc.wait(timeout=10)
        self.stderr.close()

    def seqs(self):
        if not os.path.exists(self.output):
            return []
        with open(self.output, "rb") as f:
            data = f.read()
        # A killed writer may leave a partial last line; the restart cuts it off.
        return [json.loads(line)["seq"] for line in data.split(b"\n")[:-1]]

    def saved_seq(self):
        try:
            with open(self.state) as f:
                return json.load(f)["seq"]
        except (FileNotFoundError, ValueError):
            return 0


class ResumableSubscribers(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="ww-resume-")
        self.daemon = FakeDaemon(os.path.join(self.tmp.name, "state"))
        self.subs = []

    def tearDown(self):
        for s in self.subs:
            s.stop()
        self.daemon.close()
        self.tmp.cleanup()

    def make(self, kind, **kw):
        s = Sub(kind, self.daemon, self.tmp.name, **kw)
        self.subs.append(s)
        return s

    def assert_exactly(self, sub, expected):
        wait_for(lambda: len(sub.seqs()) >= len(expected) and sub.saved_seq() >= expected[-1],
                 "%s to hold %d alerts (has %d)" % (sub.kind, len(expected), len(sub.seqs())))
        self.assertEqual(sub.seqs(), expected, sub.kind)

    def test_replays_what_it_missed_then_follows_live(self):
        self.daemon.command("alert 3")  # before any subscriber exists
        subs = [self.make("cli"), self.make("py")]
        for s in subs:
            s.start()
        for s in subs:
            self.assert_exactly(s, [1, 2, 3])
        self.daemon.command("alert 2")
        self.daemon.command("hold 2")  # recorded, never published: a gap
        self.daemon.command("alert 1")
        for s in subs:
            self.assert_exactly(s, list(range(1, 9)))

    def test_killed_and_restarted_subscribers_print_each_alert_once(self):
        subs = [self.make("cli"), self.make("py")]
        for s in subs:
            s.start()
        rng = random.Random(6)
        for round_ in range(12):
            self.daemon.command("alert %d" % rng.randint(1, 150))
            for s in subs:
                if rng.random() < 0.6:
                    s.kill()
                    self.daemon.command("alert %d" % rng.randint(1, 10))
                    s.start()
        last = self.daemon.command("alert 1")
        for s in subs:
            self.assert_exactly(s, list(range(1, last + 1)))

    def test_publisher_killed_and_restarted(self):
        subs = [self.make("cli"), self.make("py")]
        for s in subs:
            s.start()
        self.daemon.command("alert 2")
        for s in subs:
            self.assert_exactly(s, [1, 2])
        for _ in range(3):
            self.daemon.restart()
            self.daemon.command("alert 2")
            self.daemon.command("hold 1")
        last = self.daemon.last_seq
        for s in subs:
            self.assert_exactly(s, list(range(1, last + 1)))

    def test_a_topic_prefix_gets_only_its_alerts(self):
        subs = [self.make("cli", topic="alert.china-"), self.make("py", topic="alert.china-")]
        for s in subs:
            s.start()
        expected = []
        for watchlist in ["tariffs", "china-russia", "tariffs", "china-trade", "tariffs"]:
            last = self.daemon.command("alert 1 " + watchlist)
            if watchlist.startswith("china-"):
                expected.append(last)
        for s in subs:
            self.assert_exactly(s, expected)

    def test_pruned_alerts_are_skipped_with_a_warning(self):
        self.daemon.command("alert 3")
        self.daemon.command("prune")
        last = self.daemon.command("alert 2")
        subs = [self.make("cli"), self.make("py")]
        for s in subs:
            s.start()
        for s in subs:
            self.assert_exactly(s, [4, 5])
            self.assertEqual(last, 5)
            with open(s.stderr.name, "rb") as f:
                self.assertIn(b"pruned", f.read())


class Curve(unittest.TestCase):
    def test_an_unauthorised_client_gets_nothing_and_is_logged(self):
        with tempfile.TemporaryDirectory(prefix="ww-curve-") as tmp:
            keys = {}
            for name in ["server", "alice", "mallory"]:
                base = os.path.join(tmp, name)
                subprocess.run([WIREWATCH, "keygen", base], check=True, stdout=subprocess.DEVNULL)
                for suffix in ["key", "key_secret"]:
                    self.assertEqual(os.stat(base + "." + suffix).st_mode & 0o777, 0o600)
                keys[name] = base
            allow = os.path.join(tmp, "allowed_clients")
            with open(allow, "w") as f, open(keys["alice"] + ".key") as pub:
                f.write("# the clients allowed in\n" + pub.read())
            daemon = FakeDaemon(os.path.join(tmp, "state"), extra=[
                "--curve-secret-file", keys["server"] + ".key_secret", "--allow-file", allow])
            try:
                subs = {}
                for name, kind in [("alice", "cli"), ("mallory", "cli"), ("alice-py", "py")]:
                    client = keys[name.split("-")[0]] + ".key_secret"
                    s = Sub(kind, daemon, os.path.join(tmp), extra=[
                        "--server-key", keys["server"] + ".key", "--client-key-file", client])
                    s.state = os.path.join(tmp, name + ".state")
                    s.output = os.path.join(tmp, name + ".jsonl")
                    s.start()
                    subs[name] = s
                last = daemon.command("alert 3")
                for name in ["alice", "alice-py"]:
                    wait_for(lambda: subs[name].seqs() == list(range(1, last + 1)), name)
                wait_for(lambda: "REFUSED socket=" in daemon.errors() and
                         "address=127.0.0.1" in daemon.errors(), "the refusal in the log")
                refusals = [l for l in daemon.errors().splitlines() if l.startswith("REFUSED")]
                with open(keys["mallory"] + ".key") as f:
                    mallory_key = f.read().split('"')[1]
                self.assertTrue(all(mallory_key in l for l in refusals), refusals)
                self.assertEqual(subs["mallory"].seqs(), [])
                for s in subs.values():
                    s.stop()
            finally:
                daemon.close()


if __name__ == "__main__":
    for path in (FAKE, WIREWATCH, EXAMPLE):
        if not os.path.exists(path):
            sys.exit("missing %s (WW_BIN_DIR=%s)" % (path, BIN))
    unittest.main(verbosity=2)
