"""The fetch policy of docs/fetching.md through the whole daemon, against a loopback server that
records every request and its time (issue 22 item 3). The pure decisions have their tables in
tests/unit/schedule and tests/unit/fetch; these prove that the daemon acts on them:

- a 301 or 308's new URL is adopted, persisted (in the store, and after a restart) and polled
  from then on: the old URL is never requested again;
- a 429 with Retry-After from one feed holds back a second feed on the same host: its next
  request arrives no earlier than the hold the daemon reports;
- a feed that answered 410 is never polled again, by a running daemon or after a restart."""

import calendar
import os
import sqlite3
import sys
import time
import unittest

from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, failed
import wwtest

WATCHLISTS = [("quiet", "quiet")]


def epoch(rfc3339):
    """Seconds since the epoch of the daemon's UTC timestamps (2026-12-06T21:04:05Z)."""
    return calendar.timegm(time.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ"))


def doc(title, guid):
    d = FeedDoc(title)
    d.add(FeedItem(guid, f"{title} opens"))
    return d


class FetchPolicy(unittest.TestCase):
    def setUp(self):
        self.server = FeedServer()
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
            if failed(self):
                print(self.daemon.logs()[-8000:], file=sys.stderr)
        self.server.close()

    def stored_urls(self):
        db = sqlite3.connect(os.path.join(self.daemon.dir, "state", "wirewatch.db"))
        try:
            return dict(db.execute("SELECT config_url, url FROM feeds").fetchall())
        finally:
            db.close()

    def test_permanent_redirect_is_adopted_persisted_and_polled_from_then_on(self):
        feeds = []
        for code in (301, 308):
            old, new = f"/old-{code}.rss", f"/new-{code}.rss"
            self.server.add_feed(new, doc(f"Moved {code}", f"m-{code}"))
            self.server.raw[old] = (code, {"Location": self.server.url(new)}, b"moved")
            feeds.append((f"Moved {code}", self.server.url(old)))
        self.daemon = Daemon(feeds, WATCHLISTS, interval="1s")
        self.daemon.start()
        for code in (301, 308):
            # Two more polls of the feed after the one that moved it: both at the new URL.
            self.server.wait_for_requests(f"/new-{code}.rss", 3)
            self.assertEqual(self.server.request_count(f"/old-{code}.rss"), 1)
            self.daemon.wait_for_log(rf'fetch: moved permanently feed="Moved {code}" '
                                     rf'from=\S+/old-{code}\.rss to=\S+/new-{code}\.rss')
        self.assertEqual(self.daemon.stop(), 0)
        stored = self.stored_urls()
        for code in (301, 308):
            self.assertEqual(stored[self.server.url(f"/old-{code}.rss")], self.server.url(f"/new-{code}.rss"))

        # After a restart the configured (old) URL still names the feed; the stored one is polled.
        before = {code: self.server.request_count(f"/new-{code}.rss") for code in (301, 308)}
        self.daemon.start()
        for code in (301, 308):
            self.server.wait_for_requests(f"/new-{code}.rss", before[code] + 2)
            self.assertEqual(self.server.request_count(f"/old-{code}.rss"), 1, f"{code}: old URL requested again")

    def test_retry_after_holds_back_a_second_feed_on_the_same_host(self):
        self.server.raw["/busy.rss"] = (429, {"Retry-After": "4", "Content-Type": "text/plain"}, b"slow down")
        neighbour = self.server.add_feed("/neighbour.rss", doc("Neighbour", "n-1"))
        self.daemon = Daemon([("Busy", self.server.url("/busy.rss")), ("Neighbour", neighbour)],
                             WATCHLISTS, interval="1s")
        self.daemon.start()
        self.daemon.wait_for_log(r'fetch: error feed="Busy" .*kind=rate_limited')
        refused_at = self.server.request_times("/busy.rss")[0]
        # The neighbour, due every second, comes up while the host is held: the daemon says so.
        held = self.daemon.wait_for_log(r'schedule: host held feed="Neighbour" host=127\.0\.0\.1 until=(\S+)')
        until = epoch(held.group(1))
        # The hold is the Retry-After (4 s from the daemon's whole second of the 429), not the
        # feed's own 1 s interval nor the 1 min error backoff.
        self.assertGreaterEqual(until, int(refused_at) + 4)
        self.assertLessEqual(until, refused_at + 6)
        n = len(self.server.request_times("/neighbour.rss"))
        self.server.wait_for_requests("/neighbour.rss", n + 1, timeout=30)
        first_after_hold = self.server.request_times("/neighbour.rss")[n]
        # Not a moment before the reported hold (50 ms: the server's clock reading vs the daemon's
        # timer, both on this machine's clock).
        self.assertGreaterEqual(first_after_hold, until - 0.05,
                                f"the neighbour was requested {until - first_after_hold:.2f} s before the hold ended")
        # Between the 429 and the end of the hold nothing of the host was requested but the
        # neighbour polls that were already on their way when the 429 came in.
        early = [t for t in self.server.request_times("/neighbour.rss") if refused_at + 1.5 < t < until - 0.05]
        self.assertEqual(early, [])

    def test_a_gone_feed_is_never_polled_again(self):
        self.server.raw["/gone.rss"] = (410, {"Content-Type": "text/plain"}, b"gone")
        calm = self.server.add_feed("/calm.rss", doc("Calm", "c-1"))
        self.daemon = Daemon([("Gone", self.server.url("/gone.rss")), ("Calm", calm)], WATCHLISTS, interval="1s")
        self.daemon.start()
        # The daemon's own schedule for it: no next check at all.
        self.daemon.wait_for_log(r'fetch: error feed="Gone" .*kind=gone .*next=never reason=gone')
        # Any next check (the 1 s interval, or the error backoff from 1 min) would have come by
        # then: the daemon is stopped after its calm feed's third poll, and restarted.
        calm_polls = self.server.request_count("/calm.rss")
        self.server.wait_for_requests("/calm.rss", calm_polls + 3)
        self.assertEqual(self.daemon.stop(), 0)
        self.daemon.start()
        # A restart polls at once every feed whose next check is not set: the gone one, too,
        # unless its stored status holds it back.
        self.server.wait_for_requests("/calm.rss", calm_polls + 5)
        self.assertEqual(self.daemon.stop(), 0)
        self.assertEqual(self.server.request_count("/gone.rss"), 1)
        # And --once over the same state ends (issue 22 item 1) without asking for it either.
        self.assertEqual(self.daemon.start("--once").wait(60), 0)
        self.assertEqual(self.server.request_count("/gone.rss"), 1)


if __name__ == "__main__":
    wwtest.main()
