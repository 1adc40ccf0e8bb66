"""The pytest plugin's ``ecsemu_faults`` fixture, as a user's test suite uses it."""

from __future__ import annotations

import json

import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkecs.request.v20140526.DescribeRegionsRequest import DescribeRegionsRequest

from ecsemu.testing.faults import FaultRuleRefused

STRUCK: list[str] = []  # the first test's rule, which the second finds cleared


def test_a_rule_from_the_fixture_outlasts_the_sdks_retries(ecsemu_faults, ecsemu_acs_client):
    # AcsClient retries DescribeRegions 3 times by default: 4 calls fail, the fifth does not.
    rule = ecsemu_faults.add(Action="DescribeRegions", Error="InternalError", Count=4)
    STRUCK.append(rule["RuleId"])
    with pytest.raises(ServerException) as failed:
        ecsemu_acs_client.do_action_with_exception(DescribeRegionsRequest())
    assert (failed.value.get_error_code(), failed.value.get_http_status()) == ("InternalError", 500)
    assert json.loads(ecsemu_acs_client.do_action_with_exception(DescribeRegionsRequest()))["Regions"]
    assert ecsemu_faults.get(rule["RuleId"])["Injected"] == 4
    with pytest.raises(FaultRuleRefused, match=r"InvalidRule\.NoEffect"):
        ecsemu_faults.add(Action="DescribeRegions")


def test_the_fixture_cleared_the_rules_of_the_test_before(ecsemu_faults):
    assert STRUCK and STRUCK[0] not in [rule["RuleId"] for rule in ecsemu_faults.list()]
