"""The official Python clients, unmodified, against the emulator.

- aliyun-python-sdk-core + aliyun-python-sdk-ecs: v1 signatures, everything in the query;
- alibabacloud-ecs20140526 (tea): V3 signatures by default, v1 with signature_algorithm='v2'.
"""

import json

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_tea_openapi import models as openapi_models
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_util.models import RuntimeOptions
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest
from aliyunsdkecs.request.v20140526.DescribeRegionsRequest import DescribeRegionsRequest
from aliyunsdkecs.request.v20140526.DescribeZonesRequest import DescribeZonesRequest

from ecsemu.testing import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET

REGION = "cn-hangzhou"


# --- aliyun-python-sdk-core / aliyun-python-sdk-ecs ----------------------------------------

def acs_client(server, secret=DEVELOPMENT_KEY_SECRET) -> AcsClient:
    client = AcsClient(DEVELOPMENT_KEY_ID, secret, REGION)
    client.add_endpoint(REGION, "Ecs", server.endpoint)
    return client


def test_old_sdk_describe_regions(server):
    body = json.loads(acs_client(server).do_action_with_exception(DescribeRegionsRequest()))
    regions = body["Regions"]["Region"]
    assert regions[0]["RegionId"] == "cn-hangzhou" and body["RequestId"]


def test_old_sdk_describe_zones(server):
    request = DescribeZonesRequest()
    request.add_query_param("RegionId", "cn-shanghai")
    zones = json.loads(acs_client(server).do_action_with_exception(request))["Zones"]["Zone"]
    assert [z["ZoneId"] for z in zones][:2] == ["cn-shanghai-b", "cn-shanghai-e"]


def test_old_sdk_wrong_secret_is_its_own_invalid_secret_error(server):
    # The core compares the server's string-to-sign with its own and, when they agree,
    # blames the secret: only possible when the message is formatted as the real one.
    with pytest.raises(ServerException) as raised:
        acs_client(server, secret="wrong").do_action_with_exception(DescribeRegionsRequest())
    assert raised.value.get_error_code() == "InvalidAccessKeySecret"
    assert raised.value.get_http_status() == 400


def test_old_sdk_unknown_action(server):
    request = CommonRequest(domain=server.endpoint, version="2014-05-26", action_name="DescribeUnicorns")
    with pytest.raises(ServerException) as raised:
        acs_client(server).do_action_with_exception(request)
    assert raised.value.get_error_code() == "InvalidAction.NotFound"
    assert raised.value.get_http_status() == 404
    assert raised.value.get_request_id()


def test_old_sdk_xml_through_the_deprecated_path(server):
    request = DescribeRegionsRequest()
    request.set_accept_format("XML")
    with pytest.warns(DeprecationWarning):
        status, _headers, body = acs_client(server).implementation_of_do_action(request)
    assert status == 200 and body.startswith(b"<?xml") and b"<DescribeRegionsResponse>" in body


# --- alibabacloud-ecs20140526 (tea) ------------------------------------------------------------

def tea_client(server, secret=DEVELOPMENT_KEY_SECRET, **config) -> EcsClient:
    return EcsClient(openapi_models.Config(
        access_key_id=DEVELOPMENT_KEY_ID, access_key_secret=secret, region_id=REGION,
        endpoint=server.endpoint, protocol="http", **config))


SIGNATURES = [pytest.param({}, id="V3"), pytest.param({"signature_algorithm": "v2"}, id="v1")]


@pytest.mark.parametrize("config", SIGNATURES)
def test_new_sdk_describe_regions(server, config):
    response = tea_client(server, **config).describe_regions(
        ecs_models.DescribeRegionsRequest(accept_language="en-US"))
    assert response.status_code == 200
    region = response.body.regions.region[0]
    assert (region.region_id, region.local_name) == ("cn-hangzhou", "China (Hangzhou)")
    assert region.region_endpoint == server.endpoint


@pytest.mark.parametrize("config", SIGNATURES)
def test_new_sdk_describe_zones(server, config):
    response = tea_client(server, **config).describe_zones(
        ecs_models.DescribeZonesRequest(region_id="ap-southeast-1", verbose=False))
    assert [z.zone_id for z in response.body.zones.zone] == [
        "ap-southeast-1-a", "ap-southeast-1-b", "ap-southeast-1-c"]


@pytest.mark.parametrize("config", SIGNATURES)
def test_new_sdk_wrong_secret(server, config):
    with pytest.raises(ClientException) as raised:
        tea_client(server, secret="wrong", **config).describe_regions(ecs_models.DescribeRegionsRequest())
    assert raised.value.code == "SignatureDoesNotMatch"
    assert raised.value.status_code == 400 and raised.value.request_id


@pytest.mark.parametrize("config", SIGNATURES)
def test_new_sdk_unknown_action(server, config):
    params = openapi_models.Params(
        action="DescribeUnicorns", version="2014-05-26", protocol="HTTP", method="POST",
        auth_type="AK", style="RPC", pathname="/", req_body_type="formData", body_type="json")
    with pytest.raises(ClientException) as raised:
        tea_client(server, **config).call_api(params, openapi_models.OpenApiRequest(query={}), RuntimeOptions())
    assert raised.value.code == "InvalidAction.NotFound"
    assert raised.value.status_code == 404


def test_new_sdk_region_id_error(server):
    with pytest.raises(ClientException) as raised:
        tea_client(server).describe_zones(ecs_models.DescribeZonesRequest(region_id="mars-north-1"))
    assert (raised.value.code, raised.value.status_code) == ("InvalidRegionId.NotFound", 404)


def test_plugin_fixtures(ecsemu_acs_client, ecsemu_ecs_client):
    """The fixtures ecsemu's pytest plugin hands to users' own tests."""
    assert json.loads(ecsemu_acs_client.do_action_with_exception(DescribeRegionsRequest()))["Regions"]
    assert ecsemu_ecs_client.describe_regions(ecs_models.DescribeRegionsRequest()).body.regions.region
