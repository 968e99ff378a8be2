#!/usr/bin/env bash
# Runs every libFuzzer target of a -DWW_FUZZ=ON build for SECONDS each, one after the other,
# seeded from the folders tests/fuzz/seeds.txt names plus tests/fixtures/fuzz/<target>/ (kept
# crashers). New inputs go to <build>/fuzz-corpus/<target>. A crash, leak, timeout or out-of-
# memory fails the run (after the other targets have had their turn) and leaves its input in
# <build>/fuzz-artifacts/<target>-crash-*; once fixed, that input is kept as a regression in
# tests/fixtures/fuzz/<target>/, which the ctest fuzz_replay.<target> replays in every test build.
#   scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]
# FUZZ_SEED=N makes libFuzzer's choices repeatable (default 0: a new seed each run).
set -euo pipefail
build=${1:?build dir}
seconds=${2:-60}
shift 2 || true
top=$(cd "$(dirname "$0")/.." && pwd)
seed=${FUZZ_SEED:-0}
# Without an explicit path the sanitizer runtime fails to start llvm-symbolizer, and a crash's
# stack would be bare addresses.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
  sym=$(command -v llvm-symbolizer-16 || command -v llvm-symbolizer || true)
  [ -n "$sym" ] && export ASAN_SYMBOLIZER_PATH=$sym
fi

seeds_of() {
  echo "$top/tests/fixtures/fuzz/$1"
  awk -v t="$1" '$1 == t { for (i = 2; i <= NF; ++i) print top "/" $i }' top="$top" \
    "$top/tests/fuzz/seeds.txt"
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in "$build"/bin/fuzz_*; do targets+=("$(basename "$t")"); done
fi
art=$build/fuzz-artifacts
mkdir -p "$art"
failed=()
for t in "${targets[@]}"; do
  corpus=$build/fuzz-corpus/$t
  mkdir -p "$corpus"
  for d in $(seeds_of "$t"); do
    [ -d "$d" ] && find "$d" -maxdepth 1 -type f -exec cp -n {} "$corpus"/ \;
  done
  echo "fuzz: $t for ${seconds}s, $(find "$corpus" -type f | wc -l) inputs in its corpus"
  start=$(date +%s)
  if "$build/bin/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -seed="$seed" \
       -print_final_stats=1 -artifact_prefix="$art/$t-" "$corpus" > "$art/$t.log" 2>&1; then
    # The last status line ("#N DONE cov: C ft: F corp: ...") and the execution count.
    echo "fuzz: $t ran $(( $(date +%s) - start ))s: $(grep -E '^#[0-9]+' "$art/$t.log" | tail -1)"
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$art/$t.log" | sed "s/^/fuzz: $t /"
  else
    failed+=("$t")
    echo "fuzz: $t FAILED after $(( $(date +%s) - start ))s; its log is $art/$t.log:"
    grep -E -A40 "^==[0-9]+==|runtime error|deadly signal|Test unit written" "$art/$t.log" | head -60 || tail -40 "$art/$t.log"
    echo "fuzz: the input is kept in $art/ ($(ls "$art" | grep -E "^$t-" | tr '\n' ' '))"
    echo "fuzz: once fixed, copy it to tests/fixtures/fuzz/$t/ so that ctest replays it"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no crash"
