PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dist test quick bench docs clean compiled

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The toolkit's own modules compiled ahead (a checkout installed for editing is not, and a
# run would compile every module it imports, in every process, each time; only what
# changed is compiled again)
compiled: $(STAMP)
	$(BIN)/python -m compileall -q exporter

dist: compiled
	$(BIN)/exporter all -o dist $(EXPORTER_ARGS)

docs: dist
	$(BIN)/python docs/render_previews.py dist docs

bench: compiled
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

test: compiled
	$(BIN)/ruff check exporter tests
	$(BIN)/python -m pytest -n auto

quick: compiled
	$(BIN)/python -m pytest -n auto -m "not slow"

clean:
	rm -rf $(VENV) dist .pytest_cache .hypothesis
