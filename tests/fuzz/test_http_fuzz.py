"""Hypothesis over raw HTTP against a real server on a socket: whatever arrives, the answer
is below 500, an error has the documented shape of its surface (an ECS error on ``/``,
``{"Code", "Message"}`` on the control plane), and the server still answers its health
check afterwards.

Bounded (about half a minute in all when nothing fails) and repeatable: derandomized, no
example database. The requests come from tests/fuzz/generators.py, which bench/fuzz.py
also uses for its long run: each of the generators' choices is one hypothesis draw. A
failure reports the request as sent (long values cut), the answer's status and Code, and
the server's warning and error log lines for it.
"""

from __future__ import annotations

import logging
import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer

from . import generators
from .harness import Harness, outcome, problems


class HypothesisSource:
    """The generators' choices as hypothesis draws."""

    def __init__(self, draw) -> None:
        self._draw = draw

    def choice(self, options):
        return options[self._draw(st.integers(0, len(options) - 1))]

    def integer(self, low: int, high: int) -> int:
        return self._draw(st.integers(low, high))

    def chance(self, probability: float) -> bool:
        # 0..99 rather than a wider range: hypothesis favours small integers in wide ones.
        return self._draw(st.integers(0, 99)) >= 100 - round(probability * 100)


class _Server:
    """The running server's harness, for the strategies (set by the fixture)."""

    harness: Harness | None = None


@st.composite
def fuzz_requests(draw, generator):
    """One request from a generator; shown in a failure report as its reproducer."""
    return generator(HypothesisSource(draw), _Server.harness.context)


class _Errors(logging.Handler):
    """The server's warning and error log lines (InternalError tracebacks, ASGI exceptions,
    refused HTTP), to show beside a failing example."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" | {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"[:500]
        self.lines.append(f"{record.name}: {text[:800]}")


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    cwd = os.getcwd()
    os.chdir(root)   # a relative Path that escaped the files dir would land here, not in the repo
    try:
        with EmulatorServer(Config(in_memory=True, transitions="instant", files_dir=root / "files")) as server:
            harness = Harness(server.port)
            harness.seed()
            harness.errors = errors
            _Server.harness = harness
            yield harness
            _Server.harness = None
            harness.close()
    finally:
        os.chdir(cwd)
        logging.getLogger().removeHandler(errors)


def exercise(harness: Harness, request: generators.FuzzRequest) -> None:
    harness.errors.lines.clear()
    answer = harness.send(request)
    found = problems(request, answer)
    log = "\n".join(harness.errors.lines[:5]) or "(nothing)"
    assert not found, (f"{request.label}: {'; '.join(found)}\n"
                       f"answer: {outcome(answer)}\nserver error log:\n{log}")
    health = harness.health()
    assert health.status == 200, (f"after {request.label} the health check answered {outcome(health)}: "
                                  f"{health.body[:200]!r}\nrequest:\n{request.describe()}\nserver error log:\n{log}")


def bounded(examples: int):
    # No shrink phase: an example is hundreds of draws and shrinking one can take minutes,
    # past this run's bound. A failure shows the whole request instead (cut where long).
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None, print_blob=False,
                    suppress_health_check=list(HealthCheck), phases=(Phase.explicit, Phase.generate))


@bounded(2000)
@given(request=fuzz_requests(generators.signed_v1))
def test_signed_v1_calls(fuzz, request):
    exercise(fuzz, request)


@bounded(1500)
@given(request=fuzz_requests(generators.signed_v3))
def test_signed_v3_calls(fuzz, request):
    exercise(fuzz, request)


@bounded(2000)
@given(request=fuzz_requests(generators.broken_rpc))
def test_broken_rpc_protocol(fuzz, request):
    exercise(fuzz, request)


@bounded(400)
@given(request=fuzz_requests(generators.malformed_http))
def test_malformed_http(fuzz, request):
    exercise(fuzz, request)


@bounded(2000)
@given(request=fuzz_requests(generators.control_plane))
def test_control_plane(fuzz, request):
    exercise(fuzz, request)
