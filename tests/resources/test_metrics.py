"""``GET /_ecsemu/metrics`` against the calls made: counters by product, action, code and
status through both Python SDKs, latency histograms, resources by status as DescribeDisks
lists them, transitions applied, nonces stored, faults injected."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_util.models import RuntimeOptions
from Tea.exceptions import TeaException

from tests.ecsclient import REGION, ZONE, advance
from tests.rawhttp import get, v1_params
from tests.scrape import scrape
from tests.vpcclient import Vpc

REQUESTS = "ecsemu_requests_total"
LATENCY = "ecsemu_request_duration_seconds"


def new_disk(ecs) -> str:
    return ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskCategory="cloud_essd")["DiskId"]


def test_requests_counted_by_product_action_code_and_status(ecs):
    before = scrape(ecs.server.url)
    ecs("DescribeRegions")
    ecs("DescribeRegions")
    tea = ecs.tea()
    tea.describe_regions_with_options(ecs_models.DescribeRegionsRequest(), RuntimeOptions(autoretry=False))
    assert ecs.error("DeleteDisk", DiskId="d-nothere") == ("InvalidDiskId.NotFound", 404)
    with pytest.raises(TeaException) as raised:
        tea.delete_disk_with_options(ecs_models.DeleteDiskRequest(disk_id="d-nothere"),
                                     RuntimeOptions(autoretry=False))
    assert raised.value.code == "InvalidDiskId.NotFound"
    assert get(ecs.server.port, v1_params("DescribeUnicorns")).status == 404
    Vpc(ecs)("DescribeVpcs", RegionId=REGION)
    after = scrape(ecs.server.url)

    def delta(**labels: str) -> float:
        return after.total(REQUESTS, **labels) - before.total(REQUESTS, **labels)

    assert delta(product="Ecs", action="DescribeRegions", code="Success", status="200") == 3
    assert delta(product="Ecs", action="DeleteDisk", code="InvalidDiskId.NotFound", status="404") == 2
    assert delta(product="Ecs", action="(unknown)", code="InvalidAction.NotFound", status="404") == 1
    assert delta(product="Vpc", action="DescribeVpcs", code="Success", status="200") == 1
    assert delta() == 7
    # One latency observation per call, in each action's histogram; buckets are cumulative.
    for action, calls in {"DescribeRegions": 3, "DeleteDisk": 2}.items():
        labels = {"product": "Ecs", "action": action}
        count = after.total(f"{LATENCY}_count", **labels) - before.total(f"{LATENCY}_count", **labels)
        assert count == calls
        buckets = after.by(f"{LATENCY}_bucket", "le", **labels)
        assert buckets["+Inf"] == after.total(f"{LATENCY}_count", **labels)
        ordered = sorted(buckets.items(), key=lambda item: float(item[0]))
        assert [n for _, n in ordered] == sorted(n for _, n in ordered)
        assert after.total(f"{LATENCY}_sum", **labels) > 0


def test_resources_by_status_match_describe_disks(ecs, other):
    applied = "ecsemu_transitions_applied_total"
    before = scrape(ecs.server.url).total(applied, kind="disk", status="Available")
    for client in (ecs, other, ecs):
        new_disk(client)
    listed: dict[str, int] = {}
    for client in (ecs, other):
        for disk in client("DescribeDisks", RegionId=REGION, PageSize=100)["Disks"]["Disk"]:
            listed[disk["Status"]] = listed.get(disk["Status"], 0) + 1
    assert sum(listed.values()) >= 3
    after = scrape(ecs.server.url)
    assert after.by("ecsemu_resources", "status", kind="disk") == listed
    # Instant mode: Creating -> Available made in CreateDisk's own transaction, counted too.
    assert after.total(applied, kind="disk", status="Available") == before + 3


def test_transitions_counted_and_statuses_followed(manual):
    before = scrape(manual.server.url)
    disk_id = new_disk(manual)
    creating = scrape(manual.server.url)
    assert creating.total("ecsemu_resources", kind="disk", status="Creating") \
        == before.total("ecsemu_resources", kind="disk", status="Creating") + 1
    advance(manual, 60)
    assert manual.disk(disk_id)["Status"] == "Available"
    after = scrape(manual.server.url)
    assert after.total("ecsemu_resources", kind="disk", status="Creating") \
        == before.total("ecsemu_resources", kind="disk", status="Creating")
    applied = "ecsemu_transitions_applied_total"
    assert after.total(applied, kind="disk", status="Available") \
        == before.total(applied, kind="disk", status="Available") + 1


def test_nonces_stored_grow_with_signed_calls(ecs):
    before = scrape(ecs.server.url).total("ecsemu_signature_nonces")
    for _ in range(4):
        ecs("DescribeRegions")
    assert scrape(ecs.server.url).total("ecsemu_signature_nonces") == before + 4


def test_faults_injected_counted_by_action_and_effect(ecs):
    """The fault rules call ``fault_injected`` for each call they change."""
    metrics = ecs.server.emulator.metrics
    before = scrape(ecs.server.url)
    metrics.fault_injected("StopInstance", "error")
    metrics.fault_injected("StopInstance", "error")
    metrics.fault_injected("CreateDisk", "latency")
    after = scrape(ecs.server.url)
    name = "ecsemu_faults_injected_total"
    assert after.total(name, action="StopInstance", effect="error") \
        - before.total(name, action="StopInstance", effect="error") == 2
    assert after.total(name, action="CreateDisk", effect="latency") \
        - before.total(name, action="CreateDisk", effect="latency") == 1


def test_totals_for_the_console(ecs):
    def totals() -> dict:
        with urllib.request.urlopen(f"{ecs.server.url}/_ecsemu/web/traffic.json", timeout=10) as response:
            return json.loads(response.read())
    before = totals()
    ecs("DescribeRegions")
    ecs.error("DeleteDisk", DiskId="d-nothere")
    after = totals()
    assert after == {"Requests": before["Requests"] + 2, "Errors": before["Errors"] + 1}
    assert scrape(ecs.server.url).total(REQUESTS) == after["Requests"]


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_only_get(ecs, method):
    request = urllib.request.Request(f"{ecs.server.url}/_ecsemu/metrics", method=method, data=b"{}",
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)
    assert raised.value.code == 405 and json.loads(raised.value.read())["Code"] == "MethodNotAllowed"


def test_control_token_guards_the_metrics_not_the_console_chart():
    from ecsemu.config import Config
    from ecsemu.testing import EmulatorServer
    with EmulatorServer(Config(in_memory=True, control_token="sesame")) as server:
        def status(path: str, **headers: str) -> int:
            request = urllib.request.Request(f"{server.url}{path}", headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as exc:
                return exc.code
        assert status("/_ecsemu/metrics") == 401
        assert status("/_ecsemu/metrics", Authorization="Bearer wrong") == 403
        assert status("/_ecsemu/metrics", Authorization="Bearer sesame") == 200
        assert status("/_ecsemu/web/traffic.json") == 200
