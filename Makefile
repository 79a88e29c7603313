# Katsaus — `make demo`, `make test`; `make help` lists everything.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.katsaus-installed
OUT    ?= out
# Extra arguments for both pytest runs, e.g. `make test PYTEST_ARGS='-x -k periods'`.
PYTEST_ARGS ?=
# Test processes (pytest-xdist) for each pytest run: one per core, at most 4 (these machines have 2);
# `make test WORKERS=0` runs in one process. Each test module goes whole to one worker, the longest first
# (tests/conftest.py, LONGEST_FIRST).
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n < 4 ? n : 4 )))
XDIST   := -n $(WORKERS) --dist loadfile --no-loadscope-reorder

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install bytecode system-deps demo pdf-pages lint test test-sqlite test-postgres bench clean serve

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t16

$(BIN)/python:
	@scripts/install-system-deps.sh venv
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed (or the venv is new). uv (from PyPI, into the venv) installs the same
# packages from the same index as pip, resolved from the same pyproject.toml, in about 11 s where pip takes about
# 55 s on these machines (BENCHMARKS.md, "The test suite"); where uv cannot be had or fails, pip does it as before.
# --compile-bytecode, as pip does: with PYTHONDONTWRITEBYTECODE set (as here) every process would otherwise compile
# the packages it imports afresh.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "==> install -e '.[test]' (uv, else pip)"
	@if $(BIN)/python -m pip install --quiet uv 2>/dev/null && \
	    $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]'; then :; \
	else echo "uv did not install; pip instead"; $(BIN)/python -m pip install --quiet -e '.[test]'; fi
	@touch $@

install: $(STAMP) bytecode ## create .venv and install katsaus with its test extra
	@:

# The editable install leaves src/ uncompiled, and with PYTHONDONTWRITEBYTECODE set (as on these machines)
# every command would compile katsaus's modules afresh: ~0.2 s of each start. Only changed files are redone.
bytecode: $(STAMP) ## compile src/ to bytecode, as installing a package does
	@$(BIN)/python -m compileall -q src

system-deps: ## install what the tests need if missing: PostgreSQL, LibreOffice, Chromium, poppler, axe-core (npm)
	@scripts/install-system-deps.sh test

demo: $(STAMP) bytecode ## build the demo database, tables and documents (out/osavuosikatsaus-1-6-2025.html/.pdf/.docx/.xlsx)
	$(BIN)/katsaus demo --out $(OUT)

# The web application on the demo database (README, "The web application"); `katsaus demo` builds it if missing.
SERVE_DB ?= $(OUT)/katsaus-demo.sqlite3
serve: $(STAMP) bytecode ## the web application on the demo database at http://127.0.0.1:8000 (prints the demo users)
	@[ -f $(SERVE_DB) ] || $(BIN)/katsaus demo --out $(OUT)
	@export KATSAUS_DB=$(SERVE_DB) DJANGO_SETTINGS_MODULE=katsaus.web.settings; \
	$(BIN)/django-admin webdemo && exec $(BIN)/django-admin runserver --noreload 127.0.0.1:8000

pdf-pages: ## the demo PDF's pages as PNG images in out/pages/ (to look at them; needs `make demo` first)
	@mkdir -p $(OUT)/pages
	pdftoppm -r 80 -png $(OUT)/osavuosikatsaus-1-6-2025.pdf $(OUT)/pages/sivu

# The whole suite on SQLite and the database tests (-m db) on a throwaway PostgreSQL server that the
# pytest plugin tests/katsaus_pg.py starts and removes. Both always run; the target fails if either fails
# (including "no db tests collected"). STAGES=together (the default) runs the two at the same time, each in
# its workers, so that on two cores the one fills the other's idle moments and neither waits for the
# other's last module (BENCHMARKS.md, "The test suite"): the SQLite run prints as it goes, the PostgreSQL
# run's output follows. The static checks (lint) run first with STAGES=in-turn and beside the two stages with
# STAGES=together, where their output comes last; either way their findings fail the target.
STAGES ?= together
test: $(STAMP) bytecode system-deps ## the static checks, all tests on SQLite and the db tests on PostgreSQL
	@sqlite=0; pg=0; lint=0; \
	if [ "$(STAGES)" = in-turn ]; then \
	  $(MAKE) lint || lint=$$?; \
	  echo "==> pytest: whole suite on SQLite"; \
	  $(MAKE) test-sqlite || sqlite=$$?; \
	  echo; echo "==> pytest -m db: database tests on PostgreSQL"; \
	  $(MAKE) test-postgres || pg=$$?; \
	else \
	  logs=$$(mktemp -d); trap 'rm -rf "$$logs"' EXIT; \
	  ( rc=0; $(MAKE) lint > "$$logs/lint.log" 2>&1 || rc=$$?; echo $$rc > "$$logs/lint.rc" ) & \
	  ( rc=0; $(MAKE) test-postgres > "$$logs/pg.log" 2>&1 || rc=$$?; echo $$rc > "$$logs/pg.rc" ) & \
	  echo "==> pytest: whole suite on SQLite (and pytest -m db on PostgreSQL and the static checks at the same time, below)"; \
	  $(MAKE) test-sqlite || sqlite=$$?; \
	  wait; pg=$$(cat "$$logs/pg.rc"); lint=$$(cat "$$logs/lint.rc"); \
	  echo; echo "==> pytest -m db: database tests on PostgreSQL"; \
	  cat "$$logs/pg.log"; \
	  echo; cat "$$logs/lint.log"; \
	fi; \
	echo; \
	[ $$sqlite -eq 0 ] && s=ok || s=FAILED; [ $$pg -eq 0 ] && p=ok || p=FAILED; [ $$lint -eq 0 ] && l=ok || l=FAILED; \
	echo "==> SQLite: $$s   PostgreSQL: $$p   static checks: $$l"; \
	[ $$sqlite -eq 0 ] && [ $$pg -eq 0 ] && [ $$lint -eq 0 ]

# ruff over the code, the tests and the benches; mypy over src/katsaus, strict on core, services and web
# (pyproject.toml). Zero findings, or `make test` fails.
lint: $(STAMP) ## the static checks: ruff and mypy (django-stubs)
	@echo "==> ruff check src tests bench"
	@$(BIN)/ruff check --quiet src tests bench
	@echo "==> mypy src/katsaus"
	@$(BIN)/mypy --no-error-summary

# pytest keeps its rewritten test modules in tests/__pycache__ (ignored by git), also where PYTHONDONTWRITEBYTECODE
# is set (as on these machines): each worker of each run would otherwise rewrite all of them again (~3 s).
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest

test-sqlite: $(STAMP) bytecode ## the whole suite on SQLite only
	@env -u KATSAUS_DB -u KATSAUS_TEST_POSTGRES $(PYTEST) $(XDIST) $(PYTEST_ARGS)

test-postgres: $(STAMP) bytecode system-deps ## the db tests on a throwaway PostgreSQL server only
	@rc=0; PYTHONPATH=tests$${PYTHONPATH:+:$$PYTHONPATH} \
	  $(PYTEST) -p katsaus_pg --postgres -m db $(XDIST) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: no tests marked 'db' were collected" >&2; fi; \
	exit $$rc

bench: $(STAMP) bytecode ## run the benchmarks bench/*.py
	@shopt -s nullglob; files=(bench/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "no benchmarks in bench/"; exit 0; fi; \
	for f in "$${files[@]}"; do echo "==> $$f"; $(BIN)/python "$$f"; done

clean: ## remove out/ and caches (keeps .venv)
	rm -rf $(OUT) .pytest_cache .hypothesis build src/*.egg-info
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -type d \) -prune -exec rm -rf {} +
