# Segwork — the two commands a new machine needs are `make demo` and `make test`; both install what is missing.
SWIFT ?= swift
SEG := .build/debug/seg

.PHONY: deps build demo test release clean demo-data check-package screenshot spark bench-apply

deps:
	@scripts/ensure-deps

build: deps
	$(SWIFT) build

## Run every definition of the demo workspace twice (half a year earlier, then now), print the summaries and
## gates, and compare the two RFM versions. Each run is stored as a version in workspaces/demo/.seg/.
demo: build
	$(SEG) run workspaces/demo --as-of 2024-06-30 --quiet
	$(SEG) run workspaces/demo
	@echo
	$(SEG) diff workspaces/demo previous:rfm latest:rfm
	@echo
	@echo "Exports: workspaces/demo/exports/<definition>/<run id>/ (profiles.json, profiles.csv, profiles.md, membership.csv, report.html)"
	@echo "History: $(SEG) versions workspaces/demo"

## The whole test suite, then the bundled plugins' own tests in Lua (plugins/*/*.test.lua; `swift build --build-tests`
## builds .build/debug/seg too). Its closing line is `N passed, M failed`.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing
	$(SEG) plugins test plugins --require-tests
	$(SEG) plugins test workspaces/acme-plugins --require-tests

## The Spark example (examples/spark): the demo's RFM on PySpark (local[2]) with `seg plan --stats` and one `seg apply`
## per partition; fails unless every customer gets the segment and score `seg run` gives (CI runs it).
spark: build
	examples/spark/check.sh

## seg apply's throughput per process (one partition) on generated rows, release build (docs/SCALE.md).
bench-apply: deps
	$(SWIFT) build -c release
	python3 bench/apply.py --seg .build/release/seg

## Build Segwork as a versioned dependency of a scratch package and run a small embedding app (CI does this).
check-package: deps
	scripts/check-as-dependency

release: deps
	$(SWIFT) build -c release

## The README's picture: the top of the demo's latest RFM report in headless Chromium (after `make demo`).
screenshot: build
	$(SEG) report workspaces/demo latest:rfm --out .build/report-rfm
	chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1250 \
		--screenshot=$(CURDIR)/docs/images/report-rfm.png file://$(CURDIR)/.build/report-rfm/report.html

## Regenerate the demo data (seeded: the same bytes every time).
demo-data:
	python3 workspaces/demo/generate.py

clean:
	rm -rf .build workspaces/*/exports
