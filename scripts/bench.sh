#!/usr/bin/env bash
# make bench: every benchmark of bench/, one after the other (they are timed: run them on an
# otherwise idle machine). Figures and how to read them: BENCHMARKS.md.
set -euo pipefail
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
run() { echo; echo "== $*"; "$@"; }
run "$build/bin/bench_parse" --seconds 0.5 --rounds 9
run "$build/bin/bench_match" --benchmark_min_time=1
run "$build/bin/bench_publish"
run "$build/bin/bench_story" --benchmark_filter='Assign|Find'
run /usr/bin/python3 "$top/bench/poll/run.py" --bin-dir "$build/bin" --sizes 1000 10000
