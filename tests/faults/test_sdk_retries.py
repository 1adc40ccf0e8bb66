"""The official SDKs' own retries, seen against fault rules that fail the first calls: the
old SDK's auto_retry, the tea SDK's retry options. The server's access lines count the
calls it saw."""

from __future__ import annotations

import json

import pytest
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.DescribeDisksRequest import DescribeDisksRequest

from ecsemu.accounts import DEVELOPMENT_KEY

THROTTLING = {"Code": "Throttling", "HttpStatus": 400,
              "Message": "You have made too many requests within a short time; your request is denied due to "
                         "request throttling."}


def old_sdk(ecs, *, auto_retry: bool) -> AcsClient:
    client = AcsClient(DEVELOPMENT_KEY.key_id, DEVELOPMENT_KEY.secret, "cn-hangzhou", auto_retry=auto_retry)
    client.add_endpoint("cn-hangzhou", "Ecs", ecs.server.endpoint)
    return client


def describe_disks(client: AcsClient, ecs) -> dict:
    """The SDK's own request class: its retry policy knows the action by product and name
    (a CommonRequest names no product, and is never retried)."""
    request = DescribeDisksRequest()
    request.set_endpoint(ecs.server.endpoint)
    return json.loads(client.do_action_with_exception(request))


@pytest.mark.parametrize("error", ["ServiceUnavailable", THROTTLING])
def test_the_old_sdk_with_auto_retry_retries_describe_disks_and_succeeds(ecs, faults, access, error):
    rule = faults.add(Action="DescribeDisks", Error=error, Count=2)
    assert "Disks" in describe_disks(old_sdk(ecs, auto_retry=True), ecs)
    lines = access.of("DescribeDisks", 3)
    assert [line["Fault"] for line in lines[:2]] == [rule["RuleId"]] * 2 and "Fault" not in lines[2]
    assert faults.get(rule["RuleId"])["Injected"] == 2


def test_the_old_sdk_retries_a_dropped_connection(ecs, faults, access):
    faults.add(Action="DescribeDisks", DropConnection=True, Count=2)
    assert "Disks" in describe_disks(old_sdk(ecs, auto_retry=True), ecs)
    assert [line["Status"] for line in access.of("DescribeDisks", 3)] == [None, None, 200]


def test_without_auto_retry_the_old_sdk_gives_up_at_once(ecs, faults, access):
    faults.add(Action="DescribeDisks", Error="ServiceUnavailable", Count=2)
    with pytest.raises(Exception, match="ServiceUnavailable"):
        describe_disks(old_sdk(ecs, auto_retry=False), ecs)
    access.of("DescribeDisks", 1)


def tea_client(ecs, retry_options=None):
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi import models
    return Client(models.Config(access_key_id=DEVELOPMENT_KEY.key_id, access_key_secret=DEVELOPMENT_KEY.secret,
                                region_id="cn-hangzhou", endpoint=ecs.server.endpoint, protocol="http",
                                retry_options=retry_options))


def tea_describe_disks(client):
    from alibabacloud_ecs20140526 import models
    from alibabacloud_tea_util.models import RuntimeOptions
    return client.describe_disks_with_options(models.DescribeDisksRequest(region_id="cn-hangzhou"),
                                              RuntimeOptions(autoretry=True, max_attempts=3))


def test_the_tea_sdk_retries_the_codes_its_retry_options_name(ecs, faults, access):
    from darabonba.policy.retry import RetryOptions
    rule = faults.add(Action="DescribeDisks", Error="ServiceUnavailable", Count=2)
    options = RetryOptions({"retryable": True, "retryCondition": [
        {"maxAttempts": 3, "errorCode": ["ServiceUnavailable", "Throttling"]}]})
    assert tea_describe_disks(tea_client(ecs, options)).status_code == 200
    assert [line.get("Fault") for line in access.of("DescribeDisks", 3)] == [rule["RuleId"]] * 2 + [None]


def test_the_tea_sdk_retries_a_dropped_connection_as_a_retry_error(ecs, faults, access):
    """A connection closed without an answer is the transport's RetryError, which retry
    options name by its exception name."""
    from darabonba.policy.retry import RetryOptions
    faults.add(Action="DescribeDisks", DropConnection=True, Count=2)
    options = RetryOptions({"retryable": True, "retryCondition": [{"maxAttempts": 3, "exception": ["RetryError"]}]})
    assert tea_describe_disks(tea_client(ecs, options)).status_code == 200
    assert [line["Status"] for line in access.of("DescribeDisks", 3)] == [None, None, 200]


def test_the_tea_sdk_runtime_autoretry_alone_retries_nothing(ecs, faults, access):
    """tea-openapi reads only Config.retry_options: RuntimeOptions(autoretry=True) is not
    consulted, so the first error reaches the caller."""
    faults.add(Action="DescribeDisks", Error="ServiceUnavailable", Count=1)
    with pytest.raises(Exception, match="ServiceUnavailable"):
        tea_describe_disks(tea_client(ecs))
    access.of("DescribeDisks", 1)
