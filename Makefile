# Two commands matter: `make demo` (set up, load the real data, serve) and `make test`.
# scripts/system-deps.sh gives both the Debian packages they need (Chromium, WeasyPrint's libraries).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ARGS   ?=

.PHONY: demo test test-fast system-deps check lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,spark]"
	touch $(STAMP)

system-deps:
	scripts/system-deps.sh

demo: $(STAMP)
	scripts/system-deps.sh pdf
	$(BIN)/peaceops demo $(ARGS)

test: $(STAMP)
	scripts/system-deps.sh
	$(BIN)/pytest -q -n 3 --dist loadfile --durations=25

# Everything that needs neither the shared data nor a browser (no system packages either).
test-fast: $(STAMP)
	$(BIN)/pytest -q -n 2 -m "not data and not e2e" --durations=10

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

check: lint
	$(BIN)/mypy src

bench: $(STAMP)
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
