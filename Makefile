# Front door for shiptrace. Every target installs missing Debian packages
# (scripts/install-deps.sh, idempotent) and builds with CMake first.
#   make demo    the main job on the bundled case
#   make test    every test (unit, golden, differential, end to end)
#   make asan    the whole suite under ASan + UBSan with -Werror
#   make fuzz    each libFuzzer target for FUZZ_SECONDS (default 60)
#   make golden  regenerate the golden files (review the diff!)
#   make bench   the side-by-side benchmarks in bench/
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
SHARED ?= $(CURDIR)/../shared/data
ST = $(BUILD)/shiptrace

.PHONY: all deps build demo test asan fuzz golden bench clean

all: build

deps:
	@./scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	./scripts/demo.sh $(ST)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DST_SANITIZE=ON -DST_WERROR=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

fuzz: deps
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DST_FUZZ=ON -DST_SANITIZE=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	./scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

golden: build
	./tests/golden/regen.sh $(ST)

bench: build
	./bench/run-all.sh $(ST)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
