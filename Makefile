# Governance planning: every target creates .venv and installs the project when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/styrning

.PHONY: install run test test-pg lint format messages bench clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/pytest

test-pg: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks on a scratch database (SQLite, or BENCH_DATABASE_URL); BENCH=plan_tree runs one.
bench: install
	DJANGO_DEBUG=0 $(BIN)/python -m bench $(BENCH)

messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l sv --no-location --ignore=.venv --ignore=staticfiles
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages -l sv --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
