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
test: setup-dev
	@$(PY) -m ruff check .
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

bench: setup
	@$(PY) -m bench

bench-quick: setup
	@$(PY) -m bench --quick

clean-data:
	rm -rf data
