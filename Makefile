# 地域IoT実装ナレッジ / Regional IoT Knowledge
# `make serve` and `make test` set everything up on a fresh machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup build serve test test-fast validate stats new-case lock bench clean

help:
	@echo "make serve      set up, build and serve the full site on http://$(HOST):$(PORT)/"
	@echo "make test       set up, then run every test"
	@echo "make build      build the complete static site into site/"
	@echo "make validate   check every case, course and vocabulary file"
	@echo "make stats      print corpus coverage (cases per field, block, prefecture)"
	@echo "make new-case ID=my-town-project   write cases/my-town-project.yml to fill in"
	@echo "make bench      run the benchmarks in bench/ and print their figures"

$(STAMP): requirements/site.txt requirements/test.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

validate: $(STAMP)
	$(BIN)/python -m regiot validate

stats: $(STAMP)
	$(BIN)/python -m regiot stats

new-case: $(STAMP)
	@test -n "$(ID)" || { echo "usage: make new-case ID=my-town-project"; exit 2; }
	$(BIN)/python -m regiot new-case $(ID)

# Build into a temporary folder and swap it in only when everything succeeded,
# so a failed build never leaves a half-built site behind.
build: $(STAMP)
	rm -rf site.tmp
	$(BIN)/mkdocs build --strict --site-dir site.tmp
	rm -rf site && mv site.tmp site

serve: $(STAMP)
	$(BIN)/mkdocs serve --strict --dev-addr $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

# Re-resolve the pinned requirements from requirements/*.in.
lock: $(STAMP)
	$(BIN)/python requirements/lock.py

clean:
	rm -rf site site.tmp .cache .pytest_cache
