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
test: build
	$(SWIFT) test --skip-build

## e2e: every scenario in scenarios/ on the local backend.
e2e: build
	@echo "make e2e: the scenario runner is not built yet (issue 6); nothing to run." >&2; exit 1

## e2e-kind: every scenario on a Kind cluster.
e2e-kind: build
	$(BIN)/rollout-e2e up --backend kind
	$(BIN)/rollout-e2e run --backend kind --report-dir .rollout-e2e/kind/reports

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
