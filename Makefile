# `make run` and `make test` do all set-up themselves: venv, dependencies (from the locks), database.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pip, setuptools: build.lock; the application, its tests and tools: dev.lock; the image takes prod.lock.
LOCKS := requirements/build.lock requirements/dev.lock requirements/prod.lock
UV_COMPILE = $(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes $(UPGRADE)

WEB_SOURCES := $(shell find web/src web/scripts web/index.html web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)

.PHONY: run test lint locks-check lock schema seed clean web web-dev web-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(LOCKS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/build.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The web app (web/): Node.js 20.19+ builds it into web/dist, which `exchange serve` serves at /.
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/dist/index.html: web/node_modules/.installed schema.graphql $(WEB_SOURCES)
	cd web && npm run build --silent
	touch $@

web:
	@if web/scripts/check-node.sh; then $(MAKE) --no-print-directory web/dist/index.html; \
	else echo "The web app is not built: install Node.js 20.19 or newer and run make again. The API is served alone." >&2; fi

run: $(STAMP) web
	$(BIN)/exchange serve

# Vite's dev server on http://127.0.0.1:5173 with hot reload, proxying /graphql to `make run` (another terminal).
web-dev: web/node_modules/.installed
	cd web && npm run schema --silent && npm run dev

# Component tests (Vitest) and browser tests (Playwright in Debian's Chromium, against a real server).
web-test: $(STAMP) web/node_modules/.installed
	@web/scripts/check-node.sh
	web/scripts/install-chromium.sh
	$(MAKE) --no-print-directory web/dist/index.html
	cd web && npm test --silent
	cd web && npx playwright test

# pytest on every core (pytest-xdist; each worker has its own embedded PostgreSQL, tests/conftest.py); a worker that
# runs out of tests takes some of another's (worksteal), so one long test does not leave a core idle at the end.
PYTEST := $(BIN)/python -m pytest -n auto --dist worksteal

# mypy checks domain/, its adapters, api/, exchange/, bench/, tools/ and tests/ ([tool.mypy] in pyproject.toml;
# tools/mypy_sqlmodel.py types the tables' columns). Then the API suite again with the execution engine off (EXCHANGE_EXECUTION_ENGINE=stock: plain
# Strawberry + graphql-core): the same answers either way, issue 20.
test: $(STAMP) locks-check
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(PYTEST)
	EXCHANGE_EXECUTION_ENGINE=stock $(PYTEST) -q tests/api
	$(MAKE) --no-print-directory web-test

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The locks still say what pyproject.toml asks for (no index is asked).
locks-check: $(STAMP)
	$(BIN)/python tools/check_locks.py

# Re-resolve the locks after changing pyproject.toml; pins that still fit are kept (UPGRADE=--upgrade moves them).
lock: $(STAMP)
	$(UV_COMPILE) pyproject.toml -o requirements/prod.lock
	$(UV_COMPILE) pyproject.toml --extra dev -o requirements/dev.lock
	$(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], "pip", sep="\n")' \
		| $(UV_COMPILE) - -o requirements/build.lock
	$(BIN)/python tools/check_locks.py

schema: $(STAMP)
	$(BIN)/exchange schema > schema.graphql

seed: $(STAMP)
	$(BIN)/exchange seed

clean:
	rm -rf $(VENV) .data .pytest_cache .mypy_cache web/node_modules web/dist web/test-results
