"""Sinks inside the daemon: a webhook receiver on loopback gets every alert exactly once, in seq
order, across a daemon restart; an alert the service refuses (400) is recorded as failed for that
sink, and the sink moves on."""

import hashlib
import hmac
import os
import sqlite3
import sys
import unittest

from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, WebhookReceiver
import wwtest


class DaemonSinks(unittest.TestCase):
    def test_webhook_gets_every_alert_once_and_refusals_are_recorded(self):
        server = FeedServer()
        doc = FeedDoc("Wire")
        doc.add(FeedItem("w-0", "Tariffs debate from last week"))
        url = server.add_feed("/wire.rss", doc)
        receiver = WebhookReceiver(refuse=lambda envelope: "REFUSE" in envelope["item"]["title"])
        secret_dir = wwtest.tempdir("ww-sink-")
        secret_file = os.path.join(secret_dir, "webhook.secret")
        with open(secret_file, "w") as f:
            f.write("s3cret\n")
        plugin_dir = os.environ.get("WW_PLUGIN_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build", "plugins"))
        extra = (f'[[sink]]\nname = "archive"\nplugin = "webhook"\nurl = "{receiver.url}"\n'
                 f'secret_file = "{secret_file}"\n')
        daemon = Daemon([("Wire", url)], [("tariffs-watch", "tariffs")], extra="")
        with open(daemon.config) as f:
            text = f.read()
        text = text.replace("[daemon]\n", f'[daemon]\nplugin_dir = "{os.path.abspath(plugin_dir)}"\n', 1) + extra
        with open(daemon.config, "w") as f:
            f.write(text)
        try:
            sub = Subscriber(daemon.pub)
            daemon.start()
            server.wait_for_requests("/wire.rss", 2)
            sub.wait_ready()
            server.add_items("/wire.rss", FeedItem("w-1", "New tariffs on steel"),
                             FeedItem("w-2", "REFUSE tariffs on wine"))
            server.add_items("/wire.rss", FeedItem("w-3", "Tariffs on chips delayed"))
            receiver.wait(lambda b: len(b) >= 3)
            self.assertEqual(daemon.stop(), 0)

            # Restart: nothing is delivered twice; a new alert arrives with the next seq.
            daemon.start()
            sub.wait_ready()
            server.add_items("/wire.rss", FeedItem("w-4", "Tariffs truce extended"))
            receiver.wait(lambda b: any(e["item"]["title"] == "Tariffs truce extended" for e, *_ in b))
            seqs = [e["seq"] for e, *_ in receiver.bodies]
            self.assertEqual(seqs, sorted(set(seqs)), "each alert once, in order")
            self.assertEqual(seqs, [1, 2, 3, 4])
            for envelope, signature, body, _ in receiver.bodies:
                want = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
                self.assertEqual(signature, want)
            self.assertEqual(daemon.stop(), 0)

            db = sqlite3.connect(os.path.join(daemon.dir, "state", "wirewatch.db"))
            failures = db.execute("SELECT seq, message FROM sink_failures WHERE sink = 'archive'").fetchall()
            cursor = db.execute("SELECT last_seq FROM sink_cursors WHERE sink = 'archive'").fetchone()
            db.close()
            refused = next(e["seq"] for e, *_, r in receiver.bodies if r)
            self.assertEqual([s for s, _ in failures], [refused])
            self.assertIn("400", failures[0][1])
            self.assertNotIn("s3cret", failures[0][1])
            self.assertEqual(cursor[0], 4)
            self.assertNotIn("s3cret", daemon.logs())
            sub.close()
        except Exception:
            print(daemon.logs()[-8000:], file=sys.stderr)
            raise
        finally:
            daemon.stop()
            receiver.close()
            server.close()


if __name__ == "__main__":
    wwtest.main()  # ctest: Skipped when a test skipped (docs/testing.md)
