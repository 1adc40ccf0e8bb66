"""Two products on one endpoint: a request goes to the product its host names, else to
the one of its Version; each product answers only its own actions, through the same
signature checks, error envelope and JSON/XML rendering."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.rawhttp import encode, send, v1_params, v3_headers

VPC = "2016-04-28"
ECS = "2014-05-26"


def _get(server, params: dict[str, str], host: str | None = None):
    return send(server.port, "GET", "/?" + encode(params), {"Host": host} if host else None)


@pytest.mark.parametrize("host", [None, "vpc.aliyuncs.com", "vpc.cn-hangzhou.aliyuncs.com",
                                  "vpc-vpc.cn-hangzhou.aliyuncs.com", "vpc-cn-hangzhou.aliyuncs.com"])
def test_the_vpc_product_by_version_and_by_host(server, host):
    reply = _get(server, v1_params("DescribeRegions", Version=VPC), host)
    assert reply.status == 200, reply.body
    regions = reply.json()["Regions"]["Region"]
    assert {"cn-hangzhou", "cn-beijing"} <= {r["RegionId"] for r in regions}
    assert "Status" not in regions[0]   # VPC's DescribeRegions, not ECS's


def test_a_vpc_host_picks_the_region_of_a_call_without_one(server):
    reply = _get(server, v1_params("DescribeVpcs", Version=VPC, RegionId="cn-hangzhou"),
                 "vpc.cn-beijing.aliyuncs.com")
    assert reply.status == 200 and reply.json()["TotalCount"] >= 0


def test_the_ecs_product_is_unaffected(server):
    reply = _get(server, v1_params("DescribeRegions"), "ecs.cn-hangzhou.aliyuncs.com")
    assert reply.status == 200 and "Status" in reply.json()["Regions"]["Region"][0]


@pytest.mark.parametrize("action, version", [("DescribeInstances", VPC), ("CreateVpc", ECS),
                                             ("DescribeVSwitches", ECS), ("NoSuchThing", VPC)])
def test_an_action_exists_per_product(server, action, version):
    reply = _get(server, v1_params(action, Version=version, RegionId="cn-hangzhou"))
    assert reply.status == 404 and reply.json()["Code"] == "InvalidAction.NotFound"


@pytest.mark.parametrize("version, host", [("2099-01-01", None), ("2099-01-01", "vpc.aliyuncs.com"),
                                           (ECS, "vpc.cn-hangzhou.aliyuncs.com"), (VPC, "ecs.aliyuncs.com")])
def test_a_version_of_neither_product_or_of_another_hosts(server, version, host):
    reply = _get(server, v1_params("DescribeRegions", Version=version), host)
    assert reply.status == 400 and reply.json()["Code"] == "InvalidVersion"


def test_the_error_envelope_names_the_host_called(server):
    reply = _get(server, v1_params("DescribeVpcAttribute", Version=VPC, RegionId="cn-hangzhou", VpcId="vpc-none"),
                 "vpc.cn-hangzhou.aliyuncs.com")
    body = reply.json()
    assert (reply.status, body["Code"], body["HostId"]) == \
        (404, "InvalidVpcId.NotFound", "vpc.cn-hangzhou.aliyuncs.com")
    assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}


def test_xml_and_signatures_are_the_same_for_both(server):
    reply = _get(server, v1_params("DescribeZones", Version=VPC, RegionId="cn-hangzhou", fmt="XML"))
    root = ET.fromstring(reply.body)
    assert root.tag == "DescribeZonesResponse"
    assert {z.findtext("ZoneType") for z in root.iter("Zone")} == {"AvailabilityZone"}
    bad = _get(server, v1_params("DescribeVpcs", Version=VPC, RegionId="cn-hangzhou", secret="wrong"))
    assert bad.status == 400 and bad.json()["Code"] == "SignatureDoesNotMatch"


def test_v3_signed_calls_by_header_version_and_host(server):
    host = "vpc.cn-hangzhou.aliyuncs.com"
    headers = v3_headers("DescribeVpcs", server.port, "RegionId=cn-hangzhou",
                         extra={"host": host, "x-acs-version": VPC})
    reply = send(server.port, "POST", "/?RegionId=cn-hangzhou", {**headers, "Host": host})
    assert reply.status == 200, reply.body
    assert set(reply.json()) >= {"Vpcs", "TotalCount", "PageNumber", "PageSize", "RequestId"}


def test_health_counts_every_products_actions(server):
    import httpx

    from ecsemu.actions import all_products
    health = httpx.get(f"{server.url}/_ecsemu/health").json()
    assert health["Products"] == {"Ecs": "2014-05-26", "Vpc": "2016-04-28"}
    assert health["Actions"] == sum(len(product.actions) for product in all_products())
