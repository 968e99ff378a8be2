"""What an operator's ordinary mistakes meet (issue: nothing fails silently): a second daemon on
the same state directory refuses to start, naming the first one's pid."""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import unittest

import wwtest
from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, binary


class StateDirectoryLock(unittest.TestCase):
    def test_second_daemon_on_one_state_dir_refuses_and_names_the_first(self):
        server = FeedServer()
        doc = FeedDoc("Wire", "rss")
        doc.add(FeedItem("a-1", "Markets rally on rate hopes"))
        url = server.add_feed("/wire.rss", doc)
        first = Daemon([("Wire", url)], [("markets", "markets")], interval="1h")
        try:
            first.start()
            sub = Subscriber(first.pub)
            sub.wait_ready()  # the first daemon is up: store open, sockets bound, lock held

            # Same config, same state directory: the second must not run beside the first.
            second = subprocess.run([binary("wirewatchd"), "--config", first.config],
                                    capture_output=True, text=True, timeout=30)
            self.assertEqual(second.returncode, 1, second.stderr)
            state_dir = os.path.join(first.dir, "state")
            self.assertIn(f"another wirewatchd (pid {first.proc.pid}) holds {state_dir}", second.stderr)
            # The first is untouched: it keeps serving.
            self.assertIsNone(first.proc.poll())
            sub.wait_ready()

            # A SIGKILLed holder leaves its lock file behind, but not its lock: a restart works.
            first.stop(signal.SIGKILL)
            first.start()
            sub.wait_ready()
            self.assertIsNone(first.proc.poll())
            sub.close()
        except Exception:
            print(first.logs(), file=sys.stderr)
            raise
        finally:
            first.stop()
            server.close()


class BacktestAfterFirstFetch(unittest.TestCase):
    def test_a_new_query_can_be_tried_on_what_the_feeds_hold_after_the_first_start(self):
        server = FeedServer()
        doc = FeedDoc("Wire", "rss")
        doc.add(FeedItem("c-1", "Dockers strike at the port of Antwerp"))
        doc.add(FeedItem("c-2", "Markets rally on rate hopes"))
        url = server.add_feed("/wire.rss", doc)
        daemon = Daemon([("Wire", url)], [("markets", "markets")])
        try:
            self.assertEqual(daemon.start("--once").wait(), 0)  # the catch-up: nothing alerts
            self.assertIn("first_fetch=true", daemon.logs())
            r = wirewatch("backtest", "--config", daemon.config, "--query", "dockers strike")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("Dockers strike at the port of Antwerp", r.stdout)
            self.assertNotIn("Markets rally", r.stdout)
            self.assertIn("read 2 items, 1 matched", r.stderr)
            # Nothing matched is said too, not left to silence.
            r = wirewatch("backtest", "--config", daemon.config, "--query", "volcano")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("read 2 items, 0 matched", r.stderr)
        except Exception:
            print(daemon.logs(), file=sys.stderr)
            raise
        finally:
            daemon.stop()
            server.close()


PAGE = b"""<!doctype html><html><head><title>Harbour Gazette</title>
<link rel="alternate" type="application/rss+xml" title="All stories" href="/wire.rss">
<link rel="alternate" type="application/atom+xml" title="Ports" href="ports.atom">
</head><body><p>Welcome.</p></body></html>"""


class Discovery(unittest.TestCase):
    def setUp(self):
        self.server = FeedServer()
        doc = FeedDoc("Gazette wire", "rss")
        doc.add(FeedItem("g-1", "Harbour cranes idle as dockers strike"))
        self.feed_url = self.server.add_feed("/wire.rss", doc)
        self.server.raw["/site/"] = (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE)
        self.server.raw["/bare/"] = (200, {"Content-Type": "text/html"}, b"<html><body>no links</body></html>")

    def tearDown(self):
        self.server.close()

    def test_discover_lists_the_feeds_a_page_links(self):
        r = wirewatch("discover", "--allow-private", self.server.url("/site/"))
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split()[:2], [self.feed_url, "rss"])
        self.assertEqual(lines[1].split()[:2], [self.server.url("/site/ports.atom"), "atom"])
        self.assertIn(f'[[feed]] url = "{self.feed_url}"', r.stderr)

    def test_without_links_the_common_paths_are_tried(self):
        doc = FeedDoc("Bare feed", "atom")
        doc.add(FeedItem("b-1", "Quiet day"))
        self.server.add_feed("/feed", doc)
        r = wirewatch("discover", "--allow-private", self.server.url("/bare/"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split()[:2], [self.server.url("/feed"), "atom"])
        self.assertIn("found at common paths", r.stderr)
        self.assertGreaterEqual(self.server.request_count("/rss"), 1)

    def test_nothing_to_find_is_an_error_that_says_so(self):
        r = wirewatch("discover", "--allow-private", self.server.url("/bare/"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("links no feed", r.stderr)

    def test_a_page_configured_as_a_feed_is_polled_through_the_feed_it_links(self):
        daemon = Daemon([("Gazette", self.server.url("/site/"))], [("strike", "strike")])
        try:
            self.assertEqual(daemon.start("--once").wait(), 0)
            logs = daemon.logs()
            line = next((l for l in logs.splitlines() if "a web page, not a feed" in l), None)
            self.assertIsNotNone(line, logs)
            self.assertIn('feed="Gazette"', line)
            self.assertIn(f"following={self.feed_url}", line)
            self.assertGreaterEqual(self.server.request_count("/wire.rss"), 1)
            # Adopted and saved, as a permanent redirect's target: the next run asks the feed.
            pages = self.server.request_count("/site/")
            self.assertEqual(daemon.start("--once").wait(), 0)
            self.assertEqual(self.server.request_count("/site/"), pages)
        finally:
            daemon.stop()

    def test_a_page_whose_link_is_a_page_again_is_an_error_naming_its_links(self):
        self.server.raw["/hub/"] = (200, {"Content-Type": "text/html"},
                                    b'<html><head><link rel="alternate" type="application/rss+xml" href="/site/">'
                                    b"</head></html>")
        daemon = Daemon([("Hub", self.server.url("/hub/"))], [("strike", "strike")])
        try:
            self.assertEqual(daemon.start("--once").wait(), 1)  # nothing could be fetched
            logs = daemon.logs()
            line = next((l for l in logs.splitlines() if "fetch: error" in l and 'feed="Hub"' in l), None)
            self.assertIsNotNone(line, logs)
            self.assertIn("kind=not_a_feed", line)
            self.assertIn(f"the page links these feeds: {self.feed_url} {self.server.url('/site/ports.atom')}", line)
            self.assertIn("hint=\"the URL serves something else than a feed", line)
        finally:
            daemon.stop()


class StderrLines:
    """Reads a child's stderr on a thread, so that a test can wait for one line with a deadline."""

    def __init__(self, proc):
        import queue
        import threading
        self.queue = queue.Queue()
        self.seen = []
        threading.Thread(target=self._pump, args=(proc.stderr,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            self.queue.put(line.rstrip("\n"))

    def wait_for(self, needle, timeout=30):
        import queue
        import time
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no stderr line with {needle!r}; saw {self.seen}")
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            if needle in line:
                return line


class SubscriberSaysWhatIsWrong(unittest.TestCase):
    def sub(self, *args):
        proc = subprocess.Popen([binary("wirewatch"), "sub", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: (proc.kill(), proc.wait(), proc.stdout.close(), proc.stderr.close()))
        return proc, StderrLines(proc)

    def test_a_wrong_endpoint_is_reported_instead_of_silence(self):
        endpoint = f"tcp://127.0.0.1:{wwtest.free_port()}"  # nothing listens there
        _, err = self.sub("--endpoint", endpoint)
        line = err.wait_for("no heartbeat from", timeout=30)
        self.assertIn(f"no heartbeat from {endpoint} for 10 s (is wirewatchd running, and is this its "
                      "[publish] endpoint?)", line)

    def test_a_stopped_daemon_is_noticed_and_its_return_too(self):
        server = FeedServer()
        url = server.add_feed("/wire.rss", FeedDoc("Wire", "rss"))
        daemon = Daemon([("Wire", url)], [("markets", "markets")], interval="1h", heartbeat="1s")
        try:
            daemon.start()
            proc, err = self.sub("--endpoint", daemon.pub, "--topic", "_hb")
            # --topic _hb prints the heartbeats themselves: a line proves the subscriber is live.
            first = proc.stdout.readline()
            self.assertIn('"seq"', first)
            proc.stdout.readline()  # a second one: the 1 s interval is learned
            os.kill(daemon.proc.pid, signal.SIGSTOP)
            try:
                self.assertRegex(err.wait_for("no heartbeat from", timeout=15),
                                 r"no heartbeat from tcp://127\.0\.0\.1:\d+ for \d+ s")
            finally:
                os.kill(daemon.proc.pid, signal.SIGCONT)
            err.wait_for("heartbeats from", timeout=15)
        finally:
            daemon.stop()
            server.close()

    def test_a_seq_gap_names_the_missed_alerts(self):
        import zmq
        ctx = zmq.Context.instance()
        pub = ctx.socket(zmq.PUB)
        pub.setsockopt(zmq.LINGER, 0)
        port = pub.bind_to_random_port("tcp://127.0.0.1")
        self.addCleanup(pub.close)
        proc, err = self.sub("--endpoint", f"tcp://127.0.0.1:{port}", "--json", "--topic", "alert.",
                             "--topic", "_hb")

        def envelope(seq):
            return json.dumps({"v": 1, "seq": seq, "watchlist": {"name": "w", "query": "q"},
                               "item": {"title": f"story {seq}"}}).encode()

        # Heartbeats until the subscriber prints one (the cure for the slow joiner, as with the
        # daemon's): what a PUB sends before the subscription arrives is dropped, not queued.
        import select
        while not select.select([proc.stdout], [], [], 0.2)[0]:
            pub.send_multipart([b"_hb", b'{"v":1,"seq":4}'])
        for seq in (5, 8):
            pub.send_multipart([b"alert.w", envelope(seq)])
        alerts = []
        while len(alerts) < 2:
            line = json.loads(proc.stdout.readline())
            if "watchlist" in line:
                alerts.append(line["seq"])
        self.assertEqual(alerts, [5, 8])
        self.assertIn("missed alerts 6-7: use --resume to fetch them", err.wait_for("missed alerts"))

    def test_replay_against_the_publish_endpoint_says_so_within_five_seconds(self):
        import zmq
        pub = zmq.Context.instance().socket(zmq.PUB)
        pub.setsockopt(zmq.LINGER, 0)
        port = pub.bind_to_random_port("tcp://127.0.0.1")
        self.addCleanup(pub.close)
        r = subprocess.run([binary("wirewatch"), "replay", "--endpoint", f"tcp://127.0.0.1:{port}"],
                           capture_output=True, text=True, timeout=20)
        self.assertEqual(r.returncode, 1)
        self.assertIn("within 5000 ms (is wirewatchd running, and is this its [publish] replay_endpoint?)", r.stderr)


class PartialReload(unittest.TestCase):
    def test_a_reload_that_kept_an_old_query_counts_as_partial(self):
        from test_systemd import NotifySocket
        import urllib.request
        server = FeedServer()
        url = server.add_feed("/wire.rss", FeedDoc("Wire", "rss"))
        daemon = Daemon([("Wire", url)], [("markets", "markets"), ("energy", "energy")], interval="1h")
        notify = NotifySocket(daemon.dir)
        saved = os.environ.get("NOTIFY_SOCKET")
        os.environ["NOTIFY_SOCKET"] = notify.path
        try:
            daemon.start()
            notify.wait_for("READY")
            with open(daemon.config) as f:
                text = f.read()
            with open(daemon.config, "w") as f:
                f.write(text.replace('query = "energy"', 'query = "energy AND ("'))  # unterminated group
            os.kill(daemon.proc.pid, signal.SIGHUP)
            notify.wait_for("RELOADING")
            notify.wait_for("READY")
            with urllib.request.urlopen(f"http://{daemon.http}/metrics", timeout=10) as r:
                metrics = r.read().decode()
            self.assertIn('wirewatch_reloads_total{result="partial"} 1', metrics)
            self.assertNotIn('wirewatch_reloads_total{result="ok"} 1', metrics)
        except Exception:
            print(daemon.logs(), file=sys.stderr)
            raise
        finally:
            if saved is None:
                os.environ.pop("NOTIFY_SOCKET", None)
            else:
                os.environ["NOTIFY_SOCKET"] = saved
            daemon.stop()
            notify.close()
            server.close()


def shape(value):
    """The structure of a JSON value: keys and value types, not values."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


class ReadmeEnvelope(unittest.TestCase):
    def test_the_readme_shows_the_envelope_a_real_daemon_sends(self):
        with open(os.path.join(wwtest.SOURCE_DIR, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        section = readme[readme.index("## The alert envelope"):]
        example = json.loads(section[section.index("```json") + 7:section.index("```", section.index("```json") + 7)])

        server = FeedServer()
        doc = FeedDoc("Wire", "rss")
        url = server.add_feed("/wire.rss", doc)
        daemon = Daemon([("Wire", url)], [("china-russia-security", "China Russia security")])
        try:
            self.assertEqual(daemon.start("--once").wait(), 0)  # catch-up of an empty feed
            server.add_items("/wire.rss", FeedItem("n-1", "China and Russia discuss security",
                                                   summary="Talks in Beijing.", categories=["World"],
                                                   author="Desk"))
            server.gate.clear()
            sub = Subscriber(daemon.pub)
            daemon.start("--once")
            sub.wait_ready()
            server.gate.set()
            self.assertEqual(daemon.wait(), 0)
            topic, real = sub.wait_alerts(lambda a: len(a) >= 1)[0]
            sub.close()
        finally:
            daemon.stop()
            server.close()
        self.assertEqual(topic, "alert.china-russia-security")
        # Lists: the README's may be empty where the real one has members; compare what both show.
        want, got = shape(example), shape(real)
        real_text = json.dumps(real, ensure_ascii=False)
        self.assertEqual(set(want), set(got), f"top-level keys; a real envelope: {real_text}")
        for key in want:
            if isinstance(want[key], dict):
                self.assertEqual(set(want[key]), set(got[key]), f"keys of {key}; a real envelope: {real_text}")


class StartupMistakes(unittest.TestCase):
    def test_a_missing_config_says_which_path_and_how_to_pass_one(self):
        r = subprocess.run([binary("wirewatchd"), "--config", "/nonexistent/wirewatch.toml"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no config file at /nonexistent/wirewatch.toml; pass one with --config FILE", r.stderr)

    def test_an_address_in_use_names_the_key_and_the_likely_culprit(self):
        import socket as sk
        taken = sk.socket()
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        self.addCleanup(taken.close)
        server = FeedServer()
        self.addCleanup(server.close)
        url = server.add_feed("/wire.rss", FeedDoc("Wire", "rss"))
        daemon = Daemon([("Wire", url)], [("m", "markets")], pub=f"tcp://127.0.0.1:{taken.getsockname()[1]}")
        self.assertEqual(daemon.start().wait(), 1)
        self.assertIn("another wirewatchd may be running with this address; or change [publish] endpoint",
                      daemon.logs())


class MakeRunConfig(unittest.TestCase):
    def test_the_cli_given_make_runs_config_reads_the_daemons_state(self):
        with tempfile.TemporaryDirectory(prefix="ww-makerun-") as build:
            r = subprocess.run(["make", "-s", "-C", wwtest.SOURCE_DIR, f"BUILD={build}", f"{build}/run/wirewatch.toml"],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            config = os.path.join(build, "run", "wirewatch.toml")
            check = wirewatch("check-config", "--quiet", config)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
            # No daemon ran: the CLI looks for the database where make run's daemon keeps it.
            feeds = wirewatch("feeds", "--config", config)
            self.assertEqual(feeds.returncode, 1)
            self.assertIn(os.path.join(build, "run", "state"), feeds.stderr)


class CheckConfigListsEverything(unittest.TestCase):
    def test_every_kind_of_problem_in_one_run_sorted_with_the_configs_plugin_dir(self):
        plugins = os.environ.get("WW_PLUGIN_DIR") or os.path.join(BUILD_DIR, "plugins")
        if not os.path.exists(os.path.join(plugins, "webhook.so")):
            self.skipTest("the webhook plugin is not built")
        d = wwtest.tempdir("ww-check-all-")
        config = os.path.join(d, "wirewatch.toml")
        with open(config, "w") as f:
            f.write("\n".join([
                "[daemon]",
                f"plugin_dir = {wwtest.toml_str(plugins)}",
                "logg_level = \"info\"",                       # line 3: a config problem
                "[[feed]]",
                "url = \"https://example.org/a.rss\"",
                "[[watchlist]]",
                "name = \"broken\"",
                "query = \"energy AND (\"",                    # line 8: a query problem
                "[[sink]]",
                "name = \"hook\"",
                "plugin = \"webhook\"",
                "url = \"https://hooks.example.org/x\"",
                "watchlists = [\"nothing-*\"]",                # a sink problem
            ]) + "\n")
        env = {k: v for k, v in os.environ.items() if k != "WW_PLUGIN_DIR"}
        r = subprocess.run([binary("wirewatch"), "check-config", config], capture_output=True, text=True,
                           timeout=60, env=env)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        lines = r.stdout.splitlines()
        self.assertTrue(any(l.startswith(f"{config}:3:") and "logg_level" in l for l in lines), lines)
        self.assertTrue(any("broken" in l for l in lines), lines)
        self.assertTrue(any("nothing-*" in l for l in lines), lines)
        # The daemon would find the plugin in the config's plugin_dir: so does the check.
        self.assertFalse(any("webhook" in l and ("not found" in l or "no such" in l.lower()) for l in lines), lines)
        numbered = [int(l.split(":")[1]) for l in lines if l.startswith(config + ":") and l.split(":")[1].isdigit()]
        self.assertEqual(numbered, sorted(numbered))

        j = subprocess.run([binary("wirewatch"), "check-config", "--json", config], capture_output=True,
                           text=True, timeout=60, env=env)
        self.assertEqual(j.returncode, 1)
        report = json.loads(j.stdout)
        self.assertFalse(report["ok"])
        self.assertEqual(len(report["problems"]), len([l for l in lines if not l.endswith("(warning)")]))
        self.assertEqual(report["problems"][0]["line"], 3)


class FeedsShowNamesIntervalsAndHints(unittest.TestCase):
    def test_feeds_names_each_feed_and_says_what_to_do_about_its_error(self):
        server = FeedServer()
        self.addCleanup(server.close)
        good = server.add_feed("/wire.rss", FeedDoc("Wire", "rss"))
        daemon = Daemon([("Harbour Wire", good), ("Missing", server.url("/nope.rss"))], [("m", "markets")],
                        interval="7m")
        self.assertEqual(daemon.start("--once").wait(), 0)
        table = wirewatch("feeds", "--config", daemon.config)
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertIn("NAME", table.stdout.splitlines()[0])
        wire = next(l for l in table.stdout.splitlines() if l.startswith("Harbour Wire"))
        self.assertIn(" 7m/", wire)
        self.assertIn("hint: check the URL", table.stdout)
        listed = {f["name"]: f for f in json.loads(wirewatch("feeds", "--config", daemon.config, "--json").stdout)}
        self.assertEqual(listed["Harbour Wire"]["interval"], "7m")
        self.assertEqual(listed["Missing"]["last_error_kind"], "not_found")
        self.assertIn("check the URL", listed["Missing"]["last_error_hint"])


class EntityTable(unittest.TestCase):
    def test_the_configs_entity_table_is_used_and_a_bad_line_stops_the_start(self):
        server = FeedServer()
        self.addCleanup(server.close)
        doc = FeedDoc("Wire", "rss")
        url = server.add_feed("/wire.rss", doc)
        daemon = Daemon([("Wire", url)], [("freedonia", "Freedonia")])
        table = os.path.join(daemon.dir, "entities.tsv")  # beside the config: found without a setting
        with open(table, "w") as f:
            f.write("FREEDONIA\tFreedonia\tFreedonia|Freedonian|Freedonians\n")
        self.assertEqual(daemon.start("--once").wait(), 0)
        server.add_items("/wire.rss", FeedItem("f-1", "Freedonian troops cross the border"))
        server.gate.clear()
        sub = Subscriber(daemon.pub)
        daemon.start("--once")
        sub.wait_ready()
        server.gate.set()
        self.assertEqual(daemon.wait(), 0)
        alerts = sub.wait_alerts(lambda a: len(a) >= 1)
        self.assertEqual(alerts[0][1]["item"]["title"], "Freedonian troops cross the border")
        sub.close()

        with open(table, "a") as f:
            f.write("BROKEN LINE WITHOUT TABS\n")
        self.assertEqual(daemon.start().wait(), 1)
        self.assertIn(f"{table}:2: expected key<TAB>name<TAB>form|form|...", daemon.logs())
        check = wirewatch("check-config", daemon.config)
        self.assertEqual(check.returncode, 1)
        self.assertIn(f"{table}:2:", check.stdout)


class ParseIntoMatch(unittest.TestCase):
    def test_parse_json_piped_into_match_reads_the_parsers_items(self):
        d = wwtest.tempdir("ww-pipe-")
        doc = FeedDoc("Wire", "rss")
        doc.add(FeedItem("p-1", "Dockers struck at the port of Antwerp"))
        doc.add(FeedItem("p-2", "Markets rally on rate hopes"))
        feed = os.path.join(d, "wire.rss")
        with open(feed, "wb") as f:
            f.write(doc.render())
        parsed = wirewatch("parse", "--json", feed)
        self.assertEqual(parsed.returncode, 0, parsed.stderr)
        r = subprocess.run([binary("wirewatch"), "match", "--query", "strike", "-"], input=parsed.stdout,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Dockers struck", r.stdout)
        self.assertNotIn("Markets rally", r.stdout)
        self.assertIn("read 2 items, 1 matched", r.stderr)
        bad = subprocess.run([binary("wirewatch"), "match", "--query", "strike", "-"], input="not a feed at all",
                             capture_output=True, text=True, timeout=60)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("expected a feed, JSON Lines of items, or the output of `wirewatch parse --json`", bad.stderr)


def wirewatch(*args):
    return subprocess.run([binary("wirewatch"), *args], capture_output=True, text=True, timeout=30)


class Help(unittest.TestCase):
    def commands(self):
        listing = wirewatch("--help")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        names = [line.split()[0] for line in listing.stdout.splitlines()
                 if line.startswith("  ") and line.strip()]
        self.assertGreaterEqual(len(names), 10, listing.stdout)
        return names

    def test_every_command_answers_help_three_ways_on_stdout(self):
        for name in self.commands():
            for form in (("help", name), (name, "-h"), (name, "--help")):
                with self.subTest(form=form):
                    r = wirewatch(*form)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    self.assertIn("usage: wirewatch", r.stdout)
                    self.assertEqual(r.stderr, "")

    def test_a_mistyped_command_gets_the_closest_one(self):
        r = wirewatch("chek-config")
        self.assertEqual(r.returncode, 2)
        self.assertIn('unknown command "chek-config" (did you mean "check-config"?)', r.stderr)
        r = wirewatch("help", "fedes")
        self.assertEqual(r.returncode, 2)
        self.assertIn('(did you mean "feeds"?)', r.stderr)


class InstallSets(unittest.TestCase):
    def packages(self, what):
        script = os.path.join(os.environ.get("WW_SOURCE_DIR", "."), "scripts", "install-deps.sh")
        r = subprocess.run(["bash", script, what, "--list"], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        return set(r.stdout.split())

    def test_make_run_installs_no_test_or_benchmark_tools(self):
        run, test = self.packages("run"), self.packages("test")
        for tool in ("clang-16", "nginx-light", "prometheus", "newsboat", "systemd", "libgtest-dev",
                     "libbenchmark-dev", "python3-feedparser"):
            self.assertNotIn(tool, run)
        self.assertLessEqual(run, test)  # make test sets up everything make run does
        for tool in ("libgtest-dev", "libgmock-dev", "python3-zmq", "systemd", "nginx-light", "prometheus"):
            self.assertIn(tool, test)
        self.assertIn("newsboat", self.packages("bench"))
        self.assertIn("clang-16", self.packages("fuzz"))


BUILD_DIR = os.path.dirname(os.path.abspath(wwtest.BIN_DIR))
GENERATED = os.path.join(BUILD_DIR, "systemd", "generated")


class ManPagesAndCompletion(unittest.TestCase):
    def commands(self):
        return [l.split()[0] for l in wirewatch("--help").stdout.splitlines() if l.startswith("  ") and l.strip()]

    def read(self, name):
        with open(os.path.join(GENERATED, name), encoding="utf-8") as f:
            return f.read()

    def test_the_pages_hold_every_command_and_option_the_programs_know(self):
        page = self.read("wirewatch.1")
        self.assertTrue(page.startswith(".TH WIREWATCH 1 "), page[:80])
        for name in self.commands():
            self.assertIn(f".SS {name.replace('-', chr(92) + '-')}\n", page)
            for opt in set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", wirewatch("help", name).stdout)):
                self.assertIn(opt.replace("-", "\\-"), page, f"{name} {opt}")
        daemon = self.read("wirewatchd.8")
        for opt in ("--config", "--once", "--state-dir", "--log-level"):
            self.assertIn(opt.replace("-", "\\-"), daemon)
        self.assertIn("[daemon]", self.read("wirewatch.toml.5"))

    def complete(self, *words):
        script = (f'source {os.path.join(GENERATED, "wirewatch.bash")}; COMP_WORDS=({" ".join(words)}); '
                  f'COMP_CWORD={len(words) - 1}; _{words[0]}; printf "%s\\n" "${{COMPREPLY[@]}}"')
        r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.split()

    def test_bash_completes_commands_and_each_commands_options(self):
        self.assertEqual(self.complete("wirewatch", "check-c"), ["check-config"])
        self.assertIn("feeds", self.complete("wirewatch", "help", "f"))
        self.assertIn("--topic", self.complete("wirewatch", "sub", "--to"))
        self.assertEqual(self.complete("wirewatchd", "--on"), ["--once"])

    def test_install_ships_pages_completions_and_the_bridge_config(self):
        with tempfile.TemporaryDirectory(prefix="ww-install-") as prefix:
            r = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", prefix],
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
            for path in ("share/man/man1/wirewatch.1", "share/man/man5/wirewatch.toml.5",
                         "share/man/man8/wirewatchd.8", "share/bash-completion/completions/wirewatch",
                         "share/bash-completion/completions/wirewatchd",
                         "share/zsh/vendor-completions/_wirewatch", "etc/wirewatch/bridge.toml",
                         "share/doc/wirewatch/copyright", "share/doc/wirewatch/changelog"):
                self.assertTrue(os.path.isfile(os.path.join(prefix, path)), path)


if __name__ == "__main__":
    wwtest.main()
