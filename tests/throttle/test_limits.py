"""Rate limits (``--throttle``, ``PUT /_ecsemu/throttle``, the ``ecsemu_throttle`` fixture)
answered as the real gateway does, through the official SDKs; the plugin's session server
(``ecsemu_server``) carries them, one test at a time."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as TeaClient
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.models import Config as TeaConfig
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.DescribeDisksRequest import DescribeDisksRequest
from darabonba.policy.retry import RetryOptions

from ecsemu.accounts import DEVELOPMENT_KEY, AccessKey
from tests.ecsclient import REGION, Ecs
from tests.rawhttp import get, v1_params

# An account of its own (loose auth makes one of every unknown key).
OTHER = AccessKey("throttle-other", "secret", "")
THROTTLING_MESSAGE = ("You have made too many requests within a short time; your request is denied due to "
                      "request throttling.")


@pytest.fixture
def ecs(ecsemu_server):
    return Ecs(ecsemu_server)


def rpc(server, action: str, key: AccessKey = DEVELOPMENT_KEY, **params: str):
    return get(server.port, v1_params(action, key_id=key.key_id, secret=key.secret, **params))


def codes(server, action: str, times: int, key: AccessKey = DEVELOPMENT_KEY) -> list[str]:
    """The Code of ``times`` calls of ``action`` in a row ("ok" for an answer)."""
    replies = (rpc(server, action, key, RegionId=REGION) for _ in range(times))
    return [(reply.json().get("Code") or "ok") for reply in replies]


def control(server, method: str, body: bytes | None = None, **headers: str):
    request = urllib.request.Request(f"{server.url}/_ecsemu/throttle", method=method, data=body,
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_past_the_rate_the_real_error_then_calls_pass_again(ecsemu_server, ecsemu_throttle):
    ecsemu_throttle("DescribeRegions=2:2")   # 2 at once, then one each half second
    assert codes(ecsemu_server, "DescribeRegions", 2) == ["ok", "ok"]
    reply = rpc(ecsemu_server, "DescribeRegions")
    body = reply.json()
    assert (reply.status, body["Code"], body["Message"]) == (400, "Throttling", THROTTLING_MESSAGE)
    assert body["RequestId"] == reply.headers["x-acs-request-id"] and body["HostId"]
    assert "x-acs-retry-after" not in reply.headers   # as ECS's 400 Throttling: tea's ClientException
    time.sleep(0.6)
    assert codes(ecsemu_server, "DescribeRegions", 2) == ["ok", "Throttling"]


def test_concurrent_calls_get_exactly_the_burst(ecsemu_server, ecsemu_throttle):
    ecsemu_throttle("DescribeRegions=0.01:5")
    with ThreadPoolExecutor(10) as pool:
        found = list(pool.map(lambda _: codes(ecsemu_server, "DescribeRegions", 1)[0], range(20)))
    assert sorted(found) == ["Throttling"] * 15 + ["ok"] * 5


def test_each_action_a_glob_names_counts_apart_and_others_are_free(ecsemu_server, ecsemu_throttle):
    ecsemu_throttle("Describe*=0.01:1")
    assert codes(ecsemu_server, "DescribeRegions", 2) == ["ok", "Throttling"]
    assert codes(ecsemu_server, "DescribeZones", 2) == ["ok", "Throttling"]
    reply = rpc(ecsemu_server, "CreateSecurityGroup", RegionId=REGION)
    assert reply.status == 200, reply.body


def test_each_account_has_its_own_count(ecsemu_server, ecsemu_throttle):
    ecsemu_throttle("DescribeRegions=0.01:1")
    assert codes(ecsemu_server, "DescribeRegions", 2) == ["ok", "Throttling"]
    assert codes(ecsemu_server, "DescribeRegions", 2, OTHER) == ["ok", "Throttling"]


def test_a_limit_of_one_account_leaves_the_others_alone(ecsemu_server, ecsemu_throttle, ecs):
    other_account = ecsemu_server.emulator.keys.account_for_unknown(OTHER.key_id)
    ecsemu_throttle({"Account": other_account, "Action": "DescribeRegions", "Rate": 0.01, "Burst": 2})
    assert codes(ecsemu_server, "DescribeRegions", 3, OTHER) == ["ok", "ok", "Throttling"]
    assert codes(ecsemu_server, "DescribeRegions", 3) == ["ok", "ok", "ok"]


def test_an_account_wide_limit_counts_every_action_together_as_user_flow_control(ecsemu_server, ecsemu_throttle):
    ecsemu_throttle({"Rate": 0.01, "Burst": 2})
    assert codes(ecsemu_server, "DescribeRegions", 1) + codes(ecsemu_server, "DescribeZones", 1) == ["ok", "ok"]
    body = rpc(ecsemu_server, "DescribeInstances", RegionId=REGION).json()
    assert (body["Code"], body["Message"]) == ("Throttling.User", "Request was denied due to user flow control.")
    assert codes(ecsemu_server, "DescribeRegions", 1, OTHER) == ["ok"]


def test_a_limit_answers_the_code_it_is_given(ecsemu_server, ecsemu_throttle):
    ecsemu_throttle({"Action": "DescribeRegions", "Rate": 0.01, "Code": "Throttling.Api"})
    assert codes(ecsemu_server, "DescribeRegions", 2) == ["ok", "Throttling.Api"]


def test_a_throttled_call_changes_nothing(ecsemu_server, ecsemu_throttle, ecs):
    ecsemu_throttle("CreateSecurityGroup=0.01:1")
    ecs("CreateSecurityGroup", RegionId=REGION, SecurityGroupName="first")
    assert ecs.error("CreateSecurityGroup", RegionId=REGION, SecurityGroupName="second") == ("Throttling", 400)
    def named(name: str) -> list:
        return ecs("DescribeSecurityGroups", RegionId=REGION, SecurityGroupName=name)["SecurityGroups"]["SecurityGroup"]
    assert len(named("first")) == 1 and named("second") == []


def test_the_old_sdk_retries_a_throttled_describe_disks_with_its_backoff(ecsemu_server, ecsemu_throttle, access):
    ecsemu_throttle("DescribeDisks=2:1")   # a token each half second
    client = AcsClient(DEVELOPMENT_KEY.key_id, DEVELOPMENT_KEY.secret, REGION, auto_retry=True, max_retry_time=3)
    request = DescribeDisksRequest()
    request.set_endpoint(ecsemu_server.endpoint)
    json.loads(client.do_action_with_exception(request))       # takes the one token
    started = time.monotonic()
    body = json.loads(client.do_action_with_exception(request))  # throttled, retried, answered
    assert "Disks" in body
    attempts = [call for call in access.lines if call["Action"] == "DescribeDisks"][1:]
    assert [call["Code"] for call in attempts][-1] is None
    assert {call["Code"] for call in attempts[:-1]} == {"Throttling"} and 2 <= len(attempts) <= 4
    # The SDK waits at least 250 ms before its first retry on Throttling (0.5 s, jittered).
    assert time.monotonic() - started >= 0.25


def test_the_old_sdk_without_retries_surfaces_the_server_exception(ecsemu_server, ecsemu_throttle, ecs):
    ecsemu_throttle("DescribeDisks=0.01:1")
    ecs("DescribeDisks", RegionId=REGION)
    with pytest.raises(ServerException) as raised:
        ecs("DescribeDisks", RegionId=REGION)
    assert (raised.value.get_error_code(), raised.value.get_http_status()) == ("Throttling", 400)
    assert raised.value.get_error_msg() == THROTTLING_MESSAGE


def test_the_tea_sdk_surfaces_a_client_exception(ecsemu_server, ecsemu_throttle, ecs):
    ecsemu_throttle("DescribeDisks=0.01:1")
    client = ecs.tea()
    client.describe_disks(ecs_models.DescribeDisksRequest(region_id=REGION))
    with pytest.raises(ClientException) as raised:
        client.describe_disks(ecs_models.DescribeDisksRequest(region_id=REGION))
    assert (raised.value.code, raised.value.status_code) == ("Throttling", 400)
    assert THROTTLING_MESSAGE in raised.value.message


def test_the_tea_sdk_retries_with_its_retry_options_and_succeeds(ecsemu_server, ecsemu_throttle, access):
    ecsemu_throttle("DescribeDisks=2:1")   # a token each half second
    retry = RetryOptions({"retryable": True, "retryCondition": [
        {"errorCode": ["Throttling"], "maxAttempts": 4, "backoff": {"policy": "Fixed", "period": 300}}]})
    client = TeaClient(TeaConfig(access_key_id=DEVELOPMENT_KEY.key_id, access_key_secret=DEVELOPMENT_KEY.secret,
                                 region_id=REGION, endpoint=ecsemu_server.endpoint, protocol="http",
                                 retry_options=retry))
    client.describe_disks(ecs_models.DescribeDisksRequest(region_id=REGION))   # takes the one token
    answer = client.describe_disks(ecs_models.DescribeDisksRequest(region_id=REGION))
    assert answer.status_code == 200 and answer.body.disks is not None
    attempts = [call["Code"] for call in access.lines if call["Action"] == "DescribeDisks"][1:]
    # At 0, 0.3, 0.6 s…: the token comes back at 0.5 s (sooner only on a very slow machine).
    assert attempts[-1] is None and set(attempts[:-1]) == {"Throttling"} and 2 <= len(attempts) <= 4


def test_the_control_plane_reads_and_replaces_the_limits(ecsemu_server, ecsemu_throttle):
    ecsemu_throttle()
    assert control(ecsemu_server, "GET") == (200, {"Limits": []})
    limits = {"Limits": [{"Action": "DescribeRegions", "Rate": 0.01, "Burst": 1},
                         {"Account": "1234567890123456", "Rate": 50}]}
    status, shown = control(ecsemu_server, "PUT", json.dumps(limits).encode())
    expected = {"Limits": [{"Action": "DescribeRegions", "Rate": 0.01, "Burst": 1, "Code": "Throttling"},
                           {"Account": "1234567890123456", "Rate": 50.0, "Burst": 50, "Code": "Throttling.User"}]}
    assert (status, shown) == (200, expected)
    assert control(ecsemu_server, "GET") == (200, expected)
    assert codes(ecsemu_server, "DescribeRegions", 2) == ["ok", "Throttling"]
    assert control(ecsemu_server, "PUT", json.dumps(expected).encode()) == (200, expected)  # counts afresh
    assert codes(ecsemu_server, "DescribeRegions", 1) == ["ok"]
    reset = urllib.request.Request(f"{ecsemu_server.url}/_ecsemu/reset", method="POST", data=b"{}",
                                   headers={"Content-Type": "application/json"})
    urllib.request.urlopen(reset).close()
    assert control(ecsemu_server, "GET") == (200, expected)   # limits are not state: a reset keeps them
    assert control(ecsemu_server, "PUT", b'{"Limits": []}') == (200, {"Limits": []})
    assert codes(ecsemu_server, "DescribeRegions", 3) == ["ok", "ok", "ok"]


@pytest.mark.parametrize("body", [
    b"[]", b"not json", b'{"Limits": {}}', b'{"Limit": []}', b'{"Limits": [1]}',
    b'{"Limits": [{"Action": "DescribeRegions"}]}', b'{"Limits": [{"Rate": "5"}]}',
    b'{"Limits": [{"Rate": 0}]}', b'{"Limits": [{"Rate": -1}]}', b'{"Limits": [{"Rate": 1e300}]}',
    b'{"Limits": [{"Rate": true}]}', b'{"Limits": [{"Rate": 1' + b'0' * 400 + b'}]}',
    b'{"Limits": [{"Rate": 1, "Burst": 1' + b'0' * 400 + b'}]}', b'{"Limits": [{"Rate": 1, "Burst": 0}]}',
    b'{"Limits": [{"Rate": 1, "Burst": 1.5}]}', b'{"Limits": [{"Rate": 1, "Action": "Describe-*"}]}',
    b'{"Limits": [{"Rate": 1, "Action": ""}]}', b'{"Limits": [{"Rate": 1, "Account": "abc"}]}',
    b'{"Limits": [{"Rate": 1, "Account": 123}]}', b'{"Limits": [{"Rate": 1, "Code": "Forbidden"}]}',
    b'{"Limits": [{"Rate": 1, "Per": "minute"}]}', b'{"Limits": [{"Rate": NaN}]}',
    b'{"Limits": [' + b'{"Rate": 1},' * 1000 + b'{"Rate": 1}]}',
])
def test_a_bad_body_is_refused_and_changes_nothing(ecsemu_server, ecsemu_throttle, body):
    ecsemu_throttle("DescribeRegions=5")
    status, error = control(ecsemu_server, "PUT", body)
    assert status == 400 and error["Code"] in ("InvalidLimits", "InvalidBody") and error["Message"]
    assert control(ecsemu_server, "GET")[1] == {
        "Limits": [{"Action": "DescribeRegions", "Rate": 5.0, "Burst": 5, "Code": "Throttling"}]}


def test_the_gate_refuses_a_change_from_a_web_page(ecsemu_server, ecsemu_throttle):
    ecsemu_throttle("DescribeRegions=5")
    status, error = control(ecsemu_server, "PUT", b'{"Limits": []}', Origin="http://example.com")
    assert (status, error["Code"]) == (403, "Forbidden.CrossSite")
    assert len(control(ecsemu_server, "GET")[1]["Limits"]) == 1
