"""Times Python feedparser on the realistic set, bytes held in memory (called by bench_parse).
CPU time (process_time), like bench_parse, so that a loaded machine does not skew the ratio.

usage: feedparser_bench.py CORPUS_DIR SECONDS  -> one JSON line {"bytes", "items", "seconds", "rounds"}
"""
import json
import os
import sys
import time

import feedparser


def main():
    corpus, seconds = sys.argv[1], float(sys.argv[2])
    with open(os.path.join(corpus, "realistic-set.txt"), encoding="utf-8") as listing:
        paths = [l.strip() for l in listing if l.strip() and not l.startswith("#")]
    bodies = []
    for p in paths:
        with open(os.path.join(corpus, p), "rb") as f:
            bodies.append(f.read())
    total_bytes = sum(len(b) for b in bodies)
    rounds, items, start = 0, 0, time.process_time()
    # Whole rounds only, so that bytes and items per round stay those of the set.
    while True:
        for b in bodies:
            items += len(feedparser.parse(b).entries)
        rounds += 1
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            break
    print(json.dumps({"bytes": total_bytes * rounds, "items": items, "seconds": elapsed,
                      "rounds": rounds}))


if __name__ == "__main__":
    main()
