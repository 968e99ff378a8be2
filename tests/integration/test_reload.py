"""SIGHUP under a running daemon: changed, removed and added watchlists and an added feed take
effect without a restart; an invalid config is refused and the running one keeps alerting.
Synchronised on the sd_notify READY=1 that follows each reload, on served requests and on
received alerts."""

import os
import shutil
import signal
import tempfile
import unittest

from test_systemd import NotifySocket
from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, failed
import wwtest


def titles(alerts):
    return sorted((t, a["item"]["title"]) for t, a in alerts)


class Reload(unittest.TestCase):
    def setUp(self):
        self.dir = wwtest.tempdir("ww-reload-")
        self.server = FeedServer()
        self.one = FeedDoc("One")
        self.one.add(FeedItem("o-0", "Old news"))
        self.two = FeedDoc("Two", "atom")
        self.two.add(FeedItem("t-0", "Old election story"))
        self.url_one = self.server.add_feed("/one.rss", self.one)
        self.url_two = self.server.add_feed("/two.atom", self.two)
        self.notify = NotifySocket(self.dir)
        self.saved = os.environ.get("NOTIFY_SOCKET")
        os.environ["NOTIFY_SOCKET"] = self.notify.path

    def tearDown(self):
        if self.saved is None:
            os.environ.pop("NOTIFY_SOCKET", None)
        else:
            os.environ["NOTIFY_SOCKET"] = self.saved
        self.daemon.stop()
        self.notify.close()
        self.server.close()
        if failed(self) or os.environ.get("WW_KEEP_LOGS"):
            print(self.daemon.logs())
        shutil.rmtree(self.dir, ignore_errors=True)

    def reload_with(self, daemon_like):
        with open(daemon_like.config) as src, open(self.daemon.config, "w") as dst:
            dst.write(src.read())
        os.kill(self.daemon.proc.pid, signal.SIGHUP)
        self.notify.wait_for("RELOADING")
        self.notify.wait_for("READY")

    def test_watchlists_and_feeds_change_under_a_running_daemon(self):
        self.daemon = Daemon([("One", self.url_one)], [("tariffs-watch", "tariffs"), ("sanctions-watch", "sanctions")],
                             workdir=self.dir)
        sub = Subscriber(self.daemon.pub)
        self.daemon.start()
        self.notify.wait_for("READY")
        self.server.wait_for_requests("/one.rss", 2)
        sub.wait_ready()

        # Before: both watchlists alert.
        self.server.add_items("/one.rss", FeedItem("o-1", "New tariffs on steel"), FeedItem("o-2", "EU widens sanctions"))
        sub.wait_alerts(lambda a: len(a) >= 2)
        self.assertEqual(titles(sub.alerts), [("alert.sanctions-watch", "EU widens sanctions"),
                                              ("alert.tariffs-watch", "New tariffs on steel")])

        # Reload: tariffs-watch changes its query, sanctions-watch goes, election-watch and a second
        # feed arrive, and a broken new watchlist is reported but does not stop the rest.
        wanted = Daemon([("One", self.url_one), ("Two", self.url_two)],
                        [("tariffs-watch", '"clean energy"'), ("election-watch", "election"), ("broken", "-sport")],
                        workdir=tempfile.mkdtemp(dir=self.dir))
        self.reload_with(wanted)
        self.server.wait_for_requests("/two.atom", 2)  # the new feed's catch-up is done
        before = len(sub.alerts)
        self.server.add_items("/one.rss",
                              FeedItem("o-3", "Clean energy subsidies expand"),
                              FeedItem("o-4", "Sanctions list grows again"),
                              FeedItem("o-5", "Tariffs rise on cars"))
        self.server.add_items("/two.atom", FeedItem("t-1", "Snap election called in the spring"))
        sub.wait_alerts(lambda a: len(a) >= before + 2)
        # A later alert proves nothing else was recorded in between (seq order).
        self.server.add_items("/one.rss", FeedItem("o-6", "Election day set"))
        sub.wait_alerts(lambda a: any(x["item"]["title"] == "Election day set" for _, x in a))
        self.assertEqual(titles(sub.alerts[before:]), [
            ("alert.election-watch", "Election day set"),
            ("alert.election-watch", "Snap election called in the spring"),
            ("alert.tariffs-watch", "Clean energy subsidies expand"),
        ])
        self.assertIn('watchlist "broken"', self.daemon.logs())

        # An invalid config is refused; the running one keeps alerting.
        with open(self.daemon.config, "a") as f:
            f.write("\n[daemon\n")
        os.kill(self.daemon.proc.pid, signal.SIGHUP)
        self.notify.wait_for("RELOADING")
        self.notify.wait_for("READY")
        before = len(sub.alerts)
        self.server.add_items("/two.atom", FeedItem("t-2", "Election results contested"))
        sub.wait_alerts(lambda a: len(a) > before)
        self.assertEqual(titles(sub.alerts[before:]), [("alert.election-watch", "Election results contested")])
        self.assertIn("reload rejected", self.daemon.logs())
        seqs = [a["seq"] for _, a in sub.alerts]
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
        sub.close()


if __name__ == "__main__":
    wwtest.main()  # ctest: Skipped when a test skipped (docs/testing.md)
