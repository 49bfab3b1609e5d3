# Every task of the project, in one place. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEV := DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install lock system-deps css run test test-postgres test-scaleout lint format migrate content backup restore messages clean seed-fingerprint

help: ## List the tasks
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# Every package, dependencies of dependencies included, at the version and hashes locked in
# requirements-dev.txt (`make lock` writes it from the .in files); pip refuses any other file.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/site.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build:css

install: $(VENV)/.installed node_modules/.installed ## Create the virtualenv and install Python and npm packages

# requirements*.in name what the project uses directly; the .txt files lock everything with hashes.
# Pins already in a .txt are kept; to upgrade, change the pin in the .in file (or delete the line from the .txt).
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 --custom-compile-command "make lock"
lock: $(VENV)/.installed ## Compile requirements*.in into the hashed requirements*.txt that make install uses
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt
	$(UV_COMPILE) requirements-bench.in -o requirements-bench.txt

# Debian packages the tests drive: Chromium (browser tests), PostgreSQL (test-postgres and
# the throwaway-server test), Redis (test-scaleout). Installed when missing, as root.
SYSTEM_PACKAGES := $(if $(wildcard /usr/bin/chromium),,chromium) \
	$(if $(wildcard /usr/lib/postgresql/*/bin/initdb),,postgresql) \
	$(if $(wildcard /usr/bin/redis-server),,redis-server)
system-deps: ## Install the Debian packages the tests need (chromium, postgresql, redis-server) when missing
	@if [ -n "$(strip $(SYSTEM_PACKAGES))" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES); \
	  else echo "Please install: sudo apt-get install --no-install-recommends $(SYSTEM_PACKAGES)"; exit 1; fi; \
	fi

css: static/build/site.css ## Compile the stylesheet from Bootstrap's Sass sources

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

content: migrate ## Load the shipped content (safe to run twice; keeps editors' changes)
	$(DEV) $(PY) manage.py load_content

run: css content ## Install, migrate, load content, serve on http://127.0.0.1:8000/
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

# The suites run on TEST_WORKERS processes (pytest-xdist; CI has 2 cores); TEST_WORKERS=0 runs them in one.
TEST_WORKERS ?= 2
test: install css system-deps ## The whole test suite, browser tests included (test-scaleout runs the servers apart)
	$(BIN)/pytest --ignore=tests/scaleout -n $(TEST_WORKERS)

PG_DIR ?= $(CURDIR)/.pg-test
PG_PORT ?= $(shell $(PYTHON) -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
test-postgres: install css system-deps ## The whole suite against a throwaway PostgreSQL server (Debian's postgresql)
	@trap 'scripts/pg-throwaway stop $(PG_DIR)' EXIT; \
	url=$$(scripts/pg-throwaway start $(PG_DIR) $(PG_PORT)) || exit 1; \
	DATABASE_URL=$$url EXPECT_DB_VENDOR=postgresql $(BIN)/pytest --ignore=tests/scaleout --ignore=tests/browser --hypothesis-profile=dev -n $(TEST_WORKERS)

test-scaleout: install css system-deps ## Two gunicorn instances on one PostgreSQL and one Redis, Redis stopped mid-run
	$(BIN)/pytest tests/scaleout

BACKUP ?= backups/explainer-$(shell date -u +%Y%m%dT%H%M%SZ).json
backup: migrate ## Write a consistent snapshot of content, answers and reports (BACKUP=path)
	$(DEV) $(PY) manage.py backup $(BACKUP)

restore: migrate ## Restore a snapshot into an empty database: make restore FILE=backups/....json
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/explainer-....json"; exit 2; }
	$(DEV) $(PY) manage.py restore $(FILE)

messages: install ## Refresh the translation catalogue (locale/en) from the marked strings; needs GNU gettext
	$(DEV) $(PY) manage.py makemessages -l en --ignore=".venv/*" --ignore="node_modules/*" --ignore="bench/*" --ignore="tests/*"
	$(DEV) $(PY) manage.py compilemessages -l en --ignore=".venv/*"

lint: install ## ruff (lint, formatting), import-linter (the layer contracts in pyproject.toml), no missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

format: install ## ruff: fix what can be fixed and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

seed-fingerprint: install ## Rebuild tests/data/seed-8grams.txt from ../shared/seed/
	$(PY) -m tests.originality ../shared/seed/000_eb536b2b21ea7416.txt

# Further task groups (benchmarks, load tests) live in mk/*.mk.
-include $(wildcard mk/*.mk)

clean: ## Remove the virtualenv, node_modules, built assets and the local database
	rm -rf $(VENV) node_modules static/build staticfiles db.sqlite3*
