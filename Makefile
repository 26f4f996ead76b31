# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := var/bootstrap/bin/uv
UV_VERSION := 0.13.9
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
# pytest's own arguments for `make test` / `make pytest`: two workers on a two-core machine.
PYTEST_ARGS ?= -n 2
export UV_PROJECT_ENVIRONMENT := $(VENV)
# The checks run with the test settings, as pytest does.
CHECK_ENV := DJANGO_SETTINGS_MODULE=portal.settings.test

.PHONY: run dev test lint checks pytest install migrate demo static serve bench clean reset-demo ci prod-check

# uv is installed into its own small bootstrap environment (a fresh Debian machine has Python
# but no uv), so `uv sync` can own .venv exactly as uv.lock says.
$(UV):
	$(PYTHON) -m venv var/bootstrap
	var/bootstrap/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# The stamp is newer than the lock file once installed: a second `make run` skips `uv sync`.
# Bytecode is compiled once here, as in the image: where PYTHONDONTWRITEBYTECODE is set, every
# process (each gunicorn worker, each test worker) would otherwise compile every module it
# imports, seconds of CPU before its first answer.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode
	touch $@

# The validators the tests run (Nu HTML Checker, axe-core), from the npm lock file. Their install
# scripts are skipped: vnu-jar's would download a Java runtime; Debian's is used instead.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

install: $(VENV)/.installed node_modules/.installed

migrate: install
	$(MANAGE) migrate --noinput

# import_statutes and load_demo are idempotent and quick when nothing changed.
demo: migrate
	$(MANAGE) import_statutes
	$(MANAGE) load_demo

# Static files collected (hashed, compressed) for WhiteNoise; again only when one changed.
STATIC_SOURCES := $(shell find portal content search distribution reach geodata -path '*/static/*' -type f 2>/dev/null)
STATIC_MANIFEST := var/static/staticfiles.json
$(STATIC_MANIFEST): $(VENV)/.installed $(STATIC_SOURCES)
	$(MANAGE) collectstatic --noinput --verbosity 0
	touch $@

static: $(STATIC_MANIFEST)

# The web server (gunicorn, several workers, DEBUG off), the task worker, the clock and the demo
# receiver together (Procfile); Ctrl+C stops them. DEBUG=1 is `make dev`.
ifeq ($(DEBUG),1)
run: dev
else
run: static demo serve
endif

# Developers: Django's auto-reloading server with debug pages instead of gunicorn.
dev: demo
	@$(MANAGE) portal_banner --port $(PORT)
	WEB_PORT=$(PORT) $(BIN)/honcho start -f Procfile devweb worker clock receiver

# honcho gives each process its own PORT; WEB_PORT is the web server's, for every process.
serve: install
	@$(MANAGE) portal_banner --port $(PORT)
	WEB_PORT=$(PORT) $(BIN)/honcho start -f Procfile web worker clock receiver

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

checks: install
	$(CHECK_ENV) $(MANAGE) makemigrations --check --dry-run
	$(CHECK_ENV) $(MANAGE) check

pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint checks pytest

# What CI runs on a clean Debian machine (as root): system packages, SQLite, then PostgreSQL.
ci:
	.ci/run

# The load generator's own environment (the `prodcheck` group of uv.lock, nothing else).
PRODCHECK_VENV := var/prodcheck-venv
$(PRODCHECK_VENV)/.installed: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(PRODCHECK_VENV) $(UV) sync --frozen --compile-bytecode --only-group prodcheck --no-install-project
	touch $@

# The production layout on this machine under a bounded load, reconciled (deploy/prodcheck).
# Needs root for Debian's packages when they are missing; stops everything it started.
prod-check: install $(PRODCHECK_VENV)/.installed
	PRODCHECK_LOCUST=$(PRODCHECK_VENV)/bin/locust $(BIN)/python -m deploy.prodcheck


bench: demo
	$(BIN)/python -m bench

reset-demo: migrate
	$(MANAGE) load_demo --reset

clean:
	rm -rf $(VENV) var test-results
