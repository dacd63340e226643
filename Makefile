# mpsc-graph: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
STORE  := .cache/store
INPUTS := $(shell find ontology shapes data -type f 2>/dev/null)

.DEFAULT_GOAL := help

help:  ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## .*$$' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## Create .venv and install the package editable with test extras

# The store is rebuilt only when ontology/, shapes/ or data/ changed; validation runs first and stops on violations.
$(STORE)/mpsc-build.json: $(STAMP) $(INPUTS)
	$(BIN)/mpsc-graph validate
	$(BIN)/mpsc-graph build --store $(STORE)

store: $(STORE)/mpsc-build.json  ## Validate and (re)build the on-disk store .cache/store

run: store  ## Set up, validate, build, then serve the store on http://127.0.0.1:8000/ (Ctrl-C stops)
	$(BIN)/mpsc-graph stats
	$(BIN)/mpsc-graph paths --from "Halle (Saale)" --to Paderborn
	$(BIN)/mpsc-graph serve --store $(STORE)

# The suite runs in TEST_WORKERS processes (pytest-xdist), whole test files to each; TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= 2
test: $(STAMP)  ## Set up, lint, type-check src/, then run the whole test suite
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

notebooks: $(STAMP)  ## Execute notebooks/*.ipynb from a clean kernel of .venv (outputs are not saved)
	$(BIN)/jupyter execute --kernel_name=python3 notebooks/*.ipynb

# Benchmarks are never part of `make test`. BENCH_ARGS e.g. --sizes 100k,1M,10M --runs 3 (see benchmarks/RESULTS.md).
BENCH_ARGS ?= --sizes 100k,1M --runs 3
bench: $(STAMP)  ## Benchmarks: build, validation (fast vs pySHACL), queries; writes benchmarks/out/
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

lint: $(STAMP)  ## ruff and mypy
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m mypy

clean:  ## Remove the store and build outputs (keeps .venv)
	rm -rf .cache dist

.PHONY: help install store run test lint clean notebooks bench
