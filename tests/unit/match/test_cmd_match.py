"""wirewatch match: both forms, --json, --explain, feed and JSON Lines input, exit codes."""
import json
import os
import subprocess
import sys
import unittest

BIN = os.path.join(os.environ.get("WW_BIN_DIR", "build/bin"), "wirewatch")
FIX = os.path.join(os.environ.get("WW_SOURCE_DIR", "."), "tests", "fixtures", "match")


def run(*args, stdin=None):
    return subprocess.run([BIN, "match", *args], input=stdin, capture_output=True, text=True, timeout=60)


class MatchCommand(unittest.TestCase):
    def test_watchlists_json_lines_json_output(self):
        r = run("--watchlists", os.path.join(FIX, "watchlists.toml"), "--json", os.path.join(FIX, "items.jsonl"))
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(l) for l in r.stdout.splitlines()]
        got = sorted((l["item"], l["watchlist"]) for l in lines)
        self.assertEqual(got, [(0, "china-russia-security"), (1, "tariffs-clean-energy"), (3, "sanctions-ru")])
        first = [l for l in lines if l["item"] == 0][0]
        self.assertEqual(first["terms"], ["China", "Russia", "security"])
        self.assertIn("title", first["fields"])
        self.assertIn("China", first["snippet"])

    def test_query_explain_on_a_feed_file(self):
        r = run("--query", "cooperation Arctic", "--explain", os.path.join(FIX, "feed.rss"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("item 0\tquery\tArctic talks", r.stdout)
        self.assertIn("terms:   cooperation, Arctic", r.stdout)
        self.assertNotIn("item 1", r.stdout)

    def test_stdin_and_no_match_is_success(self):
        r = run("--query", "volcano", "-", stdin='{"title": "Rain all week"}\n')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")

    def test_query_error_exit_2_names_column(self):
        r = run("--query", "sanctions Iran OR", os.path.join(FIX, "items.jsonl"))
        self.assertEqual(r.returncode, 2)
        self.assertIn('watchlist "query": column 18: expected a word, a phrase or "(" after OR', r.stderr)

    def test_invalid_watchlist_file_exit_2(self):
        r = run("--watchlists", os.path.join(FIX, "bad-watchlists.toml"), os.path.join(FIX, "items.jsonl"))
        self.assertEqual(r.returncode, 2)
        self.assertIn('watchlist "broken"', r.stderr)

    def test_input_errors_exit_2(self):
        self.assertEqual(run("--query", "x", "/nonexistent/input.jsonl").returncode, 2)
        r = run("--query", "x", "-", stdin='{"title": "ok"}\nnot json\n')
        self.assertEqual(r.returncode, 2)
        self.assertIn(":2:", r.stderr)
        self.assertEqual(run("--query", "x").returncode, 2)  # no INPUT


if __name__ == "__main__":
    unittest.main(verbosity=2)
