"""Chaos (issue 6): a feed server adds items without pause while the daemon is SIGKILLed and
restarted 20+ times, and a resumable `wirewatch sub` and the Python example are killed and
restarted at other moments. At the end both hold exactly the alerts in the database, in order,
without gaps, and those are exactly the matching items the server published.

The random moments are the point of the test (a seeded RNG picks them); every check waits for a
real event: a served request, a process exit, a line in a file."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import unittest

from wwtest import BIN_DIR, SOURCE_DIR, Daemon, FeedDoc, FeedItem, FeedServer, binary
import wwtest

KILLS = 22
SEED = int(os.environ.get("WW_CHAOS_SEED", "20261127"))


class Writer(threading.Thread):
    """Adds an item every few milliseconds, every third one matching the watchlist."""

    def __init__(self, server, path):
        super().__init__(daemon=True)
        self.server, self.path = server, path
        self.stop = threading.Event()
        self.matching = []
        self.n = 0

    def run(self):
        while not self.stop.is_set():
            self.n += 1
            if self.n % 3 == 0:
                title = f"China and Russia security talks, round {self.n}"
                self.matching.append(f"c-{self.n}")
            else:
                title = f"Weather and markets, bulletin {self.n}"
            self.server.add_items(self.path, FeedItem(f"c-{self.n}", title))
            self.stop.wait(0.02)


def seqs_in(path):
    try:
        with open(path) as f:
            return [json.loads(line)["seq"] for line in f if line.strip()]
    except FileNotFoundError:
        return []


class Chaos(unittest.TestCase):
    def test_kill_everything_and_lose_nothing(self):
        rng = random.Random(SEED)
        server = FeedServer()
        doc = FeedDoc("Chaos Wire")
        doc.add(FeedItem("c-0", "Before the storm"))
        url = server.add_feed("/chaos.rss", doc)
        daemon = Daemon([("Chaos Wire", url)], [("china-russia-security", "China Russia security")],
                        interval="1s", heartbeat="1s")
        out_cli = os.path.join(daemon.dir, "cli.jsonl")
        out_py = os.path.join(daemon.dir, "py.jsonl")
        subs = {"cli": None, "py": None}

        def start_sub(which):
            if which == "cli":
                out = open(out_cli, "ab")
                p = subprocess.Popen([binary("wirewatch"), "sub", "--json", "--endpoint", daemon.pub,
                                      "--replay-endpoint", daemon.replay, "--resume",
                                      os.path.join(daemon.dir, "cli.state")], stdout=out, stderr=subprocess.DEVNULL)
                out.close()
            else:
                p = subprocess.Popen(["/usr/bin/python3", os.path.join(SOURCE_DIR, "docs", "examples", "resumable_sub.py"),
                                      "--endpoint", daemon.pub, "--replay-endpoint", daemon.replay,
                                      "--state", os.path.join(daemon.dir, "py.state"), "--output", out_py],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subs[which] = p

        def kill_sub(which):
            p = subs[which]
            if p and p.poll() is None:
                p.send_signal(signal.SIGKILL)
                p.wait(10)

        writer = Writer(server, "/chaos.rss")
        try:
            # The catch-up fetch must be done before items start to flow: items present at a
            # feed's first fetch are, by design, not alerts.
            daemon.start()
            server.wait_for_requests("/chaos.rss", 2)
            writer.start()
            start_sub("cli")
            start_sub("py")
            for i in range(KILLS):
                served = server.request_count("/chaos.rss")
                # Up for a random while, at least until it served one more fetch.
                server.wait_for_requests("/chaos.rss", served + 1)
                time.sleep(rng.uniform(0.0, 0.6))
                daemon.stop(signal.SIGKILL)
                if rng.random() < 0.5:
                    victim = rng.choice(["cli", "py"])
                    kill_sub(victim)
                    start_sub(victim)
                daemon.start()
            # Quiet down: stop the writer, then let the daemon fetch the final document twice
            # (the second request proves the first one was recorded and published).
            writer.stop.set()
            writer.join()
            served = server.request_count("/chaos.rss")
            server.wait_for_requests("/chaos.rss", served + 2)

            db = sqlite3.connect(os.path.join(daemon.dir, "state", "wirewatch.db"))
            rows = db.execute("SELECT seq, item_key FROM alerts ORDER BY seq").fetchall()
            db.close()
            last = rows[-1][0]
            self.assertEqual([s for s, _ in rows], list(range(1, last + 1)), "seq gapless in the log")
            keys = sorted(k.split(":", 1)[-1] for _, k in rows)
            self.assertEqual(keys, sorted(writer.matching), "the log holds exactly the matching items")

            for which, path in (("cli", out_cli), ("py", out_py)):
                deadline = time.monotonic() + 60
                while (not seqs_in(path) or seqs_in(path)[-1] < last) and time.monotonic() < deadline:
                    if subs[which].poll() is not None:
                        start_sub(which)
                    time.sleep(0.1)
                self.assertEqual(seqs_in(path), list(range(1, last + 1)), f"{which}: each alert once, in order")
            print(f"chaos: {KILLS} daemon kills, {writer.n} items, {last} alerts", file=sys.stderr)
        except Exception:
            print(daemon.logs()[-6000:], file=sys.stderr)
            raise
        finally:
            writer.stop.set()
            for which in subs:
                kill_sub(which)
            daemon.stop()
            server.close()


if __name__ == "__main__":
    wwtest.main()  # ctest: Skipped when a test skipped (docs/testing.md)
