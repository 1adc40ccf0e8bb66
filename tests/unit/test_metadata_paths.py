"""The metadata path table and tokens, as pure functions: what each path resolves to, how a
directory lists, which tokens verify."""

from __future__ import annotations

import json

import pytest

from ecsemu.guest import metadata_tokens as tokens
from ecsemu.guest.metadata_paths import Disk, InstanceFacts, Interface, gateway, netmask, resolve

PRIMARY = Interface("00:16:3e:00:00:01", "eni-bp1primary", "172.16.0.5", "vpc-bp1", "vsw-bp1", "172.16.0.0/12",
                    "172.16.0.0/24", ("172.16.0.6", "172.16.0.7"))
SECONDARY = Interface("00:16:3e:00:00:02", "eni-bp1second", "172.16.0.9", "vpc-bp1", "vsw-bp1", "172.16.0.0/12",
                      "172.16.0.0/24")
FACTS = InstanceFacts(
    instance_id="i-bp1abc", region_id="cn-hangzhou", zone_id="cn-hangzhou-b", host_name="iZbp1abcZ",
    image_id="ubuntu_22_04", instance_type="ecs.g7.large", instance_name="web", owner_account_id="1234",
    serial_number="bp1abc-0000-0000", interfaces=(PRIMARY, SECONDARY), public_ip="47.96.0.7",
    public_key="ssh-ed25519 AAAA key", user_data=b"\x00raw\xff", disks=(Disk("bp1disk", "d-bp1disk", "root"),))
BARE = InstanceFacts(
    instance_id="i-bp1bare", region_id="cn-hangzhou", zone_id="cn-hangzhou-b", host_name="h", image_id="img",
    instance_type="ecs.g7.large", instance_name="bare", owner_account_id="1234", serial_number="s",
    interfaces=(SECONDARY,))


@pytest.mark.parametrize(("path", "body"), [
    ("/latest/meta-data/instance-id", "i-bp1abc"),
    ("/latest/meta-data/instance-id/", "i-bp1abc"),
    ("/2016-01-01/meta-data/region-id", "cn-hangzhou"),
    ("/latest/meta-data/instance/instance-type", "ecs.g7.large"),
    ("/latest/meta-data/mac", PRIMARY.mac),
    ("/latest/meta-data/private-ipv4", "172.16.0.5"),
    ("/latest/meta-data/eipv4", "47.96.0.7"),
    ("/latest/meta-data/public-keys/0/openssh-key", "ssh-ed25519 AAAA key"),
    ("/latest/meta-data/disks/bp1disk/id", "d-bp1disk"),
    (f"/latest/meta-data/network/interfaces/macs/{SECONDARY.mac}/network-interface-id", "eni-bp1second"),
    (f"/latest/meta-data/network/interfaces/macs/{PRIMARY.mac}/gateway", "172.16.0.253"),
    (f"/latest/meta-data/network/interfaces/macs/{PRIMARY.mac}/netmask", "255.255.255.0"),
    ("/latest/meta-data/network/interfaces/macs/", f"{PRIMARY.mac}/\n{SECONDARY.mac}/"),
    ("/latest/meta-data/public-keys/", "0/"),
    ("/latest/meta-data/dns-conf/nameservers", "100.100.2.136\n100.100.2.138"),
    ("/latest/meta-data/instance-id?x=1", "i-bp1abc"),
    ("/latest/meta-data/sub-private-ipv4-list", "172.16.0.6\n172.16.0.7"),
    (f"/latest/meta-data/network/interfaces/macs/{PRIMARY.mac}/private-ipv4s",
     '["172.16.0.5", "172.16.0.6", "172.16.0.7"]'),
    (f"/latest/meta-data/network/interfaces/macs/{SECONDARY.mac}/private-ipv4s", '["172.16.0.9"]'),
    ("/", "2016-01-01\nlatest"),
    ("/latest", "dynamic/\nmeta-data/\nuser-data"),
])
def test_paths(path, body):
    assert resolve(FACTS, path) == body


def test_user_data_is_raw_bytes_and_the_document_json():
    assert resolve(FACTS, "/latest/user-data") == b"\x00raw\xff"
    document = json.loads(resolve(FACTS, "/latest/dynamic/instance-identity/document"))
    assert document["instance-id"] == "i-bp1abc" and document["mac"] == PRIMARY.mac
    assert document["private-ipv4"] == "172.16.0.5"


def test_a_listing_sorts_its_lines_directories_marked():
    lines = resolve(FACTS, "/latest/meta-data/").split("\n")
    assert lines == sorted(lines)
    assert lines.index("instance-id") < lines.index("instance/")
    assert {"disks/", "network/", "public-keys/", "eipv4", "public-ipv4"} <= set(lines)


@pytest.mark.parametrize("path", ["/latest/meta-data/eipv4", "/latest/meta-data/public-ipv4",
                                  "/latest/meta-data/sub-private-ipv4-list",
                                  "/latest/meta-data/public-keys/", "/latest/user-data", "/latest/meta-data/nope",
                                  "/latest/meta-data/instance-id/x", "/2015-01-01/meta-data/", "/nope"])
def test_what_is_not_there(path):
    assert resolve(BARE, path) is None


def test_gateway_and_netmask_of_a_block():
    assert (gateway("192.168.1.0/24"), netmask("192.168.1.0/24")) == ("192.168.1.253", "255.255.255.0")
    assert gateway("172.16.0.0/16") == "172.16.255.253"


def test_tokens_verify_for_their_instance_until_they_expire():
    key = b"k" * 32
    token = tokens.issue(key, "i-bp1abc", now=1000.0, ttl=60)
    assert tokens.valid(key, token, "i-bp1abc", now=1059.9)
    assert not tokens.valid(key, token, "i-bp1abc", now=1060.0)
    assert not tokens.valid(key, token, "i-bp1other", now=1000.0)
    assert not tokens.valid(b"x" * 32, token, "i-bp1abc", now=1000.0)
    for forged in ("", "aaa", token[:-4], token + "A", "!!!!", "x" * 1000):
        assert not tokens.valid(key, forged, "i-bp1abc", now=1000.0)


@pytest.mark.parametrize(("text", "ttl"), [("1", 1), ("21600", 21600), (" 60 ", 60), (None, None), ("", None),
                                           ("0", None), ("21601", None), ("-1", None), ("1.5", None),
                                           ("١٢", None), ("9" * 30, None)])
def test_ttl(text, ttl):
    assert tokens.ttl_of(text) == ttl
