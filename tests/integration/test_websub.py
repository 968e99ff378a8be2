"""WebSub push end to end, with a hub of our own on loopback: the daemon discovers the hub (in
the feed document and in HTTP Link headers), subscribes with the right parameters, echoes the
hub's challenge only for what it asked, takes signed pushes through the pipeline to a ZeroMQ
alert, drops wrongly signed ones, renews a short lease, keeps its subscription across a
restart, and unsubscribes a feed that leaves the config. Polling falls back to max_interval
while the lease runs.

Every wait is for an event (a hub request, an alert, a response) with a deadline; no sleeps."""

import hashlib
import hmac
import http.server
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, binary, failed, free_port, toml_str
import wwtest


class Hub:
    """A WebSub hub on 127.0.0.1: records subscription requests (answering 202) and lets the test
    verify, deny and push by hand, so that each step is observable. `status` other than 202 makes
    it refuse every request; `sync_lease` makes it verify inside the request, before answering
    (as some hubs do), recording (status, body, challenge) in `sync_results`."""

    def __init__(self, status=202, sync_lease=None):
        self.requests = []
        self.sync_results = {}  # topic -> (status, body, challenge)
        self.cond = threading.Condition()
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                params = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
                params["_content_type"] = self.headers.get("Content-Type", "")
                if sync_lease is not None and status == 202:
                    result = hub.verify(params, lease=sync_lease)
                    with hub.cond:
                        hub.sync_results[params["hub.topic"]] = result
                with hub.cond:
                    hub.requests.append(params)
                    hub.cond.notify_all()
                reply = b"" if status == 202 else b"hub is broken"
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hub"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait_request(self, predicate, timeout=30):
        """The first recorded request (oldest first) for which predicate holds; it is consumed."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i, r in enumerate(self.requests):
                    if predicate(r):
                        return self.requests.pop(i)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no matching hub request; got {self.requests}")
                self.cond.wait(left)

    @staticmethod
    def get(callback, **params):
        """A verification (or denial) GET; returns (status, body)."""
        sep = "&" if "?" in callback else "?"
        url = callback + sep + urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def verify(self, request, lease=None, mode=None, topic=None, challenge=None):
        params = {"hub.mode": mode or request["hub.mode"], "hub.topic": topic or request["hub.topic"],
                  "hub.challenge": challenge or secrets.token_hex(8)}
        if lease is not None:
            params["hub.lease_seconds"] = str(lease)
        status, body = self.get(request["hub.callback"], **params)
        return status, body, params["hub.challenge"]

    @staticmethod
    def push(callback, body, secret=None, method="sha256", signature=None):
        headers = {"Content-Type": "application/rss+xml"}
        if signature is None and secret is not None:
            digest = hmac.new(secret.encode(), body, getattr(hashlib, method)).hexdigest()
            signature = f"{method}={digest}"
        if signature is not None:
            headers["X-Hub-Signature"] = signature
        req = urllib.request.Request(callback, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def with_hub_link(doc, hub_url, self_url):
    """The RSS document with <atom:link rel="hub"> and rel="self" in its channel."""
    body = doc.render().decode()
    body = body.replace('<rss version="2.0"', '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"', 1)
    links = (f'<atom:link rel="hub" href="{hub_url}"/>'
             f'<atom:link rel="self" href="{self_url}"/>')
    return body.replace("<channel>", "<channel>" + links, 1).encode()


class WebSubCase(unittest.TestCase):
    """A daemon with two feeds that name the hub (Doc in its document, Hdr in Link headers)."""
    hub_options = {}

    def setUp(self):
        self.hub = Hub(**self.hub_options)
        self.feeds = FeedServer()
        self.doc_path, self.hdr_path = "/doc.xml", "/hdr.xml"
        self.doc_url = self.feeds.url(self.doc_path)
        self.hdr_url = self.feeds.url(self.hdr_path)
        self.doc = FeedDoc("Doc news")
        self.doc.add(FeedItem(guid="d1", title="Harbour opens for the season"))
        # The hub named in the document; the topic is the document's self link.
        self.feeds.raw[self.doc_path] = (200, {"Content-Type": "application/rss+xml"},
                                         with_hub_link(self.doc, self.hub.url, self.doc_url))
        # The hub named only in HTTP Link headers, with rel="self" for the topic.
        hdr = FeedDoc("Header news")
        hdr.add(FeedItem(guid="h1", title="Markets are calm"))
        self.hdr_topic = self.hdr_url + "?topic"
        self.feeds.raw[self.hdr_path] = (200, {"Content-Type": "application/rss+xml",
                                               "Link": f'<{self.hub.url}>; rel="hub", <{self.hdr_topic}>; rel="self"'},
                                         hdr.render())
        self.cb_port = free_port()
        self.callback_base = f"http://127.0.0.1:{self.cb_port}/websub"
        extra = "\n".join(["[schedule]", 'max_interval = "1h"', "[websub]",
                           f"callback_base = {toml_str(self.callback_base)}",
                           f"listen = {toml_str(f'127.0.0.1:{self.cb_port}')}", 'lease = "1h"'])
        self.daemon = Daemon([("Doc", self.doc_url), ("Hdr", self.hdr_url)],
                             [("falcon", "falcon")], extra=extra, interval="1s",
                             feed_extra="websub_allow_insecure_secret = true")  # the hub is http on loopback
        self.sub = None

    def tearDown(self):
        if self.sub:
            self.sub.close()
        self.daemon.stop()
        if failed(self):
            print(self.daemon.logs()[-8000:], file=sys.stderr)
        self.hub.close()
        self.feeds.close()

    def start(self):
        self.daemon.start()
        self.sub = Subscriber(self.daemon.pub, b"alert.")
        self.sub.wait_ready()

    def push_doc(self, callback, items, **signing):
        doc = FeedDoc("Doc news")
        for it in items:
            doc.add(it)
        return Hub.push(callback, with_hub_link(doc, self.hub.url, self.doc_url), **signing)

    def titles(self):
        return [a["item"]["title"] for _, a in self.sub.alerts]

    def wait_title(self, title):
        alerts = self.sub.wait_alerts(lambda alerts: any(a["item"]["title"] == title for _, a in alerts))
        alert = next(a for _, a in alerts if a["item"]["title"] == title)
        # A push takes the polls' path: story clustering (the alert opens a story) and explanations.
        self.assertEqual(alert.get("story", {}).get("sources"), 1, alert)
        self.assertTrue(alert["match"]["terms"], alert)

    def api_feed(self, url):
        with urllib.request.urlopen(f"http://{self.daemon.http}/api/feeds", timeout=10) as r:
            return next(f for f in json.load(r) if f["config_url"] == url)


class WebSubTest(WebSubCase):
    def test_subscribe_verify_push_renew_restart_unsubscribe(self):
        self.start()

        # Discovery in the document: subscribe with every parameter the spec asks for.
        req = self.hub.wait_request(lambda r: r["hub.topic"] == self.doc_url)
        self.assertEqual(req["hub.mode"], "subscribe")
        self.assertTrue(req["hub.callback"].startswith(self.callback_base + "/"), req)
        self.assertGreaterEqual(len(req["hub.secret"]), 32)
        self.assertEqual(req["hub.lease_seconds"], "3600")
        self.assertEqual(req["_content_type"], "application/x-www-form-urlencoded")
        callback, secret = req["hub.callback"], req["hub.secret"]

        # Discovery in Link headers: the topic is rel="self"; its callback and secret differ.
        hdr_req = self.hub.wait_request(lambda r: r["hub.topic"] == self.hdr_topic)
        self.assertNotEqual(hdr_req["hub.callback"], callback)
        self.assertNotEqual(hdr_req["hub.secret"], secret)

        # The challenge is echoed only for our topic, our callback and the mode we asked for.
        self.assertEqual(self.hub.verify(req, lease=3, topic="http://elsewhere.example/")[0], 404)
        self.assertEqual(self.hub.verify(req, mode="unsubscribe")[0], 404)
        self.assertEqual(self.hub.verify(req)[0], 404, "a subscribe without hub.lease_seconds")
        unknown = dict(req, **{"hub.callback": self.callback_base + "/" + "0" * 32})
        self.assertEqual(self.hub.verify(unknown, lease=3)[0], 404)
        status, body, challenge = self.hub.verify(req, lease=3)  # a short lease: renewed soon
        self.assertEqual((status, body), (200, challenge))

        # The other hub denies its subscription: acknowledged, logged with the reason.
        status, _ = Hub.get(hdr_req["hub.callback"], **{"hub.mode": "denied", "hub.topic": self.hdr_topic,
                                                          "hub.reason": "not on my watch"})
        self.assertEqual(status, 200)
        self.assertIn('websub: denied feed="Hdr"', self.daemon.logs())
        self.assertIn("not on my watch", self.daemon.logs())

        # A signed push goes through the pipeline to an alert.
        falcon = FeedItem(guid="d2", title="Falcon nests on the harbour crane")
        self.assertEqual(self.push_doc(callback, [falcon], secret=secret), 202)
        self.wait_title(falcon.title)

        # Wrongly signed, unsigned and malformed pushes are acknowledged (2xx, as the spec
        # says) but dropped, each with an error naming the feed.
        forged = FeedItem(guid="d3", title="Falcon forged item")
        self.assertEqual(self.push_doc(callback, [forged], secret="not-the-secret"), 202)
        self.assertEqual(self.push_doc(callback, [forged]), 202)
        self.assertEqual(self.push_doc(callback, [forged], signature="sha256=zz"), 202)
        self.assertEqual(self.push_doc(callback + "x", [forged], secret=secret), 404, "an unknown callback")
        # The same item again (deduplicated like a poll) and a new one signed with sha1: the
        # next alert is the new item, and nothing came of the forgeries or the repeat.
        again_and_new = [falcon, FeedItem(guid="d4", title="Falcon chicks hatch")]
        self.assertEqual(self.push_doc(callback, again_and_new, secret=secret, method="sha1"), 202)
        self.wait_title("Falcon chicks hatch")
        self.assertEqual(self.titles(), [falcon.title, "Falcon chicks hatch"])
        self.assertEqual(self.daemon.logs().count('websub: rejected push feed="Doc"'), 3)

        # The 3-second lease is renewed before it ends, on the same callback.
        renewal = self.hub.wait_request(lambda r: r["hub.topic"] == self.doc_url)
        self.assertEqual((renewal["hub.mode"], renewal["hub.callback"]), ("subscribe", callback))
        status, body, challenge = self.hub.verify(renewal, lease=3600)
        self.assertEqual((status, body), (200, challenge))

        # While the lease runs, polling is a safety net at [schedule] max_interval (1h), though
        # the feed's interval is 1s.
        next_check = self.api_feed(self.doc_url)["next_check"]
        due = time.mktime(time.strptime(next_check, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
        self.assertGreater(due - time.time(), 50 * 60, next_check)

        # Operators see pushes by result and subscriptions by state.
        with urllib.request.urlopen(f"http://{self.daemon.http}/metrics", timeout=10) as r:
            metrics = r.read().decode()
        for line in ['wirewatch_websub_pushes_total{result="ok"} 2', 'wirewatch_websub_pushes_total{result="rejected"} 3',
                     'wirewatch_websub_pushes_total{result="unknown"} 1', 'wirewatch_websub_subscriptions{state="active"} 1',
                     'wirewatch_websub_subscriptions{state="denied"} 1']:
            self.assertIn(line + "\n", metrics)

        # A restart keeps the subscription: the same callback and secret work at once.
        self.sub.close()
        self.daemon.stop()
        # Stopped, every write is flushed: `wirewatch feeds` shows the push state of each feed.
        out = subprocess.run([binary("wirewatch"), "feeds", "--config", self.daemon.config, "--json"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
        push = {f["config_url"]: f["push"] for f in json.loads(out)}
        self.assertEqual(push[self.doc_url]["state"], "active")
        self.assertEqual(push[self.doc_url]["hub"], self.hub.url)
        self.assertEqual(push[self.hdr_url]["state"], "denied")
        self.assertIn("not on my watch", push[self.hdr_url]["last_error"])
        self.assertNotIn(secret, out)
        table = subprocess.run([binary("wirewatch"), "feeds", "--config", self.daemon.config],
                               capture_output=True, text=True, timeout=30, check=True).stdout
        self.assertIn("PUSH", table.splitlines()[0])
        self.start()
        after = FeedItem(guid="d5", title="Falcon returns after the storm")
        self.assertEqual(self.push_doc(callback, [after], secret=secret), 202)
        self.wait_title(after.title)

        # A feed removed by a reload is unsubscribed; the hub's confirmation is echoed, and the
        # callback is forgotten afterwards.
        with open(self.daemon.config) as f:
            text = f.read()
        text = text.replace(f'[[feed]]\nurl = {toml_str(self.doc_url)}\nname = "Doc"\ninterval = "1s"\n'
                            'websub_allow_insecure_secret = true\n', "")
        self.assertNotIn(self.doc_url, text)
        with open(self.daemon.config, "w") as f:
            f.write(text)
        os.kill(self.daemon.proc.pid, signal.SIGHUP)
        unsub = self.hub.wait_request(lambda r: r["hub.mode"] == "unsubscribe")
        self.assertEqual((unsub["hub.topic"], unsub["hub.callback"]), (self.doc_url, callback))
        self.assertNotIn("hub.secret", unsub)
        status, body, challenge = self.hub.verify(unsub)
        self.assertEqual((status, body), (200, challenge))
        self.assertEqual(self.hub.verify(renewal, lease=60)[0], 404)
        self.assertEqual(self.push_doc(callback, [FeedItem(guid="d6", title="Falcon gone")], secret=secret), 404)


class FailingHubTest(WebSubCase):
    hub_options = {"status": 500}

    def test_a_failing_hub_leaves_polling_as_it_was(self):
        self.start()
        req = self.hub.wait_request(lambda r: r["hub.topic"] == self.doc_url)
        self.assertEqual(req["hub.mode"], "subscribe")
        # No lease: the feed keeps its 1 s interval, not the 1 h safety net.
        seen = self.feeds.request_count(self.doc_path)
        self.feeds.wait_for_requests(self.doc_path, seen + 3)
        self.sub.close()
        self.sub = None
        self.daemon.stop()
        out = subprocess.run([binary("wirewatch"), "feeds", "--config", self.daemon.config, "--json"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
        push = {f["config_url"]: f["push"] for f in json.loads(out)}[self.doc_url]
        self.assertEqual(push["state"], "failed")
        self.assertIn("hub answered 500", push["last_error"])
        self.assertIn('websub: hub request failed feed="Doc"', self.daemon.logs())
        # Asked once, not at every poll: a failed hub is asked again at most hourly.
        with self.hub.cond:
            self.assertFalse([r for r in self.hub.requests if r["hub.topic"] == self.doc_url])


class SyncHubTest(WebSubCase):
    hub_options = {"sync_lease": 3600}

    def test_a_hub_that_verifies_before_it_answers(self):
        # The daemon's loop answers the verification while the subscription request is still
        # waiting for the hub's answer: the request runs off the loop.
        self.start()
        req = self.hub.wait_request(lambda r: r["hub.topic"] == self.doc_url)
        with self.hub.cond:
            status, body, challenge = self.hub.sync_results[self.doc_url]
        self.assertEqual((status, body), (200, challenge))
        item = FeedItem(guid="s1", title="Falcon over the bridge")
        self.assertEqual(self.push_doc(req["hub.callback"], [item], secret=req["hub.secret"]), 202)
        self.wait_title(item.title)


if __name__ == "__main__":
    wwtest.main()  # ctest: Skipped when a test skipped (docs/testing.md)
