"""The signature schemes against the worked values of the public docs (spec A4, A5)."""

import hashlib

import pytest

from ecsemu.wire import signing

DOC_PARAMS = {
    "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
    "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
}
REINIT_PARAMS = {
    "AccessKeyId": "testid", "Action": "ReInitDisk", "AutoStartInstance": "true", "DiskId": "d-123",
    "Format": "JSON", "RegionId": "cn-hangzhou", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "abc-123", "SignatureVersion": "1.0", "Timestamp": "2024-01-01T00:00:00Z",
    "Version": "2014-05-26",
}


@pytest.mark.parametrize("params, method, expected", [
    (DOC_PARAMS, "GET", "OLeaidS1JvxuMvnyHOwuJ+uX5qY="),
    (DOC_PARAMS, "POST", "MxbnVAM4w6sft9xjVpe/GCKueuk="),
    (REINIT_PARAMS, "GET", "EfhiuA1iMm32iTd7Uge/jJf11sU="),
    (REINIT_PARAMS, "POST", "cbZnTh1XmnB83pbxDYuMpnX8vsA="),
    ({**REINIT_PARAMS, "SignatureType": ""}, "POST", "eRg8Wi2RdBcdQtFvENMP2hwCqP0="),
])
def test_v1_worked_values(params, method, expected):
    assert signing.v1_signature("testsecret", signing.v1_string_to_sign(method, params)) == expected


def test_v1_string_to_sign_of_the_doc_example():
    assert signing.v1_string_to_sign("GET", DOC_PARAMS) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
        "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
        "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26")


def test_signature_parameter_is_not_signed():
    with_signature = {**DOC_PARAMS, "Signature": "anything"}
    assert signing.v1_string_to_sign("GET", with_signature) == signing.v1_string_to_sign("GET", DOC_PARAMS)


def test_percent_encoding():
    assert signing.percent_encode("a b*c~d/e+f=g&h:ä'()!") == "a%20b%2Ac~d%2Fe%2Bf%3Dg%26h%3A%C3%A4%27%28%29%21"


def test_v3_worked_value():
    empty = hashlib.sha256(b"").hexdigest()
    headers = {
        "accept": "application/json", "host": "ecs.cn-hangzhou.aliyuncs.com",
        "x-acs-action": "ReInitDisk", "x-acs-content-sha256": empty,
        "x-acs-date": "2024-01-01T00:00:00Z", "x-acs-signature-nonce": "nonce-1",
        "x-acs-version": "2014-05-26",
    }
    canonical = signing.v3_canonical_request(
        "POST", "/", [("DiskId", "d-123"), ("AutoStartInstance", "true")], headers, sorted(headers), empty)
    string_to_sign = signing.v3_string_to_sign(canonical)
    assert string_to_sign == ("ACS3-HMAC-SHA256\n"
                              "8f4ed44b93a6fab1638d936ea6437d3fc7c1c3b177e64cad5932e2b01549bc86")
    assert signing.v3_signature("testsecret", string_to_sign) == (
        "ba71763346a58231ac79856bfc4fba2224377f7fe662c42d08c302ed524e5e0e")
