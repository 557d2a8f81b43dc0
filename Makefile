# Leerscan: `make run` serves the site, `make test` runs the whole suite, `make run-prod` serves it
# the production way on this machine (gunicorn, DEBUG off, the task worker; docs/deployment.md).
# Both create .venv, install the pinned requirements, compile the Dutch catalogue, migrate,
# load the monitor's benchmark data (idempotent) and collect static files first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
# The secret key of `make run-prod` (and of the production-settings steps of `make setup`):
# generated once, readable by its owner only, ignored by git. DJANGO_SECRET_KEY, when set, wins.
SECRET_KEY_FILE := var/secret_key
PROD_MANAGE := DJANGO_DEBUG=False DJANGO_SECRET_KEY_FILE=$(CURDIR)/$(SECRET_KEY_FILE) $(MANAGE)
PORT ?= 8000
# The suite runs in this many processes (pytest-xdist): the machines have two cores.
TEST_WORKERS ?= 2

.PHONY: run run-prod test setup install messages lint format makemessages perf clean

# The development server and, beside it, the task workers that render reports in the background
# (leerscan/reports/tasks.py; one per core, at a lower CPU priority); Ctrl+C stops both.
run: setup
	@nice -n 10 $(MANAGE) report_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# http://127.0.0.1:$(PORT)/ served as in production, on plain HTTP on the loopback only.
run-prod: setup
	PORT=$(PORT) DJANGO_SECRET_KEY_FILE=$(CURDIR)/$(SECRET_KEY_FILE) deploy/run-prod

test: setup lint
	@$(BIN)/pytest -n $(TEST_WORKERS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure."; exit 1; fi; \
	exit $$rc

# Two steps run with production settings: createcachetable makes the shared cache's table (nothing
# to do for the file cache of DEBUG), and collectstatic collects the files as production serves
# them (hashed names, their manifest, compressed copies); with DEBUG on, the plain names serve.
setup: install messages $(SECRET_KEY_FILE)
	$(MANAGE) migrate --noinput
	$(PROD_MANAGE) createcachetable
	$(MANAGE) benchmark_set_load
	$(MANAGE) item_bank_load
	$(MANAGE) instrument_library_load
	$(PROD_MANAGE) collectstatic --noinput --verbosity 0

$(SECRET_KEY_FILE):
	@mkdir -p $(@D)
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' >$@.tmp && mv $@.tmp $@
	@echo "Generated $@, the secret key of make run-prod (mode 0600, ignored by git)."

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# msgfmt comes from gettext; install it with apt when missing (the machines run as root).
messages: install
	@command -v msgfmt >/dev/null || { \
	  echo "gettext (msgfmt) is missing; installing it with apt-get."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; }
	$(MANAGE) compilemessages --ignore=.venv --verbosity 0

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the Dutch catalogue after changing user-facing text.
makemessages: install
	$(MANAGE) makemessages --locale nl --ignore=.venv --ignore=staticfiles --no-obsolete

# Performance figures (printed, never asserted); record them in docs/performance.md.
perf: setup
	$(BIN)/python perf/bench_pages.py
	$(BIN)/python perf/bench_throughput.py
	$(BIN)/python perf/bench_report.py

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache .ruff_cache .hypothesis
