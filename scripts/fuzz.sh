#!/usr/bin/env bash
# Runs every libFuzzer target of a -DWW_FUZZ=ON build for SECONDS each, seeded from
# tests/fixtures. New inputs go to <build>/fuzz-corpus/<target>; a crash stops the run, leaves
# its input in <build>/fuzz-artifacts/ and fails. Crashers worth keeping become fixtures.
#   scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]
set -euo pipefail
build=${1:?build dir}
seconds=${2:-60}
shift 2 || true
top=$(cd "$(dirname "$0")/.." && pwd)
fx=$top/tests/fixtures

seeds_of() {
  case "$1" in
    fuzz_parse|fuzz_html_text) echo "$fx/feed $fx/feed/fuzz" ;;
    fuzz_dates) echo "$fx/feed/fuzz" ;;
    fuzz_query) echo "$fx/match/fuzz-query-seeds" ;;
    fuzz_config) echo "$top/config $fx/match" ;;
    fuzz_http_request) echo "$fx/http/fuzz_http_request" ;;
    fuzz_opml) echo "$fx/opml" ;;
    fuzz_replay_request) echo "$fx/publish" ;;
    *) echo "" ;;
  esac
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in "$build"/bin/fuzz_*; do targets+=("$(basename "$t")"); done
fi
mkdir -p "$build/fuzz-artifacts"
status=0
for t in "${targets[@]}"; do
  corpus=$build/fuzz-corpus/$t
  mkdir -p "$corpus"
  for d in $(seeds_of "$t"); do
    [ -d "$d" ] && find "$d" -maxdepth 1 -type f -exec cp -n {} "$corpus"/ \;
  done
  echo "fuzz: $t for ${seconds}s, $(ls "$corpus" | wc -l) seeds"
  if ! "$build/bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/fuzz-artifacts/$t-" "$corpus" 2> "$build/fuzz-artifacts/$t.log"; then
    echo "fuzz: $t FAILED, see $build/fuzz-artifacts/$t.log"
    tail -40 "$build/fuzz-artifacts/$t.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/fuzz-artifacts/$t.log" | tail -2
  fi
done
exit $status
