# The two commands: `make run` (demo on SQLite at http://127.0.0.1:8000) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
RUN_ENV := DEBUG=true DEMO_MODE=true DATABASE_URL=$(or $(RUN_DATABASE_URL),sqlite:///$(CURDIR)/db.sqlite3)

.PHONY: install run test bench lint messages chromium

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml package.json package-lock.json | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP)

run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# SQLite by default; PostgreSQL when DATABASE_URL is set. The browser tests need Debian's Chromium.
test: install chromium
	$(PY) -m pytest $(PYTEST_ARGS)

# Throughput and latency of the write paths under gunicorn on PostgreSQL, as ratios to a bare Django view.
# BENCH_DATABASE_URL picks the database (default: postgres://postgres@127.0.0.1:5432/huizen_bench).
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

chromium:
	@bash scripts/ensure-chromium

lint: install
	$(VENV)/bin/ruff check .

# Refresh the Dutch catalogue after changing user-facing texts (needs GNU gettext), then translate and compile.
messages: install
	$(PY) manage.py makemessages --locale nl --ignore ".venv/*" --ignore "node_modules/*" --no-obsolete
	$(PY) manage.py compilemessages --locale nl --ignore ".venv/*" --ignore "node_modules/*"
