#!/usr/bin/env bash
# Installs every Debian 12 package that wirewatch's build, tests, demo and benchmarks use.
# Idempotent: asks apt only for what is missing, and does nothing when all is there.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config
  # libraries (DEPENDENCIES.md), one Boost for the whole project
  libboost1.81-dev libcurl4-openssl-dev libpugixml-dev libzmq3-dev cppzmq-dev
  libspdlog-dev libfmt-dev libsqlite3-dev libtomlplusplus-dev nlohmann-json3-dev
  libsystemd-dev libutf8proc-dev libstemmer-dev libicu-dev libssl-dev
  libkainjow-mustache-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3-zmq python3-feedparser python3-aiosmtpd
  clang libclang-rt-14-dev clang-16 libclang-rt-16-dev systemd prometheus nginx-light openssl
  # integration_install: systemd-analyze (systemd, above), cpack's DEB with dpkg-shlibdeps and file
  dpkg-dev file
  # integration_web_page: the web page in a headless browser (driven by tests/browser with node)
  chromium
  # benchmarks against peers
  newsboat
)

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
