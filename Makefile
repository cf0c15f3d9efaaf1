# rollout-e2e — see README.md. Every target installs (as root) or names what it lacks.
SWIFT ?= swift
BIN := $(shell $(SWIFT) build --show-bin-path 2>/dev/null)
RELEASE_BIN := $(shell $(SWIFT) build -c release --show-bin-path 2>/dev/null)

.PHONY: deps build test e2e e2e-kind bench lint format clean

deps:
	@.ci/ensure-deps

build: deps
	$(SWIFT) build --build-tests

## test: unit and integration tests (build once, then run without rebuilding).
# Unit tests run in parallel; suites that start real processes (…IntegrationTests) run one at a time so their
# timing checks are not starved on a 2-core machine.
test: build
	$(SWIFT) test --skip-build --skip IntegrationTests
	$(SWIFT) test --skip-build --filter IntegrationTests --no-parallel

# The suite's time scale (make e2e, make soak): Flagger's durations 50x shorter, a 1m interval in 1.2 s. 0.02 is the
# smallest scale supported; README "Time scales" says why.
E2E_TIME_SCALE ?= 0.02
# Scenarios at once: 8 per core. On 2 cores 16 keep the CPU about half busy at 0.02; 26 at once starve the
# harness's controllers (a 60 s progress deadline is 1.2 s at 0.02) and some canaries fail at initialization.
E2E_PARALLEL ?= $(shell echo $$(( $$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2) * 8 )))

## podinfo-release: the podinfo the e2e suite runs its pods with. A debug podinfo spends ~9x the CPU per request, and
# at 0.02 the suite's ~2,000 req/s would saturate two cores (cold build ~2 min, once).
.PHONY: podinfo-release
podinfo-release: deps
	$(SWIFT) build -c release --product podinfo

# Nanoseconds since the epoch; BSD date (macOS) has no %N and prints "N", read as whole seconds there.
NOW_NS = date +%s%N | sed 's/N$$/000000000/'

## e2e: every scenario in scenarios/ on the local backend, $(E2E_PARALLEL) at a time, at --time-scale $(E2E_TIME_SCALE).
# Prints the suite's wall time and CPU time (user + system of the harness and every process it started, from bash's
# `times`), then checks that every line of every timeline the run wrote parses with Python's json module.
e2e: SHELL := /bin/bash
e2e: build podinfo-release
	@.ci/ensure-deps python3
	@start=$$($(NOW_NS)); \
	$(BIN)/rollout-e2e run scenarios --backend local --parallel $(E2E_PARALLEL) --time-scale $(E2E_TIME_SCALE) \
		--podinfo $(RELEASE_BIN)/podinfo --report-dir .rollout-e2e/reports; status=$$?; \
	wall=$$(( ($$($(NOW_NS)) - start) / 1000000 )); \
	times > .rollout-e2e/e2e-times; cpu=$$(tail -n 1 .rollout-e2e/e2e-times); \
	echo "make e2e: wall time $$wall ms at --time-scale $(E2E_TIME_SCALE), CPU time $${cpu% *} user + $${cpu#* } system (reports in .rollout-e2e/reports)"; \
	python3 -c 'import json, pathlib, sys; files = sorted(pathlib.Path(".rollout-e2e/reports").glob("**/*.jsonl")); \
		lines = [json.loads(line) for f in files for line in f.read_text().splitlines() if line.strip()]; \
		print(f"make e2e: {len(lines)} timeline lines in {len(files)} files parse as JSON")' || status=1; \
	exit $$status

## soak: one scenario 10 times in a row (SCENARIO=scenarios/promote.yaml by default); prints the pass count.
.PHONY: soak
soak: build podinfo-release
	@scenario=$(or $(SCENARIO),scenarios/promote.yaml); passed=0; \
	for run in 1 2 3 4 5 6 7 8 9 10; do \
		if $(BIN)/rollout-e2e run $$scenario --backend local --time-scale $(E2E_TIME_SCALE) \
			--podinfo $(RELEASE_BIN)/podinfo --report-dir .rollout-e2e/soak/$$run >/dev/null 2>&1; then \
			passed=$$((passed + 1)); echo "soak run $$run: passed"; \
		else echo "soak run $$run: FAILED (see .rollout-e2e/soak/$$run/report.html)"; fi; \
	done; \
	echo "make soak: $$passed/10 passed ($$scenario)"; test $$passed -eq 10

## e2e-kind: every scenario on a Kind cluster (KIND_SCENARIOS: files or directories, default all of scenarios/).
KIND_SCENARIOS ?= scenarios
e2e-kind: build
	$(BIN)/rollout-e2e up --backend kind
	$(BIN)/rollout-e2e run $(KIND_SCENARIOS) --backend kind --report-dir .rollout-e2e/kind/reports

## bench: speed figures (release build).
bench:
	@.ci/ensure-deps hey
	$(SWIFT) build -c release
	$(RELEASE_BIN)/rollout-bench

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format format -i -r Sources Tests Package.swift

clean:
	$(SWIFT) package clean
	rm -rf .rollout-e2e
