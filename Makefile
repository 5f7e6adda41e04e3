# `make run`: runtime dependencies only, build the graph if its inputs changed, serve it.
# `make test`: the same plus the test tools (pytest, Playwright, ...), then every test.
# `make lint`: ruff (rules and formatting) and mypy (settings in pyproject.toml); CI runs it before the tests.
# `make bench`: otkg against oxigraph serve, like for like (BENCH_* settings: see README).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
.PHONY: setup build run test lint bench clean

$(BIN)/otkg: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# A stamp: the test tools are reinstalled whenever the runtime is (the stamp is then older).
$(VENV)/.test-tools: $(BIN)/otkg
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/otkg

build: setup
	$(BIN)/otkg build

run: setup
	$(BIN)/otkg serve

bench: setup
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench

test: $(VENV)/.test-tools
	$(BIN)/python -m pytest

# mypy cannot follow pyproject's package-dir mapping (nor the editable install's import hook), so
# it reads otkg from a tree of links to the folders (mypy_path in pyproject.toml).
lint: $(VENV)/.test-tools
	$(BIN)/ruff check src kg api bench tests
	$(BIN)/ruff format --check src kg api bench tests
	mkdir -p $(VENV)/mypy/otkg
	ln -sfn $(CURDIR)/src/otkg/__init__.py $(VENV)/mypy/otkg/__init__.py
	for p in kg api; do ln -sfn $(CURDIR)/$$p $(VENV)/mypy/otkg/$$p; done
	$(BIN)/mypy

clean:
	rm -rf build $(VENV)
