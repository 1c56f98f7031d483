# Set-up and everyday tasks. `make demo` and `make test` are the README's two commands.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
ADMIN_USER ?= admin
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?= -n auto
FRONTEND_PORT ?= 3000
# The demo's webhook secret between the CMS and the reference frontend (local only).
DEMO_WEBHOOK_SECRET ?= demo-frontend-webhook-secret
# The reference frontend needs Node.js 20 or newer; without it the demo is the CMS alone.
NODE_MAJOR := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
HAVE_NODE := $(shell [ "$(NODE_MAJOR)" -ge 20 ] 2>/dev/null && echo yes)
NPM := cd frontend && npm

.PHONY: help demo serve worker install install-dev test test-postgres lint format check schema schema-check messages bench lock clean frontend-install frontend-build frontend-test frontend-codegen frontend-check bench-frontend

help:
	@echo "make demo           install, migrate, seed the bilingual demo, print an admin login, serve on $(HOST):$(PORT)"
	@echo "                    (and the reference frontend on $(HOST):$(FRONTEND_PORT) when Node.js >= 20 is on the PATH)"
	@echo "make test           install with dev tools and run the whole test suite (SQLite)"
	@echo "make test-postgres  the suite on PostgreSQL ($(PG_TEST_URL))"
	@echo "make worker         deliver webhooks and publish scheduled pages (background worker)"
	@echo "make lint | format  ruff; lint also checks the layering (import-linter)"
	@echo "make check          Django system checks and makemigrations --check"
	@echo "make schema         regenerate schema.graphql;  make schema-check: fail if it is stale"
	@echo "make messages       update and compile the Swedish admin translations in cms/locale (needs gettext)"
	@echo "make bench          benchmarks on PostgreSQL + Redis; rewrites the README table"
	@echo "make bench-frontend the reference frontend's server time (warm, and against a cold API)"
	@echo "make lock           regenerate constraints.txt from pyproject.toml (every extra)"
	@echo "make frontend-codegen  regenerate the frontend's types and persisted documents from schema.graphql"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Installs are reproducible: every package, transitive ones included, is pinned in constraints.txt.
# PostgreSQL and Redis drivers come too, so DATABASE_URL / REDIS_URL work without a step.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt ".[postgres,redis]"
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet -c constraints.txt ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# With Node.js: the CMS, its webhook worker and the reference frontend (built against this
# CMS, its persisted queries registered, subscribed to the CMS's webhooks), all stopped by one
# Ctrl-C (demo/serve.sh). Without: the CMS alone, whose admin then renders previews itself.
demo: install
	$(MANAGE) migrate --no-input
ifeq ($(HAVE_NODE),yes)
	$(MANAGE) seed_demo --admin $(ADMIN_USER) \
		--frontend-webhook http://$(HOST):$(FRONTEND_PORT)/api/revalidate/ \
		--webhook-secret $(DEMO_WEBHOOK_SECRET)
	$(MAKE) --no-print-directory frontend-build
	$(MANAGE) register_persisted_queries frontend/src/gql/persisted-documents.json
	HOST=$(HOST) PORT=$(PORT) FRONTEND_PORT=$(FRONTEND_PORT) \
		DEMO_WEBHOOK_SECRET=$(DEMO_WEBHOOK_SECRET) bash demo/serve.sh
else
	$(MANAGE) seed_demo --admin $(ADMIN_USER)
	@echo "Node.js 20 or newer is not on the PATH: serving the CMS alone (the admin previews pages itself)."
	@echo "Admin: http://$(HOST):$(PORT)/admin/   GraphQL: http://$(HOST):$(PORT)/graphql/"
	$(MANAGE) runserver $(HOST):$(PORT)
endif

# The reference frontend (frontend/): installed from its lockfile.
frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

frontend-install: frontend/node_modules/.installed

# One build serves any CMS: its address is read when the server starts (frontend/.env.example).
frontend-build: frontend-install
	$(NPM) run build -- --no-lint

frontend-codegen: frontend-install
	$(NPM) run codegen

# Type check, lint and unit tests, then the production build the end-to-end tests serve.
frontend-test: frontend-install
	$(NPM) run typecheck
	$(NPM) run lint
	$(NPM) test
	$(MAKE) --no-print-directory frontend-build

# The generated types and persisted documents match the committed schema.graphql.
frontend-check: frontend-install
	@cp frontend/src/gql/persisted-documents.json $(VENV)/persisted-documents.before.json
	@$(NPM) run --silent codegen >/dev/null
	@diff -u $(VENV)/persisted-documents.before.json frontend/src/gql/persisted-documents.json || (echo "frontend/src/gql is out of date: run make frontend-codegen" && exit 1)
	@git diff --quiet -- frontend/src/gql 2>/dev/null || (echo "frontend/src/gql is out of date: run make frontend-codegen" && exit 1)

serve: install
	$(MANAGE) runserver $(HOST):$(PORT)

# Delivers webhooks (the background queue) and publishes scheduled pages every
# SCHEDULED_PUBLISHING_INTERVAL seconds; run one or more next to the app servers.
worker: install
	$(MANAGE) run_worker

# The browser tests (a live server and Chromium) run in a process of their own, after the
# rest: their flushed, restored database stays out of the parallel workers' way. With Node.js,
# the frontend's own checks and build come first; the browser tests then drive it end to end.
test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS) --ignore=tests/browser
ifeq ($(HAVE_NODE),yes)
	$(MAKE) --no-print-directory frontend-test
endif
	$(BIN)/pytest -p no:xdist tests/browser

test-postgres: install-dev
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest $(PYTEST_ARGS) --ignore=tests/browser
ifeq ($(HAVE_NODE),yes)
	$(MAKE) --no-print-directory frontend-build
endif
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -p no:xdist tests/browser

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install-dev
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run

schema: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) graphql_schema --schema cms.schema.schema --out schema.graphql

schema-check: install
	@DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) graphql_schema --schema cms.schema.schema --out $(VENV)/schema.graphql >/dev/null
	@diff -u schema.graphql $(VENV)/schema.graphql || (echo "schema.graphql is out of date: run make schema" && exit 1)

# One catalogue for all our apps: cms/locale (LOCALE_PATHS). Translate new entries in
# cms/locale/sv/LC_MESSAGES/django.po, then run this again; commit the .po and the .mo.
messages: install
	$(MANAGE) makemessages -l sv --ignore=.venv --ignore=tests --ignore=bench --ignore=var \
		--ignore=build --ignore='*.egg-info' --ignore=frontend --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv --ignore=frontend

# Benchmarks (not part of the test suite): PostgreSQL and Redis on 127.0.0.1; rewrites the
# README's results table. BENCH_ARGS="--sizes 1000 10000" for a shorter run.
bench: install-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The reference frontend's server time, warm and against a cold API (README, Benchmarks).
bench-frontend: install-dev frontend-build
	$(BIN)/python bench/frontend.py $(BENCH_ARGS)

# Every extra, so each one installs from the pinned set (README: Running in production).
EXTRAS := dev,postgres,redis,s3,sentry
lock:
	rm -rf $(VENV)-lock
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet --upgrade pip
	$(VENV)-lock/bin/python -m pip install --quiet ".[$(EXTRAS)]"
	$(VENV)-lock/bin/python -m pip freeze --exclude-editable | grep -v '^wagtail-headless-cms' > constraints.txt
	rm -rf $(VENV)-lock

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache frontend/node_modules frontend/.next
