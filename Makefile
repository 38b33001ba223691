# One entry point for people and CI. Needs only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/outcomes.duckdb
PORT ?= 8501
# Only this machine can reach `make run`; a deployment sets its own address (see README).
ADDRESS ?= 127.0.0.1
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js

.PHONY: run test test-fast check lint types contracts bench demo clean chromium postgresql

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found); set PYTHON=..."; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	# the project itself, editable: `outcomes` and `python -m metrics` work from any directory
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(DB): | $(VENV)/.installed
	$(PY) -m metrics demo --db $(DB)

## run: set up, build the demo database if there is none, start the demo on http://localhost:8501
# The demo is asked for (OUTCOMES_DEMO=1): without it and without sign-in the app shows nothing.
# serve.py checks the setup and says in the log how the app runs, then starts streamlit run.
run: $(VENV)/.installed $(DB)
	OUTCOMES_DEMO=1 OUTCOMES_DB=$(DB) $(PY) serve.py --server.address $(ADDRESS) --server.port $(PORT)

## test: set up, then lint, types, import contracts and every test (CI runs exactly this;
## browser tests need Debian's chromium: installed if missing)
test: $(VENV)/.installed chromium postgresql $(AXE) lint types contracts
	$(PY) -m pytest -n 2 --dist loadfile

## test-fast: lint, types, contracts and the domain's own tests (no servers, no browser): a
## developer's quick check before `make test`
test-fast: $(VENV)/.installed postgresql lint types contracts
	$(PY) -m pytest tests/unit -n 2

# axe-core for the accessibility scan, from the npm registry at the pinned version; the tests
# inject this file into each page (nothing is fetched while the tests run).
$(AXE): tests/browser/axe/package.json tests/browser/axe/package-lock.json
	npm ci --prefix tests/browser/axe --no-audit --no-fund --silent
	touch $@

# Debian's Chromium for the browser tests; Playwright never downloads a browser here.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null \
	  || { echo "Could not install chromium: run 'apt-get install chromium' as root"; exit 2; }; \
	fi

# Debian's PostgreSQL for the store's tests on both backends: the tests start a throwaway
# cluster of their own (tests/pg.py) and stop it at the end; nothing runs as a service.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "Installing Debian's postgresql for the store's tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null \
	  || { echo "Could not install postgresql: run 'apt-get install postgresql' as root"; exit 2; }; \
	fi

## check: the same as test (kept for habit)
check: test

lint: $(VENV)/.installed
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .

types: $(VENV)/.installed
	$(PY) -m mypy metrics charter

# The layers, stated in pyproject.toml's [tool.importlinter] and checked by import-linter.
contracts: $(VENV)/.installed
	$(VENV)/bin/lint-imports --config pyproject.toml --no-cache

## bench: performance benchmarks; writes bench/results.json
bench: $(VENV)/.installed
	$(PY) -m bench

## demo: rebuild the demo database
demo: $(VENV)/.installed
	$(PY) -m metrics demo --db $(DB) --force

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
