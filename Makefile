# The two set-up commands of README.md: `make site` and `make test`.
# Each creates .venv, installs plandocs with its test extras and the system packages it
# needs (graphviz; chromium for the browser tests of `make test`), then builds the site /
# runs every check.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.plandocs-installed

.PHONY: site test serve check lint typecheck unit bench clean

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# an editable install has no bytecode; Python writes it at first import, unless
	# PYTHONDONTWRITEBYTECODE is set: written here, a build need not compile plandocs
	$(BIN)/python -m compileall -q plugins/plandocs
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/mkdocs build --strict

serve: $(STAMP)
	$(BIN)/mkdocs serve

check: $(STAMP)
	$(BIN)/plandocs check

lint: $(STAMP)
	$(BIN)/ruff check plugins tests bench
	$(BIN)/ruff format --check plugins tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Debian's chromium for the browser tests (tests/browser/); only `make test` needs it.
BROWSER := $(VENV)/.plandocs-browser
$(BROWSER): $(STAMP)
	scripts/install-system-deps.sh --browser
	touch $(BROWSER)

unit: $(STAMP) $(BROWSER)
	$(BIN)/pytest

test: lint typecheck unit

# Benchmarks print numbers and ratios against baselines measured in the same run.
# Site builds at 100, 1,000 and 5,000 orders take long; `make bench SIZES=100,1000` for less.
SIZES ?= 100,1000,5000
RUNS ?= 3
bench: $(STAMP)
	$(BIN)/python bench/encoding_repair.py
	$(BIN)/python bench/build_speed.py --sizes $(SIZES) --runs $(RUNS)

clean:
	rm -rf site .cache .pytest_cache .mypy_cache .ruff_cache test-artifacts
