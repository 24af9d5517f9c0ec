# Accelerator: `make run` serves the demo, `make test` runs the test-suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := accelerator:create_app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run check-host test install install-dev migrate seed translations lint format check-migrations bench bench-counts bench-rush clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# Compiled catalogs (.mo) are build products: made from the .po files kept in git.
translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d accelerator/translations

migrate: install
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask seed

# `make run` serves with the Werkzeug debugger, whose console runs code: loopback only.
check-host:
	@case "$(HOST)" in 127.*|localhost|::1) ;; \
	  *) echo "make run serves with the debugger: HOST must be a loopback address such as 127.0.0.1, not $(HOST)." >&2; exit 1;; \
	esac

run: check-host seed
	@echo ""
	@echo "Accelerator is starting on http://$(HOST):$(PORT)"
	@echo "Demo logins (password: accelerator-demo):"
	@echo "  admin@example.org    administrator"
	@echo "  staff@example.org    program staff"
	@echo "  mentor@example.org   mentor"
	@echo "  founder@example.org  founder"
	@echo "  partner@example.org  business-unit partner (Orange Business)"
	@echo "  (the other units' partners are listed in seed_data/pilots.json)"
	@echo "A job worker (flask jobs worker) runs alongside: long imports and exports, reminders,"
	@echo "and mail, which it prints here."
	@echo ""
	$(BIN)/flask jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --debug --host $(HOST) --port $(PORT)

# TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test make test  -> PostgreSQL
# The suite runs on every CPU (pytest-xdist); each worker gets its own database (<name>_gw0...).
# PYTEST_WORKERS=0 runs it in one process; PYTEST_ARGS="tests/grants -x" narrows it.
PYTEST_WORKERS ?= auto
test: install-dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check accelerator tests bench
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format accelerator tests bench

check-migrations: install
	$(BIN)/flask db check

# Refresh the message catalogs after adding strings: extract, then update every language.
messages: install-dev
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --ignore-dirs ".* __pycache__" -o accelerator/translations/messages.pot .
	$(BIN)/pybabel -q update --ignore-obsolete -i accelerator/translations/messages.pot -d accelerator/translations

# The load benchmark of issue 24 (fills BENCH_DATABASE_URL, or instance/bench.db, at 100k; about
# half an hour; BENCH_ARGS="--size small --seconds 2" for a quick check).
# BENCH_ARGS="--no-fill --label before --app-dir ../main" measures another checkout.
bench: install-dev
	$(BIN)/python -m bench load $(BENCH_ARGS)

bench-counts: install-dev
	$(BIN)/python -m bench counts

# Issue 24's deadline rush (bench/rush.py): 1,000 founders save drafts, upload a 2 MB deck and
# submit over 5 minutes with 64 connections (locust); fills BENCH_DATABASE_URL, else
# bench_rush on the local PostgreSQL. BENCH_ARGS="--founders 60 --minutes 1 --connections 16"
# is a quick run.
$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed

bench-rush: $(VENV)/.installed-bench translations
	$(BIN)/python -m bench rush $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
