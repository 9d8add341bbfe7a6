# One-word dev loop: make run, make test, make lint, make bench.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := src/tansiq/web/static/vendor/.built

.PHONY: run run-pair test lint bench assets install clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

$(ASSETS): package.json package-lock.json tools/build_assets.py
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) tools/build_assets.py
	touch $@

assets: $(STAMP) $(ASSETS)

run: install assets
	$(BIN)/tansiq init
	$(BIN)/tansiq demo
	$(BIN)/tansiq serve --host 127.0.0.1 --port 8000

# Two federated nodes: fed on :8000 and krg on :8001, each with its own database and key.
run-pair: install assets
	$(PY) -m tansiq.testing.pair

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

test: install assets lint
	$(BIN)/pytest

bench: install
	$(PY) bench/ingest.py
	$(PY) bench/import_acled.py
	$(PY) bench/query.py
	$(PY) bench/export.py
	$(PY) bench/verify.py
	$(PY) bench/deconflict.py
	$(PY) bench/iraq_border.py
	$(PY) bench/recheck.py
	$(PY) bench/worst_request.py
	$(PY) bench/workers.py
	$(PY) bench/sync.py --outage 2000
	$(PY) bench/ingest_articles.py
	$(PY) bench/classify.py

clean:
	rm -rf $(VENV) node_modules src/tansiq/web/static/vendor
