"""Each gateway error the emulator answers, with its HTTP status, code and message, and
the well-formed body around it."""

import logging
import xml.etree.ElementTree as ET

import pytest

from ecsemu.actions.declaration import Action
from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from ecsemu.wire import signing
from tests.rawhttp import encode, get, send, utc_now, v1_params, v3_headers

MISSING = 'The input parameter "{}" that is mandatory for processing this request is not supplied.'


def assert_error(reply, status, code, message=None):
    assert reply.status == status, reply.body
    body = reply.json()
    assert body["Code"] == code
    assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
    if message is not None:
        assert body["Message"] == message
    return body


@pytest.mark.parametrize("removed", ["AccessKeyId", "Signature", "SignatureNonce", "Version", "Action"])
def test_missing_common_parameter(server, removed):
    reply = get(server.port, v1_params("DescribeRegions", sign=removed != "Signature", **{removed: None}))
    assert_error(reply, 400, "MissingParameter", MISSING.format(removed))


def test_missing_timestamp(server):
    reply = get(server.port, v1_params("DescribeRegions", Timestamp=None))
    assert_error(reply, 400, "IllegalTimestamp", MISSING.format("Timestamp"))


def test_missing_business_parameter(server):
    assert_error(get(server.port, v1_params("DescribeZones")), 400, "MissingParameter", MISSING.format("RegionId"))


def test_invalid_business_parameter(server):
    reply = get(server.port, v1_params("DescribeZones", RegionId="cn-hangzhou", Verbose="maybe"))
    assert_error(reply, 400, "InvalidParameter", 'The specified parameter "Verbose" is not valid.')


def test_unknown_region(server):
    reply = get(server.port, v1_params("DescribeZones", RegionId="mars-north-1"))
    assert_error(reply, 404, "InvalidRegionId.NotFound", "The specified RegionId does not exist.")


def test_action_specific_enum_error(server):
    reply = get(server.port, v1_params("DescribeRegions", AcceptLanguage="tlh"))
    assert_error(reply, 404, "InvalidAcceptLanguage.NotFound")


def test_unknown_action(server):
    reply = get(server.port, v1_params("DescribeUnicorns"))
    assert_error(reply, 404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")


def test_wrong_version(server):
    reply = get(server.port, v1_params("DescribeRegions", Version="2016-03-14"))
    assert_error(reply, 400, "InvalidVersion", "Specified parameter Version is not valid.")


def test_unsupported_format(server):
    reply = get(server.port, v1_params("DescribeRegions", fmt="YAML"))
    assert_error(reply, 400, "InvalidParameter.Format", "Specified parameter format is not valid.")


def test_unsupported_method(server):
    reply = send(server.port, "PUT", "/?" + encode(v1_params("DescribeRegions")))
    assert_error(reply, 403, "UnsupportedHTTPMethod", "This HTTP method is not supported.")


@pytest.mark.parametrize("name, value", [("SignatureMethod", "HMAC-SHA256"), ("SignatureVersion", "2.0")])
def test_unsupported_signature_scheme(server, name, value):
    reply = get(server.port, v1_params("DescribeRegions", **{name: value}))
    assert_error(reply, 400, "InvalidParamater", f'The specified parameter "{name}" is not valid.')


def test_v1_signature_mismatch_ends_with_the_server_string_to_sign(server):
    params = v1_params("DescribeRegions", secret="wrong")
    body = assert_error(get(server.port, params), 400, "SignatureDoesNotMatch")
    prefix = "Specified signature is not matched with our calculation. server string to sign is:"
    assert body["Message"] == prefix + signing.v1_string_to_sign("GET", params)


def test_v3_signature_mismatch(server):
    headers = v3_headers("DescribeRegions", server.port, secret="wrong")
    body = assert_error(send(server.port, "POST", "/", headers), 400, "SignatureDoesNotMatch")
    assert body["Message"].split("server string to sign is:")[1].startswith("ACS3-HMAC-SHA256\n")


def test_v3_request_whose_query_was_changed(server):
    headers = v3_headers("DescribeRegions", server.port, "AcceptLanguage=en-US")
    reply = send(server.port, "POST", "/?AcceptLanguage=ja", headers)
    assert_error(reply, 400, "SignatureDoesNotMatch")


@pytest.mark.parametrize("authorization", [
    "ACS3-HMAC-SHA256 Credential=testid",
    "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host,Signature=zz",
    "ACS3-HMAC-SHA1 Credential=testid,SignedHeaders=host,Signature=00",
])
def test_malformed_v3_authorization(server, authorization):
    headers = v3_headers("DescribeRegions", server.port)
    headers["Authorization"] = authorization
    reply = send(server.port, "POST", "/", headers)
    assert_error(reply, 400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")


def test_nonce_reuse(server):
    params = v1_params("DescribeRegions")
    assert get(server.port, params).status == 200
    assert_error(get(server.port, params), 400, "SignatureNonceUsed", "Specified signature nonce was used already.")


def test_v3_nonce_reuse(server):
    headers = v3_headers("DescribeRegions", server.port, nonce="fixed-nonce-for-this-test")
    assert send(server.port, "POST", "/", headers).status == 200
    assert_error(send(server.port, "POST", "/", headers), 400, "SignatureNonceUsed")


def test_forged_request_does_not_burn_the_nonce(server):
    params = v1_params("DescribeRegions")
    forged = {**params, "Signature": "AAAAAAAAAAAAAAAAAAAAAAAAAAA="}
    assert_error(get(server.port, forged), 400, "SignatureDoesNotMatch")
    assert get(server.port, params).status == 200


@pytest.mark.parametrize("offset", [-16 * 60, 16 * 60])
def test_timestamp_outside_fifteen_minutes(server, offset):
    reply = get(server.port, v1_params("DescribeRegions", Timestamp=utc_now(offset)))
    assert_error(reply, 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")


def test_timestamp_inside_the_window(server):
    assert get(server.port, v1_params("DescribeRegions", Timestamp=utc_now(-14 * 60))).status == 200


@pytest.mark.parametrize("stamp", ["2024-01-01 00:00:00", "yesterday", "2024-13-01T00:00:00Z", "2024-01-01"])
def test_malformed_timestamp(server, stamp):
    reply = get(server.port, v1_params("DescribeRegions", Timestamp=stamp))
    assert_error(reply, 400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")


def test_v3_expired_date(server):
    headers = v3_headers("DescribeRegions", server.port, date=utc_now(-3600))
    assert_error(send(server.port, "POST", "/", headers), 400, "InvalidTimeStamp.Expired")


def test_unknown_key_in_strict_mode(strict_server):
    reply = get(strict_server.port, v1_params("DescribeRegions", key_id="nobody"))
    assert_error(reply, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")


def test_development_key_works_in_strict_mode(strict_server):
    assert get(strict_server.port, v1_params("DescribeRegions")).status == 200


def test_errors_in_xml(server):
    reply = get(server.port, v1_params("DescribeUnicorns", fmt="XML"))
    assert reply.status == 404 and reply.headers["content-type"] == "text/xml;charset=utf-8"
    root = ET.fromstring(reply.body)
    assert root.tag == "Error" and root.findtext("Code") == "InvalidAction.NotFound"
    assert root.findtext("HostId") == "127.0.0.1" and root.findtext("RequestId")


def _explode(ctx, args):
    raise RuntimeError("secret internals Password=Hunter2Hunter2!")


@pytest.fixture(scope="module")
def exploding_server():
    with EmulatorServer(Config(in_memory=True)) as running:
        running.emulator.actions["DescribeExplosions"] = Action(
            name="DescribeExplosions", family="Test", summary="Fails.", params=(), handler=_explode)
        yield running


def test_unexpected_exception_is_internal_error_without_traceback(exploding_server, caplog):
    with caplog.at_level(logging.ERROR, logger="ecsemu.gateway"):
        reply = get(exploding_server.port, v1_params("DescribeExplosions", Password="Hunter2Hunter2!"))
    body = assert_error(reply, 500, "InternalError",
                        "The request processing has failed due to some unknown error, exception or failure.")
    assert b"Traceback" not in reply.body and b"secret internals" not in reply.body
    record = next(r for r in caplog.records if r.name == "ecsemu.gateway")
    assert record.exc_info is not None and body["RequestId"] in record.getMessage()
    assert "Hunter2Hunter2!" not in record.getMessage()  # parameters are logged redacted
