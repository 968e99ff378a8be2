"""What an operator's ordinary mistakes meet (issue: nothing fails silently): a second daemon on
the same state directory refuses to start, naming the first one's pid."""

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
    unittest.main(verbosity=2)
