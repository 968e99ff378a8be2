"""`wirewatchd --once` against a loopback feed publishes exactly the expected alerts to a pyzmq
subscriber and exits 0; the final heartbeat carries the last seq."""

import sys
import unittest

from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber


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


if __name__ == "__main__":
    unittest.main(verbosity=2)
