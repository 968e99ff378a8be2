#!/usr/bin/env bash
# Installs the Debian 12 packages one use of wirewatch needs, and nothing more:
#   install-deps.sh run       building and running the daemon (`make run`, `make demo`)
#   install-deps.sh test      the above, and every tool the test suite uses (`make test`)
#   install-deps.sh sanitize  the above, and the sanitizer runtimes (`make test-sanitize`/`test-tsan`)
#   install-deps.sh fuzz      building and running the libFuzzer targets (`make fuzz`)
#   install-deps.sh bench     the test set, and the benchmarks' peers (`make bench`)
# Idempotent: asks apt only for what is missing, and does nothing when all is there.
# `install-deps.sh SET --list` prints the set's packages, one a line, and installs nothing.
set -euo pipefail

what="${1:-test}"
list="${2:-}"

run=(
  # toolchain
  build-essential cmake ninja-build pkg-config
  # libraries (DEPENDENCIES.md), one Boost for the whole project
  libboost1.81-dev libcurl4-openssl-dev libpugixml-dev libzmq3-dev cppzmq-dev
  libspdlog-dev libfmt-dev libsqlite3-dev libtomlplusplus-dev nlohmann-json3-dev
  libsystemd-dev libutf8proc-dev libstemmer-dev libicu-dev libssl-dev
  libkainjow-mustache-dev
  # runtime data of the matcher's lexicon (make run needs it too)
  wordnet-base iso-codes hunspell-en-us hunspell-en-gb
)
test=(
  # unit tests, and the integration tests' subscribers, peers and tools
  libgtest-dev libgmock-dev python3-zmq python3-feedparser python3-aiosmtpd systemd prometheus
  nginx-light openssl
  # integration_install: systemd-analyze (systemd, above), cpack's DEB with dpkg-shlibdeps and file
  dpkg-dev file
  # integration_web_page: the web page in a headless browser (driven by tests/browser with node)
  chromium
)
sanitize=(clang libclang-rt-14-dev)
fuzz=(clang-16 libclang-rt-16-dev)
bench=(libbenchmark-dev newsboat)

case "$what" in
  run) packages=("${run[@]}") ;;
  test) packages=("${run[@]}" "${test[@]}") ;;
  sanitize) packages=("${run[@]}" "${test[@]}" "${sanitize[@]}") ;;
  fuzz) packages=("${run[@]}" "${fuzz[@]}") ;;
  bench) packages=("${run[@]}" "${test[@]}" "${bench[@]}") ;;
  *) echo "usage: install-deps.sh run|test|sanitize|fuzz|bench" >&2; exit 2 ;;
esac

if [ "$list" = "--list" ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -o DPkg::Lock::Timeout=600
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends \
  -o DPkg::Lock::Timeout=600 "${missing[@]}"
