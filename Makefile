# CTAP: two commands. `make start` runs the whole system; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM_STAMP := node_modules/.package-lock.json
# Test files run two at a time, each Jest worker on a database and Temporal dev server of its own
# (test/support/e2e-global-setup.ts): most e2e time is spent waiting on Temporal and Postgres.
TEST_WORKERS ?= 2

.PHONY: help start test install tools db seed lint typecheck unit workflows e2e dev-server demo bench bench-quick clean chromium web

help:
	@echo "make start   install what is missing, start Temporal (UI :8233), migrate + seed Postgres, run API and worker"
	@echo "make test    lint, typecheck, unit, workflow (time-skipping + replay) and e2e tests"
	@echo "make bench   P1-P6 against bare baselines on its own stack (docs/PERFORMANCE.md); bench-quick: ~2 min subset"

$(NPM_STAMP): package.json package-lock.json
	@# npm ci rejects this lock file because npm leaves other platforms' optional binaries out of it;
	@# npm install with an unchanged lock installs exactly the locked versions.
	npm install --no-audit --no-fund
	@touch $(NPM_STAMP)

install: $(NPM_STAMP)

tools:
	@bash scripts/temporal-tools.sh
	@bash scripts/api-fuzz-tools.sh

db: install
	npm run -s db:migrate

seed: db
	npm run -s db:seed

start: install tools
	@bash scripts/start.sh

demo: install
	@echo "demo: needs the system running (make start in another terminal)"
	npm run -s demo

dev-server: tools
	@bash scripts/dev-server.sh

lint: install
	npm run -s lint

typecheck: install
	npm run -s typecheck

unit: install
	npx jest --selectProjects unit

workflows: install tools
	npx jest --selectProjects workflows

e2e: install tools
	npx jest --selectProjects e2e

test: install tools chromium
	npm run -s format:check
	npm run -s lint
	npm run -s knip
	npm run -s typecheck
	npm run -s check:client
	npm run -s build:web
	@mkdir -p .data
	npx jest --selectProjects unit workflows e2e --maxWorkers=$(TEST_WORKERS) --json --outputFile=.data/jest-results.json || (node scripts/test-summary.js; exit 1)
	@node scripts/test-summary.js

# The browser tests drive Debian's chromium through playwright-core; no browser is downloaded.
chromium:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

web: install
	bash scripts/build-web.sh

# Its own dev server, databases (ctap_bench_*) and ports (BENCH_PORTS, default 45000-45099).
bench: install tools
	node -r ./scripts/register.js bench/run.ts

bench-quick: install tools
	node -r ./scripts/register.js bench/run.ts --quick

clean:
	rm -rf dist coverage .data/test-env.json
