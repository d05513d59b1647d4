# Entry points for longrun. Everything runs from the project's virtualenv in .venv/,
# and every local process writes its logs and state under .local/.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Point the SDKs at the local stack, except for variables the caller already set.
LOCAL_ENV = $(PY) -m infra.local env --only-unset

.PHONY: setup up down status demo workers register bench test unit integration lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[local,bench,dev]'
	touch $(STAMP)

up: setup
	$(PY) -m infra.local up

down: setup
	$(PY) -m infra.local down

status: setup
	$(PY) -m infra.local status

register: setup
	env $$($(LOCAL_ENV)) $(PY) -m workflows register

workers: setup
	env $$($(LOCAL_ENV)) $(PY) -m workers

# The demo leaves the stack and the background workers running; `make down` stops them.
demo: up
	$(PY) -m infra.local up workers
	env $$($(LOCAL_ENV)) $(PY) -m workflows demo

bench: up
	env $$($(LOCAL_ENV)) $(PY) -m bench $(BENCH_ARGS)

unit: setup
	$(PY) -m pytest tests/unit

integration: up
	env $$($(LOCAL_ENV)) $(PY) -m pytest tests/integration

test: up
	bash infra/conductor/build.sh --test
	env $$($(LOCAL_ENV)) $(PY) -m pytest tests

lint: setup
	$(VENV)/bin/cfn-lint infra/aws/*.yaml

clean: down
	rm -rf .local
