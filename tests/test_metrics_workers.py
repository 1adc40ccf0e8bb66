"""``GET /_ecsemu/metrics`` under ``ecsemu serve --workers 2``: whichever worker is scraped,
the counters add up the calls every worker answered (metrics/shared.py)."""

from __future__ import annotations

import json
import time

import pytest

from ecsemu.metrics.shared import PUBLISH_SECONDS
from tests.processes import serve
from tests.rawhttp import get, send, v1_params
from tests.scrape import Scrape
from tests.test_workers import only, wait_for_workers


@pytest.fixture(params=["sqlite", "postgresql"])
def store_args(request, tmp_path):
    args = ["--data-dir", str(tmp_path / "data")]  # the counts' files are in the data dir with either store
    if request.param == "postgresql":
        args += ["--database-url", request.getfixturevalue("postgres").new_database()]
    return args


def test_a_scrape_counts_every_workers_calls(tmp_path, store_args):
    with serve(tmp_path, *store_args, "--workers", "2", "--transitions", "instant",
               "--log-level", "warning") as server:
        first, second = wait_for_workers(server, 2)
        with only(first, [first, second]):
            for _ in range(3):
                assert get(server.port, v1_params("DescribeRegions")).status == 200
        with only(second, [first, second]):
            for _ in range(2):
                assert get(server.port, v1_params("DescribeRegions")).status == 200
            assert get(server.port, v1_params("DescribeUnicorns")).status == 404
        time.sleep(PUBLISH_SECONDS + 0.5)  # both running: each has published its counts
        for scraped in (first, second):
            with only(scraped, [first, second]):
                metrics = Scrape(send(server.port, "GET", "/_ecsemu/metrics").body.decode())
                totals = json.loads(send(server.port, "GET", "/_ecsemu/web/traffic.json").body)
                assert metrics.total("ecsemu_requests_total", action="DescribeRegions", code="Success") == 5
                assert metrics.total("ecsemu_requests_total", code="InvalidAction.NotFound", status="404") == 1
                assert metrics.total("ecsemu_request_duration_seconds_count", action="DescribeRegions") == 5
                # One store of nonces for every worker; an unknown action is refused before its nonce is
                # claimed.
                assert metrics.total("ecsemu_signature_nonces") == 5
                assert totals == {"Requests": 6, "Errors": 1}


def test_a_restart_counts_from_zero(tmp_path):
    data = str(tmp_path / "data")
    for _ in range(2):
        with serve(tmp_path, "--data-dir", data, "--workers", "2", "--log-level", "warning") as server:
            wait_for_workers(server, 2)
            assert get(server.port, v1_params("DescribeRegions")).status == 200
            time.sleep(PUBLISH_SECONDS + 0.5)  # both workers have published
            metrics = Scrape(send(server.port, "GET", "/_ecsemu/metrics").body.decode())
            assert metrics.total("ecsemu_requests_total") == 1
