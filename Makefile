# `make demo` and `make test` are the whole set-up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.tablespec-installed

.PHONY: demo test lint unit bench fuzz clean demo-data docs goldens

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(PY) -m compileall -q checker
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/tablespec demo

lint: $(STAMP)
	$(VENV)/bin/ruff check checker tests bench
	$(VENV)/bin/mypy

# Both spread over the machine's cores (pytest-xdist), each test file whole on one worker
# (its module fixtures made once, its tests in their order), and the files that share a
# world slow to make on one worker (tests/conftest.py: SHARED_WORLDS); every worker has its
# own moto server and temporary directories, and the on-disk caches are written atomically.
XDIST  := -n auto --dist loadgroup

unit: $(STAMP)
	$(PY) -m pytest -q $(XDIST) -m "not terraform"

test: lint
	$(PY) -m pytest $(XDIST)

bench: $(STAMP)
	$(PY) -m compileall -q checker
	$(PY) -m bench.hcl_speed
	$(PY) -m bench.hcl_monorepo
	$(PY) -m bench.plan_scale
	$(PY) -m bench.checkov_policies
	$(PY) -m bench.audit_scale
	$(PY) -m bench.org_scale
	$(PY) -m bench.cfn_load
	$(PY) -m bench.cfn_speed

# The property tests with 10,000 examples a target (make test runs 200); the last figures
# go in docs/reliability.md.
fuzz: $(STAMP)
	TABLESPEC_FUZZ_PROFILE=fuzz $(PY) -m pytest -q -p no:cacheprovider --hypothesis-show-statistics -m fuzz tests

# Refresh the committed plan JSON that `tablespec demo` falls back on without Terraform.
demo-data: $(STAMP)
	$(PY) -c 'from checker.demo import refresh_data; refresh_data()'

# Rewrite tests/golden/ after a change that is meant to change the reports; read the diff.
goldens: $(STAMP)
	$(PY) -m tests.support.update_golden

docs: $(STAMP)
	$(PY) -m checker.docs docs
	$(VENV)/bin/tablespec spec schema > specs/tables.schema.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .cache
