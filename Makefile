# The two commands a newcomer needs: `make serve` and `make test`. Both set up what they use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What each command needs, installed once and again when pyproject.toml changes: serving
# needs only ecsemu and its dependencies; the tests add their extras (the official SDKs,
# Playwright, hypothesis...). One marker each, so that `make test` after `make serve`
# adds the extras to the same venv, and `make serve` after `make test` has nothing to do.
SERVE_INSTALLED := $(VENV)/.installed-serve
TEST_INSTALLED := $(VENV)/.installed-test
NODE_CLIENTS := tests/node/node_modules/.installed

.PHONY: serve lint test bench fuzz docs clean ceph-dev ceph-dev-stop guest-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(SERVE_INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# The test extras include all that serving needs: serving is then installed too.
$(TEST_INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(SERVE_INSTALLED)

$(NODE_CLIENTS): tests/node/package.json tests/node/package-lock.json
	cd tests/node && npm ci --no-audit --no-fund --loglevel=error
	touch $@

serve: $(SERVE_INSTALLED)
	$(BIN)/ecsemu serve --host 127.0.0.1 --port 8080 --data-dir ./.ecsemu

# A throwaway single-node Ceph in ./.ceph for --storage rbd (Debian: ceph-mon ceph-osd
# ceph-common python3-rbd python3-rados); prints its ceph.conf. docs/scaling-out.md.
ceph-dev:
	scripts/ceph-dev start ./.ceph

ceph-dev-stop:
	scripts/ceph-dev stop ./.ceph

# What `ecsemu serve --instances qemu` boots instances with (Debian; docs/instances.md):
# QEMU, the static busybox and the kernel the public image is built from, mkfs.ext4.
guest-deps:
	apt-get install -y qemu-system-x86 busybox-static linux-image-amd64 e2fsprogs

# Lint and type-check first: both are quick, and `make test` (so CI) fails on any finding.
lint: $(TEST_INSTALLED)
	$(BIN)/ruff check
	$(BIN)/mypy

# Two processes, each taking a whole test file at a time (so a file's shared servers stay
# one): about half the time of one process on a 2-core machine. `pytest` alone runs one.
test: lint $(TEST_INSTALLED) $(NODE_CLIENTS)
	$(BIN)/pytest -n 2 --dist loadfile

# The benchmarks add moto (bench/moto_compare.py runs moto_server beside ecsemu), which
# neither serving nor the tests need.
BENCH_INSTALLED := $(VENV)/.installed-bench
$(BENCH_INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@ $(TEST_INSTALLED) $(SERVE_INSTALLED)

bench: $(BENCH_INSTALLED)
	$(BIN)/python bench/load.py
	$(BIN)/python bench/moto_compare.py

fuzz: $(TEST_INSTALLED)
	$(BIN)/python bench/fuzz.py

docs: $(SERVE_INSTALLED)
	$(BIN)/python -m ecsemu.actions.coverage > docs/coverage.md

clean:
	rm -rf $(VENV) tests/node/node_modules .pytest_cache
