"""Fault rules through the control plane, seen by the old SDK: what a rule matches, the
error it answers, how often it applies, and the rules it refuses."""

from __future__ import annotations

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ecsemu.testing.faults import FaultRuleRefused
from tests.conftest import OTHER_KEY
from tests.ecsclient import Ecs
from tests.rawhttp import encode, v1_params
from tests.scrape import scrape


def test_an_error_rule_answers_the_catalogues_status_and_message_for_the_next_n_calls(ecs, faults, access):
    rule = faults.add(Action="DescribeZones", Error="ServiceUnavailable", Count=2)
    assert rule["RuleId"].startswith("fault-") and rule["Remaining"] == 2 and rule["Active"]
    assert rule["Error"] == {"Code": "ServiceUnavailable", "HttpStatus": 503,
                             "Message": "The request has failed due to a temporary failure of the server."}
    assert ecs.error("DescribeZones", RegionId="cn-hangzhou") == ("ServiceUnavailable", 503)
    assert ecs.error("DescribeZones", RegionId="cn-hangzhou") == ("ServiceUnavailable", 503)
    assert ecs("DescribeZones", RegionId="cn-hangzhou")["Zones"]["Zone"]
    assert ecs("DescribeRegions")["Regions"]["Region"]  # another action: never matched
    listed = faults.get(rule["RuleId"])
    assert (listed["Matches"], listed["Injected"], listed["Remaining"], listed["Active"]) == (2, 2, 0, False)
    lines = access.of("DescribeZones", 3)
    assert [line.get("Fault") for line in lines] == [rule["RuleId"], rule["RuleId"], None]
    assert [line["Status"] for line in lines] == [503, 503, 200]


def test_a_code_outside_the_catalogue_needs_its_status_and_message(ecs, faults):
    with pytest.raises(FaultRuleRefused) as refused:
        faults.add(Action="DescribeRegions", Error="Throttling.Custom")
    assert (refused.value.status, refused.value.code) == (400, "InvalidRule.Error.UnknownCode")
    faults.add(Action="DescribeRegions", Error={"Code": "Throttling.Custom", "HttpStatus": 429,
                                                 "Message": "Slow down."}, Count=1)
    assert ecs.error("DescribeRegions") == ("Throttling.Custom", 429)


def test_a_rule_matches_on_a_resource_id_named_by_any_parameter(ecs, faults):
    disk_ids = [ecs("CreateDisk", RegionId="cn-hangzhou", ZoneId="cn-hangzhou-b", Size=20)["DiskId"]
                for _ in range(2)]
    faults.add(ResourceId=disk_ids[0], Error="InternalError")
    assert ecs.error("DescribeDisks", RegionId="cn-hangzhou", DiskIds=disk_ids) == ("InternalError", 500)
    assert ecs.error("ModifyDiskAttribute", DiskId=disk_ids[0], DiskName="renamed") == ("InternalError", 500)
    assert ecs("DescribeDisks", RegionId="cn-hangzhou", DiskIds=[disk_ids[1]])["TotalCount"] == 1
    assert ecs("ModifyDiskAttribute", DiskId=disk_ids[1], DiskName="renamed")


def test_a_rule_matches_on_parameter_globs_account_and_product(ecs, faults):
    faults.add(Action="Describe*", Parameters={"RegionId": "cn-shang*"}, Error="InternalError")
    faults.add(Action="DescribeRegions", AccountId=OTHER_KEY.account_id, Error="InternalError")
    faults.add(Action="DescribeRegions", Product="VPC", Error="ServiceUnavailable")
    assert ecs.error("DescribeZones", RegionId="cn-shanghai") == ("InternalError", 500)
    assert ecs("DescribeZones", RegionId="cn-hangzhou")
    assert Ecs(ecs.server, key=OTHER_KEY).error("DescribeRegions") == ("InternalError", 500)
    assert ecs("DescribeRegions")
    with pytest.raises(Exception, match="ServiceUnavailable"):
        ecs("DescribeRegions", api_version="2016-04-28")


def test_the_same_seed_strikes_the_same_calls(ecs, faults):
    def sequence() -> list[bool]:
        rule = faults.add(Action="DescribeRegions", Error="ServiceUnavailable", Probability=0.5, Seed=42)
        struck = []
        for _ in range(24):
            try:
                ecs("DescribeRegions")
                struck.append(False)
            except Exception:
                struck.append(True)
        listed = faults.get(rule["RuleId"])
        assert (listed["Matches"], listed["Injected"]) == (24, sum(struck))
        faults.clear()
        return struck

    first = sequence()
    assert 0 < sum(first) < 24
    assert sequence() == first
    other_seed = faults.add(Action="DescribeRegions", Error="ServiceUnavailable", Probability=0.5, Seed=43)
    assert other_seed  # a different seed: another sequence (checked on the pure draw below)
    from ecsemu.domain.faults import FaultRule, draws
    assert [draws(FaultRule("r", probability=0.5, seed=42), n) for n in range(1, 25)] == first
    assert [draws(FaultRule("r", probability=0.5, seed=43), n) for n in range(1, 25)] != first


def test_the_next_n_calls_are_exactly_n_under_concurrent_calls(ecs, faults):
    rule = faults.add(Action="DescribeRegions", Error="ServiceUnavailable", Count=7)
    clients = [Ecs(ecs.server) for _ in range(8)]

    def call(n: int) -> bool:
        try:
            clients[n % 8]("DescribeRegions")
            return True
        except Exception:
            return False

    with ThreadPoolExecutor(8) as pool:
        succeeded = list(pool.map(call, range(40)))
    assert succeeded.count(False) == 7
    listed = faults.get(rule["RuleId"])
    assert (listed["Injected"], listed["Remaining"]) == (7, 0)


def test_latency_delays_the_call_without_holding_the_others(ecs, faults):
    faults.add(Action="DescribeZones", LatencyMs=800)
    threads = ecs.server.config.worker_threads
    slow_done: list[float] = []

    def slow() -> None:
        started = time.monotonic()
        Ecs(ecs.server)("DescribeZones", RegionId="cn-hangzhou")
        slow_done.append(time.monotonic() - started)

    waiting = [threading.Thread(target=slow) for _ in range(threads + 2)]  # more than the worker threads
    for thread in waiting:
        thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert ecs("DescribeRegions")["Regions"]["Region"]
    assert time.monotonic() - started < 0.5  # answered while every slow call waits
    for thread in waiting:
        thread.join()
    assert len(slow_done) == threads + 2 and min(slow_done) >= 0.8


def test_latency_then_an_error(ecs, faults):
    faults.add(Action="DescribeZones", LatencyMs=300, Error="ServiceUnavailable", Count=1)
    started = time.monotonic()
    assert ecs.error("DescribeZones", RegionId="cn-hangzhou") == ("ServiceUnavailable", 503)
    assert time.monotonic() - started >= 0.3


def test_a_dropped_connection_gets_no_answer(ecs, faults, access):
    rule = faults.add(Action="DescribeRegions", DropConnection=True, Count=1)
    conn = http.client.HTTPConnection("127.0.0.1", ecs.server.port, timeout=5)
    conn.request("GET", "/?" + encode(v1_params("DescribeRegions")))
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        conn.getresponse()
    conn.close()
    assert access.of("DescribeRegions", 1)[0] | {"LatencyMs": 0} == {
        "RequestId": access.lines[0]["RequestId"], "Action": "DescribeRegions", "Account": "1234567890123456",
        "Status": None, "Code": None, "LatencyMs": 0, "Fault": rule["RuleId"]}
    assert ecs("DescribeRegions")  # the next call is answered


def test_a_dropped_connection_over_https_gets_no_answer_either(ecs, faults):
    import ssl
    faults.add(Action="DescribeRegions", DropConnection=True, Count=1)
    context = ssl.create_default_context(cafile=str(ecs.server.ca_cert))
    conn = http.client.HTTPSConnection("127.0.0.1", ecs.server.port, timeout=5, context=context)
    conn.request("GET", "/?" + encode(v1_params("DescribeRegions")))
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError, ssl.SSLError)):
        conn.getresponse()
    conn.close()
    assert ecs("DescribeRegions")


def test_with_a_control_token_rules_need_it(tmp_path):
    from ecsemu.config import Config
    from ecsemu.testing import EmulatorServer
    from ecsemu.testing.faults import FaultRules
    with EmulatorServer(Config(in_memory=True, control_token="t0ken")) as server:
        with pytest.raises(FaultRuleRefused) as refused:
            FaultRules(server.url).add(Action="DescribeRegions", Error="InternalError")
        assert (refused.value.status, refused.value.code) == (401, "Unauthorized.ControlToken")
        rules = FaultRules(server.url, control_token="t0ken")
        rule = rules.add(Action="DescribeRegions", Error="InternalError", Count=1)
        assert [listed["RuleId"] for listed in rules.list()] == [rule["RuleId"]]
        assert Ecs(server).error("DescribeRegions") == ("InternalError", 500)


def test_rules_are_listed_and_cleared_one_or_all(ecs, faults):
    first = faults.add(Action="DescribeRegions", LatencyMs=1)
    second = faults.add(Action="DescribeZones", LatencyMs=1, Count=3)
    assert [rule["RuleId"] for rule in faults.list()] == [first["RuleId"], second["RuleId"]]
    faults.remove(first["RuleId"])
    assert [rule["RuleId"] for rule in faults.list()] == [second["RuleId"]]
    with pytest.raises(FaultRuleRefused) as refused:
        faults.remove(first["RuleId"])
    assert (refused.value.status, refused.value.code) == (404, "InvalidRuleId.NotFound")
    from tests.ecsclient import control
    assert control(ecs.server, "DELETE", "/faults") == {"Removed": 1}
    assert faults.list() == []


BAD_RULES = [
    ({"Action": "DescribeRegions"}, "InvalidRule.NoEffect"),
    ({"Error": "ServiceUnavailable", "DropConnection": True}, "InvalidRule.Effect"),
    ({"HoldSeconds": 5, "Error": "ServiceUnavailable"}, "InvalidRule.Effect"),
    ({"Error": "ServiceUnavailable", "Count": 0}, "InvalidRule.Count"),
    ({"Error": "ServiceUnavailable", "Count": 1.5}, "InvalidRule.Count"),
    ({"Error": "ServiceUnavailable", "Count": True}, "InvalidRule.Count"),
    ({"Error": "ServiceUnavailable", "Probability": 1.5}, "InvalidRule.Probability"),
    ({"Error": "ServiceUnavailable", "Seed": 3}, "InvalidRule.Seed"),
    ({"LatencyMs": -1}, "InvalidRule.LatencyMs"),
    ({"LatencyMs": 10**9}, "InvalidRule.LatencyMs"),
    ({"HoldSeconds": "30"}, "InvalidRule.HoldSeconds"),
    ({"DropConnection": "yes"}, "InvalidRule.DropConnection"),
    ({"Error": {"Code": "ServiceUnavailable", "HttpStatus": 200}}, "InvalidRule.HttpStatus"),
    ({"Error": {"Code": "Bad Code!"}}, "InvalidRule.Error.Code"),
    ({"Error": {"Code": "ServiceUnavailable", "Extra": 1}}, "InvalidRule.Error"),
    ({"Error": 5}, "InvalidRule.Error"),
    ({"Error": "ServiceUnavailable", "Product": "RDS"}, "InvalidRule.Product"),
    ({"Error": "ServiceUnavailable", "Action": ""}, "InvalidRule.Action"),
    ({"Error": "ServiceUnavailable", "ResourceId": ["d-1"]}, "InvalidRule.ResourceId"),
    ({"Error": "ServiceUnavailable", "Parameters": {"DiskId": 5}}, "InvalidRule.Parameters"),
    ({"Error": "ServiceUnavailable", "Parameters": ["DiskId"]}, "InvalidRule.Parameters"),
    ({"Error": "ServiceUnavailable", "Colour": "red"}, "InvalidRule.UnknownField"),
]


@pytest.mark.parametrize(("body", "code"), BAD_RULES)
def test_a_bad_rule_is_refused_and_nothing_is_stored(ecs, faults, body, code):
    with pytest.raises(FaultRuleRefused) as refused:
        faults.add(**body)
    assert (refused.value.status, refused.value.code) == (400, code)
    assert refused.value.message
    assert faults.list() == []


@pytest.mark.parametrize(("raw", "content_type", "status", "code"), [
    (b"[1, 2]", "application/json", 400, "InvalidBody"),
    (b"{not json", "application/json", 400, "InvalidBody"),
    (b'{"LatencyMs": NaN}', "application/json", 400, "InvalidBody"),
    (b'{"LatencyMs": 5}', "text/plain", 415, "UnsupportedMediaType"),
])
def test_a_body_that_is_no_json_object_is_refused_by_the_gate(ecs, faults, raw, content_type, status, code):
    conn = http.client.HTTPConnection("127.0.0.1", ecs.server.port, timeout=5)
    conn.request("POST", "/_ecsemu/faults", body=raw, headers={"Content-Type": content_type})
    response = conn.getresponse()
    import json
    assert (response.status, json.loads(response.read())["Code"]) == (status, code)
    assert faults.list() == []


def test_at_most_a_thousand_rules_are_kept(ecs, faults):
    from ecsemu.domain.faults import MAX_RULES
    from tests.ecsclient import control
    try:
        for _ in range(MAX_RULES):
            control(ecs.server, "POST", "/faults", {"Action": "NoSuchAction", "LatencyMs": 1})
        with pytest.raises(FaultRuleRefused) as refused:
            faults.add(Action="NoSuchAction", LatencyMs=1)
        assert (refused.value.status, refused.value.code) == (400, "TooManyRules")
        assert len(faults.list()) == MAX_RULES
        assert ecs("DescribeRegions")  # a thousand rules that do not match
    finally:
        control(ecs.server, "DELETE", "/faults")


def test_each_struck_call_is_counted_in_the_metrics_by_its_effects(ecs, faults):
    def injected() -> dict[str, float]:
        return scrape(ecs.server.url).by("ecsemu_faults_injected_total", "effect", action="DescribeZones")

    before = injected()
    faults.add(Action="DescribeZones", Error="ServiceUnavailable", LatencyMs=1, Count=2)
    assert ecs.error("DescribeZones", RegionId="cn-hangzhou") == ("ServiceUnavailable", 503)
    assert ecs.error("DescribeZones", RegionId="cn-hangzhou") == ("ServiceUnavailable", 503)
    assert ecs("DescribeZones", RegionId="cn-hangzhou")["Zones"]["Zone"]  # the rule used up: not counted
    after = injected()
    assert {effect: after.get(effect, 0) - before.get(effect, 0) for effect in ("error", "latency", "drop", "hold")} \
        == {"error": 2, "latency": 2, "drop": 0, "hold": 0}
