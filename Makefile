# Two commands for a newcomer: `make run` (demo on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION ?= 0.13.9
# uv installs exactly the versions in uv.lock (the ones the suite passed with) into $(VENV).
SYNC := UV_PROJECT_ENVIRONMENT=$(abspath $(VENV)) $(UV) sync --frozen --inexact --quiet
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test lint format install install-test lock migrate seed serve bench bench-digest bench-http bench-coedit js screens clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock | $(PY)
	$(SYNC)
	touch $@

$(VENV)/.installed-test: pyproject.toml uv.lock | $(PY)
	$(SYNC) --extra test
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

## run: set up, migrate, load the demo data and serve it with Daphne and one task worker
## (PORT overrides 8000; e-mail lands in var/mail/, one .eml file per message)
run: seed
	@echo "Serving the workspace on http://$(HOST):$(PORT)/ (log in as beirut / demo); e-mail goes to var/mail/"
	WORKSPACE_BASE_URL=$${WORKSPACE_BASE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py serve --host $(HOST) --port $(PORT)

## test: set up with the test extras, lint, check migrations, run the whole suite
test: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

## lock: after changing dependencies in pyproject.toml, pin them again in uv.lock
lock: | $(PY)
	$(UV) lock

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install-test
	$(PY) bench/ws_fanout.py

## bench-digest: the daily digest of 200 people x 50 events, against its budget
bench-digest: install-test
	$(PY) bench/digest.py
## bench-http: req/s, p50/p99 and the budgets of the main pages against /healthz (needs wrk)
bench-http: install-test
	$(PY) bench/http_pages.py $(BENCH_ARGS)
## bench-coedit: co-editing figures (20 co-authors typing into one draft, one and two processes)
bench-coedit: install-test
	$(PY) bench/coedit.py

## screens: screenshots of the main pages at 1366 and 390 px from the demo, into docs/screens/
screens: install-test
	$(PY) docs/screens/take.py

## js: rebuild the committed editor bundle (static/js/coedit.bundle.js) byte for byte from
## frontend/package-lock.json; needs Node.js and npm (make run does not)
js:
	cd frontend && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) var
