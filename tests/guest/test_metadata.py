"""The instance metadata service through the host route /_ecsemu/metadata/<InstanceId>/…:
every item against what the API says of the instance, the token API and hardened mode,
and answers that follow the instance's changes (ReInitDisk's key pair, new user data)."""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import json

import pytest
from alibabacloud_ecs20140526 import models as tea

from ecsemu.config import Config
from ecsemu.guest.metadata import respond
from ecsemu.testing import EmulatorServer
from tests.ecsclient import REGION, Ecs, advance, flat
from tests.guest.metadata_client import TOKEN, TTL, ask, is_error_page, item, status_of, token

PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHvJ5lC3fmcmSmcGRKptZ2bCEfgoKZ3jw1XDNFBzpXEy")
VPC_API = "2016-04-28"


def _key_pair(ecs, name: str) -> str:
    """A key pair made by CreateKeyPair; its public key, as DescribeKeyPairs gives it."""
    ecs("CreateKeyPair", RegionId=REGION, KeyPairName=name)
    pairs = ecs("DescribeKeyPairs", RegionId=REGION, KeyPairName=name, IncludePublicKey=True)
    return pairs["KeyPairs"]["KeyPair"][0]["PublicKey"]


def _block(ecs, kind: str, resource_id: str) -> str:
    """The CIDR block of a ``Vpc`` or ``VSwitch``, as the VPC product lists it."""
    plural = "VSwitches" if kind == "VSwitch" else f"{kind}s"
    found = ecs(f"Describe{plural}", api_version=VPC_API, RegionId=REGION, **{f"{kind}Id": resource_id})
    return found[plural][kind][0]["CidrBlock"]


@pytest.fixture(scope="module")
def full(ecs):
    """A running instance with everything the metadata can show: a key pair, user data, a
    public IP, a named data disk, a secondary ENI and secondary private IPs."""
    public_key = _key_pair(ecs, "meta-full")
    user_data = base64.b64encode(b"#!/bin/sh\necho hi\n").decode()
    instance_id = ecs.run_instance(KeyPairName="meta-full", UserData=user_data,
                                   InternetMaxBandwidthOut=5, HostName="meta-host", InstanceName="meta-name",
                                   **flat("DataDisk", [{"Size": 20, "DiskName": "logs"}]))
    instance = ecs.instance(instance_id)
    eni_id = ecs("CreateNetworkInterface", RegionId=REGION, VSwitchId=instance["VpcAttributes"]["VSwitchId"],
                 SecurityGroupId=instance["SecurityGroupIds"]["SecurityGroupId"][0])["NetworkInterfaceId"]
    ecs("AttachNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id, InstanceId=instance_id)
    primary = next(e for e in instance["NetworkInterfaces"]["NetworkInterface"] if e["Type"] == "Primary")
    ecs("AssignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=primary["NetworkInterfaceId"],
        SecondaryPrivateIpAddressCount=2)
    return instance_id, public_key


def test_every_item_is_what_the_api_says(ecs, full):
    instance_id, public_key = full
    server, instance = ecs.server, ecs.instance(instance_id)
    vpc_id, vswitch_id = instance["VpcAttributes"]["VpcId"], instance["VpcAttributes"]["VSwitchId"]
    vpc_cidr, vswitch_cidr = _block(ecs, "Vpc", vpc_id), _block(ecs, "VSwitch", vswitch_id)
    public_ip = instance["PublicIpAddress"]["IpAddress"][0]
    private_ip = instance["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]
    enis = instance["NetworkInterfaces"]["NetworkInterface"]
    primary = next(e for e in enis if e["Type"] == "Primary")
    expected = {
        "instance-id": instance_id, "region-id": REGION, "zone-id": instance["ZoneId"],
        "hostname": "meta-host", "image-id": instance["ImageId"],
        "instance/instance-type": instance["InstanceType"], "instance/instance-name": "meta-name",
        "instance/virtualization-solution": "ECS Virt",
        "owner-account-id": ecs.key.account_id, "serial-number": instance["SerialNumber"],
        "mac": primary["MacAddress"], "private-ipv4": private_ip, "eipv4": public_ip, "public-ipv4": public_ip,
        "vpc-id": vpc_id, "vswitch-id": vswitch_id, "vpc-cidr-block": vpc_cidr, "vswitch-cidr-block": vswitch_cidr,
        "network-type": "vpc", "source-address": "http://mirrors.cloud.aliyuncs.com",
        "public-keys/": "0/", "public-keys/0/": "openssh-key", "public-keys/0/openssh-key": public_key,
    }
    for path, value in expected.items():
        assert item(server, instance_id, path) == value, path

    # Every ENI under its MAC, with its private IPs as DescribeNetworkInterfaces lists them.
    addresses = {e["NetworkInterfaceId"]: [ip["PrivateIpAddress"] for ip in e["PrivateIpSets"]["PrivateIpSet"]]
                 for e in ecs("DescribeNetworkInterfaces", RegionId=REGION, InstanceId=instance_id)[
                     "NetworkInterfaceSets"]["NetworkInterfaceSet"]}
    assert item(server, instance_id, "sub-private-ipv4-list").split("\n") == \
        addresses[primary["NetworkInterfaceId"]][1:]
    assert len(addresses[primary["NetworkInterfaceId"]]) == 3
    assert item(server, instance_id, "network/interfaces/macs/").split("\n") == \
        sorted(e["MacAddress"] + "/" for e in enis)
    block = ipaddress.IPv4Network(vswitch_cidr)
    for eni in enis:
        base = f"network/interfaces/macs/{eni['MacAddress']}/"
        assert item(server, instance_id, base).split("\n") == [
            "gateway", "netmask", "network-interface-id", "primary-ip-address", "private-ipv4s", "vpc-cidr-block",
            "vpc-id", "vswitch-cidr-block", "vswitch-id"]
        assert {name: item(server, instance_id, base + name) for name in (
            "network-interface-id", "primary-ip-address", "vpc-id", "vswitch-id", "vpc-cidr-block",
            "vswitch-cidr-block", "netmask", "gateway", "private-ipv4s")} == {
            "network-interface-id": eni["NetworkInterfaceId"], "primary-ip-address": eni["PrimaryIpAddress"],
            "vpc-id": vpc_id, "vswitch-id": vswitch_id, "vpc-cidr-block": vpc_cidr,
            "vswitch-cidr-block": vswitch_cidr, "netmask": str(block.netmask),
            "gateway": str(block.network_address + block.num_addresses - 3),
            "private-ipv4s": json.dumps(addresses[eni["NetworkInterfaceId"]])}

    # Every disk under its serial number, as DescribeDisks gives it.
    disks = ecs.disks_of(instance_id)
    assert item(server, instance_id, "disks/").split("\n") == sorted(d["SerialNumber"] + "/" for d in disks)
    for disk in disks:
        assert item(server, instance_id, f"disks/{disk['SerialNumber']}/id") == disk["DiskId"]
        assert item(server, instance_id, f"disks/{disk['SerialNumber']}/name") == disk["DiskName"]
    assert "logs" in {d["DiskName"] for d in disks}

    assert item(server, instance_id, "/latest/user-data") == "#!/bin/sh\necho hi\n"
    assert json.loads(item(server, instance_id, "/latest/dynamic/instance-identity/document")) == {
        "zone-id": instance["ZoneId"], "serial-number": instance["SerialNumber"], "instance-id": instance_id,
        "region-id": REGION, "private-ipv4": private_ip, "owner-account-id": ecs.key.account_id,
        "mac": primary["MacAddress"], "image-id": instance["ImageId"], "instance-type": instance["InstanceType"]}


def test_directories_list_their_items(ecs, full):
    instance_id, _ = full
    server = ecs.server
    assert item(server, instance_id, "/") == "2016-01-01\nlatest"
    assert item(server, instance_id, "/latest/") == "dynamic/\nmeta-data/\nuser-data"
    assert item(server, instance_id, "/latest") == item(server, instance_id, "/latest/")
    listing = item(server, instance_id, "").split("\n")
    assert listing == sorted(listing)
    for name in ("disks/", "dns-conf/", "eipv4", "hostname", "image-id", "instance/", "instance-id", "mac",
                 "network/", "owner-account-id", "private-ipv4", "public-ipv4", "public-keys/", "region-id",
                 "serial-number", "source-address", "vpc-id", "vswitch-id", "zone-id"):
        assert name in listing, name
    assert item(server, instance_id, "instance/").split("\n") == [
        "instance-name", "instance-type", "virtualization-solution", "virtualization-solution-version"]
    # the dated version cloud-init asks for holds the same
    assert item(server, instance_id, "/2016-01-01/meta-data/instance-id") == instance_id


def test_what_an_instance_lacks_is_not_there(ecs):
    instance_id = ecs.run_instance()
    server = ecs.server
    listing = item(server, instance_id, "").split("\n")
    for missing in ("eipv4", "public-ipv4", "public-keys/"):
        assert missing not in listing
        status, headers, body = ask(server, instance_id, f"/latest/meta-data/{missing}")
        assert status == 404 and is_error_page(body, 404) and headers["content-type"].startswith("text/html")
    assert item(server, instance_id, "/latest/") == "dynamic/\nmeta-data/"
    assert status_of(server, instance_id, "/latest/user-data") == 404


def test_unknown_paths_and_instances(ecs, full):
    instance_id, _ = full
    server = ecs.server
    for path in ("/latest/meta-data/nothing", "/latest/meta-data/instance-id/more", "/2009-04-04/meta-data/",
                 "/latest/meta-data/network/interfaces/macs/00:00:00:00:00:00/vpc-id"):
        status, _, body = ask(server, instance_id, path)
        assert status == 404 and is_error_page(body, 404), path
    for unknown in ("i-bpnothinghere000000", "i-%00", "i-" + "a" * 300, "%FF%FE", "i-%E2%80%AE"):
        status, headers, body = ask(server, unknown, "/latest/meta-data/instance-id")
        assert status == 404 and headers["content-type"] == "application/json", unknown
        assert json.loads(body)["Code"] == "InvalidInstanceId.NotFound"
    # methods: GET and HEAD read, PUT only asks for a token
    assert status_of(server, instance_id, "/latest/meta-data/instance-id", "PUT") == 405
    assert status_of(server, instance_id, "/latest/api/token", "GET") == 405
    assert status_of(server, instance_id, "/latest/meta-data/instance-id", "DELETE") == 405
    status, _, body = ask(server, instance_id, "/latest/meta-data/instance-id", "HEAD")
    assert (status, body) == (200, b"")


def test_a_deleted_instance_has_no_metadata(ecs):
    instance_id = ecs.run_instance()
    assert item(ecs.server, instance_id, "instance-id") == instance_id
    ecs("DeleteInstance", InstanceId=instance_id, Force=True)
    assert status_of(ecs.server, instance_id, "/latest/meta-data/instance-id") == 404


# --- tokens and hardened mode ------------------------------------------------------------------

def test_the_token_api(ecs, full):
    instance_id, _ = full
    server = ecs.server
    path = "/latest/api/token"
    assert status_of(server, instance_id, path, "PUT") == 400
    for ttl in ("0", "21601", "-5", "1.5", "abc", "", "9" * 40):
        status, _, body = ask(server, instance_id, path, "PUT", {TTL: ttl})
        assert status == 400 and is_error_page(body, 400) and b"Missing or Invalid Parameters" in body, ttl
    status, _, body = ask(server, instance_id, path, "PUT", {TTL: "60", "X-Forwarded-For": "203.0.113.7"})
    assert status == 403 and is_error_page(body, 403)
    for ttl in (1, 21600):
        assert token(server, instance_id, ttl)
    # a good token reads; a token refused is 401 even where tokens are optional
    good = token(server, instance_id)
    assert item(server, instance_id, "instance-id", token=good) == instance_id
    other = ecs.run_instance()
    for bad in ("aaa", good[:-2], token(server, other), "x" * 5000):
        status, _, body = ask(server, instance_id, "/latest/meta-data/instance-id", headers={TOKEN: bad})
        assert status == 401 and is_error_page(body, 401), bad[:20]


def test_hardened_mode_and_a_disabled_endpoint(ecs):
    instance_id = ecs.run_instance(HttpTokens="required")
    server = ecs.server
    assert ecs.instance(instance_id)["MetadataOptions"] == {
        "HttpEndpoint": "enabled", "HttpTokens": "required", "HttpPutResponseHopLimit": 1}
    assert status_of(server, instance_id, "/latest/meta-data/instance-id") == 401
    assert status_of(server, instance_id, "/latest/user-data") == 401
    assert item(server, instance_id, "instance-id", token=token(server, instance_id)) == instance_id
    listed = ecs("DescribeInstances", RegionId=REGION, InstanceIds=[instance_id], HttpTokens="required")
    assert [i["InstanceId"] for i in listed["Instances"]["Instance"]] == [instance_id]

    # ModifyInstanceMetadataOptions, with the tea SDK as Terraform sends it
    client = ecs.tea()
    client.modify_instance_metadata_options(tea.ModifyInstanceMetadataOptionsRequest(
        region_id=REGION, instance_id=instance_id, http_endpoint="enabled", http_tokens="optional"))
    assert item(server, instance_id, "instance-id") == instance_id
    client.modify_instance_metadata_options(tea.ModifyInstanceMetadataOptionsRequest(
        region_id=REGION, instance_id=instance_id, http_endpoint="disabled"))
    assert ecs.instance(instance_id)["MetadataOptions"] == {
        "HttpEndpoint": "disabled", "HttpTokens": "optional", "HttpPutResponseHopLimit": 1}
    for path, method in (("/latest/meta-data/instance-id", "GET"), ("/latest/api/token", "PUT")):
        status, _, body = ask(server, instance_id, path, method, {TTL: "60"})
        assert status == 403 and is_error_page(body, 403), path
    listed = ecs("DescribeInstances", RegionId=REGION, InstanceIds=[instance_id], HttpEndpoint="enabled")
    assert listed["Instances"]["Instance"] == []


def test_metadata_options_refused(ecs):
    for params, code in (({"HttpTokens": "always"}, "InvalidHttpTokens.NotSupported"),
                         ({"HttpEndpoint": "off"}, "InvalidHttpEndpoint.NotSupported"),
                         ({"HttpPutResponseHopLimit": 65}, "InvalidHttpPutResponseHopLimit.NotSupported"),
                         ({"HttpPutResponseHopLimit": 0}, "InvalidHttpPutResponseHopLimit.NotSupported")):
        for action in ("RunInstances", "CreateInstance"):
            assert ecs.error(action, RegionId=REGION, ImageId="ubuntu_22_04_x64_20G_alibase_20240926.vhd",
                             InstanceType="ecs.g7.large", VSwitchId=ecs.vswitch(), **params) == (code, 400)
    instance_id = ecs.run_instance(HttpPutResponseHopLimit=3)
    before = ecs.instance(instance_id)["MetadataOptions"]
    assert before["HttpPutResponseHopLimit"] == 3
    assert ecs.error("ModifyInstanceMetadataOptions", RegionId=REGION, InstanceId=instance_id,
                     HttpTokens="always") == ("InvalidHttpTokens.NotSupported", 400)
    assert ecs.error("ModifyInstanceMetadataOptions", RegionId=REGION, InstanceId="i-bpnothinghere000000",
                     HttpTokens="required") == ("InvalidInstanceId.NotFound", 404)
    assert ecs.error("ModifyInstanceMetadataOptions", RegionId=REGION, HttpTokens="required") == \
        ("MissingParameter", 400)
    assert ecs.instance(instance_id)["MetadataOptions"] == before


def test_a_token_expires_by_the_emulators_clock(manual):
    instance_id = manual.run_instance(HttpTokens="required")
    server = manual.server
    short = token(server, instance_id, ttl=60)
    assert item(server, instance_id, "instance-id", token=short) == instance_id
    advance(manual, 59)
    assert item(server, instance_id, "instance-id", token=short) == instance_id
    advance(manual, 2)
    assert status_of(server, instance_id, "/latest/meta-data/instance-id", **{TOKEN: short}) == 401


# --- it follows the instance -------------------------------------------------------------------

def test_reinitdisk_with_a_new_key_pair_changes_the_public_key(ecs):
    first = _key_pair(ecs, "meta-before")
    ecs("ImportKeyPair", RegionId=REGION, KeyPairName="meta-after", PublicKeyBody=PUBLIC_KEY)
    instance_id = ecs.run_instance(KeyPairName="meta-before")
    assert item(ecs.server, instance_id, "public-keys/0/openssh-key") == first
    ecs("StopInstance", InstanceId=instance_id)
    system_disk = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    ecs("ReInitDisk", DiskId=system_disk, KeyPairName="meta-after")
    assert item(ecs.server, instance_id, "public-keys/0/openssh-key").split()[:2] == PUBLIC_KEY.split()[:2]


def test_attach_and_detach_key_pair_change_the_public_keys(ecs):
    public_key = _key_pair(ecs, "meta-attached")
    instance_id = ecs.run_instance()
    assert status_of(ecs.server, instance_id, "/latest/meta-data/public-keys/") == 404
    ecs("AttachKeyPair", RegionId=REGION, KeyPairName="meta-attached", InstanceIds=[instance_id])
    assert item(ecs.server, instance_id, "public-keys/0/openssh-key") == public_key
    ecs("DetachKeyPair", RegionId=REGION, KeyPairName="meta-attached", InstanceIds=[instance_id])
    assert status_of(ecs.server, instance_id, "/latest/meta-data/public-keys/0/openssh-key") == 404


def test_new_user_data_is_what_the_guest_reads(ecs):
    instance_id = ecs.run_instance(UserData=base64.b64encode(b"first").decode())
    assert item(ecs.server, instance_id, "/latest/user-data") == "first"
    ecs("StopInstance", InstanceId=instance_id)
    data = bytes(range(256))  # raw bytes, as sent
    ecs("ModifyInstanceAttribute", InstanceId=instance_id, UserData=base64.b64encode(data).decode())
    status, headers, body = ask(ecs.server, instance_id, "/latest/user-data")
    assert (status, headers["content-type"], body) == (200, "application/octet-stream", data)


def test_the_guest_side_answers_alike(ecs, full):
    """``respond``, which the instance driver's forwarder calls for 100.100.100.200."""
    instance_id, _ = full
    emulator = ecs.server.emulator

    def guest(path: str, method: str = "GET", **headers: str):
        return asyncio.run(respond(emulator, instance_id, method, path, headers))

    assert guest("/latest/meta-data/instance-id") == (200, [("content-type", "text/plain")], instance_id.encode())
    status, headers, body = guest("/latest/api/token", "PUT", **{TTL: "30"})
    assert status == 200 and (TTL.lower(), "30") in headers
    assert guest("/latest/meta-data/instance-id", **{TOKEN: body.decode()})[2] == instance_id.encode()
    assert guest("/latest/meta-data/nothing")[0] == 404
    assert asyncio.run(respond(emulator, "i-bpnothinghere000000", "GET", "/latest/meta-data/", {}))[0] == 404


def test_a_token_holds_across_a_restart(tmp_path):
    config = Config(data_dir=tmp_path, transitions="instant")
    with EmulatorServer(config) as server:
        ecs = Ecs(server)
        instance_id = ecs.run_instance()
        kept = token(server, instance_id)
    with EmulatorServer(config) as server:
        assert item(server, instance_id, "instance-id", token=kept) == instance_id


def test_a_token_from_one_process_holds_in_another(two_servers):
    """Processes sharing a database (serve --workers, PostgreSQL) sign with one key."""
    first, second = two_servers
    instance_id = first.run_instance(HttpTokens="required")
    from_first = token(first.server, instance_id)
    assert item(second.server, instance_id, "instance-id", token=from_first) == instance_id
    from_second = token(second.server, instance_id)
    assert item(first.server, instance_id, "instance-id", token=from_second) == instance_id


def test_the_host_route_asks_for_the_control_token():
    with EmulatorServer(Config(in_memory=True, transitions="instant", control_token="s3cret")) as server:
        instance_id = Ecs(server).run_instance()
        status, _, body = ask(server, instance_id, "/latest/meta-data/instance-id")
        assert status == 401 and json.loads(body)["Code"] == "Unauthorized.ControlToken"
        status, _, body = ask(server, instance_id, "/latest/meta-data/instance-id",
                              headers={"Authorization": "Bearer s3cret"})
        assert (status, body) == (200, instance_id.encode())
