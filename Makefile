# `make run`: set up, build the graph, serve it. `make test`: set up, run every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup build run test bench clean

$(BIN)/otkg: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
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

test: setup
	$(BIN)/python -m pytest

clean:
	rm -rf build $(VENV)
