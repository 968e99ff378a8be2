"""wirewatch match: both forms, --json, --explain (hits and misses), feed and JSON Lines input, exit codes;
wirewatch query: how a query is read."""
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
        # --explain also says why the other items did not match (issue 15).
        self.assertRegex(r.stdout, r"item 1\tquery\t[^\n]*\tno match: ")
        self.assertNotIn("item 0\tquery\tArctic talks\tno match", r.stdout)

    def test_stdin_and_no_match_is_success(self):
        r = run("--query", "volcano", "-", stdin='{"title": "Rain all week"}\n')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")

    def test_explain_says_what_was_found_and_what_is_missing(self):
        items = '{"title": "Security talks in Geneva"}\n{"title": "Chinese and Russian security officials meet"}\n'
        r = run("--query", "China Russia security", "--explain", "-", stdin=items)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("item 0\tquery\tSecurity talks in Geneva\tno match: security found; China, Russia missing\n",
                      r.stdout)
        self.assertIn('terms:   China (as "Chinese"), Russia (as "Russian"), security', r.stdout)
        self.assertTrue(r.stderr.endswith("read 2 items, 1 matched\n"), r.stderr)

    def test_explain_json_misses(self):
        r = run("--query", "volcano ash", "--explain", "--json", "-", stdin='{"title": "Ash Wednesday"}\n')
        self.assertEqual(r.returncode, 0, r.stderr)
        line = json.loads(r.stdout)
        self.assertEqual((line["match"], line["found"], line["missing"]), (False, ["ash"], ["volcano"]))

    def test_summary_line_also_when_nothing_matched(self):
        r = run("--query", "volcano", "-", stdin='{"title": "Rain all week"}\n')
        self.assertEqual(r.stderr, "read 1 item, 0 matched\n")

    def test_unknown_field_is_an_error_with_a_suggestion(self):
        r = run("--query", "titel:Iran", os.path.join(FIX, "items.jsonl"))
        self.assertEqual(r.returncode, 2)
        self.assertIn('unknown field "titel:"; did you mean "title:"?', r.stderr)


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


def query(*args):
    return subprocess.run([BIN, "query", *args], capture_output=True, text=True, timeout=60)


class QueryCommand(unittest.TestCase):
    def test_terms_and_what_they_expand_to(self):
        r = query("China Russia security")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("read as: China AND Russia AND security", r.stdout)
        china = [l for l in r.stdout.splitlines() if l.strip().startswith("China ")][0]
        self.assertIn("entity only", china)
        self.assertIn("chinese", china)
        russia = [l for l in r.stdout.splitlines() if l.strip().startswith("Russia ")][0]
        self.assertIn("russland", russia)
        self.assertIn("россия", russia)

    def test_json_and_warnings(self):
        r = query("--json", "strike or colour x -x")
        self.assertEqual(r.returncode, 0, r.stderr)
        reading = json.loads(r.stdout)
        terms = {t["term"]: t for t in reading["terms"]}
        self.assertIn("struck", terms["strike"]["forms"])
        self.assertTrue(any(f.startswith("spellings:") for f in terms["colour"]["forms"]))
        self.assertTrue(any('lower-case "or"' in w for w in reading["warnings"]))
        self.assertTrue(any("never match" in w for w in reading["warnings"]))

    def test_quoted_word_is_exact(self):
        reading = json.loads(query("--json", '"Russia"').stdout)
        self.assertEqual(reading["terms"][0]["kind"], "exact")
        self.assertEqual(reading["terms"][0]["forms"], [])

    def test_invalid_query_exit_2(self):
        r = query("headline:Iran")
        self.assertEqual(r.returncode, 2)
        self.assertIn('unknown field "headline:"', r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
