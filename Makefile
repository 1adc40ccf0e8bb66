# The two commands a newcomer needs: `make serve` and `make test`. Both set up what they use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_CLIENTS := tests/node/node_modules/.installed

.PHONY: serve test bench fuzz docs clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(NODE_CLIENTS): tests/node/package.json tests/node/package-lock.json
	cd tests/node && npm ci --no-audit --no-fund --loglevel=error
	touch $@

serve: $(INSTALLED)
	$(BIN)/ecsemu serve --host 127.0.0.1 --port 8080 --data-dir ./.ecsemu

test: $(INSTALLED) $(NODE_CLIENTS)
	$(BIN)/pytest

bench: $(INSTALLED)
	$(BIN)/python bench/load.py

fuzz: $(INSTALLED)
	$(BIN)/python bench/fuzz.py

docs: $(INSTALLED)
	$(BIN)/python -m ecsemu.actions.coverage > docs/coverage.md

clean:
	rm -rf $(VENV) tests/node/node_modules .pytest_cache
