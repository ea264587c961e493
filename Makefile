# Bekwaam: `make run` starts the demo at http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export BEKWAAM_ENV ?= development
export DEBUG ?= 1

.PHONY: run install migrate demo test test-fast lint typecheck check bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Bekwaam needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

## Start Bekwaam with demo data at http://127.0.0.1:8000 (SQLite, e-mail printed here, a task worker beside it).
run: demo
	$(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Every test: unit, view, authorization matrix and browser tests (set DATABASE_URL for PostgreSQL).
test: install
	BEKWAAM_ENV=test DEBUG=0 $(BIN)/python -m pytest -n 2

test-fast: install
	BEKWAAM_ENV=test DEBUG=0 $(BIN)/python -m pytest -n 2 -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy bekwaam

check: lint typecheck
	BEKWAAM_ENV=test DEBUG=0 $(BIN)/python manage.py makemigrations --check --dry-run

## Page timings against the floor, per role, on a large generated board (bench/README.md; BENCH_ARGS="--repeat 100").
bench: install
	BEKWAAM_ENV=test DEBUG=0 $(BIN)/python -m bench.run $(BENCH_ARGS)

messages: install
	cd bekwaam && ../$(BIN)/django-admin makemessages -l nl --no-obsolete --add-location file && ../$(BIN)/django-admin compilemessages -l nl

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
