"""Hostile feeds against the whole daemon (issue 9's catalogue, the feed half): each gets a clear
per-feed outcome, none disturbs the healthy feed, the stored state or the daemon's memory."""

import gzip
import json
import os
import resource
import subprocess
import sys
import unittest

from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, binary
import wwtest

RSS_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>T</title><link>http://h/</link>'
RSS_TAIL = b"</channel></rss>"


def item(guid, title, link=None, desc=b""):
    link = link or b"http://h/" + guid
    return (b"<item><guid>" + guid + b"</guid><title>" + title + b"</title><link>" + link +
            b"</link><description>" + desc + b"</description></item>")


def billion_laughs():
    lol = [b'<!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = b"&lol%d;" % (i - 1) if i > 1 else b"&lol;"
        lol.append(b'<!ENTITY lol%d "%s">' % (i, prev * 10))
    return (b'<?xml version="1.0"?>\n<!DOCTYPE rss [' + b"".join(lol) + b']>\n<rss version="2.0"><channel>'
            b"<title>Laughs &lol9;</title>" + item(b"l1", b"&lol9;") + RSS_TAIL)


def deep_many_elements():
    # 50 levels deep, repeated to 10 million elements: 40 MB decoded, about 100 KB gzipped.
    unit = b"<a>" * 50 + b"</a>" * 50
    body = RSS_HEAD + b"<item><title>x</title><description>" + unit * (10_000_000 // 50) + b"</description></item>" + RSS_TAIL
    return gzip.compress(body, 6)


def big_text_node():
    return RSS_HEAD + item(b"b1", b"Big", desc=b"word " * (14 * 1024 * 1024 // 5)) + RSS_TAIL


def invalid_utf8(extra=b""):
    return RSS_HEAD + item(b"u1", b"Caf\xe9 \xff\xfe broken \xc3") + extra + RSS_TAIL


def nul_bytes():
    return RSS_HEAD + item(b"n1", b"Null\x00 in \x00 title") + RSS_TAIL


def same_guid(n):
    return RSS_HEAD + b"".join(item(b"same", b"Story %d" % i, link=b"http://h/story/%d" % i) for i in range(n)) + RSS_TAIL


def ten_thousand(extra=b""):
    return RSS_HEAD + extra + b"".join(item(b"t%d" % i, b"Routine item %d" % i) for i in range(10_000)) + RSS_TAIL


class HostileFeeds(unittest.TestCase):
    def test_catalogue(self):
        server = FeedServer()
        xml = {"Content-Type": "application/rss+xml"}
        server.raw["/laughs.xml"] = (200, xml, billion_laughs())
        server.raw["/deep.xml"] = (200, dict(xml, **{"Content-Encoding": "gzip"}), deep_many_elements())
        server.raw["/bignode.xml"] = (200, xml, big_text_node())
        server.raw["/badutf8.xml"] = (200, xml, invalid_utf8())
        server.raw["/nul.xml"] = (200, xml, nul_bytes())
        server.raw["/sameguid.xml"] = (200, xml, same_guid(5))
        server.raw["/tenk.xml"] = (200, xml, ten_thousand())
        server.raw["/html.xml"] = (200, {"Content-Type": "text/html"}, b"<!doctype html><html><body>Not a feed</body></html>")
        good = FeedDoc("Good", "rss")
        good.add(FeedItem("g1", "Quiet day"))
        feeds = [(p.strip("/").split(".")[0], server.url(p)) for p in server.raw]
        feeds.append(("good", server.add_feed("/good.rss", good)))
        daemon = Daemon(feeds, [("china-russia-security", "China Russia security")])
        try:
            self.assertEqual(daemon.start("--once").wait(120), 0)
            peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            self.assertLess(peak_kib, 400 * 1024, "peak RSS of the daemon")
            status = {f["config_url"].rsplit("/", 1)[1]: f for f in self.feeds(daemon)}
            self.assertEqual(status["good.rss"]["status"], "ok")
            self.assertEqual(status["deep.xml"]["status"], "error")
            self.assertEqual(status["deep.xml"]["last_error_kind"], "too_large")
            self.assertEqual(status["html.xml"]["last_error_kind"], "not_a_feed")
            for name in ("badutf8.xml", "nul.xml", "sameguid.xml", "tenk.xml", "bignode.xml", "laughs.xml"):
                self.assertEqual(status[name]["status"], "ok", f"{name}: {status[name]}")
            self.assertEqual(status["tenk.xml"]["items_seen"], 10_000)
            logs = daemon.logs()
            self.assertIn('feed="deep"', logs)
            self.assertNotIn("lollollollollollollollollollollol", logs)

            # New matching items in the hostile feeds and the good one alert exactly once each.
            cr = b"China and Russia sign a security pact"
            server.raw["/badutf8.xml"] = (200, xml, invalid_utf8(item(b"u2", cr + b" \xff")))
            server.raw["/sameguid.xml"] = (200, xml, RSS_HEAD + item(b"same", cr, link=b"http://h/story/new")
                                           + same_guid(5)[len(RSS_HEAD):])
            server.raw["/tenk.xml"] = (200, xml, ten_thousand(item(b"t-new", cr)))
            server.add_items("/good.rss", FeedItem("g2", "Russia and China expand security drills"))
            server.gate.clear()
            sub = Subscriber(daemon.pub)
            daemon.start("--once")
            sub.wait_ready()
            server.gate.set()
            self.assertEqual(daemon.wait(120), 0)
            while sub.last_hb != 4:
                if sub._recv(15) is None:
                    self.fail(f"no final heartbeat with seq 4: last={sub.last_hb} alerts={[a['item']['title'] for _, a in sub.alerts]}")
            sources = sorted(a["feed"]["url"].rsplit("/", 1)[1] for _, a in sub.alerts)
            self.assertEqual(sources, ["badutf8.xml", "good.rss", "sameguid.xml", "tenk.xml"])
            for _, a in sub.alerts:
                json.dumps(a, ensure_ascii=False).encode("utf-8")  # valid UTF-8 throughout
            sub.close()

            # A third run over unchanged feeds records nothing new.
            self.assertEqual(daemon.start("--once").wait(120), 0)
            self.assertEqual(self.last_seq(daemon), 4)
        except Exception:
            print(daemon.logs()[-20000:], file=sys.stderr)
            raise
        finally:
            daemon.stop()
            server.close()

    def feeds(self, daemon):
        out = subprocess.run([binary("wirewatch"), "feeds", "--config", daemon.config, "--json"],
                             check=True, capture_output=True, text=True).stdout
        return json.loads(out)

    def last_seq(self, daemon):
        import sqlite3
        db = sqlite3.connect(os.path.join(daemon.dir, "state", "wirewatch.db"))
        try:
            return db.execute("SELECT coalesce(max(seq), 0) FROM alerts").fetchone()[0]
        finally:
            db.close()


if __name__ == "__main__":
    wwtest.main()  # ctest: Skipped when a test skipped (docs/testing.md)
