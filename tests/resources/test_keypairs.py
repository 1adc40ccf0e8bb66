"""SSH key pairs through the official SDKs, on each store: create (a working private key),
import (every key type, real fingerprints), delete, describe, attach and detach."""

import base64
import hashlib
import json
import struct

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException
from aliyunsdkecs.request.v20140526.AttachKeyPairRequest import AttachKeyPairRequest
from aliyunsdkecs.request.v20140526.CreateKeyPairRequest import CreateKeyPairRequest
from aliyunsdkecs.request.v20140526.DeleteKeyPairsRequest import DeleteKeyPairsRequest
from aliyunsdkecs.request.v20140526.ImportKeyPairRequest import ImportKeyPairRequest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from sqlalchemy import insert

from ecsemu.accounts import DEVELOPMENT_KEY
from ecsemu.domain import keypairs as rules
from ecsemu.store.schema import key_pairs
from tests.conftest import OTHER_KEY
from tests.ecsclient import REGION, WINDOWS_IMAGE, control

OTHER_REGION = "cn-shanghai"


# --- helpers ---------------------------------------------------------------------------------


def md5_fingerprint(blob: bytes) -> str:
    digest = hashlib.md5(blob).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def openssh(public_key) -> str:
    return public_key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def blob_of(line: str) -> bytes:
    return base64.b64decode(line.split()[1])


def _ssh_string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _mpint(n: int) -> bytes:
    return _ssh_string(n.to_bytes(n.bit_length() // 8 + 1, "big"))


def dsa_line() -> str:
    """ssh-dss by hand: cryptography is dropping DSA from its OpenSSH encoder."""
    numbers = dsa.generate_private_key(1024).public_key().public_numbers()
    p = numbers.parameter_numbers
    blob = _ssh_string(b"ssh-dss") + b"".join(_mpint(n) for n in (p.p, p.q, p.g, numbers.y))
    return f"ssh-dss {base64.b64encode(blob).decode()} dsa@host"


def certificate_line(subject) -> str:
    ca = ed25519.Ed25519PrivateKey.generate()
    certificate = (serialization.SSHCertificateBuilder().public_key(subject.public_key()).serial(7)
                   .type(serialization.SSHCertificateType.USER).key_id(b"deploy")
                   .valid_principals([b"root"]).valid_after(0).valid_before(2**63).sign(ca))
    return certificate.public_bytes().decode()


def key_pairs_named(ecs, pattern: str, **params) -> dict:
    return ecs("DescribeKeyPairs", RegionId=REGION, KeyPairName=pattern, **params)


def names(body: dict) -> list[str]:
    return [k["KeyPairName"] for k in body["KeyPairs"]["KeyPair"]]


def imported(ecs, name: str, region: str = REGION) -> str:
    """Imports a fresh Ed25519 key (fast) under ``name``; returns its fingerprint."""
    line = openssh(ed25519.Ed25519PrivateKey.generate().public_key())
    return ecs("ImportKeyPair", RegionId=region, KeyPairName=name, PublicKeyBody=line)["KeyPairFingerPrint"]


# --- CreateKeyPair -----------------------------------------------------------------------------

def test_create_returns_a_private_key_that_matches_the_fingerprint(ecs):
    request = CreateKeyPairRequest()
    request.set_KeyPairName("created-1")
    body = ecs.send(request)
    assert body["KeyPairName"] == "created-1" and body["RequestId"]
    assert body["KeyPairId"].startswith("kp-")
    pem = body["PrivateKeyBody"]
    assert pem.startswith("-----BEGIN PRIVATE KEY-----\n")   # PKCS#8
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey) and private.key_size == 2048
    public_line = openssh(private.public_key())
    assert body["KeyPairFingerPrint"] == md5_fingerprint(blob_of(public_line))

    listed = key_pairs_named(ecs, "created-1", IncludePublicKey=True)["KeyPairs"]["KeyPair"]
    assert len(listed) == 1
    assert listed[0]["PublicKey"] == public_line
    assert listed[0]["KeyPairFingerPrint"] == body["KeyPairFingerPrint"]
    assert listed[0]["CreationTime"].endswith("Z") and listed[0]["ResourceGroupId"] == ""
    assert "PublicKey" not in key_pairs_named(ecs, "created-1")["KeyPairs"]["KeyPair"][0]


def test_create_through_the_v3_client_with_tags(ecs):
    client = ecs.tea()
    response = client.create_key_pair(ecs_models.CreateKeyPairRequest(
        region_id=REGION, key_pair_name="tagged-v3",
        tag=[ecs_models.CreateKeyPairRequestTag(key="team", value="blue")]))
    assert response.status_code == 200 and response.body.private_key_body.startswith("-----BEGIN")
    found = client.describe_key_pairs(ecs_models.DescribeKeyPairsRequest(
        region_id=REGION, tag=[ecs_models.DescribeKeyPairsRequestTag(key="team", value="blue")])).body
    assert [k.key_pair_name for k in found.key_pairs.key_pair] == ["tagged-v3"]
    assert found.key_pairs.key_pair[0].tags.tag[0].tag_key == "team"
    assert found.key_pairs.key_pair[0].key_pair_finger_print == response.body.key_pair_finger_print
    none = client.describe_key_pairs(ecs_models.DescribeKeyPairsRequest(
        region_id=REGION, tag=[ecs_models.DescribeKeyPairsRequestTag(key="team", value="red")])).body
    assert none.total_count == 0 and none.key_pairs.key_pair == []


# --- ImportKeyPair -----------------------------------------------------------------------------

def _rsa():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEYS = {
    "rsa": lambda: openssh(_rsa().public_key()) + " me@laptop",
    "ecdsa-p256": lambda: openssh(ec.generate_private_key(ec.SECP256R1()).public_key()),
    "ecdsa-p384": lambda: openssh(ec.generate_private_key(ec.SECP384R1()).public_key()),
    "ecdsa-p521": lambda: openssh(ec.generate_private_key(ec.SECP521R1()).public_key()),
    "ed25519": lambda: openssh(ed25519.Ed25519PrivateKey.generate().public_key()) + " ci",
    "dsa": dsa_line,
}


@pytest.mark.parametrize("kind", list(KEYS))
def test_import_each_key_type_with_its_real_fingerprint(ecs, kind):
    line = KEYS[kind]()
    request = ImportKeyPairRequest()
    request.set_KeyPairName(f"imported-{kind}")
    request.set_PublicKeyBody(line + "\n")
    body = ecs.send(request)
    assert body["KeyPairName"] == f"imported-{kind}"
    assert body["KeyPairFingerPrint"] == md5_fingerprint(blob_of(line))
    assert "PrivateKeyBody" not in body
    listed = key_pairs_named(ecs, f"imported-{kind}", IncludePublicKey=True)["KeyPairs"]["KeyPair"][0]
    assert listed["PublicKey"] == line


def test_import_a_certificate_fingerprints_its_key(ecs):
    subject = ec.generate_private_key(ec.SECP256R1())
    line = certificate_line(subject)
    assert line.startswith("ecdsa-sha2-nistp256-cert-v01@openssh.com ")
    body = ecs.tea().import_key_pair(ecs_models.ImportKeyPairRequest(
        region_id=REGION, key_pair_name="imported-cert", public_key_body=line)).body
    assert body.key_pair_finger_print == md5_fingerprint(blob_of(openssh(subject.public_key())))


def test_import_rfc4716(ecs):
    key = _rsa().public_key()
    data = base64.b64encode(blob_of(openssh(key))).decode()
    text = "\n".join(["---- BEGIN SSH2 PUBLIC KEY ----", 'Comment: "2048-bit RSA, \\', 'converted"',
                      *[data[i:i + 70] for i in range(0, len(data), 70)], "---- END SSH2 PUBLIC KEY ----"])
    body = ecs("ImportKeyPair", RegionId=REGION, KeyPairName="imported-rfc4716", PublicKeyBody=text)
    assert body["KeyPairFingerPrint"] == md5_fingerprint(blob_of(openssh(key)))
    listed = key_pairs_named(ecs, "imported-rfc4716", IncludePublicKey=True)["KeyPairs"]["KeyPair"][0]
    assert listed["PublicKey"] == openssh(key) + " 2048-bit RSA, converted"


def _bad_bodies():
    good = openssh(ed25519.Ed25519PrivateKey.generate().public_key())
    rsa_line = openssh(_rsa().public_key())
    pem = _rsa().public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return {
        "garbage": "not a key at all",
        "type only": "ssh-rsa",
        "not base64": "ssh-ed25519 !!!notbase64!!!",
        "truncated": rsa_line[:60],
        "label of another type": "ssh-rsa " + good.split()[1],
        "unsupported type": "ssh-foo " + base64.b64encode(_ssh_string(b"ssh-foo")).decode(),
        "two keys": good + "\n" + rsa_line,
        "PEM public key": pem,
        "trailing bytes": "ssh-ed25519 " + base64.b64encode(blob_of(good) + b"\0").decode(),
        "point off the curve": "ecdsa-sha2-nistp256 " + base64.b64encode(
            _ssh_string(b"ecdsa-sha2-nistp256") + _ssh_string(b"nistp256")
            + _ssh_string(b"\x04" + b"\x01" * 64)).decode(),
    }


BAD_BODIES = _bad_bodies()


@pytest.mark.parametrize("case", list(BAD_BODIES))
def test_import_refuses_a_bad_public_key(ecs, case):
    assert ecs.error("ImportKeyPair", RegionId=REGION, KeyPairName="bad-key",
                     PublicKeyBody=BAD_BODIES[case]) == ("InvalidPublicKeyBody.Malformed", 400)


def test_import_refusal_through_the_v3_client(ecs):
    with pytest.raises(ClientException) as raised:
        ecs.tea().import_key_pair(ecs_models.ImportKeyPairRequest(
            region_id=REGION, key_pair_name="bad-v3", public_key_body="ssh-rsa AAAA"))
    assert raised.value.code == "InvalidPublicKeyBody.Malformed" and raised.value.status_code == 400


# --- names, duplicates, quota ------------------------------------------------------------------

def test_duplicate_names_are_refused_per_region(ecs):
    imported(ecs, "dup-name")
    assert ecs.error("CreateKeyPair", RegionId=REGION, KeyPairName="dup-name") == ("KeyPair.AlreadyExist", 400)
    line = openssh(ed25519.Ed25519PrivateKey.generate().public_key())
    assert ecs.error("ImportKeyPair", RegionId=REGION, KeyPairName="dup-name",
                     PublicKeyBody=line) == ("KeyPair.AlreadyExist", 400)
    imported(ecs, "dup-name", region=OTHER_REGION)     # another region is another namespace
    assert ecs("DescribeKeyPairs", RegionId=OTHER_REGION, KeyPairName="dup-name")["TotalCount"] == 1


@pytest.mark.parametrize("name", ["a", "1abc", "-abc", "_abc", "x" * 129, "http://abc", "https://abc",
                                  "ab cd", "ab*c", "ab/c", "ab@c"])
def test_bad_names(ecs, name):
    assert ecs.error("CreateKeyPair", RegionId=REGION, KeyPairName=name) == ("InvalidKeyPairName.Malformed", 400)


def test_names_that_are_fine(ecs):
    for name in ("a1", "Ab:c_d-e.f", "密钥-1", "n" * 128):
        imported(ecs, name)
        assert names(key_pairs_named(ecs, name)) == [name]


def test_missing_and_invalid_parameters(ecs):
    assert ecs.error("CreateKeyPair", RegionId=REGION) == ("MissingParameter", 400)
    with pytest.raises(ClientException) as raised:     # the old SDK adds its own RegionId; V3 does not
        ecs.tea().create_key_pair(ecs_models.CreateKeyPairRequest(key_pair_name="no-region"))
    assert (raised.value.code, raised.value.status_code) == ("MissingParameter", 400)
    assert '"RegionId"' in raised.value.message
    assert ecs.error("CreateKeyPair", RegionId="mars-1", KeyPairName="k1") == ("InvalidRegionId.NotFound", 404)
    assert ecs.error("ImportKeyPair", RegionId=REGION, KeyPairName="k2") == ("MissingParameter", 400)
    assert ecs.error("CreateKeyPair", RegionId=REGION, KeyPairName="k3",
                     **{"Tag.1.Key": "aliyun-x", "Tag.1.Value": "v"}) == ("InvalidTagKey.Malformed", 400)
    assert ecs.error("CreateKeyPair", RegionId=REGION, KeyPairName="k3",
                     **{"Tag.1.Key": "a", "Tag.2.Key": "a"}) == ("Duplicate.TagKey", 400)
    assert [names(key_pairs_named(ecs, name)) for name in ("k1", "k2", "k3")] == [[], [], []]


def test_five_hundred_a_region_at_most(ecs):
    # The first 500 go straight into the store: 500 signed requests would only slow this down.
    region, emulator = "cn-beijing", ecs.server.emulator
    with emulator.unit_of_work() as conn:
        conn.execute(insert(key_pairs), [
            {"account_id": DEVELOPMENT_KEY.account_id, "region_id": region, "name": f"quota-{n:03}",
             "fingerprint": "00:" * 15 + "00", "public_key": "ssh-ed25519 AAAA", "created_at": 1.0 + n}
            for n in range(rules.QUOTA_PER_REGION)])
    assert ecs("DescribeKeyPairs", RegionId=region)["TotalCount"] == 500
    assert ecs.error("CreateKeyPair", RegionId=region, KeyPairName="one-more") == ("QuotaExceed.KeyPair", 403)
    line = openssh(ed25519.Ed25519PrivateKey.generate().public_key())
    assert ecs.error("ImportKeyPair", RegionId=region, KeyPairName="one-more",
                     PublicKeyBody=line) == ("QuotaExceed.KeyPair", 403)
    ecs("DeleteKeyPairs", RegionId=region, KeyPairNames=["quota-000"])
    imported(ecs, "one-more", region=region)


# --- DescribeKeyPairs and DeleteKeyPairs -----------------------------------------------------------

def test_describe_wildcards_fingerprint_and_paging(ecs):
    prints = {name: imported(ecs, name) for name in ("sshAlpha", "sshBeta", "sshGamma", "oldssh", "SSHUPPER")}
    assert names(key_pairs_named(ecs, "ssh*")) == ["sshAlpha", "sshBeta", "sshGamma"]
    assert names(key_pairs_named(ecs, "*ssh")) == ["oldssh"]
    assert names(key_pairs_named(ecs, "*Bet*")) == ["sshBeta"]
    assert names(key_pairs_named(ecs, "*ssh*")) == ["sshAlpha", "sshBeta", "sshGamma", "oldssh"]
    assert names(key_pairs_named(ecs, "sshBeta")) == ["sshBeta"]
    assert names(key_pairs_named(ecs, "ssh")) == []             # plain value: exact match only
    assert names(key_pairs_named(ecs, "sshbeta")) == []         # case counts
    by_print = ecs("DescribeKeyPairs", RegionId=REGION, KeyPairFingerPrint=prints["sshGamma"])
    assert names(by_print) == ["sshGamma"]

    first = key_pairs_named(ecs, "ssh*", PageSize=2)
    second = key_pairs_named(ecs, "ssh*", PageSize=2, PageNumber=2)
    assert (first["TotalCount"], first["PageNumber"], first["PageSize"]) == (3, 1, 2)
    assert names(first) + names(second) == ["sshAlpha", "sshBeta", "sshGamma"]
    assert names(key_pairs_named(ecs, "ssh*", PageSize=2, PageNumber=3)) == []
    assert ecs.error("DescribeKeyPairs", RegionId=REGION, PageSize=51) == ("InvalidParameter", 400)
    assert ecs.error("DescribeKeyPairs", RegionId=REGION, PageNumber=0) == ("InvalidParameter", 400)
    everything = ecs("DescribeKeyPairs", RegionId=REGION, PageSize=50)
    assert len(everything["KeyPairs"]["KeyPair"]) == min(everything["TotalCount"], 50) >= 5


def test_delete_key_pairs(ecs):
    for name in ("del-1", "del-2", "del-3"):
        imported(ecs, name)
    request = DeleteKeyPairsRequest()
    request.set_KeyPairNames(json.dumps(["del-1", "del-3", "never-made"]))   # unknown names pass
    assert ecs.send(request)["RequestId"]
    assert names(key_pairs_named(ecs, "del-*")) == ["del-2"]
    ecs.tea().delete_key_pairs(ecs_models.DeleteKeyPairsRequest(region_id=REGION, key_pair_names='["del-2"]'))
    assert names(key_pairs_named(ecs, "del-*")) == []
    imported(ecs, "del-1")                                  # the name is free again


@pytest.mark.parametrize("value, expected", [
    (None, ("MissingParameter", 400)),
    ("[]", ("InvalidKeyPairNames.ValueNotSupported", 400)),
    ("del-1", ("InvalidKeyPairNames.ValueNotSupported", 400)),
    ('{"a": 1}', ("InvalidKeyPairNames.ValueNotSupported", 400)),
    (json.dumps([f"k{n}" for n in range(101)]), ("InvalidKeyPairNames.ValueNotSupported", 400)),
])
def test_delete_refuses(ecs, value, expected):
    assert ecs.error("DeleteKeyPairs", RegionId=REGION, KeyPairNames=value) == expected


# --- AttachKeyPair / DetachKeyPair ---------------------------------------------------------------

def key_of(ecs, instance_id: str) -> str:
    return ecs.instance(instance_id)["KeyPairName"]


def test_attach_replace_and_detach(ecs):
    imported(ecs, "bind-a")
    imported(ecs, "bind-b")
    group = ecs.security_group()
    running, stopped = ecs.run_instance(SecurityGroupId=group), ecs.run_instance(SecurityGroupId=group)
    ecs("StopInstance", InstanceId=stopped)

    request = AttachKeyPairRequest()
    request.set_KeyPairName("bind-a")
    request.set_InstanceIds(json.dumps([running, stopped, running]))    # a repeat counts once
    body = ecs.send(request)
    assert (body["KeyPairName"], body["TotalCount"], body["FailCount"]) == ("bind-a", "2", "0")
    assert body["Results"]["Result"] == [
        {"InstanceId": running, "Success": "true", "Code": "200", "Message": "successful"},
        {"InstanceId": stopped, "Success": "true", "Code": "200", "Message": "successful"}]
    assert (key_of(ecs, running), key_of(ecs, stopped)) == ("bind-a", "bind-a")
    holding = ecs("DescribeInstances", RegionId=REGION, KeyPairName="bind-a")["Instances"]["Instance"]
    assert sorted(i["InstanceId"] for i in holding) == sorted([running, stopped])

    client = ecs.tea()
    replaced = client.attach_key_pair(ecs_models.AttachKeyPairRequest(
        region_id=REGION, key_pair_name="bind-b", instance_ids=json.dumps([stopped]))).body
    assert (replaced.total_count, replaced.fail_count) == ("1", "0")
    assert replaced.results.result[0].success == "true"
    assert (key_of(ecs, running), key_of(ecs, stopped)) == ("bind-a", "bind-b")

    # Detaching a pair an instance does not hold leaves it as it is.
    detached = client.detach_key_pair(ecs_models.DetachKeyPairRequest(
        region_id=REGION, key_pair_name="bind-a", instance_ids=json.dumps([running, stopped]))).body
    assert (detached.key_pair_name, detached.total_count, detached.fail_count) == ("bind-a", "2", "0")
    assert (key_of(ecs, running), key_of(ecs, stopped)) == ("", "bind-b")
    ecs("DetachKeyPair", RegionId=REGION, KeyPairName="bind-b", InstanceIds=[stopped])
    assert key_of(ecs, stopped) == ""


def test_windows_instances_take_no_key_pair(ecs):
    imported(ecs, "win-key")
    group = ecs.security_group()
    linux = ecs.run_instance(SecurityGroupId=group)
    windows = ecs.run_instance(SecurityGroupId=group, ImageId=WINDOWS_IMAGE)
    for action in ("AttachKeyPair", "DetachKeyPair"):
        assert ecs.error(action, RegionId=REGION, KeyPairName="win-key", InstanceIds=[linux, windows]) \
            == ("DependencyViolation.WindowsInstance", 403)
    assert key_of(ecs, linux) == ""                     # the whole call was refused
    with pytest.raises(ClientException) as raised:
        ecs.tea().attach_key_pair(ecs_models.AttachKeyPairRequest(
            region_id=REGION, key_pair_name="win-key", instance_ids=json.dumps([windows])))
    assert raised.value.code == "DependencyViolation.WindowsInstance" and raised.value.status_code == 403


def test_attach_and_detach_refuse(ecs):
    imported(ecs, "refusing")
    instance = ecs.run_instance()
    cases = [
        ({"KeyPairName": "no-such-pair", "InstanceIds": [instance]}, ("InvalidKeyPairName.NotFound", 404)),
        ({"KeyPairName": "refusing", "InstanceIds": ["i-bpdoesnotexist000000"]},
         ("InvalidInstanceIds.ValueNotSupported", 400)),
        ({"KeyPairName": "refusing", "InstanceIds": "[]"}, ("InvalidInstanceIds.ValueNotSupported", 400)),
        ({"KeyPairName": "refusing", "InstanceIds": instance}, ("InvalidInstanceIds.ValueNotSupported", 400)),
        ({"KeyPairName": "refusing", "InstanceIds": [instance] * 51}, ("InvalidInstanceIds.ValueNotSupported", 400)),
        ({"KeyPairName": "refusing"}, ("MissingParameter", 400)),
        ({"InstanceIds": [instance]}, ("MissingParameter", 400)),
    ]
    for action in ("AttachKeyPair", "DetachKeyPair"):
        for params, expected in cases:
            assert ecs.error(action, RegionId=REGION, **params) == expected, (action, params)
    # An instance of another region is not one of this region's.
    imported(ecs, "refusing", region=OTHER_REGION)
    assert ecs.error("AttachKeyPair", RegionId=OTHER_REGION, KeyPairName="refusing",
                     InstanceIds=[instance]) == ("InvalidInstanceIds.ValueNotSupported", 400)


def test_a_locked_instance_fails_alone_in_results(ecs):
    imported(ecs, "lock-key")
    group = ecs.security_group()
    locked, free = ecs.run_instance(SecurityGroupId=group), ecs.run_instance(SecurityGroupId=group)
    control(ecs.server, "POST", f"/instances/{locked}/locks", {"LockReason": "security"})
    body = ecs("AttachKeyPair", RegionId=REGION, KeyPairName="lock-key", InstanceIds=[locked, free])
    assert (body["TotalCount"], body["FailCount"]) == ("2", "1")
    failed, done = body["Results"]["Result"]
    assert (failed["InstanceId"], failed["Success"], failed["Code"]) == (locked, "false", "InstanceLockedForSecurity")
    assert failed["Message"] == "The specified operation is denied as your instance is locked for security reasons."
    assert (done["InstanceId"], done["Success"]) == (free, "true")
    assert (key_of(ecs, locked), key_of(ecs, free)) == ("", "lock-key")


def test_an_instance_in_transition_fails_alone_in_results(manual):
    imported(manual, "pending-key")
    instance = manual.run_instance()
    assert manual.instance(instance)["Status"] == "Pending"
    body = manual("AttachKeyPair", RegionId=REGION, KeyPairName="pending-key", InstanceIds=[instance])
    assert (body["TotalCount"], body["FailCount"]) == ("1", "1")
    assert body["Results"]["Result"][0]["Code"] == "IncorrectInstanceStatus"
    assert body["Results"]["Result"][0]["Success"] == "false"
    assert manual.instance(instance)["KeyPairName"] == ""
    control(manual.server, "POST", "/clock/advance", {"seconds": 3})
    assert manual.instance(instance)["Status"] == "Running"
    body = manual("AttachKeyPair", RegionId=REGION, KeyPairName="pending-key", InstanceIds=[instance])
    assert body["FailCount"] == "0" and manual.instance(instance)["KeyPairName"] == "pending-key"


def test_deleting_a_key_pair_leaves_it_on_its_instances(ecs):
    imported(ecs, "gone-key")
    instance = ecs.run_instance(KeyPairName="gone-key")       # RunInstances takes the pair too
    assert key_of(ecs, instance) == "gone-key"
    ecs("DeleteKeyPairs", RegionId=REGION, KeyPairNames=["gone-key"])
    assert names(key_pairs_named(ecs, "gone-key")) == []
    assert key_of(ecs, instance) == "gone-key"
    assert ecs.error("AttachKeyPair", RegionId=REGION, KeyPairName="gone-key",
                     InstanceIds=[instance]) == ("InvalidKeyPairName.NotFound", 404)
    # It can still be detached from an instance that holds it; after that it is unknown.
    body = ecs("DetachKeyPair", RegionId=REGION, KeyPairName="gone-key", InstanceIds=[instance])
    assert body["FailCount"] == "0" and key_of(ecs, instance) == ""
    assert ecs.error("DetachKeyPair", RegionId=REGION, KeyPairName="gone-key",
                     InstanceIds=[instance]) == ("InvalidKeyPairName.NotFound", 404)


# --- accounts ----------------------------------------------------------------------------------

def test_another_account_sees_and_touches_nothing(ecs, other):
    imported(ecs, "mine-only")
    instance = ecs.run_instance()
    ecs("AttachKeyPair", RegionId=REGION, KeyPairName="mine-only", InstanceIds=[instance])

    assert other("DescribeKeyPairs", RegionId=REGION, PageSize=50)["TotalCount"] == 0
    other("DeleteKeyPairs", RegionId=REGION, KeyPairNames=["mine-only"])       # not theirs: passed over
    assert names(key_pairs_named(ecs, "mine-only")) == ["mine-only"]
    imported(other, "mine-only")                                               # their own namespace
    assert other.error("AttachKeyPair", RegionId=REGION, KeyPairName="mine-only",
                       InstanceIds=[instance]) == ("InvalidInstanceIds.ValueNotSupported", 400)
    assert other.error("DetachKeyPair", RegionId=REGION, KeyPairName="mine-only",
                       InstanceIds=[instance]) == ("InvalidInstanceIds.ValueNotSupported", 400)
    assert key_of(ecs, instance) == "mine-only"
    assert other.server is ecs.server and OTHER_KEY.account_id != DEVELOPMENT_KEY.account_id


# --- the pure rules ------------------------------------------------------------------------------

def test_rules_fingerprint_and_generate():
    assert rules.fingerprint(b"") == "d4:1d:8c:d9:8f:00:b2:04:e9:80:09:98:ec:f8:42:7e"   # MD5 of nothing
    made = rules.generate()
    private = serialization.load_pem_private_key(made.private_key_pem.encode(), password=None)
    assert made.public_key.openssh == openssh(private.public_key())
    assert rules.parse_public_key(made.public_key.openssh).fingerprint == made.public_key.fingerprint


def test_rules_names():
    assert rules.valid_name("ab") and rules.valid_name("Ü-1") and not rules.valid_name("a")
    assert not rules.valid_name("http://x") and not rules.valid_name("a b")
