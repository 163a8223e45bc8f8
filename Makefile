PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dist test quick bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

dist: $(STAMP)
	$(BIN)/exporter all -o dist $(EXPORTER_ARGS)

docs: dist
	$(BIN)/python docs/render_previews.py dist docs

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

test: $(STAMP)
	$(BIN)/ruff check exporter tests
	$(BIN)/python -m pytest

quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

clean:
	rm -rf $(VENV) dist .pytest_cache .hypothesis
