# The two commands: `make run` (demo on SQLite at http://127.0.0.1:8000) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
RUN_ENV := DEBUG=true DEMO_MODE=true DATABASE_URL=$(or $(RUN_DATABASE_URL),sqlite:///$(CURDIR)/db.sqlite3)

.PHONY: install run test test-dates test-dates-browser test-dates-other bench lint messages chromium system-libs

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml package.json package-lock.json | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP)

run: install system-libs
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# SQLite by default; PostgreSQL when DATABASE_URL is set. The browser tests need Debian's Chromium, the PDF reports
# Pango, HarfBuzz and a font (both installed with apt-get when missing and you are root).
test: install chromium system-libs
	$(PY) -m pytest $(PYTEST_ARGS)

# `make test` runs every test on the default HUIZEN_TEST_NOW, a Monday (2026-11-30 07:00 in Amsterdam). `make test-dates`
# runs the tests marked date_sensitive again on each of these "todays" (Amsterdam time): a Sunday night, both
# daylight-saving days (before the spring jump, in the repeated autumn hour), New Year's Eve and a leap day just after
# midnight; `make test-dates TEST_DATES=2027-07-04T23:59` for another. The browser tests and the others run side by
# side, each today in a fresh process (the test files compute some dates when they are imported).
TEST_DATES ?= 2026-12-06T23:30+01:00 2027-03-28T01:30+01:00 2027-10-31T02:30+01:00 2026-12-31T23:30+01:00 \
	2028-02-29T00:30+01:00
on_each_date = set -e; for now in $(TEST_DATES); do \
	echo "=== $(1), today being $$now"; HUIZEN_TEST_NOW=$$now $(PY) -m pytest -m "$(2)" -q $(PYTEST_ARGS); done

test-dates: install chromium system-libs
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-dates-browser test-dates-other

test-dates-browser:
	@$(call on_each_date,the date-sensitive browser tests,date_sensitive and browser)

test-dates-other:
	@$(call on_each_date,the other date-sensitive tests,date_sensitive and not browser)

# Throughput and latency of the write paths under gunicorn on PostgreSQL, as ratios to a bare Django view.
# BENCH_DATABASE_URL picks the database (default: postgres://postgres@127.0.0.1:5432/huizen_bench).
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

chromium:
	@bash scripts/ensure-chromium

system-libs:
	@bash scripts/ensure-system-libs

lint: install
	$(VENV)/bin/ruff check .

# Refresh the Dutch catalogue after changing user-facing texts (needs GNU gettext), then translate and compile.
messages: install
	$(PY) manage.py makemessages --locale nl --ignore ".venv/*" --ignore "node_modules/*" --no-obsolete
	$(PY) manage.py compilemessages --locale nl --ignore ".venv/*" --ignore "node_modules/*"
