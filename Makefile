# Two commands for a newcomer: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data

.PHONY: install install-dev system-packages run test test-fast lint eval bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch is installed first and pinned: the CPU build; anything unpinned would pull CUDA wheels.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

$(VENV)/.installed-eval: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[eval]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

system-packages:
	bash deploy/system-packages.sh

run: install system-packages
	$(BIN)/assistant demo

test: install-dev system-packages
	$(BIN)/python -m pytest -q tests

lint: install-dev
	$(BIN)/ruff check assistant ingest eval tests
	$(BIN)/mypy assistant

eval: $(VENV)/.installed-eval
	$(BIN)/assistant eval --all --report eval/reports --gate

bench: install
	$(BIN)/assistant bench --json

clean:
	rm -rf $(VENV) $(DATA)
