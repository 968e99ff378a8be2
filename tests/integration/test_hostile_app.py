"""Hostile inputs, round two, on the app side (issue 16): secrets in feed URLs never shown
(items 2), a symlink loop or dangling link in feeds.d/ or watchlists.d/ reported through the
config error path (item 9), and check-config reading plugins without running them (item 17).
Real daemon, real HTTP on loopback, real sd_notify; synchronised on READY, served requests and
the HTTP API, never on sleeps."""

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import time
import unittest

from test_systemd import NotifySocket, http_get
import wwtest
from wwtest import Daemon, FeedDoc, FeedItem, FeedServer, Subscriber, binary, failed, toml_str

SECRETS = ["hunter2pw", "s3cretA", "s3cretB", "pw4bob99", "alice:", "bob:"]


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DaemonCase(unittest.TestCase):
    def setUp(self):
        self.dir = wwtest.tempdir("ww-hostile-app-")
        self.server = FeedServer()
        self.notify = NotifySocket(self.dir)
        self.saved = os.environ.get("NOTIFY_SOCKET")
        os.environ["NOTIFY_SOCKET"] = self.notify.path
        self.daemon = None

    def tearDown(self):
        if self.saved is None:
            os.environ.pop("NOTIFY_SOCKET", None)
        else:
            os.environ["NOTIFY_SOCKET"] = self.saved
        if self.daemon:
            self.daemon.stop()
            if failed(self) or os.environ.get("WW_KEEP_LOGS"):
                print(self.daemon.logs())
        self.notify.close()
        self.server.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def api(self, path):
        status, _, body = http_get(self.daemon.http_port, path)
        self.assertEqual(status, 200, f"{path}: {body}")
        return body


class SecretsInFeedUrls(DaemonCase):
    """Item 2: user:pass@ and query values of a nameless feed's URL appear nowhere people look."""

    def test_userinfo_and_query_never_shown(self):
        doc = FeedDoc("Wire")
        doc.add(FeedItem("a-1", "Tariffs rise"))
        self.server.add_feed("/feed.xml", doc)
        good = f"http://alice:hunter2pw@127.0.0.1:{self.server.port}/feed.xml?token=s3cretA"
        bad = f"http://bob:pw4bob99@127.0.0.1:{closed_port()}/gone.xml?key=s3cretB&lang=en"
        feeds = "".join(f"\n[[feed]]\nurl = {toml_str(u)}\ninterval = \"1s\"\n" for u in (good, bad))
        self.daemon = Daemon([], [("w", "tariffs")], workdir=self.dir, extra=feeds)
        self.daemon.start()
        self.notify.wait_for("READY")
        self.server.wait_for_requests("/feed.xml", 1)
        deadline = time.monotonic() + 30
        while True:  # until both outcomes are recorded (each poll of the API is a real answer)
            listed = json.loads(self.api("/api/feeds"))
            if any(f["last_success"] for f in listed) and any(f["last_error"] for f in listed):
                break
            self.assertLess(time.monotonic(), deadline, f"feeds never settled: {listed}")
            self.server.wait_for_requests("/feed.xml", self.server.request_count("/feed.xml") + 1)

        api = self.api("/api/feeds")
        metrics = self.api("/metrics")
        cli = subprocess.run([binary("wirewatch"), "feeds", "--config", self.daemon.config],
                             capture_output=True, text=True, timeout=30)
        cli_json = subprocess.run([binary("wirewatch"), "feeds", "--config", self.daemon.config, "--json"],
                                  capture_output=True, text=True, timeout=30)
        self.assertEqual(cli.returncode, 0, cli.stderr)
        self.assertEqual(cli_json.returncode, 0, cli_json.stderr)
        self.daemon.stop()
        shown = {"log": self.daemon.logs(), "/api/feeds": api, "/metrics": metrics,
                 "wirewatch feeds": cli.stdout + cli.stderr, "wirewatch feeds --json": cli_json.stdout}
        for where, text in shown.items():
            for secret in SECRETS:
                self.assertNotIn(secret, text, f"{secret!r} shown in {where}")
        redacted = f"http://***@127.0.0.1:{self.server.port}/feed.xml?token=***"
        self.assertIn(redacted, api)
        self.assertIn(redacted, cli.stdout)
        self.assertIn(f'feed="{redacted}"', metrics)  # the label of a nameless feed
        self.assertIn("key=***&lang=***", shown["log"])  # the failing feed is named, redacted
        self.assertIn("fetch: error", shown["log"])


class HostileTextInSubOutput(DaemonCase):
    """Items 15 and 16: an item whose title carries bidi overrides and isolates and whose link
    is javascript: reaches the envelope as published, but `wirewatch sub` prints neither."""

    def test_sub_prints_no_bidi_controls_and_no_javascript_link(self):
        doc = FeedDoc("Wire")
        doc.add(FeedItem("old", "Old news"))
        url = self.server.add_feed("/feed.xml", doc)
        self.daemon = Daemon([("wire", url)], [("w", "tariffs")], workdir=self.dir)
        sub = Subscriber(self.daemon.pub, b"alert.")
        self.daemon.start()
        self.notify.wait_for("READY")
        self.server.wait_for_requests("/feed.xml", 1)
        sub.wait_ready()
        title = "Tariffs \u202egnp.exe\u202c \u2066isolated\u2069 \u202aembedded\u202c"
        self.server.add_items("/feed.xml", FeedItem("evil", title, link="javascript:alert(document.cookie)"))
        alerts = sub.wait_alerts(lambda a: len(a) >= 1)
        sub.close()
        item = alerts[0][1]["item"]
        self.assertIn("\u202e", item["title"], "the envelope should carry the title as published")
        state = os.path.join(self.dir, "sub.state")
        out = subprocess.run([binary("wirewatch"), "sub", "--endpoint", self.daemon.pub, "--replay-endpoint",
                              self.daemon.replay, "--resume", state, "--count", "1"],
                             capture_output=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        text = out.stdout.decode()
        self.assertIn("Tariffs gnp.exe isolated embedded", text)
        for bad in ["\u202a", "\u202c", "\u202e", "\u2066", "\u2069"]:
            self.assertNotIn(bad, text)
        for c in range(0x80, 0xA0):
            self.assertNotIn(chr(c), text)
        if item.get("link", "").startswith("javascript:"):
            self.assertNotIn("javascript", text)


class ConfigFilesystemErrors(DaemonCase):
    """Item 9: a symlink loop, a dangling link or a looping directory in feeds.d/ or
    watchlists.d/ is a config problem naming the path: check-config exits 1 (not 134) and a
    reload keeps the running config (the daemon does not abort)."""

    def check_config(self, config):
        return subprocess.run([binary("wirewatch"), "check-config", config], capture_output=True, text=True,
                              timeout=60)

    def test_symlink_loop_on_sighup_keeps_the_daemon(self):
        doc = FeedDoc("Wire")
        url = self.server.add_feed("/feed.xml", doc)
        self.daemon = Daemon([("wire", url)], [("w", "tariffs")], workdir=self.dir)
        os.mkdir(os.path.join(self.dir, "feeds.d"))
        self.daemon.start()
        self.notify.wait_for("READY")
        loop = os.path.join(self.dir, "feeds.d", "loop.toml")
        os.symlink("loop.toml", loop)
        os.kill(self.daemon.proc.pid, signal.SIGHUP)
        self.notify.wait_for("RELOADING")
        self.notify.wait_for("READY")
        self.assertIsNone(self.daemon.proc.poll(), "the daemon died on the reload")
        self.assertEqual(http_get(self.daemon.http_port, "/healthz")[0], 200)
        logs = self.daemon.logs()
        self.assertIn(loop, logs)
        self.assertIn("Too many levels of symbolic links", logs)
        self.assertIn("reload rejected", logs)
        # The running config still polls its feed.
        before = self.server.request_count("/feed.xml")
        self.server.wait_for_requests("/feed.xml", before + 1)

        r = self.check_config(self.daemon.config)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(loop + ": cannot read the file: Too many levels of symbolic links", r.stdout)

    def test_dangling_link_and_looping_directory_are_reported(self):
        self.daemon = None
        cfg = Daemon([], [("w", "tariffs")], workdir=self.dir)
        os.mkdir(os.path.join(self.dir, "feeds.d"))
        dangling = os.path.join(self.dir, "feeds.d", "gone.toml")
        os.symlink("nowhere.toml", dangling)
        looping_dir = os.path.join(self.dir, "watchlists.d")
        os.symlink("watchlists.d", looping_dir)
        r = self.check_config(cfg.config)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(dangling + ": dangling symbolic link", r.stdout)
        self.assertIn(looping_dir + ": cannot read the directory: Too many levels of symbolic links", r.stdout)


    def test_unreadable_directory_and_file_are_reported(self):
        cfg = Daemon([], [("w", "tariffs")], workdir=self.dir)
        feeds_d = os.path.join(self.dir, "feeds.d")
        watch_d = os.path.join(self.dir, "watchlists.d")
        os.mkdir(feeds_d)
        os.mkdir(watch_d)
        secret = os.path.join(watch_d, "secret.toml")
        with open(secret, "w") as f:
            f.write('[[watchlist]]\nname = "x"\nquery = "y"\n')
        os.chmod(secret, 0o600)
        os.chmod(feeds_d, 0o700)
        cmd = [binary("wirewatch"), "check-config", cfg.config]
        if os.geteuid() == 0:
            # root ignores permission bits: check as nobody, who may read the config but not these.
            if not shutil.which("setpriv"):
                self.skipTest("running as root without setpriv")
            os.chmod(self.dir, 0o755)
            os.chmod(cfg.config, 0o644)
            os.chmod(watch_d, 0o755)
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(feeds_d + ": cannot read the directory: Permission denied", r.stdout)
        self.assertIn(secret + ": cannot read the file: Permission denied", r.stdout)


class PluginsAreReadNotRun(unittest.TestCase):
    """Item 17: check-config does not dlopen plugins unless --load-plugins, and a plugin file or
    directory that others could write is refused, naming the file and its mode."""

    def setUp(self):
        self.dir = wwtest.tempdir("ww-plugins-")
        os.chmod(self.dir, 0o755)
        self.plugins = os.path.join(self.dir, "plugins")
        os.mkdir(self.plugins, 0o755)
        os.chmod(self.plugins, 0o755)
        source = os.path.join(os.environ.get("WW_TEST_PLUGIN_DIR", ""), "ctor_mark.so")
        if not os.path.exists(source):
            self.skipTest(f"{source} is not built")
        self.plugin = os.path.join(self.plugins, "ctor_mark.so")
        shutil.copy(source, self.plugin)
        os.chmod(self.plugin, 0o755)
        self.mark = os.path.join(self.dir, "mark")
        self.config = os.path.join(self.dir, "wirewatch.toml")
        with open(self.config, "w") as f:
            f.write(f'[daemon]\nstate_dir = {toml_str(os.path.join(self.dir, "state"))}\n'
                    '[[watchlist]]\nname = "w"\nquery = "tariffs"\n'
                    '[[sink]]\nname = "marker"\nplugin = "ctor_mark"\n')

    def tearDown(self):
        os.chmod(self.plugins, 0o700)
        shutil.rmtree(self.dir, ignore_errors=True)

    def check(self, *extra):
        env = dict(os.environ, WW_CTOR_MARK=self.mark)
        return subprocess.run([binary("wirewatch"), "check-config", "--plugin-dir", self.plugins, *extra, self.config],
                              capture_output=True, text=True, timeout=60, env=env)

    def test_check_config_reads_the_plugin_without_running_it(self):
        r = self.check()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertFalse(os.path.exists(self.mark), "check-config ran the plugin's constructor")
        r = self.check("--load-plugins")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertTrue(os.path.exists(self.mark), "--load-plugins did not load: this test proves nothing")

    def test_writable_plugin_or_directory_is_refused(self):
        os.chmod(self.plugin, 0o757)
        r = self.check()
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"{self.plugin} is writable by group or others (mode 0757)", r.stdout)
        os.chmod(self.plugin, 0o755)
        os.chmod(self.plugins, 0o777)
        r = self.check("--load-plugins")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"directory {self.plugins} is writable by group or others (mode 0777)", r.stdout)
        self.assertFalse(os.path.exists(self.mark), "a refused plugin was loaded")

    def test_the_daemon_refuses_a_writable_plugin_and_does_not_load_it(self):
        d = Daemon([], [("w", "tariffs")], workdir=self.dir,
                   extra='[[sink]]\nname = "marker"\nplugin = "ctor_mark"\n')
        with open(d.config) as f:
            text = f.read().replace("[daemon]\n", f"[daemon]\nplugin_dir = {toml_str(self.plugins)}\n", 1)
        with open(d.config, "w") as f:
            f.write(text)
        os.chmod(self.plugin, 0o775)
        env = dict(os.environ, WW_CTOR_MARK=self.mark)
        # --once: without the check it would load the plugin, poll nothing and exit 0.
        r = subprocess.run([binary("wirewatchd"), "--config", d.config, "--once"], capture_output=True, text=True,
                           timeout=60, env=env)
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(f"{self.plugin} is writable by group or others (mode 0775)", r.stdout + r.stderr)
        self.assertFalse(os.path.exists(self.mark), "the daemon loaded a plugin others could have written")


if __name__ == "__main__":
    unittest.main(verbosity=2)
