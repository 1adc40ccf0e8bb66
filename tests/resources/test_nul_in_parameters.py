"""A NUL character in a parameter's value is refused as an invalid value, the same on every
store: PostgreSQL's text cannot hold one, and answered 500 when a value reached a query."""

from __future__ import annotations

import pytest

from tests.ecsclient import REGION, ZONE


@pytest.mark.parametrize(("action", "params"), [
    ("DescribeDisks", {"DiskName": "a\x00b"}),
    ("DescribeDisks", {"DiskIds": '["d-\\u0000"]'}),
    ("DescribeDisks", {"DiskIds": '["d-\x00"]'}),
    ("ListTagResources", {"ResourceType": "instance", "Tag.1.Key": "k\x00"}),
])
def test_a_nul_is_an_invalid_value(ecs, action, params):
    assert ecs.error(action, RegionId=REGION, **params) == ("InvalidParameter", 400)
    # the same call without the NUL is answered
    ecs(action, RegionId=REGION, **{k: v.replace("\x00", "").replace("\\u0000", "") for k, v in params.items()})


def test_a_change_with_a_nul_changes_nothing(ecs):
    before = ecs("DescribeDisks", RegionId=REGION)["TotalCount"]
    assert ecs.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size="20", Description="\x00") == \
        ("InvalidParameter", 400)
    assert ecs("DescribeDisks", RegionId=REGION)["TotalCount"] == before
