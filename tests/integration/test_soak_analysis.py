"""The soak's memory verdict (test_soak.memory_problems) on synthetic RSS series, so that what it
accepts and refuses is proven without the two-minute soak: a flat run with allocator noise and a
one-off burst step in the first half passes; a slope, a step-shaped leak, and a step in the second half (which the old verdict took
out as a level shift, and passed) fail."""

import random
import unittest

import wwtest
from test_soak import memory_problems

BASE_KIB = 76_000


def series(rss_at, samples=50, every=60, warmup=5):
    """Samples as soak.run returns them: `warmup` before the window, then `samples` taken every
    `every` polls; rss_at(i, polls) gives the KiB of window sample i after `polls` polls."""
    rng = random.Random(22)
    out = [{"t": i, "requests": i * every, "rss_kib": BASE_KIB - 3000 + 500 * i, "warm": False} for i in range(warmup)]
    for i in range(samples):
        polls = (warmup + i) * every
        out.append({"t": warmup + i, "requests": polls, "warm": True,
                    "rss_kib": int(rss_at(i, polls - warmup * every) + rng.uniform(-250, 250))})
    return out


class SoakVerdict(unittest.TestCase):
    def test_flat_with_noise_passes(self):
        self.assertEqual(memory_problems(series(lambda i, p: BASE_KIB)), [])

    def test_one_burst_step_in_the_first_half_passes(self):
        # The high-water mark of work in flight: one level shift early in the window, then flat.
        self.assertEqual(memory_problems(series(lambda i, p: BASE_KIB + (6144 if i >= 8 else 0))), [])

    def test_a_slope_of_one_kib_per_poll_fails(self):
        problems = memory_problems(series(lambda i, p: BASE_KIB + p))
        self.assertTrue(any("second half grows" in p for p in problems), problems)

    def test_a_step_in_the_second_half_fails(self):
        # 3 MiB that arrive late and stay: the old verdict took the largest rise out as a level
        # shift under 10 MiB and passed this (measured: 65 KiB of growth left).
        problems = memory_problems(series(lambda i, p: BASE_KIB + (3072 if i >= 40 else 0)))
        self.assertTrue(any("peaks" in p for p in problems), problems)

    def test_a_step_shaped_leak_fails(self):
        # 2 MiB every 1,000 polls: memory that rises at moments and never comes back.
        problems = memory_problems(series(lambda i, p: BASE_KIB + 2048 * (p // 1000)))
        self.assertNotEqual(problems, [])

    def test_a_small_late_step_under_the_noise_bounds_passes(self):
        # 512 KiB at the very end: within allocator noise; the bounds are not a hair trigger.
        self.assertEqual(memory_problems(series(lambda i, p: BASE_KIB + (512 if i >= 48 else 0))), [])

    def test_a_single_huge_rise_fails_even_early(self):
        problems = memory_problems(series(lambda i, p: BASE_KIB + (12 * 1024 if i >= 5 else 0)))
        self.assertTrue(any("single rise" in p for p in problems), problems)

    def test_too_few_samples_is_a_problem_not_a_pass(self):
        self.assertNotEqual(memory_problems(series(lambda i, p: BASE_KIB, samples=3)), [])


if __name__ == "__main__":
    wwtest.main()
