# Tributary developer entry points. On a fresh Debian 12 machine (root or sudo):
#   make run     install build deps, build Release into build/, start the server on 127.0.0.1:4567
#   make test    install build+test deps, build, run unit then integration tests
# Other targets: build unit integration asan asan-integration tsan fuzz soak bench format format-check clean
# (`make test` also runs the fuzz smoke run through ctest and the JavaScript SDK tests through
# the integration suite; `make asan` runs the unit tests and the fuzz smoke run under ASan+UBSan)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

BUILD_DIR ?= build
ASAN_BUILD_DIR ?= build-asan
TSAN_BUILD_DIR ?= build-tsan
FUZZ_BUILD_DIR ?= build-fuzz
# make fuzz: seconds per libFuzzer target, the targets, and where the run's report goes.
FUZZ_SECONDS ?= 300
# Executions per target (empty: none; the run stops at FUZZ_SECONDS or after FUZZ_RUNS).
FUZZ_RUNS ?=
FUZZ_TARGETS ?= cbor eventstream expression partiql sigv4 json values tokens http1 http2 wal
FUZZ_LOG ?= $(FUZZ_BUILD_DIR)/fuzz-report.log
BUILD_TYPE ?= Release
HOST ?= 127.0.0.1
PORT ?= 4567
DATA_DIR ?= ./tributary-data
# Parallel compile jobs: nproc, capped at 2 by default (the C++ units are memory hungry).
# Override with `make JOBS=8 build`.
NPROC := $(shell nproc 2>/dev/null || echo 1)
JOBS ?= $(shell n=$(NPROC); echo $$(( n < 2 ? n : 2 )))
CMAKE_FLAGS ?=
# `make test NPM=1` also installs the JavaScript test packages (tests/js).
NPM ?= $(if $(wildcard tests/js/package.json),1,)

FORMAT_DIRS := src tests bench
FORMAT_FILES = $(shell find $(FORMAT_DIRS) -type f \( -name '*.cc' -o -name '*.h' -o -name '*.hpp' -o -name '*.cpp' \) -not -path '*/node_modules/*' 2>/dev/null)
CLANG_FORMAT ?= $(shell command -v clang-format-14 || command -v clang-format || echo clang-format)

.PHONY: run build configure deps test-deps test unit integration asan tsan fuzz format format-check clean bench

deps:
	scripts/install-deps.sh

test-deps:
	scripts/install-deps.sh --test $(if $(NPM),--npm,)

# Re-run the configure step only when the build directory is not yet configured for Ninja.
# (A cache left by another generator is dropped first so `-G Ninja` cannot conflict with it.)
configure:
	@if [[ ! -f $(BUILD_DIR)/build.ninja ]]; then \
	  rm -rf $(BUILD_DIR)/CMakeCache.txt $(BUILD_DIR)/CMakeFiles; \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS); \
	fi

build: deps
	@$(MAKE) --no-print-directory configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Builds only the server binary (not the unit tests or benchmarks), then runs it in the
# foreground (Ctrl-C stops it).
run: deps
	@$(MAKE) --no-print-directory configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target tributary
	mkdir -p $(DATA_DIR)
	exec $(BUILD_DIR)/tributary --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

# Unit tests, then integration tests (both run even if the unit tests fail); fails if either fails.
test: test-deps
	@$(MAKE) --no-print-directory configure
	cmake --build $(BUILD_DIR) -j $(JOBS)
	@unit_status=0; integration_status=0; \
	$(MAKE) --no-print-directory unit-only || unit_status=$$?; \
	$(MAKE) --no-print-directory integration-only || integration_status=$$?; \
	echo "make test: unit tests $$( ((unit_status)) && echo FAILED || echo passed)," \
	  "integration tests $$( ((integration_status)) && echo FAILED || echo passed)"; \
	(( unit_status == 0 && integration_status == 0 ))

unit: build
	@$(MAKE) --no-print-directory unit-only

integration: test-deps
	@$(MAKE) --no-print-directory configure
	cmake --build $(BUILD_DIR) -j $(JOBS)
	@$(MAKE) --no-print-directory integration-only

.PHONY: unit-only integration-only
unit-only:
	ctest --test-dir $(BUILD_DIR) --output-on-failure --no-tests=error -j 2 --timeout 300

integration-only:
	TRIBUTARY_BIN=$(abspath $(BUILD_DIR))/tributary tests/integration/run.sh

# AddressSanitizer + UndefinedBehaviorSanitizer build of the unit tests and of the fuzz smoke
# run (tests/fuzz/README.md), in its own directory. Both run even if the first fails.
asan: deps
	@if [[ ! -f $(ASAN_BUILD_DIR)/build.ninja ]]; then \
	  cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DTRIBUTARY_SANITIZE=ON -DTRIBUTARY_BENCH=OFF $(CMAKE_FLAGS); \
	fi
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS) --target unit_tests fuzz_smoke
	@export ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1} \
	  UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}; \
	unit_status=0; fuzz_status=0; \
	$(ASAN_BUILD_DIR)/unit_tests || unit_status=$$?; \
	(cd $(ASAN_BUILD_DIR) && ./fuzz_smoke $(abspath tests/fuzz/corpus)) || fuzz_status=$$?; \
	echo "make asan: unit tests $$( ((unit_status)) && echo FAILED || echo passed)," \
	  "fuzz smoke $$( ((fuzz_status)) && echo FAILED || echo passed)"; \
	(( unit_status == 0 && fuzz_status == 0 ))

# The whole integration suite against a `tributary` built with AddressSanitizer +
# UndefinedBehaviorSanitizer (the same $(ASAN_BUILD_DIR) as `make asan`). Not part of `make test`;
# CI (.ci/run) runs it after `make asan` (about 6.5 minutes on 2 cores, docs/reliability.md).
# `make asan-integration PYTEST_ARGS="-k expr"` runs a part. Any sanitizer report a
# server prints (ASan, UBSan, LeakSanitizer at exit) fails the test during or at the end of which
# it appeared (tests/integration/conftest.py), so the run fails on a finding.
.PHONY: asan-integration
asan-integration: test-deps
	@if [[ ! -f $(ASAN_BUILD_DIR)/build.ninja ]]; then \
	  cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DTRIBUTARY_SANITIZE=ON -DTRIBUTARY_BENCH=OFF $(CMAKE_FLAGS); \
	fi
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS) --target tributary
	ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1} \
	  UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	  TRIBUTARY_BIN=$(abspath $(ASAN_BUILD_DIR))/tributary tests/integration/run.sh $(PYTEST_ARGS)

# ThreadSanitizer build of the unit tests (its own directory, RelWithDebInfo compiled at -O1 -g1,
# CMakeLists.txt), running the tests that exercise concurrency. TSAN_FILTER, suite by suite:
#   record log          RecordLogTest, DurableRecordLogTest, AppendWithBatchTest (appends racing
#                       appends, readers, waiters, reshards)
#   resharding          PendingReshardTest, Reshard
#   consumers           SubscriptionHubTest, ConsumerRegistry
#   storage             StorageTransactionTest, StorageEngineTest.IteratorStaysConsistent...
#   conditional writes  WritePath, WriteItems, IndexMaintenance (the DynamoDB write path:
#   and transactions    conditions, transactions, index backfill), IdempotencyTokens
#   change capture      DynamoDbStreams, OutboxTest (the Kinesis destination's delivery)
#   TTL                 TtlSweeperTest
# Not part of `make test` or CI (docs/reliability.md, "ThreadSanitizer"). RocksDB is not
# instrumented: a report inside it needs reading with that in mind.
TSAN_FILTER ?= *RecordLogTest.*:*AppendWithBatchTest.*:*PendingReshardTest.*:Reshard.*:*SubscriptionHubTest.*:ConsumerRegistry.*:*StorageTransactionTest.*:*StorageEngineTest.IteratorStaysConsistentWhileAnotherThreadWrites*:WritePath.*:WriteItems.*:IndexMaintenance.*:IdempotencyTokens.*:DynamoDbStreams.*:*OutboxTest.*:TtlSweeperTest.*
tsan: deps
	@if [[ ! -f $(TSAN_BUILD_DIR)/build.ninja ]]; then \
	  cmake -S . -B $(TSAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DTRIBUTARY_TSAN=ON -DTRIBUTARY_BENCH=OFF $(CMAKE_FLAGS); \
	fi
	cmake --build $(TSAN_BUILD_DIR) -j $(JOBS) --target unit_tests
	TSAN_OPTIONS=$${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$(abspath tests/tsan.supp)} \
	  $(TSAN_BUILD_DIR)/unit_tests --gtest_filter='$(TSAN_FILTER)'

# libFuzzer runs (tests/fuzz/README.md): builds the clang project in $(FUZZ_BUILD_DIR), then runs
# each target for FUZZ_SECONDS on a copy of its seed corpus, one after the other, and writes
# executions and crashes per target to FUZZ_LOG (each target's own output beside it). Not part
# of `make test` (which runs the short smoke run). Fails if any target crashed.
fuzz:
	@if [[ ! -f $(FUZZ_BUILD_DIR)/build.ninja ]]; then \
	  cmake -S tests/fuzz -B $(FUZZ_BUILD_DIR) -G Ninja -DCMAKE_CXX_COMPILER=clang++ $(CMAKE_FLAGS); \
	fi
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target $(addsuffix _fuzz,$(FUZZ_TARGETS))
	FUZZ_RUNS=$(FUZZ_RUNS) tests/fuzz/run_fuzz.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS) $(FUZZ_LOG) $(FUZZ_TARGETS)

# Crash soak (tests/soak/test_soak.py): SOAK_KILLS SIGKILLs of a server under a mixed workload
# of every API, everything checked after each restart. Not part of `make test` (minutes, not
# seconds); bounded by SOAK_TIMEOUT_S. The figures go to $(BUILD_DIR)/soak-report.txt.
SOAK_KILLS ?= 20
SOAK_TIMEOUT_S ?= 3600
.PHONY: soak
soak: test-deps
	@$(MAKE) --no-print-directory configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target tributary
	SOAK_KILLS=$(SOAK_KILLS) SOAK_REPORT=$(abspath $(BUILD_DIR))/soak-report.txt \
	  TRIBUTARY_TEST_PATH=tests/soak TRIBUTARY_BIN=$(abspath $(BUILD_DIR))/tributary \
	  timeout --signal=INT $(SOAK_TIMEOUT_S) nice -n 19 tests/integration/run.sh -s

bench: build
	@if [[ -x bench/run.sh ]]; then bench/run.sh; \
	elif [[ -f bench/run.sh ]]; then bash bench/run.sh; \
	else echo "bench/run.sh not present; nothing to run"; fi

format:
	@command -v $(CLANG_FORMAT) >/dev/null || { echo "clang-format not found (apt-get install clang-format)"; exit 1; }
	$(if $(strip $(FORMAT_FILES)),$(CLANG_FORMAT) -i $(FORMAT_FILES),@echo "no C++ files to format")

format-check:
	@command -v $(CLANG_FORMAT) >/dev/null || { echo "clang-format not found (apt-get install clang-format)"; exit 1; }
	$(if $(strip $(FORMAT_FILES)),$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_FILES),@echo "no C++ files to check")

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(TSAN_BUILD_DIR)
