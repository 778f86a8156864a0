# The two commands: `make run` (demo on SQLite at http://127.0.0.1:8000) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
RUN_ENV := DEBUG=true DEMO_MODE=true DATABASE_URL=$(or $(RUN_DATABASE_URL),sqlite:///$(CURDIR)/db.sqlite3)

.PHONY: install run test test-dates bench lint messages chromium

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

# Every test starts at HUIZEN_TEST_NOW (by default Monday 2026-11-30 07:00 in Amsterdam). The tests marked
# date_sensitive run again on each of these "todays" (Amsterdam time): a Monday, a Sunday night, both daylight-saving
# days (before the spring jump, in the repeated autumn hour), New Year's Eve and a leap day shortly after midnight.
TEST_DATES ?= 2026-11-30T07:00+01:00 2026-12-06T23:30+01:00 2027-03-28T01:30+01:00 2027-10-31T02:30+01:00 \
	2026-12-31T23:30+01:00 2028-02-29T00:30+01:00

test-dates: install chromium
	@set -e; for now in $(TEST_DATES); do \
		echo "=== the date-sensitive tests on $$now"; \
		HUIZEN_TEST_NOW=$$now $(PY) -m pytest -m date_sensitive -q $(PYTEST_ARGS); \
	done

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
