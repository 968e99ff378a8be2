"""Issue 15 end to end: the shipped config's watchlists and the README's example watchlists, in
the real daemon, alert over a real ZeroMQ subscriber on the founding article and on a rewording
of it that names the countries only through their adjectives (Russian, Chinese); a homeware
item about fine china from Russia, with security tags, alerts nothing.

Synchronised as test_foundation is: catch-up fetches served and a heartbeat received before the
new items appear; every item's alerts are known complete once a later sentinel item of the same feed has
alerted (alerts are committed and published in seq order, one transaction per fetch)."""

import html
import os
import re
import tomllib
import unittest

from wwtest import SOURCE_DIR, Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, failed

SEED = os.path.join(SOURCE_DIR, "..", "shared", "fixtures", "seed-article.txt")
README_QUERIES = [("readme-china-russia-security", "China Russia security"),
                  ("readme-tariffs-clean-energy", 'tariffs "clean energy"')]

# The founding story told the way other outlets tell it: the countries only as adjectives.
REWORDED_TITLE = "Moscow and Beijing to widen Eurasian security ties, Russian foreign minister says"
REWORDED = [
    "Russian Foreign Minister Sergei Lavrov said in Beijing on Tuesday that he and his Chinese "
    "counterpart Wang Yi had agreed to look for ways to deepen security cooperation across the "
    "Eurasian landmass.",
    "The Russian side wants a new security architecture for the continent, and Chinese officials "
    "backed talks with other like-minded governments.",
    "American officials have warned Chinese firms against helping the Russian war effort, and "
    "Washington has floated tariffs on Chinese clean energy imports.",
]
FINE_CHINA = "Bone china teacups shipped from Russia now come with security tags"
# A later item of the same feed that alerts only its own watchlist: proof that the item before it
# was processed and everything it alerted was published.
SENTINEL_QUERY = "zebra crossing"
SENTINEL_TITLE = "Zebra crossing repainted outside the school"


def shipped_watchlists():
    with open(os.path.join(SOURCE_DIR, "config", "wirewatch.toml"), "rb") as f:
        config = tomllib.load(f)
    return [(w["name"], w["query"]) for w in config.get("watchlist", [])]


def seed_item():
    """The founding article as a feed item: the headline (its first line of six words or more;
    the lines before it are page chrome) as title, the other lines as paragraphs."""
    with open(SEED, encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip()]
    title = next(line for line in lines if len(line.split()) >= 6)
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line != title)
    return FeedItem("seed-article", title, content=body)


def reworded_item():
    body = "".join(f"<p>{html.escape(p)}</p>" for p in REWORDED)
    return FeedItem("seed-reworded", REWORDED_TITLE, content=body)


class Relevance(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(SEED):
            self.skipTest(f"{SEED} is absent: the founding article is the fixture of this test")
        self.watchlists = shipped_watchlists() + README_QUERIES
        watchlists = self.watchlists + [("sentinel", SENTINEL_QUERY)]
        self.server = FeedServer()
        self.world = FeedDoc("World Desk", "rss")
        self.world.add(FeedItem("w-old", "Floods hit northern Italy", summary="Rivers burst their banks."))
        self.home = FeedDoc("Homeware Deals", "atom")
        self.home.add(FeedItem("h-old", "Linen sale starts on Friday", summary="Towels and sheets at half price."))
        feeds = [("World Desk", self.server.add_feed("/world.rss", self.world)),
                 ("Homeware Deals", self.server.add_feed("/home.atom", self.home))]
        self.daemon = Daemon(feeds, watchlists)
        self.sub = Subscriber(self.daemon.pub)

    def tearDown(self):
        self.sub.close()
        self.daemon.stop()
        self.server.close()
        if failed(self) or os.environ.get("WW_KEEP_LOGS"):
            print(self.daemon.logs())

    def test_fixtures_say_what_the_test_claims(self):
        names = [n for n, _ in shipped_watchlists()]
        self.assertIn("china-russia-security", names)
        self.assertIn("tariffs-clean-energy", names)
        with open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        for _, query in README_QUERIES:
            self.assertIn(f"`{query}`", readme, "the README's example watchlist changed")
        text = " ".join([REWORDED_TITLE, *REWORDED])
        self.assertIsNone(re.search(r"\b(Russia|China)\b", text), "the rewording must use only the adjectives")
        self.assertIsNone(re.search(r"\bChina\b", FINE_CHINA))

    def start_caught_up(self):
        self.daemon.start()
        self.server.wait_for_requests("/world.rss", 2)
        self.server.wait_for_requests("/home.atom", 2)
        self.assertEqual(self.sub.wait_ready(), 0, "catch-up must not alert")

    def alerts_for(self, path, item):
        """Publishes item in the feed at path, then a sentinel item in the same feed once the
        item was served, and returns the watchlists that alerted on the item. Everything the
        item's fetch alerted is published before the sentinel's alert (one transaction per fetch,
        seq order), so the set is complete. Each test runs its own daemon and state: the
        founding article and its rewording are one story, and the second would be a
        story.update rather than an alert (docs/stories.md)."""
        self.server.add_items(path, item)
        # Counted after the add (both under the server's lock), so the next request serves it.
        self.server.wait_for_requests(path, self.server.request_count(path) + 1)
        self.server.add_items(path, FeedItem(f"{item.guid}-sentinel", SENTINEL_TITLE))
        self.sub.wait_alerts(lambda a: any(t == "alert.sentinel" for t, _ in a), timeout=60)
        return sorted(t for t, a in self.sub.alerts if a["item"]["title"] == item.title)

    def expected_topics(self):
        return sorted("alert." + name for name, _ in self.watchlists)

    def test_founding_article_alerts_every_example_watchlist(self):
        self.start_caught_up()
        self.assertEqual(self.alerts_for("/world.rss", seed_item()), self.expected_topics())

    def test_rewording_with_only_the_adjectives_alerts_every_example_watchlist(self):
        self.start_caught_up()
        self.assertEqual(self.alerts_for("/world.rss", reworded_item()), self.expected_topics())
        alert = next(a for t, a in self.sub.alerts if t == "alert.china-russia-security")
        # The explanation says the countries were found through their adjectives.
        self.assertEqual(alert["match"]["terms"], ['China (as "Chinese")', 'Russia (as "Russian")', "security"])

    def test_fine_china_in_a_homeware_feed_alerts_nothing(self):
        self.start_caught_up()
        item = FeedItem("h-china", FINE_CHINA, summary="Porcelain for the holidays.")
        self.assertEqual(self.alerts_for("/home.atom", item), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
