"""Requests in every form an official client sends them, over real HTTP."""

import hashlib
import xml.etree.ElementTree as ET

from tests.conftest import OTHER_KEY
from tests.rawhttp import encode, get, send, utc_now, v1_params, v3_headers


def test_get_with_query(server):
    reply = get(server.port, v1_params("DescribeRegions"))
    assert reply.status == 200
    body = reply.json()
    assert body["Regions"]["Region"][0]["RegionId"] == "cn-hangzhou"
    assert reply.headers["x-acs-request-id"] == body["RequestId"]
    assert body["RequestId"] == body["RequestId"].upper() and len(body["RequestId"]) == 36


def test_post_with_everything_in_a_form_body(server):
    params = v1_params("DescribeRegions", method="POST")
    reply = send(server.port, "POST", "/", {"Content-Type": "application/x-www-form-urlencoded"},
                 encode(params).encode())
    assert reply.status == 200, reply.body


def test_post_split_between_query_and_form(server):
    params = v1_params("DescribeZones", method="POST", RegionId="cn-beijing")
    common = {k: v for k, v in params.items() if k != "RegionId"}
    reply = send(server.port, "POST", "/?" + encode(common),
                 {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
                 encode({"RegionId": "cn-beijing"}).encode())
    assert reply.status == 200, reply.body
    assert reply.json()["Zones"]["Zone"][0]["ZoneId"].startswith("cn-beijing-")


def test_absolute_form_target_through_a_proxy(server):
    params = v1_params("DescribeRegions")
    reply = send(server.port, "GET", "http://ecs-cn-hangzhou.aliyuncs.com/?" + encode(params),
                 {"Host": "ecs-cn-hangzhou.aliyuncs.com"})
    assert reply.status == 200, reply.body


def test_plus_and_percent20_both_mean_space(server):
    # A signature over "a b" verifies whichever way the space travelled.
    for spelling in ("+", "%20"):
        params = v1_params("DescribeRegions", ClientToken="a b")
        target = "/?" + encode(params).replace("ClientToken=a%20b", f"ClientToken=a{spelling}b")
        assert send(server.port, "GET", target).status == 200


def test_query_that_is_not_fully_encoded(server):
    params = v1_params("DescribeRegions", Extra="Abcd1234!*()")
    target = "/?" + encode(params).replace("Abcd1234%21%2A%28%29", "Abcd1234!*()")
    assert "Abcd1234!*()" in target
    assert send(server.port, "GET", target).status == 200


def test_unknown_parameters_are_tolerated_and_signed(server):
    # footmark signs a stray on=<Action>.
    assert get(server.port, v1_params("DescribeRegions", on="DescribeRegions")).status == 200


def test_empty_signed_parameter_is_part_of_the_signature(server):
    # The old Python core sends SignatureType= with no value.
    assert get(server.port, v1_params("DescribeRegions", SignatureType="")).status == 200


def test_format_xml_and_absent(server):
    for fmt in ("XML", "xml", None):
        reply = get(server.port, v1_params("DescribeRegions", fmt=fmt))
        assert reply.status == 200 and reply.headers["content-type"] == "text/xml;charset=utf-8"
        root = ET.fromstring(reply.body)
        assert root.tag == "DescribeRegionsResponse"
        assert root.find("Regions/Region/RegionId").text == "cn-hangzhou"
    reply = get(server.port, v1_params("DescribeRegions", fmt="json"))
    assert reply.headers["content-type"] == "application/json;charset=utf-8"


def test_v3_headers_only_answer_json(server):
    query = encode({"AcceptLanguage": "en-US"})
    reply = send(server.port, "POST", "/?" + query, v3_headers("DescribeRegions", server.port, query))
    assert reply.status == 200, reply.body
    assert reply.json()["Regions"]["Region"][0]["LocalName"] == "China (Hangzhou)"


def test_v3_with_a_form_body(server):
    body = encode({"RegionId": "cn-shanghai"}).encode()
    headers = v3_headers("DescribeZones", server.port, body=body,
                         extra={"content-type": "application/x-www-form-urlencoded"})
    reply = send(server.port, "POST", "/", headers, body)
    assert reply.status == 200, reply.body
    assert reply.json()["Zones"]["Zone"][0]["ZoneId"] == "cn-shanghai-b"


def test_v3_security_token_accepted(server):
    headers = v3_headers("DescribeRegions", server.port, extra={"x-acs-security-token": "sts-token"})
    assert send(server.port, "POST", "/", headers).status == 200


def test_v1_security_token_accepted(server):
    assert get(server.port, v1_params("DescribeRegions", SecurityToken="sts-token")).status == 200


def test_declared_key_of_another_account(server):
    params = v1_params("DescribeRegions", key_id=OTHER_KEY.key_id, secret=OTHER_KEY.secret)
    assert get(server.port, params).status == 200


def test_loose_mode_lets_an_unknown_key_through_unchecked(server):
    params = v1_params("DescribeRegions", key_id="someone-else", secret="whatever")
    params["Signature"] = "not-even-base64"
    assert get(server.port, params).status == 200


def test_region_endpoint_points_back_at_the_emulator(server):
    regions = get(server.port, v1_params("DescribeRegions")).json()["Regions"]["Region"]
    assert {r["RegionEndpoint"] for r in regions} == {f"127.0.0.1:{server.port}"}
    assert len(regions) >= 20 and all(r["Status"] == "available" for r in regions)


def test_zones_follow_accept_language_and_verbose(server):
    zones = get(server.port, v1_params("DescribeZones", RegionId="cn-hangzhou", AcceptLanguage="en-US",
                                       Verbose="false")).json()["Zones"]["Zone"]
    assert zones[0] == {"ZoneId": "cn-hangzhou-b", "LocalName": "Hangzhou Zone B"}
    full = get(server.port, v1_params("DescribeZones", RegionId="cn-hangzhou")).json()["Zones"]["Zone"][0]
    assert full["LocalName"] == "华东1 可用区 B"
    info = full["AvailableResources"]["ResourcesInfo"][0]
    assert "cloud_essd" in info["SystemDiskCategories"]["supportedSystemDiskCategory"]
    assert "ecs.g7.large" in full["AvailableInstanceTypes"]["InstanceTypes"]


def test_control_plane_health(server):
    reply = send(server.port, "GET", "/_ecsemu/health")
    assert reply.status == 200 and reply.json()["Status"] == "ok"


def test_unknown_path_is_an_ecs_error(server):
    reply = send(server.port, "GET", "/nothing/here")
    assert reply.status == 404 and reply.json()["Code"] == "InvalidAction.NotFound"


def test_content_sha256_is_checked_against_the_body(server):
    body = encode({"RegionId": "cn-shanghai"}).encode()
    headers = v3_headers("DescribeZones", server.port, body=body,
                         extra={"content-type": "application/x-www-form-urlencoded"})
    tampered = body.replace(b"shanghai", b"beijing")
    headers["Content-Length"] = str(len(tampered))
    reply = send(server.port, "POST", "/", headers, tampered)
    assert reply.json()["Code"] == "SignatureDoesNotMatch"
    assert hashlib.sha256(tampered).hexdigest() != headers["x-acs-content-sha256"]


def test_timestamp_with_fractions_is_accepted(server):
    stamp = utc_now().replace("Z", ".123Z")
    assert get(server.port, v1_params("DescribeRegions", Timestamp=stamp)).status == 200
