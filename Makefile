# Briefing site: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help serve build test lint bench browsers clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-build: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed-build
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

serve: $(VENV)/.installed-build ## Build and serve with live reload on http://127.0.0.1:8000
	$(BIN)/mkdocs build --strict
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

build: $(VENV)/.installed-build ## Build the site strictly into site/ (no network needed)
	$(BIN)/mkdocs build --strict --clean

browsers: ## Install Debian's Chromium for the browser tests when it is missing (as root)
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-roboto-unhinted >/dev/null; \
	else echo "Chromium is missing: install Debian's 'chromium' package (as root) to run the browser tests." >&2; exit 1; fi

test: $(VENV)/.installed-test browsers ## Install what the tests need, then run the whole suite
	$(BIN)/ruff check hooks tests
	$(BIN)/pytest

lint: $(VENV)/.installed-test ## Lint hooks/ and tests/ with ruff
	$(BIN)/ruff check hooks tests

bench: $(VENV)/.installed-test ## Run every bench/bench_*.py (speed and size ratios; see BENCHMARKS.md)
	@set -e; for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean: ## Remove site/, caches and test artefacts (keeps the virtual environment)
	rm -rf site .cache .pytest_cache .ruff_cache artifacts
