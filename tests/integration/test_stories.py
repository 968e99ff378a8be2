"""Stories end to end (issue 10): a real wirewatchd, real ZeroMQ sockets, feeds on loopback.

Three outlets carry one story under different titles and tracking links: each watchlist gets
exactly one alert (its envelope carries story {id, sources: 1}) and one story.update per later
source, on topic story.<watchlist>, across a daemon restart. A retitled item does not alert
again; with alert_on_update it gives item.updated. A re-keyed item (new guid, same link and
text) is nothing new. The events sit in the outbox: gapless seqs, replayable. Backtest (CLI and
/api/backtest) over the kept items gives the same alerts and story updates as the live run."""

import copy
import json
import os
import subprocess
import unittest
import urllib.request

from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, WebhookReceiver, binary, failed, toml_str
import wwtest

WATCHLISTS = """
[[watchlist]]
name = "russia-china"
query = "Russia China security"
alert_on_update = true

[[watchlist]]
name = "beijing"
query = "Beijing"
story_window = "48h"
story_threshold = 0.4
"""

A_TITLE = "Russia and China agree to deepen security co-operation"
A = FeedItem("a-1", A_TITLE,
             summary="Foreign ministers Sergei Lavrov and Wang Yi met in Beijing on Tuesday and pledged "
                     "closer security ties between Russia and China.",
             link="https://outlet-a.example/world/russia-china-security?utm_source=rss&utm_medium=feed")
B = FeedItem("b-1", "China and Russia pledge closer security ties after Beijing talks",
             summary="Sergei Lavrov and Wang Yi agreed in Beijing to deepen co-operation on security, "
                     "the two foreign ministers said.",
             link="https://outlet-b.example/news/2026/11/27/china-russia-ties?fbclid=IwAR0xyz")
C = FeedItem("c-1", "Lavrov and Wang Yi agree security co-operation in Beijing",
             summary="Russia and China will deepen security co-operation, foreign ministers Lavrov and "
                     "Wang Yi said after talks in Beijing.",
             link="https://outlet-c.example/story/88123?gclid=abc123&ref=rss")


def events(alerts, topic_prefix, kind=None):
    return [a for t, a in alerts if t.startswith(topic_prefix) and (kind is None or a.get("type") == kind)]


class Stories(unittest.TestCase):
    def setUp(self):
        # Fresh copies: the feed server fills in dates and the test edits items in place.
        self.A, self.B, self.C = (copy.deepcopy(x) for x in (A, B, C))
        self.server = FeedServer()
        self.docs = {}
        feeds = []
        for path, title, fmt in [("/a.rss", "Outlet A", "rss"), ("/b.atom", "Outlet B", "atom"),
                                 ("/c.rss", "Outlet C", "rss")]:
            doc = FeedDoc(title, fmt, link=f"https://{title.lower().replace(' ', '-')}.example/")
            doc.add(FeedItem(path.strip("/") + "-old", "Weather stays mild", summary="Nothing to see here."))
            self.docs[path] = doc
            feeds.append((title, self.server.add_feed(path, doc)))
        self.daemon = Daemon(feeds, [], extra=WATCHLISTS)
        self.sub = Subscriber(self.daemon.pub)

    def tearDown(self):
        self.sub.close()
        self.daemon.stop()
        self.server.close()
        if failed(self) or os.environ.get("WW_KEEP_LOGS"):
            print(self.daemon.logs())

    def start_caught_up(self, expect_seq):
        self.daemon.start()
        for path in self.docs:
            self.server.wait_for_requests(path, self.server.request_count(path) + 1)
        self.assertEqual(self.sub.wait_ready(), expect_seq)

    def edit(self, path, item_guid, **changes):
        with self.server.cond:
            item = next(i for i in self.docs[path].items if i.guid == item_guid)
            for k, v in changes.items():
                setattr(item, k, v)

    def backtest_cli(self, watchlist):
        out = subprocess.run([binary("wirewatch"), "backtest", "--config", self.daemon.config,
                              "--watchlist", watchlist, "--since", "1d", "--json"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def test_one_alert_per_story_updates_edits_restart_and_backtest(self):
        self.start_caught_up(0)

        # Outlet A first: one alert per watchlist, each opening its story.
        self.server.add_items("/a.rss", self.A)
        self.sub.wait_alerts(lambda a: len(events(a, "alert.")) == 2)
        alerts = {a["watchlist"]["name"]: a for a in events(self.sub.alerts, "alert.")}
        self.assertEqual(sorted(alerts), ["beijing", "russia-china"])
        for a in alerts.values():
            self.assertEqual(a["story"], {"id": a["alert_id"], "sources": 1})

        # Outlet B, another title and a tracking link: no alert, a story.update per watchlist.
        self.server.add_items("/b.atom", self.B)
        self.sub.wait_alerts(lambda a: len(events(a, "story.", "story.update")) == 2)

        # A restart between the sources keeps the stories (rebuilt from the state database).
        last = max(a["seq"] for _, a in self.sub.alerts)
        first_run = self.sub.alerts
        self.assertEqual(self.daemon.stop(), 0)
        self.sub.close()
        self.sub = Subscriber(self.daemon.pub)
        self.start_caught_up(last)

        self.server.add_items("/c.rss", self.C)
        self.sub.wait_alerts(lambda a: len(events(a, "story.", "story.update")) == 2)
        before = first_run + self.sub.alerts
        self.sub.alerts = []

        # A retitled item (same guid) and a re-keyed one (new guid, same link and text): neither
        # alerts; russia-china asked for item.updated. The sentinel in B's same fetch proves
        # nothing else was recorded for B's re-key (one transaction, seqs in order).
        self.edit("/a.rss", "a-1", title="Russia and China sign pact to deepen security co-operation")
        self.sub.wait_alerts(lambda a: len(events(a, "story.", "item.updated")) == 1)
        self.edit("/b.atom", "b-1", guid="b-1-migrated")
        self.server.add_items("/b.atom", FeedItem("b-2", "Beijing marathon draws a record field",
                                                  summary="Runners crowded the streets of the capital."))
        self.sub.wait_alerts(lambda a: len(events(a, "alert.")) == 1)
        after = self.sub.alerts
        everything = before + after

        # Exactly one alert per watchlist for the story, two story.updates each, in seq order.
        story_alerts = [a for a in events(before, "alert.") if a.get("story")]
        self.assertEqual(len(events(before, "alert.")), 2)
        for name, alert in alerts.items():
            updates = [e for e in events(before, "story." + name, "story.update")]
            self.assertEqual(len(updates), 2, name)
            self.assertEqual([u["alert_id"] for u in updates], [alert["alert_id"]] * 2)
            self.assertEqual([u["story"]["sources"] for u in updates], [2, 3])
            self.assertEqual([u["feed"]["title"] for u in updates], ["Outlet B", "Outlet C"])
            self.assertEqual([u["item"]["title"] for u in updates], [self.B.title, self.C.title])
            self.assertEqual(updates[1]["item"]["link"], self.C.link)
        self.assertEqual(len(story_alerts), 2)

        updated = events(after, "story.russia-china", "item.updated")
        self.assertEqual(len(updated), 1)
        self.assertEqual(updated[0]["alert_id"], alerts["russia-china"]["alert_id"])
        self.assertEqual(updated[0]["item"]["title"], "Russia and China sign pact to deepen security co-operation")
        self.assertEqual(updated[0]["previous"]["title"], A_TITLE)
        self.assertEqual(events(after, "story.beijing"), [])
        sentinel = events(after, "alert.")
        self.assertEqual([a["item"]["title"] for a in sentinel], ["Beijing marathon draws a record field"])
        self.assertEqual(sentinel[0]["story"]["sources"], 1)
        seqs = [a["seq"] for _, a in everything]
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)), "one gapless outbox for alerts and events")

        # Counted since the restart: C's updates, and the edit for russia-china.
        with urllib.request.urlopen(f"http://{self.daemon.http}/metrics", timeout=30) as r:
            metrics = r.read().decode()
        self.assertIn('wirewatch_story_events_total{watchlist="russia-china"} 2', metrics)
        self.assertIn('wirewatch_story_events_total{watchlist="beijing"} 1', metrics)

        # The events are in the outbox: replay gives the same envelopes.
        replay = subprocess.run([binary("wirewatch"), "replay", "--endpoint", self.daemon.replay, "--after", "0",
                                 "--topic", "story.", "--json"], capture_output=True, text=True, timeout=60)
        self.assertEqual(replay.returncode, 0, replay.stderr)
        replayed = [json.loads(line) for line in replay.stdout.splitlines() if line.strip()]
        self.assertEqual([e["seq"] for e in replayed], [a["seq"] for t, a in everything if t.startswith("story.")])

        # Backtest over the kept items, while the daemon runs: the same alerts and story updates.
        for name in ["russia-china", "beijing"]:
            live_alerts = sorted(a["alert_id"] for a in events(everything, "alert." + name))
            live_updates = sorted(e["event_id"] for e in events(everything, "story." + name, "story.update"))
            for report in [self.backtest_cli(name), self.backtest_http(name)]:
                self.assertEqual(sorted(s["alert"]["alert_id"] for s in report["stories"]), live_alerts, name)
                self.assertEqual(sorted(u["alert_id"] for s in report["stories"] for u in s["updates"]),
                                 live_updates, name)
                story = next(s for s in report["stories"] if s["id"] == alerts[name]["alert_id"])
                self.assertEqual(story["sources"], 3)
                self.assertTrue(story["alert"]["match"]["terms"], "an explained match")
                self.assertIn(story["alert"]["match"]["fields"][0], ["title", "summary"])

    def backtest_http(self, watchlist):
        url = f"http://{self.daemon.http}/api/backtest"
        with urllib.request.urlopen(url, data=f"watchlist={watchlist}&since=1d".encode(), timeout=30) as r:
            self.assertEqual(r.status, 200)
            return json.loads(r.read())

    def test_backtest_of_a_new_query_and_bad_requests(self):
        self.start_caught_up(0)
        self.server.add_items("/a.rss", self.A)
        self.sub.wait_alerts(lambda a: len(events(a, "alert.")) == 2)
        # A query no watchlist has: what it would have alerted, with its explanation.
        out = subprocess.run([binary("wirewatch"), "backtest", "--config", self.daemon.config,
                              "--query", "Lavrov", "--since", "1d"], capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("alerts=1", out.stdout)
        self.assertIn(A_TITLE, out.stdout)
        self.assertIn("terms=lavrov", out.stdout.lower())
        bad = subprocess.run([binary("wirewatch"), "backtest", "--config", self.daemon.config,
                              "--watchlist", "nope"], capture_output=True, text=True, timeout=60)
        self.assertEqual(bad.returncode, 2)
        self.assertIn('no watchlist "nope"', bad.stderr)
        with self.assertRaises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"http://{self.daemon.http}/api/backtest", data=b"watchlist=nope", timeout=30)
        self.assertEqual(e.exception.code, 400)
        with urllib.request.urlopen(f"http://{self.daemon.http}/metrics", timeout=30) as r:
            metrics = r.read().decode()
        self.assertIn('wirewatch_watchlist_matches_total{watchlist="beijing"} 1', metrics)
        self.assertNotIn("wirewatch_story_events_total{", metrics)  # one source so far: no event
        with urllib.request.urlopen(f"http://{self.daemon.http}/api/watchlists", timeout=30) as r:
            listed = {w["name"]: w for w in json.loads(r.read())}
        self.assertEqual((listed["russia-china"]["story_topic"], listed["russia-china"]["alert_on_update"]),
                         ("story.russia-china", True))
        self.assertEqual((listed["beijing"]["story_window_s"], listed["beijing"]["story_threshold"]),
                         (48 * 3600, 0.4))


    def test_sinks_get_alerts_not_story_events(self):
        receiver = WebhookReceiver()
        plugin_dir = os.environ.get("WW_PLUGIN_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build",
                                                                  "plugins"))
        with open(self.daemon.config) as f:
            text = f.read()
        text = text.replace("[daemon]\n", f"[daemon]\nplugin_dir = {toml_str(os.path.abspath(plugin_dir))}\n", 1)
        text += f'[[sink]]\nname = "hook"\nplugin = "webhook"\nurl = {toml_str(receiver.url)}\nwatchlists = ["beijing"]\n'
        with open(self.daemon.config, "w") as f:
            f.write(text)
        try:
            self.start_caught_up(0)
            self.server.add_items("/a.rss", self.A)
            receiver.wait(lambda b: len(b) == 1)
            self.server.add_items("/b.atom", self.B)
            self.sub.wait_alerts(lambda a: len(events(a, "story.beijing", "story.update")) == 1)
            # A new story after the update: the hook's next delivery is its alert, never the update.
            self.server.add_items("/c.rss", FeedItem("c-9", "Beijing marathon draws a record field",
                                                     summary="Runners crowded the streets of the capital."))
            receiver.wait(lambda b: len(b) == 2)
            self.sub.wait_alerts(lambda a: len(events(a, "alert.beijing")) == 2)
            delivered = [(e["seq"], e["watchlist"]["name"], e["item"]["title"]) for e, *_ in receiver.bodies]
            beijing = events(self.sub.alerts, "alert.beijing")
            self.assertEqual(delivered, [(a["seq"], "beijing", a["item"]["title"]) for a in beijing])
            self.assertTrue(all("type" not in e for e, *_ in receiver.bodies))
        finally:
            receiver.close()


if __name__ == "__main__":
    wwtest.main()  # ctest: Skipped when a test skipped (docs/testing.md)
