# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format migrate messages demo clean

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py compile_messages

migrate: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo

run: messages demo
	@echo "Serving the Diplomacy Archive on http://$(HOST):$(PORT)/  (change with HOST=... PORT=... make run)"
	@echo "Editors' admin: http://$(HOST):$(PORT)/admin/  (create a login first: DEBUG=1 $(PY) manage.py createsuperuser)"
	@echo "JSON API: http://$(HOST):$(PORT)/api/v1/"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; else echo "npm not found: the accessibility test needs axe-core (npm ci)"; fi

test: $(VENV)/.dev-installed messages node_modules/.package-lock.json
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
