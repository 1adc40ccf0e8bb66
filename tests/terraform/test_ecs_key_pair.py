"""``alicloud_ecs_key_pair`` (terraform-calls.md §2.6), made and imported:

    resource "alicloud_ecs_key_pair" "made"     { key_pair_name = "tf-kp-…" }
    resource "alicloud_ecs_key_pair" "imported" { key_pair_name = "tf-kp-…"  public_key = "ssh-ed25519 …" }

The update is the one the resource has: tags (TagResources, ``ResourceType=keypair``).
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.ecsclient import REGION

from .reading import ARRAY, OBJECT, STRING
from .replay import EMPTY, Call, Gone, Resource, cycle, destroy_twice
from .services import group_update, tags_update
from .transports import json_list

DESCRIBE = Call("R", "DescribeKeyPairs", {"KeyPairName": "{name}", "RegionId": "{region}"})


def key_pair(create: Call) -> Resource:
    return Resource(
        f"alicloud_ecs_key_pair ({create.action})",
        create=(create,),
        read=(Call("R", "DescribeKeyPairs", {"KeyPairName": "{name}", "RegionId": "{region}"},
                   found="KeyPairs.KeyPair",
                   types={"KeyPairs.KeyPair[].KeyPairName": STRING, "KeyPairs.KeyPair[].KeyPairFingerPrint": STRING,
                          "KeyPairs.KeyPair[].Tags": OBJECT, "KeyPairs.KeyPair[].Tags.Tag": ARRAY},
                   expect={"KeyPairs.KeyPair[0].KeyPairName": "{name}",
                           "KeyPairs.KeyPair[0].KeyPairFingerPrint": "{fingerprint}",
                           "KeyPairs.KeyPair[0].ResourceGroupId": "{resource_group_id}",
                           "KeyPairs.KeyPair[0].Tags.Tag": "{tags}"}),),
        update=tags_update("keypair", "{name}"),
        delete=(Call("R", "DeleteKeyPairs", {"KeyPairNames": '["{name}"]', "RegionId": "{region}"},
                     retry=("ServiceUnavailable", "InvalidParameter.KeypairAlreadyAttachedInstance"),
                     ok_not_found=True),),
        gone=(Gone(DESCRIBE, "KeyPairs.KeyPair"),),
    )


MADE = key_pair(Call("R", "CreateKeyPair", {"RegionId": "{region}", "KeyPairName": "{name}", "Tag": "{tag_sent}"},
                     expect={"KeyPairName": "{name}", "PrivateKeyBody": lambda pem: pem.startswith("-----BEGIN")},
                     save={"fingerprint": "KeyPairFingerPrint"}))
IMPORTED = key_pair(Call("R", "ImportKeyPair", {"RegionId": "{region}", "KeyPairName": "{name}",
                                                "PublicKeyBody": "{public_key}", "Tag": "{tag_sent}"},
                         expect={"KeyPairName": "{name}"}, save={"fingerprint": "KeyPairFingerPrint"}))


def values(tags: dict[str, str] | None = None) -> dict:
    public = ed25519.Ed25519PrivateKey.generate().public_key()
    line = public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    return {"region": REGION, "name": f"tf-kp-{uuid.uuid4().hex[:12]}", "public_key": line,
            "tag_sent": [{"Key": k, "Value": v} for k, v in tags.items()] if tags else None,
            "tags": [{"TagKey": k, "TagValue": v} for k, v in (tags or {}).items()], "resource_group_id": EMPTY}


@pytest.mark.parametrize("resource", [MADE, IMPORTED], ids=["create", "import"])
def test_apply_plan_destroy(wire, resource):
    cycle(wire, resource, values())


@pytest.mark.parametrize("resource", [MADE, IMPORTED], ids=["create", "import"])
def test_tags_at_create_read_back(wire, resource):
    cycle(wire, resource, values({"Created": "terraform"}))


@pytest.mark.parametrize("resource", [MADE, IMPORTED], ids=["create", "import"])
def test_destroy_twice(wire, resource):
    destroy_twice(wire, resource, values())


@pytest.mark.parametrize("resource", [MADE, IMPORTED], ids=["create", "import"])
def test_update_tags(wire, resource):
    cycle(wire, resource, values(), update=True)


@pytest.mark.parametrize("resource", [MADE, IMPORTED], ids=["create", "import"])
def test_update_group(wire, resource):
    cycle(wire, dataclasses.replace(resource, update=group_update("keypair", "{name}")), values(), update=True)


def test_names_sent_as_one_json_array(wire):
    """DeleteKeyPairs' ``KeyPairNames`` is the provider's pre-built JSON string, no spaces."""
    replay_values = values()
    cycle(wire, MADE, replay_values)
    deleted = [sent for sent in wire.sent if sent.action == "DeleteKeyPairs"]
    assert deleted[0].params["KeyPairNames"] == json_list(replay_values["name"])
    assert deleted[0].method == "POST" and "RegionId" in deleted[0].params
