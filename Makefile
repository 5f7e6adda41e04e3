# `make run`: runtime dependencies only, build the graph if its inputs changed, serve it.
# `make test`: the same plus the test tools (pytest, Playwright, ...), then every test.
# `make lint`: ruff (rules and formatting) and mypy (settings in pyproject.toml); CI runs it before the tests.
# `make bench`: otkg against oxigraph serve, like for like (BENCH_* settings: see docs/design.md#benchmarks).
# `make release`: the release folder (dumps, ontology, VoID, SHA256SUMS, notes) in build/release/<version>/.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
.PHONY: setup build run test lint bench clean vendor release

$(BIN)/otkg: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# A stamp: the test tools are reinstalled whenever the runtime is (the stamp is then older).
$(VENV)/.test-tools: $(BIN)/otkg
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# YASGUI for the SPARQL editor (MIT: $(YASGUI_DIR)/LICENSE), from the npm registry, pinned by version
# and checksum, never a CDN. Without npm, /sparql stays the plain form.
YASGUI := 4.6.2
YASGUI_SHA256 := 6520cdd256a4003e8d45865e0d631b6456b88a0e6b65f4f3e56d78a25d74c9a7
YASGUI_DIR := api/pages/static/vendor/yasgui
vendor: $(YASGUI_DIR)/.yasgui-$(YASGUI)
$(YASGUI_DIR)/.yasgui-$(YASGUI):
	@if ! command -v npm >/dev/null; then echo "npm not found: /sparql stays a plain form, without YASGUI"; else \
	tmp=$$(mktemp -d) && npm pack --silent --pack-destination $$tmp @zazuko/yasgui@$(YASGUI) >/dev/null && \
	echo "$(YASGUI_SHA256)  $$tmp/zazuko-yasgui-$(YASGUI).tgz" | sha256sum --check --quiet && \
	tar -xzf $$tmp/zazuko-yasgui-$(YASGUI).tgz -C $$tmp package/build/yasgui.min.js package/build/yasgui.min.css && \
	cp $$tmp/package/build/yasgui.min.* $(YASGUI_DIR)/ && rm -rf $$tmp $(YASGUI_DIR)/.yasgui-* && touch $@; fi

setup: $(BIN)/otkg vendor

build: setup
	$(BIN)/otkg build

release: setup
	$(BIN)/otkg release

run: setup
	$(BIN)/otkg serve

bench: setup
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench

test: $(VENV)/.test-tools vendor
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
