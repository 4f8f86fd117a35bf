# The two commands of the README. Each sets itself up: it creates .venv when
# it is missing and (re)installs the project whenever pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/skytill run

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The Node Yjs client of the relay's interop test (the lock file pins it).
NODE_TEST := tests/relay_server/node
$(NODE_TEST)/node_modules/.package-lock.json: $(NODE_TEST)/package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent --prefix $(NODE_TEST); \
	else echo "npm not found: the Node interop test will say so"; fi

test: lint $(NODE_TEST)/node_modules/.package-lock.json
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
