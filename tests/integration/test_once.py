"""`wirewatchd --once` against a loopback feed publishes exactly the expected alerts to a pyzmq
subscriber and exits 0; the final heartbeat carries the last seq. Its exit status says whether any
feed could be fetched (0: at least one, 1: none; the last log line says which), and a feed that
answered 410 Gone neither hangs a later run (issue 22 item 1) nor is requested again."""

import re
import sys
import unittest

from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, main

GONE = (410, {"Content-Type": "text/plain"}, b"gone for good")


def last_line(daemon):
    """The message of the daemon's last log line, without its time and level."""
    return re.sub(r"^\S+\s+\S+\s+", "", daemon.logs().strip().splitlines()[-1])


class Once(unittest.TestCase):
    def test_once_publishes_exactly_the_new_matches(self):
        server = FeedServer()
        doc = FeedDoc("Wire", "rss")
        doc.add(FeedItem("old-1", "China and Russia discuss security", summary="Present at the first fetch."))
        url = server.add_feed("/wire.rss", doc)
        daemon = Daemon([("Wire", url)], [("china-russia-security", "China Russia security"),
                                          ("tariffs-clean-energy", "tariffs clean energy")])
        try:
            # Catch-up run: marks everything seen, alerts nothing.
            self.assertEqual(daemon.start("--once").wait(), 0)
            self.assertIn("first_fetch=true", daemon.logs())

            server.add_items("/wire.rss",
                             FeedItem("new-1", "Russia, China to talk about deeper security co-operation"),
                             FeedItem("new-2", "US weighs tariffs on clean energy imports from China"),
                             FeedItem("new-3", "Markets rally on rate hopes"))
            # Hold the feed until the subscriber is proven connected (it saw a heartbeat), so that
            # no alert can be published before the subscription is active.
            server.gate.clear()
            sub = Subscriber(daemon.pub)
            daemon.start("--once")
            sub.wait_ready()
            server.gate.set()
            self.assertEqual(daemon.wait(), 0)
            # The daemon sends a last heartbeat after everything else: once it arrives, every
            # alert of the run has arrived.
            while sub.last_hb != 2:
                if sub._recv(10) is None:
                    self.fail(f"no final heartbeat with seq 2; last={sub.last_hb} alerts={sub.alerts}")
            got = sorted((t, a["item"]["title"], a["seq"]) for t, a in sub.alerts)
            self.assertEqual([(t, title) for t, title, _ in got], [
                ("alert.china-russia-security", "Russia, China to talk about deeper security co-operation"),
                ("alert.tariffs-clean-energy", "US weighs tariffs on clean energy imports from China"),
            ])
            self.assertEqual(sorted(s for _, _, s in got), [1, 2])
            sub.close()
        except Exception:
            print(daemon.logs(), file=sys.stderr)
            raise
        finally:
            daemon.stop()
            server.close()


class OnceExitStatus(unittest.TestCase):
    def setUp(self):
        self.server = FeedServer()
        doc = FeedDoc("Calm")
        doc.add(FeedItem("c-1", "Quiet day"))
        self.calm = self.server.add_feed("/calm.rss", doc)
        self.server.raw["/gone.rss"] = GONE
        self.server.raw["/missing.rss"] = (404, {"Content-Type": "text/plain"}, b"no such feed")
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            if self.daemon.proc and self.daemon.proc.poll() is None:
                print(self.daemon.logs(), file=sys.stderr)
            self.daemon.stop()
        self.server.close()

    def run_once(self, feeds):
        self.daemon = self.daemon or Daemon(feeds, [("quiet", "quiet")])
        # A hang is the bug of issue 22: the wait's deadline turns it into a failure.
        return self.daemon.start("--once").wait(60)

    def test_a_gone_feed_neither_hangs_a_later_run_nor_is_requested_again(self):
        feeds = [("Gone", self.server.url("/gone.rss")), ("Calm", self.calm)]
        self.assertEqual(self.run_once(feeds), 0)
        self.assertIn('kind=gone', self.daemon.logs())
        first_run_said = last_line(self.daemon)
        for run in (2, 3):
            self.assertEqual(self.run_once(feeds), 0, f"run {run}")  # the hang of issue 22 was here
            self.assertEqual(self.server.request_count("/calm.rss"), run)
            self.assertEqual(self.server.request_count("/gone.rss"), 1, "a gone feed is never requested again")
            self.assertRegex(self.daemon.logs(), r'fetch: skipped feed="Gone" url=\S+ status=gone')
            self.assertEqual(last_line(self.daemon), "once: 1 of 2 feeds fetched")
        self.assertEqual(first_run_said, "once: 1 of 2 feeds fetched")

    def test_exit_1_when_no_feed_could_be_fetched(self):
        feeds = [("Missing", self.server.url("/missing.rss")), ("Gone", self.server.url("/gone.rss"))]
        self.assertEqual(self.run_once(feeds), 1)
        logs = self.daemon.logs()
        self.assertRegex(logs, r'fetch: error feed="Missing" .*kind=not_found')
        self.assertRegex(logs, r'fetch: error feed="Gone" .*kind=gone')
        self.assertEqual(last_line(self.daemon), "once: no feed could be fetched feeds=2")
        # The second run asks for the missing feed again and skips the gone one: still 1.
        self.assertEqual(self.run_once(feeds), 1)
        self.assertEqual(self.server.request_count("/missing.rss"), 2)
        self.assertEqual(self.server.request_count("/gone.rss"), 1)

    def test_a_run_with_only_gone_feeds_ends_at_once_with_1(self):
        feeds = [("Gone", self.server.url("/gone.rss"))]
        self.assertEqual(self.run_once(feeds), 1)
        self.assertEqual(self.run_once(feeds), 1)  # nothing to poll: no transfer to wait for
        self.assertEqual(self.server.request_count("/gone.rss"), 1)
        self.assertEqual(last_line(self.daemon), "once: no feed could be fetched feeds=1")

    def test_not_modified_counts_as_fetched(self):
        feeds = [("Calm", self.calm), ("Missing", self.server.url("/missing.rss"))]
        self.assertEqual(self.run_once(feeds), 0)
        self.assertEqual(self.run_once(feeds), 0)
        self.assertIn('fetch: not-modified feed="Calm"', self.daemon.logs())
        self.assertEqual(last_line(self.daemon), "once: 1 of 2 feeds fetched")


if __name__ == "__main__":
    main()
