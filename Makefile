# Two commands for a newcomer: `make run` and `make test`. Both set everything up first (idempotent).
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup setup-dev index run test lint bench bench-quick clean-data

setup:
	@bash scripts/setup.sh

setup-dev:
	@WITH_DEV=1 bash scripts/setup.sh

index: setup
	@$(PY) -m assistant ingest

run: index
	@$(PY) -m assistant serve

lint: setup-dev
	@$(PY) -m ruff check .

# pytest exits 5 when it collected nothing: that is a failure here, not a pass.
# Two workers, one test module each at a time (a module's app, browser and server fixtures stay in one
# process): on 2 cores the suite takes about 0.7x the time of one worker. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
test: setup-dev
	@$(PY) -m ruff check .
	@$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

bench: setup
	@$(PY) -m bench

bench-quick: setup
	@$(PY) -m bench --quick

clean-data:
	rm -rf data
