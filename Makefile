# Two commands matter: `make demo` (set up, load the real data, serve) and `make test`.
# scripts/system-deps.sh gives both the Debian packages they need (Chromium, WeasyPrint's libraries).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ARGS   ?=

.PHONY: demo test test-fast system-deps check lint i18n bench clean

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
	$(BIN)/python scripts/i18n_check.py

# Bring the catalogues up to date with the code (translations kept; changed texts come back fuzzy), then
# translate in src/peaceops/locale/<lang>/LC_MESSAGES/messages.po; scripts/i18n_check.py says what is left.
I18N_POT := var/messages.pot
i18n: $(STAMP)
	mkdir -p var
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _n:1,2 -k N_ --project peaceops -w 120 -o $(I18N_POT) .
	$(BIN)/pybabel update -i $(I18N_POT) -d src/peaceops/locale -l fr -w 120
	$(BIN)/pybabel update -i $(I18N_POT) -d src/peaceops/locale -l ar -w 120

check: lint
	$(BIN)/mypy src

bench: $(STAMP)
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
