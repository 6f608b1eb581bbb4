# Delegation registry. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export REGISTRY_DATA_DIR ?= ./var
POSTGRES_ADMIN_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-15s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/pip || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m registry.i18n.compile
	@touch $(STAMP)

install: $(STAMP) ## Create .venv if missing and install the registry with its dev tools

run: $(STAMP) ## Set up, migrate, load the demo province if empty, serve on http://127.0.0.1:8000
	$(BIN)/registry migrate
	$(BIN)/registry demo --if-empty
	@echo ""
	@echo "  Sổ đăng ký đang chạy / the registry is serving at http://$(HOST):$(PORT)"
	@echo "  Tạo tài khoản quản trị / create a first admin account:"
	@echo "      $(BIN)/registry create-user admin --admin"
	@echo ""
	$(BIN)/registry serve --host $(HOST) --port $(PORT)

test: $(STAMP) ## Create .venv if missing and run the test suite on SQLite (browser tests: test-browser)
	$(BIN)/pytest -m "not browser"

test-postgres: $(STAMP) ## Run the same suite against PostgreSQL (REGISTRY_TEST_POSTGRES_URL)
	REGISTRY_TEST_ENGINE=postgres REGISTRY_TEST_POSTGRES_URL=$${REGISTRY_TEST_POSTGRES_URL:-$(POSTGRES_ADMIN_URL)} $(BIN)/pytest -m "not browser"

test-browser: $(STAMP) ## Browser tests with Playwright driving Debian's Chromium
	$(BIN)/pytest -m browser tests/browser

lint: $(STAMP) ## ruff check, ruff format --check, mypy
	$(BIN)/ruff check registry tests bench tools
	$(BIN)/ruff format --check registry tests bench tools
	$(BIN)/mypy registry

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format registry tests bench tools
	$(BIN)/ruff check --fix registry tests bench tools

bench: $(STAMP) ## Run the benchmarks (prints figures; see docs/performance.md)
	$(BIN)/python bench/check.py --sizes 10000,100000

clean: ## Remove the venv, the data directory and caches
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

.PHONY: help install run test test-postgres test-browser lint format bench clean
