"""`wirewatch check-config FILE`: exit 0 on a good config (drop-ins, CURVE keys and a sink
included), exit 1 with every problem listed at its location otherwise."""

import os
import re
import shutil
import subprocess
import unittest

from wwtest import binary, toml_str
import wwtest

PLUGIN_DIR = os.environ.get("WW_PLUGIN_DIR", "")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def line_of(text, needle):
    """1-based line of the first line containing needle."""
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in config")


class CheckConfig(unittest.TestCase):
    def setUp(self):
        self.dir = wwtest.tempdir("ww-check-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def check(self, config, *args):
        r = subprocess.run([binary("wirewatch"), "check-config", *args, config], capture_output=True, text=True,
                           env=dict(os.environ, WW_PLUGIN_DIR=PLUGIN_DIR))
        return r.returncode, r.stdout, r.stderr

    def test_a_good_config_passes(self):
        import zmq.auth
        public, secret = zmq.auth.create_certificates(self.dir, "server")
        os.chmod(secret, 0o600)
        client_public, _ = zmq.auth.create_certificates(self.dir, "client")
        if not os.path.exists(os.path.join(PLUGIN_DIR, "webhook.so")):
            self.skipTest(f"the webhook plugin is not built in {PLUGIN_DIR!r}")
        text = "\n".join([
            "[daemon]", 'state_dir = "state"',
            "[publish]", 'endpoint = "tcp://0.0.0.0:5556"',  # non-local is fine with CURVE on
            f"curve_secret_key_file = {toml_str(os.path.basename(secret))}",
            f"curve_allowed_clients = {toml_str(client_public)}",
            "[http]", 'listen = "127.0.0.1:9108"',
            "[[feed]]", 'name = "World Desk"', 'url = "https://news.example/world.rss"',
            "[[watchlist]]", 'name = "budget-watch"', 'query = "budget OR spending"', 'feeds = ["World Desk"]',
            "[[sink]]", 'name = "archive"', 'plugin = "webhook"', 'url = "https://hooks.example/ww"',
            'watchlists = ["*-watch"]',
        ]) + "\n"
        config = write(os.path.join(self.dir, "wirewatch.toml"), text)
        write(os.path.join(self.dir, "watchlists.d", "more.toml"),
              '[[watchlist]]\nname = "trade-watch"\nquery = "\\"free trade\\" NEAR/3 agreement"\n')
        status, out, err = self.check(config)
        self.assertEqual(status, 0, out + err)
        self.assertIn("OK (1 feeds, 2 watchlists, 1 sinks)", out)
        self.assertEqual(self.check(config, "--quiet")[1], "")

    def test_credentials_are_seen_as_the_unit_presents_them(self):
        if not os.path.exists(os.path.join(PLUGIN_DIR, "webhook.so")):
            self.skipTest(f"the webhook plugin is not built in {PLUGIN_DIR!r}")
        text = "\n".join([
            "[[watchlist]]", 'name = "budget-watch"', 'query = "budget"',
            "[[sink]]", 'name = "archive"', 'plugin = "webhook"', 'url = "https://hooks.example/ww"',
            'secret_file = "credential:wirewatch_webhook.secret"',
        ]) + "\n"
        config = write(os.path.join(self.dir, "wirewatch.toml"), text)
        # LoadCredential=wirewatch:<config dir>/credentials names the file wirewatch_webhook.secret.
        status, out, _ = self.check(config)
        self.assertEqual(status, 1, out)
        self.assertIn("archive", out)
        write(os.path.join(self.dir, "credentials", "webhook.secret"), "s3cret\n")
        status, out, err = self.check(config)
        self.assertEqual(status, 0, out + err)
        self.assertNotIn("s3cret", out + err)
        # An explicit directory wins, as $CREDENTIALS_DIRECTORY does inside the service.
        elsewhere = os.path.join(self.dir, "run-credentials")
        os.makedirs(elsewhere)
        self.assertEqual(self.check(config, "--credentials-dir", elsewhere)[0], 1)

    def test_a_toml_syntax_error_is_located(self):
        text = '[daemon]\nlog_level = "info"\n[[feed]]\nurl = "https://x.example/feed\n'
        config = write(os.path.join(self.dir, "wirewatch.toml"), text)
        status, out, _ = self.check(config)
        self.assertEqual(status, 1)
        self.assertRegex(out, re.escape(config) + r":4:\d+: ")

    def test_every_problem_is_listed_with_its_location(self):
        text = "\n".join([
            "[publish]",
            'curve_secret_key_file = "missing.key"',
            "[http]",
            'listen = "nowhere"',
            "[[feed]]", 'name = "World Desk"', 'url = "https://news.example/world.rss"',
            'password_file = "no-such-password"',
            "[[watchlist]]", 'name = "only-negative"', 'query = "-sport"',
            "[[watchlist]]", 'name = "unbalanced"', 'query = "(china OR russia"',
            "[[watchlist]]", 'name = "restricted"', 'query = "budget"', 'feeds = ["No Such Feed"]',
            "[[sink]]", 'name = "ghost"', 'plugin = "no-such-plugin"', 'url = "https://hooks.example/x"',
            'watchlists = ["nothing-*"]',
        ]) + "\n"
        config = write(os.path.join(self.dir, "wirewatch.toml"), text)
        status, out, err = self.check(config)
        self.assertEqual(status, 1, out)
        lines = out.splitlines()

        def reported(where, *words):
            hits = [l for l in lines if l.startswith(where) and all(w in l for w in words)]
            self.assertTrue(hits, f"nothing at {where} with {words} in:\n{out}")

        at = lambda needle: f"{config}:{line_of(text, needle)}:"
        reported(at("[[watchlist]]"), "only-negative")  # the first [[watchlist]] table
        reported(config, "unbalanced")
        reported(config, "restricted", "No Such Feed")
        reported(config, "ghost", "no-such-plugin")
        reported(config, "ghost", "nothing-*")
        reported(f"{config}: [http] listen", "nowhere")
        reported(f"{config}: [publish] curve_secret_key_file", "missing.key", "does not exist")
        reported(config, "World Desk", "no-such-password", "does not exist")
        self.assertIn("8 problems", err)
        # Located problems carry line:column.
        self.assertTrue(all(re.match(re.escape(config) + r"(:\d+:\d+|: \[)", l) for l in lines), out)

    def test_a_public_endpoint_without_curve_is_refused(self):
        text = '[publish]\nendpoint = "tcp://0.0.0.0:5556"\n'
        config = write(os.path.join(self.dir, "wirewatch.toml"), text)
        status, out, _ = self.check(config)
        self.assertEqual(status, 1)
        self.assertIn(f"{config}: [publish] endpoint:", out)

    def test_a_missing_file_and_usage(self):
        status, out, err = self.check(os.path.join(self.dir, "absent.toml"))
        self.assertEqual(status, 1)
        self.assertIn("absent.toml", out)
        r = subprocess.run([binary("wirewatch"), "check-config"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    wwtest.main()  # ctest: Skipped when a test skipped (docs/testing.md)
