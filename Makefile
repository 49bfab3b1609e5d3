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
.PHONY: help install css run test test-fast lint format migrate content clean seed-fingerprint

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/site.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build:css

install: $(VENV)/.installed node_modules/.installed ## Create the virtualenv and install Python and npm packages

css: static/build/site.css ## Compile the stylesheet from Bootstrap's Sass sources

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

content: migrate ## Load the shipped content (safe to run twice; keeps editors' changes)
	$(DEV) $(PY) manage.py load_content

run: css content ## Install, migrate, load content, serve on http://127.0.0.1:8000/
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install css ## The whole test suite, browser tests included
	$(BIN)/pytest

lint: install ## ruff: lint and check formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## ruff: fix what can be fixed and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

seed-fingerprint: install ## Rebuild tests/data/seed-8grams.txt from ../shared/seed/
	$(PY) -m tests.originality ../shared/seed/000_eb536b2b21ea7416.txt

# Further task groups (benchmarks, load tests) live in mk/*.mk.
-include $(wildcard mk/*.mk)

clean: ## Remove the virtualenv, node_modules, built assets and the local database
	rm -rf $(VENV) node_modules static/build staticfiles db.sqlite3*
