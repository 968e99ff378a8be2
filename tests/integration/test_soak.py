"""Memory soak (issue 9), bounded for CI: the daemon polls 30 changing feeds every second, each
poll bringing a new item of about 12 KB. Once the state database has outgrown SQLite's page
cache (the warm-up, about a minute), 3,000 more polls must not grow its resident memory. The
run itself is bench/soak/soak.py, which also runs for an hour (`--minutes 60`)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("WW_SOURCE_DIR", "."), "bench", "soak"))
import soak  # noqa: E402

POLLS = int(os.environ.get("WW_SOAK_POLLS", "3000"))
# Allowed growth over the measured polls, read off a least-squares line through every sample so
# that one allocation spike does not decide. Measured: a few hundred KiB either way (allocator
# noise); a leak of 1 KiB per poll would show as about 3,000 KiB.
TOLERANCE_KIB = 1536


class Soak(unittest.TestCase):
    def test_resident_memory_stays_flat_while_feeds_change(self):
        r = soak.run(measure_requests=POLLS)
        text = soak.summary(r) + "; samples (s, KiB): " + " ".join(
            f"{s['t']:.0f}:{s['rss_kib']}{'' if s['warm'] else '(warm-up)'}" for s in r["samples"])
        print("soak:", text)
        self.assertEqual(r["exit_code"], 0, "the daemon's exit code after SIGTERM:\n" + r["log_tail"])
        # The run really exercised the pipeline: nearly every poll was a 200 with a new item.
        self.assertGreater(r["items_new"], 0.8 * r["samples"][-1]["requests"], text)
        self.assertGreater(r["alerts"], 0, text)
        self.assertGreaterEqual(r["warm_samples"], 20, text)
        self.assertLess(r["growth_over_window_kib"], TOLERANCE_KIB, text)


if __name__ == "__main__":
    unittest.main()
