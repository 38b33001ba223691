# One entry point for people and CI. Needs only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/outcomes.duckdb
PORT ?= 8501
# Only this machine can reach `make run`; a deployment sets its own address (see README).
ADDRESS ?= 127.0.0.1
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js

.PHONY: run test test-fast check lint types contracts bench demo clean chromium postgresql libreoffice

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

# CI has ../shared (the real releases), so there a skipped test fails the run (--no-skips,
# tests/conftest.py). A fresh clone without it may skip the tests that need the whole
# releases; each says why.
NO_SKIPS := $(if $(wildcard ../shared/data),--no-skips)

## test: set up, then lint, types, import contracts and every test, `slow` ones too (CI runs
## exactly this; browser tests need Debian's chromium: installed if missing)
test: $(VENV)/.installed chromium postgresql libreoffice $(AXE) lint types contracts
	$(PY) -m pytest -n 2 --dist loadfile $(NO_SKIPS)

## test-fast: lint, types, contracts and the domain's own tests (no servers, no browser)
## except those marked `slow` (the intruder's integer programmes, a second demo build): a
## developer's quick check before `make test`, which runs them all
test-fast: $(VENV)/.installed postgresql libreoffice lint types contracts
	$(PY) -m pytest tests/unit -n 2 -m "not slow"

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

# Debian's LibreOffice Calc for the workbook tests (tests/unit/test_ingest_workbooks.py saves
# each test workbook again with `soffice --headless --convert-to xlsx`), installed if missing.
libreoffice:
	@if ! command -v soffice >/dev/null 2>&1; then \
	  echo "Installing Debian's libreoffice-calc for the workbook tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null \
	  || { echo "Could not install libreoffice-calc: run 'apt-get install libreoffice-calc' as root"; exit 2; }; \
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

# The domain, the charter, the user interface, the pages (mypy names `pages/0_Overview.py` the
# module `0_Overview`: files, not imports), the benchmarks and the two entry scripts; then the
# floor app (bench/floor), a Streamlit app of its own that imports from its own folder.
types: $(VENV)/.installed
	$(PY) -m mypy metrics charter ui pages bench app.py serve.py
	MYPYPATH=bench/floor $(PY) -m mypy bench/floor/app.py bench/floor/pages/2_Second.py

# The layers, stated in pyproject.toml's [tool.importlinter] and checked by import-linter.
contracts: $(VENV)/.installed
	$(VENV)/bin/lint-imports --config pyproject.toml --no-cache

## bench: performance benchmarks; writes bench/results.json. `make bench BENCH_ONLY=proxy`
## (names separated by spaces) runs only those and keeps the other entries of results.json
BENCH_ONLY ?=
bench: $(VENV)/.installed haproxy postgresql
	$(PY) -m bench $(BENCH_ONLY)

## demo: rebuild the demo database
demo: $(VENV)/.installed
	$(PY) -m metrics demo --db $(DB) --force

## cluster: the demo on N app servers (default 2) behind HAProxy, on a throwaway PostgreSQL
## (OUTCOMES_DATABASE_URL when set); `make cluster N=3`, `make cluster DUCKDB_COPIES=1` (each
## server on its own demo DuckDB file: the proxy without PostgreSQL). Ctrl-C stops it all.
.PHONY: cluster haproxy
N ?= 2
CLUSTER_PORT ?= 8500
cluster: $(VENV)/.installed haproxy $(if $(DUCKDB_COPIES),$(DB),postgresql)
	$(PY) -m deploy.cluster --servers $(N) --port $(CLUSTER_PORT) $(if $(DUCKDB_COPIES),--duckdb-copies --db $(DB))

# Debian's HAProxy for `make cluster` and its tests (tests/browser/test_cluster.py), installed
# if missing, as chromium is.
test: haproxy
haproxy:
	@command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || { \
	  echo "Installing Debian's haproxy for make cluster and its tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq haproxy >/dev/null \
	  || { echo "Could not install haproxy: run 'apt-get install haproxy' as root"; exit 2; }; }

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
