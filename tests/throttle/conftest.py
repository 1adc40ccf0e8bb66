"""Fixtures of the rate-limit tests: the data dir or PostgreSQL database a served emulator
keeps its state in, as the multi-process tests choose it."""

from tests.test_workers import store_args  # noqa: F401 (a fixture, for test_serve.py)
