"""Feeds of alerts (docs/web.md): a real daemon polls loopback feeds, alerts over ZeroMQ, and
serves the same alerts as Atom and JSON Feed at /feeds/*. Each document is checked by Python's
feedparser (Atom; Debian's feedparser 6.0 does not read JSON Feed) and by wirewatch's own parser
(`wirewatch parse URL --json`), and against the alerts the subscriber received."""

import json
import os
import shutil
import subprocess
import sys
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "helpers"))
import wwtest  # noqa: E402
from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, binary, failed  # noqa: E402

FEED_ITEMS = 3


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def own_parse(url):
    """wirewatch's own parser over HTTP, as a user would check a feed."""
    out = subprocess.run([binary("wirewatch"), "parse", url, "--json", "--allow-private"],
                         capture_output=True, timeout=30)
    if out.returncode != 0:
        raise AssertionError(f"wirewatch parse {url} failed: {out.stderr.decode()}")
    return json.loads(out.stdout)


class FeedsOfAlerts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        try:
            import feedparser
            cls.feedparser = feedparser
        except ImportError:
            cls.feedparser = None
        cls.server = FeedServer()
        cls.doc = FeedDoc("Wire <One>")
        cls.doc.add(FeedItem("old", "alpha before the start"))  # caught up, never alerted
        url = cls.server.add_feed("/one.rss", cls.doc)
        cls.daemon = Daemon([("one", url)], [("wl-a", "alpha"), ("wl-b", "beta")])
        with open(cls.daemon.config) as f:
            text = f.read()
        with open(cls.daemon.config, "w") as f:  # the [http] table is the helper's: add the key to it
            f.write(text.replace("[http]\n", f"[http]\nfeed_items = {FEED_ITEMS}\n", 1))
        cls.sub = Subscriber(cls.daemon.pub, b"alert.")
        cls.daemon.start()
        try:
            cls.produce_alerts()
        except BaseException:
            print(cls.daemon.logs()[-4000:])
            cls.tearDownClass()
            raise

    @classmethod
    def produce_alerts(cls):
        cls.sub.wait_ready()
        # The first body is rendered under the server's lock with the request counted: what is
        # added after this wait goes into a later fetch, not into the catch-up.
        cls.server.wait_for_requests("/one.rss", 1)
        # Tricky text on purpose: markup in a title must come out as text, a javascript: link
        # must not become a link.
        cls.server.add_items("/one.rss",
                             FeedItem("a1", "alpha one", summary="alpha & <b>bold</b> claims"),
                             FeedItem("a2", "alpha &lt;two&gt; &amp; beta", summary="alpha beta"),
                             FeedItem("a3", "alpha three", link="javascript:alert(1)"),
                             FeedItem("a4", "alpha four", summary="more alpha"),
                             FeedItem("b1", "beta only", summary="beta"))
        cls.sub.wait_alerts(lambda a: len(a) >= 6, timeout=60)
        cls.alerts = sorted((m for _, m in cls.sub.alerts), key=lambda m: m["seq"])
        cls.base = f"http://{cls.daemon.http}"

    @classmethod
    def tearDownClass(cls):
        cls.sub.close()
        cls.daemon.stop()
        cls.server.close()
        shutil.rmtree(cls.daemon.dir, ignore_errors=True)

    def tearDown(self):
        if failed(self):
            print(self.daemon.logs()[-4000:])

    def newest(self, watchlist=None):
        chosen = [a for a in self.alerts if watchlist is None or a["watchlist"]["name"] == watchlist]
        return list(reversed(chosen))[:FEED_ITEMS]

    def test_atom_of_every_watchlist_is_valid_and_lists_the_newest_alerts(self):
        if self.feedparser is None:
            self.skipTest("python3-feedparser is not installed (scripts/install-deps.sh, test set)")
        status, headers, body = get(self.base + "/feeds/alerts.atom")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/atom+xml; charset=utf-8")
        parsed = self.feedparser.parse(body)
        self.assertFalse(parsed.bozo, parsed.get("bozo_exception"))
        expected = self.newest()
        self.assertEqual([e.id for e in parsed.entries], [f"urn:wirewatch:alert:{a['alert_id']}" for a in expected])
        for entry, alert in zip(parsed.entries, expected):
            self.assertEqual(entry.title, alert["item"]["title"])
            self.assertEqual(entry.updated, alert["detected_at"])
            for term in alert["match"]["terms"]:
                self.assertIn(term, entry.summary)
            self.assertIn(alert["watchlist"]["name"], entry.summary)
            link = alert["item"]["link"]
            if link.startswith("http"):
                self.assertEqual(entry.link, link)
            else:
                self.assertNotIn("javascript", json.dumps(entry))
        self.assertEqual(parsed.feed.updated, parsed.entries[0].updated)
        self.assertIn(self.base + "/feeds/alerts.atom",
                      [l.href for l in parsed.feed.links if l.rel == "self"])
        # The same ids on the next poll; a reader's validator gets a 304.
        status2, _, body2 = get(self.base + "/feeds/alerts.atom")
        self.assertEqual([e.id for e in self.feedparser.parse(body2).entries], [e.id for e in parsed.entries])
        status3, headers3, body3 = get(self.base + "/feeds/alerts.atom", {"If-None-Match": headers["ETag"]})
        self.assertEqual((status3, body3), (304, b""))
        self.assertEqual(headers3["ETag"], headers["ETag"])

    def test_the_markup_of_a_title_is_text(self):
        # The feed's HTML title `alpha &lt;two&gt; &amp; beta` is the text "alpha <two> & beta".
        self.assertIn("alpha <two> & beta", [a["item"]["title"] for a in self.alerts])
        status, _, body = get(self.base + "/feeds/alerts.atom")
        self.assertEqual(status, 200)
        self.assertIn(b"alpha &lt;two&gt; &amp; beta", body)
        self.assertNotIn(b"<two>", body)

    def test_one_watchlist_as_json_feed(self):
        status, headers, body = get(self.base + "/feeds/wl-b.json")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/feed+json; charset=utf-8")
        feed = json.loads(body)
        self.assertEqual(feed["version"], "https://jsonfeed.org/version/1.1")
        self.assertEqual(feed["feed_url"], self.base + "/feeds/wl-b.json")
        expected = self.newest("wl-b")
        self.assertEqual(len(expected), 2)
        self.assertEqual([i["id"] for i in feed["items"]], [f"urn:wirewatch:alert:{a['alert_id']}" for a in expected])
        for item, alert in zip(feed["items"], expected):
            self.assertEqual(item["title"], alert["item"]["title"])
            self.assertEqual(item["url"], alert["item"]["link"])
            self.assertEqual(item["date_modified"], alert["detected_at"])
            self.assertIn("Matched: beta", item["content_text"])

    def test_one_watchlist_as_atom(self):
        if self.feedparser is None:
            self.skipTest("python3-feedparser is not installed (scripts/install-deps.sh, test set)")
        status, _, body = get(self.base + "/feeds/wl-a.atom")
        self.assertEqual(status, 200)
        parsed = self.feedparser.parse(body)
        self.assertFalse(parsed.bozo, parsed.get("bozo_exception"))
        self.assertEqual([e.title for e in parsed.entries], [a["item"]["title"] for a in self.newest("wl-a")])

    def test_our_own_parser_reads_both_formats(self):
        for path in ("/feeds/alerts.atom", "/feeds/alerts.json"):
            with self.subTest(path=path):
                parsed = own_parse(self.base + path)
                self.assertFalse(parsed["bozo"], parsed["bozo_reason"])
                self.assertEqual(parsed["format"], "atom" if path.endswith(".atom") else "json")
                expected = self.newest()
                self.assertEqual([i["guid"] for i in parsed["items"]],
                                 [f"urn:wirewatch:alert:{a['alert_id']}" for a in expected])
                self.assertEqual([i["title"] for i in parsed["items"]], [a["item"]["title"] for a in expected])

    def test_unknown_watchlists_and_formats_are_404(self):
        for path in ("/feeds/nope.atom", "/feeds/wl-a.rss", "/feeds/.json", "/feeds/a/b.atom"):
            with self.subTest(path=path):
                self.assertEqual(get(self.base + path)[0], 404)


if __name__ == "__main__":
    wwtest.main()
