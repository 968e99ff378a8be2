"""End to end on real components: a loopback feed server, wirewatchd, and a pyzmq subscriber.

Checks the foundation's promises: items present at the first fetch alert nothing; a new matching
item alerts its watchlist once; an unrelated item alerts nothing; a restart alerts nothing again;
seq is gapless from 1."""

import os
import unittest

from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, failed
import wwtest

WATCHLISTS = [("china-russia-security", "China Russia security"),
              ("tariffs-clean-energy", "tariffs clean energy")]


def titles(alerts):
    return sorted((topic, a["item"]["title"]) for topic, a in alerts)


class Foundation(unittest.TestCase):
    def setUp(self):
        self.server = FeedServer()
        self.world = FeedDoc("World Desk", "rss")
        self.world.add(FeedItem("w-old-1", "Russia and China hold security talks in Beijing",
                                summary="An older story about China, Russia and regional security."))
        self.world.add(FeedItem("w-old-2", "Floods hit northern Italy", summary="Rivers burst their banks."))
        self.asia = FeedDoc("Asia Wire", "atom")
        self.asia.add(FeedItem("a-old-1", "Parliament debates new budget", summary="Lawmakers argue over spending."))
        feeds = [("World Desk", self.server.add_feed("/world.rss", self.world)),
                 ("Asia Wire", self.server.add_feed("/asia.atom", self.asia))]
        self.daemon = Daemon(feeds, WATCHLISTS)
        self.sub = Subscriber(self.daemon.pub)

    def tearDown(self):
        self.sub.close()
        self.daemon.stop()
        self.server.close()
        if failed(self) or os.environ.get("WW_KEEP_LOGS"):
            print(self.daemon.logs())

    def test_alerts_new_matching_items_once(self):
        self.daemon.start()
        # First fetch of both feeds done and a heartbeat received: subscribed and caught up.
        self.server.wait_for_requests("/world.rss", 2)
        self.server.wait_for_requests("/asia.atom", 2)
        self.assertEqual(self.sub.wait_ready(), 0, "catch-up must not alert")

        self.server.add_items("/world.rss",
                              FeedItem("w-new-1", "Russia and China agree to deepen security co-operation",
                                       summary="Foreign ministers met in Beijing on Tuesday."),
                              FeedItem("w-new-2", "Local team wins the cup final", summary="Fans celebrated late."))
        self.server.add_items("/asia.atom",
                              FeedItem("a-new-1", "Brussels weighs tariffs on clean energy imports",
                                       summary="Solar panels and wind turbines are in the frame.",
                                       content="<p>The <b>tariffs</b> would hit Chinese makers.</p>"))
        self.sub.wait_alerts(lambda a: len(a) >= 2)
        # A later matching item is the proof that nothing else was recorded before it: alerts are
        # published in seq order, one transaction per fetch.
        self.server.add_items("/world.rss",
                              FeedItem("w-new-3", "China warns Russia over Arctic security pact",
                                       categories=["World"]))
        self.sub.wait_alerts(lambda a: any(x["item"]["title"].startswith("China warns") for _, x in a))
        self.assertEqual(titles(self.sub.alerts), [
            ("alert.china-russia-security", "China warns Russia over Arctic security pact"),
            ("alert.china-russia-security", "Russia and China agree to deepen security co-operation"),
            ("alert.tariffs-clean-energy", "Brussels weighs tariffs on clean energy imports"),
        ])
        self.assertEqual([a["seq"] for _, a in self.sub.alerts], [1, 2, 3])
        first = next(a for t, a in self.sub.alerts if t == "alert.tariffs-clean-energy")
        self.assertEqual(first["v"], 1)
        self.assertEqual(first["watchlist"], {"name": "tariffs-clean-energy", "query": "tariffs clean energy"})
        self.assertEqual(first["feed"]["title"], "Asia Wire")
        self.assertTrue(first["item"]["link"].endswith("/a-new-1"))
        self.assertNotIn("<", first["item"]["summary"])
        self.assertIn("tariffs", [t.lower() for t in first["match"]["terms"]])
        self.assertEqual(len(first["alert_id"]), 32)

        # A restart alerts nothing again: the next alert after it is seq 4, and it is the new item.
        # A fresh subscriber: the old socket may still hold heartbeats of the stopped daemon,
        # which would prove nothing about the new one. Anything the restart wrongly alerted
        # before this subscriber joined would still take seq 4 and push the new item to 5.
        self.assertEqual(self.daemon.stop(), 0)
        self.sub.close()
        self.sub = Subscriber(self.daemon.pub)
        self.daemon.start()
        self.assertEqual(self.sub.wait_ready(), 3)
        self.server.add_items("/asia.atom", FeedItem("a-new-2", "Security pact: China and Russia sign in Moscow"))
        self.sub.wait_alerts(lambda a: len(a) > 0)
        self.assertEqual(titles(self.sub.alerts),
                         [("alert.china-russia-security", "Security pact: China and Russia sign in Moscow")])
        self.assertEqual(self.sub.alerts[0][1]["seq"], 4)
        logs = self.daemon.logs()
        self.assertIn('fetch: ok feed="World Desk"', logs)
        self.assertIn("first_fetch=true", logs)


if __name__ == "__main__":
    wwtest.main()  # ctest: Skipped when a test skipped (docs/testing.md)
