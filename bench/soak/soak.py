#!/usr/bin/env python3
"""Memory soak of wirewatchd: the daemon polls changing feeds on loopback and its resident memory
(VmRSS of /proc/<pid>/status) is sampled as the polls go by. The CI test
(tests/integration/test_soak.py) measures 3,000 polls after the warm-up; here, for an hour:

  python3 bench/soak/soak.py --bin-dir build/bin --minutes 60 --csv soak.csv

Every feed adds one new item each time it is served, so every poll is a 200 with a new item to
parse, identify, match, record and publish (most items match several watchlists); the oldest
items roll off the feed. Samples are taken on observed events, each time the feeds have been
requested another `sample_every` times in total (no sleeps). The warm-up lasts until the state
database has outgrown SQLite's page cache (WARMUP_DB_BYTES) and the matcher's word caches have
reached their bound (WARMUP_REQUESTS); after it, a least-squares line
through RSS gives the growth per 1000 polls and per minute. Figures: docs/robustness.md."""

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "helpers"))

from wwtest import Daemon, FeedDoc, FeedItem, FeedServer  # noqa: E402

WORDS = ("election minister parliament storm flood earthquake market shares bank inflation "
         "court ruling strike union border talks summit energy pipeline vaccine outbreak "
         "satellite launch drought harvest protest coalition budget tariff ceasefire").split()
# Most items match several of these: the alerts (envelopes in the store, messages on the PUB
# socket) are most of what grows the database, which shortens the warm-up.
WATCHLISTS = [("quakes", "earthquake OR flood"), ("economy", "inflation AND bank"),
              ("diplomacy", '"border talks" OR summit'), ("energy", "pipeline NEAR/3 energy"),
              ("labour", "strike OR protest"), ("courts", '"court ruling"'),
              ("health", "vaccine OR outbreak"), ("space", '"satellite launch"')]


# Words never seen before that every item brings, beyond its number: real feeds bring new names,
# figures and typos for ever, and the matcher's per-thread word and stem caches must stay bounded
# (match::Occurrences::kCacheWords, match::Stemming::kCacheWords: 65,536 words each) instead of
# growing with them. At this rate every thread's caches reach their bound within the warm-up.
NEW_WORDS_PER_ITEM = 200
CACHE_WORDS = 65536
WORKERS = 2  # [daemon] workers, the default


class ChangingFeed(FeedDoc):
    """A feed that gains a new item every time it is rendered (once per request) and keeps the
    newest `keep`, so that each poll brings new text and drops an old item. Items carry about
    12 KB of text, so that the state database grows past SQLite's page cache early."""

    def __init__(self, name, keep, rng):
        super().__init__(f"Soak {name}", "atom" if int(name[1:]) % 3 == 0 else "rss",
                         f"https://soak.example/{name}/")
        self.name, self.keep, self.rng, self.n = name, keep, rng, 0

    def render(self):
        self.n += 1
        paragraphs = [" ".join(self.rng.choice(WORDS) for _ in range(40)) for _ in range(40)]
        paragraphs.append(" ".join(f"k{self.rng.getrandbits(48):x}" for _ in range(NEW_WORDS_PER_ITEM)))
        # A number unique to the item: real feeds keep bringing words never seen before.
        self.add(FeedItem(f"{self.name}-{self.n}", f"{self.name} story {self.n}: {paragraphs[0][:80]}",
                          summary=f"Report {self.n * 7919} {paragraphs[1]}",
                          content="".join(f"<p>{p}</p>" for p in paragraphs)))
        del self.items[self.keep:]
        return super().render()


def rss_of(pid):
    """VmRSS and its parts (KiB): anonymous memory (heap, arenas, SQLite's page cache) versus
    file and shared mappings (the WAL index), which tell an allocator step from a cache."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key = line.split(":")[0]
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                out[key] = int(line.split()[1])
    if "VmRSS" not in out:
        raise RuntimeError(f"no VmRSS for pid {pid}")
    return out


def metric(port, name):
    """The sum of every sample of one metric family on /metrics."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def slope(samples, x):
    """Least-squares slope of RSS (KiB) over samples[x]."""
    xs = [s[x] for s in samples]
    ys = [s["rss_kib"] for s in samples]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((v - mx) ** 2 for v in xs)
    return sum((a - mx) * (b - my) for a, b in zip(xs, ys)) / sxx if sxx else 0.0


def wait_requests(server, total, deadline):
    with server.cond:
        while sum(server.requests.values()) < total:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"the daemon made {sum(server.requests.values())} requests, "
                                     f"expected {total} before the deadline")
            server.cond.wait(left)


# The store gives SQLite a 16 MiB page cache (store::Options::cache_kib): resident memory grows
# until the database outgrows it. The warm-up ends on that observable event, whatever the pace
# (with a margin: the cache holds index pages and the schema too).
WARMUP_DB_BYTES = 20 << 20
# ... and until every worker's match caches have filled and started afresh twice, with as much
# again for margin (each worker analyses about 1/WORKERS of the items), so that what follows is
# their steady state: 2,620 polls, about a minute and a half.
POLLS_PER_CACHE_FILL = WORKERS * CACHE_WORDS // NEW_WORDS_PER_ITEM
WARMUP_REQUESTS = 4 * POLLS_PER_CACHE_FILL


def seconds_of(interval):
    """"1s", "500ms", "2m" -> seconds."""
    for suffix, scale in (("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)):
        if interval.endswith(suffix):
            return float(interval[:-len(suffix)]) * scale
    return float(interval)


def force_burst(daemon, server, feeds, pause_s, log):
    """Stops the daemon long enough for every feed to fall due, then lets it go: all feeds are
    fetched, parsed and recorded at once, the most polls the daemon can ever have in flight
    here (max_in_flight is 64). Resident memory keeps such a high-water mark (glibc keeps freed
    chunks in its arenas), and feeds with equal explicit intervals can lock into one burst at
    any time by themselves (they did at minute 15 of an hour run); forcing it during the warm-up
    puts that level in the baseline instead of in the measured window."""
    with server.cond:
        before = sum(server.requests.values())
    os.kill(daemon.proc.pid, signal.SIGSTOP)
    try:
        time.sleep(pause_s)  # the stimulus itself (time for every feed to fall due), not a wait
    finally:
        os.kill(daemon.proc.pid, signal.SIGCONT)
    wait_requests(server, before + 2 * feeds, time.monotonic() + 120)
    log(f"soak: forced a burst of {feeds} polls; rss={rss_of(daemon.proc.pid)['VmRSS']} KiB")


def run(bin_dir=None, feeds=30, interval="1s", keep=5, measure_requests=None, measure_seconds=None,
        sample_every=60, bursts=0, log=print):
    """Warms up until the state database passes WARMUP_DB_BYTES, then samples until
    `measure_requests` more feed requests were served or `measure_seconds` passed. Returns a report
    (samples, slopes, growth over the measured window). `bursts` > 0 ends the warm-up with that
    many forced bursts of every feed at once (force_burst)."""
    if bin_dir:
        import wwtest
        wwtest.BIN_DIR = bin_dir
    rng = random.Random(9)
    server = FeedServer()
    docs = {f"/f{i}.xml": ChangingFeed(f"f{i}", keep, rng) for i in range(feeds)}
    # FeedServer renders under its lock, so one Random shared by the feeds is safe.
    urls = [(d.name, server.add_feed(path, d)) for path, d in docs.items()]
    workdir = tempfile.TemporaryDirectory(prefix="ww-soak-")
    daemon = Daemon(urls, WATCHLISTS, workdir=workdir.name, interval=interval, heartbeat="1s")
    db = os.path.join(workdir.name, "state", "wirewatch.db")
    samples = []
    daemon.start()
    try:
        start = time.monotonic()
        target, measure_from, bursts_left = 0, None, bursts
        while True:
            target += sample_every
            # Generous: a loaded machine may poll slower than the interval, never this slowly.
            wait_requests(server, target, time.monotonic() + 120)
            if daemon.proc.poll() is not None:
                raise AssertionError(f"the daemon exited with {daemon.proc.returncode}")
            s = {"t": round(time.monotonic() - start, 2), "requests": target,
                 "fetches": metric(daemon.http_port, "wirewatch_fetches_total"),
                 "items_new": metric(daemon.http_port, "wirewatch_items_new_total"),
                 "db_bytes": os.path.getsize(db) if os.path.exists(db) else 0,
                 **{k: v for k, v in rss_of(daemon.proc.pid).items() if k != "VmRSS"},
                 "rss_kib": rss_of(daemon.proc.pid)["VmRSS"]}
            s["warm"] = measure_from is not None
            samples.append(s)
            if len(samples) % 10 == 1:
                log(f"soak: t={s['t']:.0f}s requests={target} fetches={s['fetches']:.0f} "
                    f"new items={s['items_new']:.0f} db={s['db_bytes'] >> 20} MiB rss={s['rss_kib']} KiB")
            if measure_from is None:
                if s["db_bytes"] >= WARMUP_DB_BYTES and target >= WARMUP_REQUESTS:
                    if bursts_left:
                        for _ in range(bursts_left):
                            force_burst(daemon, server, feeds, 3 * seconds_of(interval), log)
                        bursts_left = 0
                        with server.cond:
                            target = max(target, sum(server.requests.values()) // sample_every * sample_every)
                        continue  # the next sample opens the window
                    measure_from = s
                continue
            if measure_requests and target - measure_from["requests"] >= measure_requests:
                break
            if measure_seconds and s["t"] - measure_from["t"] >= measure_seconds:
                break
        alerts = metric(daemon.http_port, "wirewatch_alerts_published_total")
    finally:
        code = daemon.stop(timeout=60)
        server.close()
        log_text = daemon.logs() if daemon.proc else ""
        workdir.cleanup()
    warm = [s for s in samples if s["warm"]] or samples[-1:]
    per_min = slope(warm, "t") * 60 if len(warm) >= 3 else 0.0
    per_1000 = slope(warm, "requests") * 1000 if len(warm) >= 3 else 0.0
    window_requests = warm[-1]["requests"] - warm[0]["requests"]
    return {"feeds": feeds, "interval": interval, "samples": samples, "warm_samples": len(warm),
            "warmup_s": warm[0]["t"], "window_s": warm[-1]["t"] - warm[0]["t"],
            "window_requests": window_requests,
            "slope_kib_per_min": per_min, "slope_kib_per_1000_polls": per_1000,
            "growth_over_window_kib": per_1000 * window_requests / 1000,
            "rss_after_warmup_kib": warm[0]["rss_kib"], "rss_end_kib": samples[-1]["rss_kib"],
            "rss_max_warm_kib": max(s["rss_kib"] for s in warm),
            "db_end_mib": samples[-1]["db_bytes"] / (1 << 20),
            "fetches": samples[-1]["fetches"], "items_new": samples[-1]["items_new"],
            "alerts": alerts, "exit_code": code, "log_tail": log_text[-3000:]}


def summary(r):
    return (f"{r['fetches']:.0f} fetches, {r['items_new']:.0f} new items, {r['alerts']:.0f} alerts, "
            f"database {r['db_end_mib']:.0f} MiB; warm-up {r['warmup_s']:.0f} s; RSS after warm-up "
            f"{r['rss_after_warmup_kib']} KiB, at the end {r['rss_end_kib']} KiB, max {r['rss_max_warm_kib']} KiB; "
            f"slope {r['slope_kib_per_1000_polls']:.1f} KiB per 1000 polls ({r['slope_kib_per_min']:.1f} KiB/min) "
            f"= {r['growth_over_window_kib']:.0f} KiB over the {r['window_requests']} polls "
            f"({r['window_s'] / 60:.1f} min) after warm-up")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin-dir", default=os.path.join(HERE, "..", "..", "build", "bin"))
    ap.add_argument("--minutes", type=float, default=60, help="measured time after the warm-up")
    ap.add_argument("--feeds", type=int, default=30)
    ap.add_argument("--interval", default="1s")
    ap.add_argument("--bursts", type=int, default=3,
                    help="forced bursts of every feed at once that end the warm-up (force_burst)")
    ap.add_argument("--csv", help="write every sample here")
    ap.add_argument("--json", help="write the report here")
    args = ap.parse_args()
    r = run(bin_dir=os.path.abspath(args.bin_dir), feeds=args.feeds, interval=args.interval,
            measure_seconds=args.minutes * 60, sample_every=max(60, args.feeds * 10), bursts=args.bursts)
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("t_s,requests,fetches,items_new,db_bytes,rss_kib,rss_anon_kib,rss_file_kib,rss_shmem_kib,warm\n")
            for s in r["samples"]:
                f.write(f"{s['t']},{s['requests']},{s['fetches']:.0f},{s['items_new']:.0f},"
                        f"{s['db_bytes']},{s['rss_kib']},{s.get('RssAnon', '')},{s.get('RssFile', '')},"
                        f"{s.get('RssShmem', '')},{int(s['warm'])}\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(r, f, indent=1)
    print("soak:", summary(r))
    return 0 if r["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
