PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dist test lint bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

dist: $(STAMP)
	$(BIN)/exporter all -o dist

test: $(STAMP)
	$(BIN)/ruff check exporter tests
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) dist .pytest_cache .hypothesis
