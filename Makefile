# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := var/bootstrap/bin/uv
UV_VERSION := 0.13.9
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test lint install migrate demo serve bench clean reset-demo

# uv is installed into its own small bootstrap environment, so `uv sync` can own .venv exactly.
$(UV):
	$(PYTHON) -m venv var/bootstrap
	var/bootstrap/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) import_statutes
	$(MANAGE) load_demo

run: demo
	@$(MANAGE) portal_banner --port $(PORT)
	PORT=$(PORT) $(BIN)/honcho start --no-prefix -f Procfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) check
	$(BIN)/pytest

bench: demo
	$(BIN)/python -m bench

reset-demo: migrate
	$(MANAGE) load_demo --reset

clean:
	rm -rf $(VENV) var
