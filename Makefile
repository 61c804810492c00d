# Two commands on a fresh machine (Python 3.11): `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-deps install lint typecheck faq-check faq-eval pytest browser-deps gallery bench places clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Install and start the bot locally (development mode: SQLite in ./data, the shipped faq/, no Azure account).
run: $(STAMP)
	$(BIN)/nwow serve --dev

## Install everything and run the whole test suite (lint, types, knowledge base, pytest incl. browser).
test: $(STAMP) test-deps lint typecheck faq-check faq-eval pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy scripts/make_places.py

faq-check: $(STAMP)
	$(BIN)/nwow faq check faq/

faq-eval: $(STAMP)
	$(BIN)/nwow faq eval --tests faq/tests.yml --min-top1 0.97 --min-oos-rejection 0.97

pytest: $(STAMP)
	$(BIN)/pytest

## Microsoft's Teams manifest schemas and the YAML language server (npm), Debian chromium and the Agents Playground for the browser suite.
## Missing tools: a warning on a developer's machine (those tests skip), an error in CI (scripts/requirements.sh).
test-deps: browser-deps
	. scripts/requirements.sh; \
	if command -v npm >/dev/null; then npm ci --prefix tools/schemas --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else missing_dependency "npm not found: it installs the Teams manifest schemas and the YAML language server that tests/manifest and tests/faq/test_editor.py need (apt-get install npm)"; fi

browser-deps:
	bash scripts/setup_browser.sh

gallery: $(STAMP) browser-deps
	$(BIN)/python scripts/card_gallery.py

## The turn-cost benchmark (issue 8): the stock echo bot and NWOW on SQLite, one process (see bench/README.md).
bench: $(STAMP)
	$(BIN)/python -m bench.throughput --only echo,sqlite

## Remake the place extract nwow/offices/data/ from the pinned packages (see its README.md); commit the diff.
places: $(STAMP)
	$(BIN)/python scripts/make_places.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache test-artifacts
