# Briefing site: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
# Bytecode under .cache/pycache, not beside the sources: the generator (briefing/, an editable
# install) is imported compiled, where compiling it took 0.14 s of every build (issue 14).
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX := $(CURDIR)/.cache/pycache

.DEFAULT_GOAL := help
.PHONY: help serve build test lint bench audit browsers clean distclean pdf-libs pdf-tools java linkcheck

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-build: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@# .venv/bin/mkdocs as make runs it: without Material's end-of-life banner (NO_MKDOCS_2_WARNING).
	echo "import os; os.environ.setdefault('NO_MKDOCS_2_WARNING', '1')" > \
	  "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/briefing-quiet.pth"
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed-build
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

serve: $(VENV)/.installed-build pdf-libs ## Serve with live reload on http://127.0.0.1:8000 (warnings shown in the terminal and on every page); NOTE=<folder>: that note alone
	BRIEFING_NOTE=$(NOTE) $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.installed-build pdf-libs ## Build the site strictly into site/ (no network needed)
	$(BIN)/mkdocs build --strict --clean

# Debian packages, as root or with password-less sudo (GitHub's runners); else say what is missing.
apt_install = if [ "$$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; \
	then sudo=sudo; else echo "Missing Debian packages: install $(1) (as root)." >&2; exit 1; fi; \
	$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null

pdf-libs: $(VENV)/.installed-build ## Install Pango and a font for the PDF edition (WeasyPrint) when missing
	@if $(BIN)/python -c 'import weasyprint' >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q .; then :; \
	else $(call apt_install,libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core); fi

pdf-tools: ## Install Debian's poppler-utils (pdftotext) for the PDF tests when missing
	@if command -v pdftotext >/dev/null 2>&1; then :; else $(call apt_install,poppler-utils); fi

java: ## Install Debian's Java for the HTML checker (vnu.jar) when it is missing
	@if command -v java >/dev/null 2>&1; then :; else $(call apt_install,default-jre-headless); fi

browsers: ## Install Debian's Chromium for the browser tests when it is missing (as root)
	@if command -v chromium >/dev/null 2>&1; then :; else $(call apt_install,chromium fonts-roboto-unhinted); fi

test: $(VENV)/.installed-test browsers pdf-libs pdf-tools java ## Install what the tests need, then run the whole suite
	$(BIN)/ruff check briefing tests bench
	$(BIN)/pytest

lint: $(VENV)/.installed-test ## Lint briefing/, tests/ and bench/ with ruff
	$(BIN)/ruff check briefing tests bench

bench: $(VENV)/.installed-test node_modules/.package-lock.json browsers ## Run every bench/bench_*.py (speed and size ratios; see BENCHMARKS.md)
	@set -e; for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script; done

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

audit: $(VENV)/.installed-test node_modules/.package-lock.json browsers ## Lighthouse (mobile) on pages of the real site and of the synthetic 50-note series; targets in BENCHMARKS.md
	$(BIN)/python bench/bench_lighthouse.py --check

linkcheck: $(VENV)/.installed-build pdf-libs ## Build, then check every external link (pages, .bib) online; report: linkcheck-report.txt
	$(BIN)/python -m briefing.links -f mkdocs.yml $(LINKCHECK_ARGS)

clean: ## Remove every artefact: site/, caches, screenshots, reports (keeps .venv and node_modules)
	rm -rf site .cache .pytest_cache .ruff_cache artifacts linkcheck-report.txt *.egg-info
	find . -name __pycache__ -type d -not -path "./.venv/*" -not -path "./node_modules/*" -prune -exec rm -rf {} +

distclean: clean ## Remove what make installed too: .venv and node_modules
	rm -rf .venv node_modules
