# Gatehouse: the two commands a newcomer needs are `make run` and `make test` (README.md).
BUILD ?= build
DATA ?= var
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps bench-deps build run test unit integration fuzz sanitize sanitize-asan sanitize-tsan soak bench bench-oauth bench-scale bench-pg clean

all: build

deps:
	@bash scripts/install-deps.sh

# What only the benchmarks need: nginx, wrk, gnuplot, the peers' npm packages (bench/peers/).
bench-deps: deps
	@bash scripts/install-bench-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release > $(BUILD).cmake.log 2>&1 || (cat $(BUILD).cmake.log; exit 1)
	@cmake --build $(BUILD)
	@bash scripts/build-console.sh

run: build
	@bash scripts/run.sh $(BUILD)/gatehouse $(DATA) $(LISTEN)

test: build
	@bash scripts/test.sh $(BUILD)

unit: build
	@cd $(BUILD) && ctest --output-on-failure -L unit

integration: build
	@cd tests/node && GATEHOUSE_BIN=$(abspath $(BUILD))/gatehouse node --test --test-concurrency=1

fuzz: deps
	@bash scripts/fuzz.sh build-fuzz

# 10 minutes at twice the measured peak rate of a mix on loopback (issue 19): no crash, no leak
# (RSS flat); Node only, niced (bench/soak.mjs, report in bench/results/DATE-soak.md).
soak: build
	@nice -n 10 node bench/soak.mjs

# The unit and Node suites under ASan + UBSan (build-fuzz) and the concurrency unit tests under
# TSan (build-tsan): scripts/sanitize.sh; make test runs it too.
sanitize: deps
	@bash scripts/sanitize.sh all

sanitize-asan: deps
	@bash scripts/sanitize.sh asan

sanitize-tsan: deps
	@bash scripts/sanitize.sh tsan

bench-oauth: bench-deps
	@cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DGH_BUILD_TESTS=OFF > /dev/null
	@cmake --build build-release --target gatehouse
	@GATEHOUSE_BIN=$(abspath build-release)/gatehouse bash bench/oauth.sh

bench-scale: bench-deps
	@cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DGH_BUILD_TESTS=OFF > /dev/null
	@cmake --build build-release --target gatehouse
	@GATEHOUSE_BIN=$(abspath build-release)/gatehouse bash bench/scale.sh

bench-pg: bench-deps
	@cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DGH_BUILD_TESTS=OFF > /dev/null
	@cmake --build build-release --target gatehouse
	@GATEHOUSE_BIN=$(abspath build-release)/gatehouse bash bench/pg.sh

bench: bench-deps
	@cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DGH_BUILD_TESTS=OFF > /dev/null
	@cmake --build build-release --target gatehouse
	@GATEHOUSE_BIN=$(abspath build-release)/gatehouse bash bench/run.sh

clean:
	rm -rf $(BUILD) build-release build-fuzz build-tsan
