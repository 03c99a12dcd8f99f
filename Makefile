# `make run` and `make test` do all set-up themselves: venv, dependencies (from the locks), database.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pip, setuptools: build.lock; the application, its tests and tools: dev.lock; the image takes prod.lock.
LOCKS := requirements/build.lock requirements/dev.lock requirements/prod.lock
UV_COMPILE = $(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes $(UPGRADE)

.PHONY: run test lint locks-check lock schema seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(LOCKS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/build.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/exchange serve

test: $(STAMP) locks-check
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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
	rm -rf $(VENV) .data .pytest_cache
