# wirewatch: `make run` and `make test` do all set-up on a fresh Debian 12 machine.
BUILD      ?= build
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=
CONFIG     ?= config/wirewatch.toml
# ccache, when installed, makes a second build of any tree (CI re-runs, the sanitizer trees) cheap.
LAUNCH     := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: all deps deps-run configure build run test browser-deps demo test-sanitize test-tsan fuzz bench deb install clean

all: build

# `make run` installs what building and running need; the test and benchmark tools come with the
# targets that use them (scripts/install-deps.sh lists each set).
deps-run:
	@bash scripts/install-deps.sh run

deps:
	@bash scripts/install-deps.sh test

# Benchmarks are built by `make bench` only: `make test` stays within CI's time.
$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DWW_BENCH=OFF $(LAUNCH) $(CMAKE_ARGS)

configure: deps-run $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The shipped config watches real feeds; state goes under the build tree, not /var/lib. The run
# uses a copy of the config whose state_dir says so, so that `wirewatch feeds` and `backtest`
# given that config read the same state as the daemon.
RUN_DIR := $(BUILD)/run
$(RUN_DIR)/wirewatch.toml: $(CONFIG)
	mkdir -p $(RUN_DIR)
	sed 's|^state_dir = .*|state_dir = "state"   # make run: $(RUN_DIR)/state (copied from $(CONFIG))|' $(CONFIG) > $@
	for d in feeds.d watchlists.d; do if [ -d $(abspath $(dir $(CONFIG)))/$$d ]; then ln -sfn $(abspath $(dir $(CONFIG)))/$$d $(RUN_DIR)/$$d; fi; done

run: build $(RUN_DIR)/wirewatch.toml
	@echo "make run: config $(RUN_DIR)/wirewatch.toml, state in $(RUN_DIR)/state"
	@echo "make run: watch it with $(BUILD)/bin/wirewatch sub, or $(BUILD)/bin/wirewatch feeds --config $(RUN_DIR)/wirewatch.toml"
	$(BUILD)/bin/wirewatchd --config $(RUN_DIR)/wirewatch.toml

# The web page's browser test (tests/browser, docs/web.md): puppeteer-core from npm, pinned by
# package-lock.json, driving Debian's chromium (puppeteer-core never downloads a browser).
# Without node the test skips.
browser-deps:
	@if command -v npm >/dev/null; then cd tests/browser && npm ci --no-audit --no-fund --loglevel=error; fi

# A tree configured by `make run` before GoogleTest was installed has no tests: configuring
# again finds it now.
test: deps configure browser-deps
	cmake -S . -B $(BUILD) -DWW_TESTS=ON > /dev/null
	cmake --build $(BUILD) -j $(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

demo: build
	/usr/bin/python3 scripts/demo.py --bin-dir $(BUILD)/bin

# Sanitizer trees are built at -O1 with line tables only: a report still names file and line,
# and the build takes much less of CI's time than -O2 -g. The soak test is left out: ASan's
# quarantine and shadow memory make resident memory meaningless there.
SAN_FLAGS ?= -O1 -g1 -DNDEBUG
# ASan's default quarantine (256 MiB) keeps every freed block: the matcher's lexicon, built at
# start from WordNet and ICU in many small allocations, would fill it and take resident memory
# past the memory-bound tests' limits (622 MB at start against 68 MB without ASan). 32 MiB still
# catches a use after a recent free.
ASAN_QUARANTINE_MB ?= 32
SAN_CMAKE  = -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWW_BENCH=OFF \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(SAN_FLAGS)" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$(SAN_FLAGS)"

test-sanitize:
	@bash scripts/install-deps.sh sanitize
	cmake -S . -B $(BUILD)-asan -G Ninja -DWW_SANITIZE=ON $(SAN_CMAKE) $(LAUNCH) $(CMAKE_ARGS)
	cmake --build $(BUILD)-asan -j $(JOBS)
	WW_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=$(ASAN_QUARANTINE_MB) \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(BUILD)-asan --output-on-failure -j $(JOBS) -LE soak $(CTEST_ARGS)

# ThreadSanitizer on the tests labelled `threads` (tests/tsan/threads.cmake): only their
# executables are built. tests/tsan.supp says what it suppresses and why.
TSAN_TARGETS ?= wirewatchd wirewatch ww_fake_daemon test_publish sink_running_sink_test \
  test_http_server test_http_metrics test_http_client ww_plugin_webhook
test-tsan:
	@bash scripts/install-deps.sh sanitize
	cmake -S . -B $(BUILD)-tsan -G Ninja -DWW_TSAN=ON $(SAN_CMAKE) $(LAUNCH) $(CMAKE_ARGS)
	cmake --build $(BUILD)-tsan -j $(JOBS) --target $(TSAN_TARGETS)
	WW_SANITIZED=1 TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1 second_deadlock_stack=1" \
	  ctest --test-dir $(BUILD)-tsan --output-on-failure -j $(JOBS) -L threads $(CTEST_ARGS)

# Each libFuzzer target runs FUZZ_SECONDS, one after the other (FUZZ_TARGETS: only those);
# FUZZ_SEED=N repeats libFuzzer's choices. Only the fuzz targets and the modules they link are
# built, at -O1 with line tables (libFuzzer's advice: fast to build, fast enough to fuzz).
FUZZ_SECONDS ?= 60
FUZZ_SEED    ?= 0
FUZZ_TARGETS ?=
FUZZ_FLAGS   ?= -O1 -gline-tables-only -DNDEBUG
fuzz:
	@bash scripts/install-deps.sh fuzz
	# clang 16: clang 14 cannot compile libstdc++ 12's <expected>; the define tells libstdc++
	# that clang 16's concepts are complete enough (they are, for <expected>).
	CC=clang-16 CXX=clang++-16 cmake -S . -B $(BUILD)-fuzz -G Ninja -DWW_FUZZ=ON -DWW_TESTS=OFF -DWW_BENCH=OFF \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(FUZZ_FLAGS)" \
	  -DCMAKE_C_FLAGS_RELWITHDEBINFO="$(FUZZ_FLAGS)" \
	  -DCMAKE_CXX_FLAGS="-D__cpp_concepts=202002L -Wno-builtin-macro-redefined -Wno-macro-redefined" $(LAUNCH) $(CMAKE_ARGS)
	cmake --build $(BUILD)-fuzz -j $(JOBS) --target fuzzers
	FUZZ_SEED=$(FUZZ_SEED) bash scripts/fuzz.sh $(BUILD)-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: configure
	@bash scripts/install-deps.sh bench
	cmake -S . -B $(BUILD) -DWW_BENCH=ON
	cmake --build $(BUILD) -j $(JOBS)
	bash scripts/bench.sh $(BUILD)

deb: build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-tsan $(BUILD)-fuzz
