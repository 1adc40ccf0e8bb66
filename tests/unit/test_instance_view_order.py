"""DescribeInstances lists an instance's fields, and the fields of its objects, in the order
of the API's response model (the official SDK's DescribeInstancesResponseBody, B8). footmark
sets an instance's attributes in that order and its Instance reads EipAddress while it sets
PublicIpAddress: it recursed without end when PublicIpAddress came first. A field added to the
view goes in its place."""

from __future__ import annotations

import inspect
import re
from types import SimpleNamespace

from alibabacloud_ecs20140526.models import _describe_instances_response_body as model

from ecsemu.actions.instances import _instance_view

ROW = SimpleNamespace(
    id="i-bp1234567890abcdefgh", instance_type="ecs.g7.large", instance_name="web", description="", host_name="web",
    image_id="ubuntu", region_id="cn-hangzhou", zone_id="cn-hangzhou-b", status="Running", os_type="linux",
    created_at=0.0, start_time=0.0, charge_type="PostPaid", internet_charge_type="PayByTraffic",
    internet_max_bandwidth_out=0, spot_strategy="NoSpot", stopped_mode="Not-applicable", deletion_protection=False,
    key_pair_name=None, security_group_ids=["sg-1"], public_ip=None, private_ip="172.16.0.3", vpc_id="vpc-1",
    vswitch_id="vsw-1", expired_at=None, internet_max_bandwidth_in=None, resource_group_id="",
    metadata_http_endpoint="enabled", metadata_http_tokens="optional", metadata_hop_limit=1)


def _model_order(class_name: str) -> list[str]:
    return re.findall(r"result\['(\w+)'\]", inspect.getsource(getattr(model, class_name).to_map))


def _in_model_order(view: dict, class_name: str) -> bool:
    return list(view) == [key for key in _model_order(class_name) if key in view]


def test_an_instance_and_its_objects_follow_the_model_order():
    view = _instance_view(ROW, ["security"], [("k", "v")], ("Ubuntu", "Ubuntu"))
    prefix = "DescribeInstancesResponseBodyInstancesInstance"
    assert _in_model_order(view, prefix)
    assert list(view).index("EipAddress") < list(view).index("PublicIpAddress")
    for field in ("EipAddress", "VpcAttributes", "MetadataOptions", "CpuOptions"):
        assert _in_model_order(view[field], prefix + field), field
