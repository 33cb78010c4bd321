# eventhouse — `make run` starts the platform, `make test` checks it. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DASHBOARD := ingest_api/dashboard
DASHBOARD_STAMP := $(DASHBOARD)/node_modules/.installed-stamp
PYTEST_WORKERS ?= 2

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock -e '.[dev]'
	@touch $(STAMP)

$(DASHBOARD_STAMP): $(DASHBOARD)/package.json $(DASHBOARD)/package-lock.json | system-deps
	cd $(DASHBOARD) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP) system-deps $(DASHBOARD_STAMP) ## create .venv and install everything the project needs

system-deps: ## Debian packages: chromium (browser tests), node and npm (the dashboard's chart library)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; }

lock: ## re-resolve requirements.lock from pyproject.toml
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev -o requirements.lock

lint: install ## ruff, formatting and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(wildcard eventhouse warehouse ingest_api orchestration schemas sdk bench)

test: install lint ## install, lint and run every test
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

run: install ## start the platform on its embedded defaults
	$(BIN)/eventhouse up

bench: install ## run the benchmarks, each beside its floor
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean: ## remove the virtualenv and local data
	rm -rf $(VENV) .eventhouse

.PHONY: help install system-deps lock lint test run bench clean
