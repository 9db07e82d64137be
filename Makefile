# Segwork — the two commands a new machine needs are `make demo` and `make test`; both install what is missing.
SWIFT ?= swift
SEG := .build/debug/seg

.PHONY: deps build demo test release clean demo-data

deps:
	@scripts/ensure-deps

build: deps
	$(SWIFT) build

## Run every definition of the demo workspace, print the summaries and write exports.
demo: build
	$(SEG) run workspaces/demo
	@echo
	@echo "Exports: workspaces/demo/exports/<definition>/<run id>/ (profiles.json, profiles.csv, profiles.md, membership.csv)"

## The whole test suite.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

release: deps
	$(SWIFT) build -c release

## Regenerate the demo data (seeded: the same bytes every time).
demo-data:
	python3 workspaces/demo/generate.py

clean:
	rm -rf .build workspaces/*/exports
