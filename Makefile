# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one test database each; `auto` is one a CPU core.
TEST_WORKERS ?= auto

.PHONY: run test screenshots lint format migrate messages demo clean serve worker

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
	DEBUG=1 $(PY) manage.py load_demo --with-second

run: messages demo
	@echo "Serving the Diplomacy Archive on http://$(HOST):$(PORT)/  (change with HOST=... PORT=... make run)"
	@echo "Editors' admin: http://$(HOST):$(PORT)/admin/  (create a login first: DEBUG=1 $(PY) manage.py createsuperuser)"
	@echo "JSON API: http://$(HOST):$(PORT)/api/v1/"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Production: gunicorn with production settings (SECRET_KEY and ALLOWED_HOSTS from the environment,
# DEBUG off), WEB_CONCURRENCY workers (default 2); static files collected first. Migrations are a
# deployment step of their own (manage.py migrate, on the primary). docs/deployment.md.
serve: $(VENV)/.installed
	$(PY) manage.py compile_messages
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/gunicorn diplomacy.wsgi:application --config gunicorn.conf.py

# A background worker (Celery) on CELERY_BROKER_URL; WORKER_CONCURRENCY processes (default 2).
worker: $(VENV)/.installed
	$(VENV)/bin/celery -A diplomacy worker --concurrency=$${WORKER_CONCURRENCY:-2} --loglevel=$${LOG_LEVEL:-INFO}

node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; else echo "npm not found: the accessibility test needs axe-core (npm ci)"; fi

# `--dist load` hands each worker tests in collection order, so pytest-django's order (transaction-rolled-back
# tests, then flushing ones, then the rest) holds in every worker. (`loadgroup` would reorder them and would
# run schemathesis's operations, which share one test id, only once.)
test: $(VENV)/.dev-installed messages node_modules/.package-lock.json
	@# pytest's exit status 5 means no test was collected: a failure too (make stops), said plainly.
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS) || { status=$$?; \
		[ $$status -ne 5 ] || echo "pytest collected no tests (exit status 5): nothing was checked" >&2; exit $$status; }

# The README's screenshots: the browser tests, writing into docs/screenshots/ (`make test` never does).
screenshots: $(VENV)/.dev-installed messages node_modules/.package-lock.json
	SCREENSHOTS=1 $(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
