# The two set-up commands of README.md: `make site` and `make test`.
# `make site` creates .venv with what a build needs (plandocs and its dependencies, and the
# system package graphviz) and builds the site. `make test` adds the test tools (`.[test]`),
# Debian's chromium for the browser tests, and ProperDocs in a venv of its own, then runs
# every check.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.plandocs-site
TEST_STAMP := $(VENV)/.plandocs-test
# tests/test_engines.py builds the same sites with MkDocs (.venv) and with ProperDocs (here).
PROPERDOCS ?= properdocs==1.6.7
PROPERDOCS_VENV ?= .venv-properdocs
PROPERDOCS_STAMP := $(PROPERDOCS_VENV)/.plandocs-installed

.PHONY: site test serve check lint typecheck unit bench clean

$(SITE_STAMP): pyproject.toml scripts/install-system-deps.sh
	scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	# an editable install has no bytecode; Python writes it at first import, unless
	# PYTHONDONTWRITEBYTECODE is set: written here, a build need not compile plandocs
	$(BIN)/python -m compileall -q plugins/plandocs
	touch $@

$(TEST_STAMP): $(SITE_STAMP)
	scripts/install-system-deps.sh --browser
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Every package both venvs hold is pinned to .venv's version: the engine is the one difference.
$(PROPERDOCS_STAMP): $(SITE_STAMP) Makefile
	$(PYTHON) -m venv $(PROPERDOCS_VENV)
	$(BIN)/python -m pip freeze --exclude-editable >$(PROPERDOCS_VENV)/constraints.txt
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet \
		-c $(PROPERDOCS_VENV)/constraints.txt -e . '$(PROPERDOCS)'
	touch $@

site: $(SITE_STAMP)
	$(BIN)/mkdocs build --strict

serve: $(SITE_STAMP)
	$(BIN)/mkdocs serve --dirty

check: $(SITE_STAMP)
	$(BIN)/plandocs check

lint: $(TEST_STAMP)
	$(BIN)/ruff check plugins tests bench scripts
	$(BIN)/ruff format --check plugins tests bench scripts

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

unit: $(TEST_STAMP) $(PROPERDOCS_STAMP)
	$(BIN)/pytest

test: lint typecheck unit

# Benchmarks print numbers and ratios against baselines measured in the same run.
# Site builds at 100, 1,000 and 5,000 orders take long; `make bench SIZES=100,1000` for less.
SIZES ?= 100,1000,5000
RUNS ?= 3
bench: $(TEST_STAMP)
	$(BIN)/python bench/encoding_repair.py
	$(BIN)/python bench/build_speed.py --sizes $(SIZES) --runs $(RUNS)
	$(BIN)/python bench/history.py --size 1000 --commits 1000 --runs $(RUNS)
	$(BIN)/python bench/writers_loop.py --sizes $(SIZES) --runs $(RUNS)

clean:
	rm -rf site .cache .pytest_cache .mypy_cache .ruff_cache test-artifacts
