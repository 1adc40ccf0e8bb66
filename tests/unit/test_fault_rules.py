"""Fault rules' pure parts (domain/faults.py): what a rule matches, its defaults from the
error catalogue, and the seeded draws."""

from __future__ import annotations

import pytest

from ecsemu import errors
from ecsemu.domain.faults import FaultRule, RuleRefused, draws, parse_rule, stored_rule


def rule(**body) -> FaultRule:
    return parse_rule("fault-test", body, errors.ALL)


def test_a_resource_id_matches_any_parameter_naming_it_alone_or_in_a_list():
    struck = rule(ResourceId="d-bp1", Error="InternalError")
    assert struck.matches("Ecs", "DescribeDisks", "1", {"DiskIds": '["d-bp0","d-bp1"]'})
    assert struck.matches("Ecs", "AttachDisk", "1", {"DiskId": "d-bp1", "InstanceId": "i-1"})
    assert struck.matches("Ecs", "DeleteDisks", "1", {"DiskId.1": "d-bp1"})
    assert not struck.matches("Ecs", "DescribeDisks", "1", {"DiskIds": '["d-bp10"]'})
    assert not struck.matches("Ecs", "DescribeDisks", "1", {"DiskName": "my-d-bp1-copy"})


def test_action_glob_product_account_and_parameters_must_all_match():
    struck = rule(Action="Describe*", Product="vpc", AccountId="42", Parameters={"RegionId": "cn-*"},
                  Error="InternalError")
    assert struck.product == "VPC"
    assert struck.matches("Vpc", "DescribeVpcs", "42", {"RegionId": "cn-hangzhou"})
    assert not struck.matches("Ecs", "DescribeVpcs", "42", {"RegionId": "cn-hangzhou"})
    assert not struck.matches("Vpc", "describeVpcs", "42", {"RegionId": "cn-hangzhou"})  # case matters
    assert not struck.matches("Vpc", "DescribeVpcs", "43", {"RegionId": "cn-hangzhou"})
    assert not struck.matches("Vpc", "DescribeVpcs", "42", {"RegionId": "us-west-1"})
    assert not struck.matches("Vpc", "DescribeVpcs", "42", {})


def test_an_error_takes_the_catalogues_status_and_a_message_without_placeholders():
    assert rule(Error="ServiceUnavailable").error == errors.SERVICE_UNAVAILABLE
    not_found = rule(Error="InvalidDiskId.NotFound").error
    assert not_found is not None and "{" not in not_found.message and not_found.status == 404
    given = rule(Error={"Code": "ServiceUnavailable", "HttpStatus": 502, "Message": "Bad gateway."}).error
    assert given is not None and (given.status, given.message) == (502, "Bad gateway.")
    with pytest.raises(RuleRefused, match="HttpStatus and Message"):
        rule(Error={"Code": "Throttling.Made.Up", "HttpStatus": 400})


def test_draws_depend_on_the_seed_and_the_match_number_only():
    half = FaultRule("a", probability=0.5, seed=1)
    sequence = [draws(half, n) for n in range(1, 201)]
    assert sequence == [draws(FaultRule("b", probability=0.5, seed=1), n) for n in range(1, 201)]
    assert 70 < sum(sequence) < 130
    assert all(draws(FaultRule("c"), n) for n in range(1, 10))          # no probability: always
    assert not any(draws(FaultRule("d", probability=0.0), n) for n in range(1, 50))


def test_a_stored_rule_reads_back_the_same():
    original = rule(Action="Stop*", ResourceId="i-1", HoldSeconds=30, LatencyMs=5, Count=2, Probability=0.25,
                    Seed=9, Parameters={"ForceStop": "true"})
    assert stored_rule(original.body(), errors.ALL) == original
