"""footmark (the library behind Ansible's Alibaba Cloud modules), unmodified, through its own
connection class (``footmark.ecs.connection.ECSConnection``) pointed at the emulator.

footmark has no endpoint option: it makes a new ``AcsClient`` for every call, which finds its
endpoint in aliyun-python-sdk-core's process-wide table (docs/tools/footmark.md). footmark
sends a stray ``on=<Action>`` with every call, list parameters in Python's repr
(``KeyPairNames=['a', 'b']``), and builds its objects attribute by attribute in the order of
the answer's fields.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from alibabacloud_ecs20140526.models import _describe_instances_response_body as instances_model
from aliyunsdkcore.endpoint.default_endpoint_resolver import DefaultEndpointResolver
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from footmark.ecs.connection import ECSConnection

from ecsemu.accounts import DEVELOPMENT_KEY
from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from tests.ecsclient import LINUX_IMAGE, REGION, ZONE, Ecs

ROOT = Path(__file__).parent.parent.parent
def public_key() -> str:
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


@pytest.fixture(scope="module")
def emulator():
    """An emulator in instant mode, and aliyun-python-sdk-core's endpoint table pointing
    cn-hangzhou's ECS at it (restored afterwards: the table is the process's)."""
    with EmulatorServer(Config(in_memory=True, transitions="instant")) as server:
        resolver = DefaultEndpointResolver.predefined_endpoint_resolver
        saved = dict(resolver.endpoints_data)
        resolver.put_endpoint_entry(REGION, "ecs", server.endpoint)
        try:
            yield server
        finally:
            resolver.endpoints_data.clear()
            resolver.endpoints_data.update(saved)


@pytest.fixture(scope="module")
def footmark(emulator) -> ECSConnection:
    return ECSConnection(acs_access_key_id=DEVELOPMENT_KEY.key_id, acs_secret_access_key=DEVELOPMENT_KEY.secret,
                         region=REGION)


@pytest.fixture(scope="module")
def sdk(emulator) -> Ecs:
    """The old SDK on the same emulator, to check what footmark did."""
    return Ecs(emulator)


@pytest.fixture(scope="module")
def instance(footmark, sdk):
    """An instance footmark launched (RunInstances, then footmark reads it back)."""
    group_id = sdk.security_group()
    launched = footmark.run_instances(image_id=LINUX_IMAGE, instance_type="ecs.g7.large", security_group_id=group_id,
                                      vswitch_id=sdk.vswitch(),
                                      instance_name="footmark-web", internet_max_bandwidth_out=5, amount=1)
    assert len(launched) == 1
    return launched[0]


def test_an_instance_launched_started_stopped_rebooted_and_deleted(footmark, sdk):
    group_id = sdk.security_group()
    launched = footmark.run_instances(image_id=LINUX_IMAGE, instance_type="ecs.g7.large", security_group_id=group_id,
                                      vswitch_id=sdk.vswitch(),
                                      instance_name="footmark-life", amount=1)
    instance = launched[0]
    assert (instance.name, instance.state, instance.security_group_ids["security_group_id"]) == \
        ("footmark-life", "running", [group_id])
    assert footmark.stop_instances(instance_ids=[instance.id], force_stop=False) is True
    assert sdk.instance(instance.id)["Status"] == "Stopped"
    assert footmark.start_instances(instance_ids=[instance.id]) is True
    assert sdk.instance(instance.id)["Status"] == "Running"
    assert footmark.reboot_instances(instance_ids=[instance.id], force_stop=False) is True
    assert sdk.instance(instance.id)["Status"] == "Running"
    assert footmark.modify_instance_attribute(instance_id=instance.id, instance_name="footmark-renamed",
                                              description="set by footmark") is True
    assert footmark.describe_instances(instance_ids=[instance.id])[0].name == "footmark-renamed"
    assert footmark.delete_instances(instance_ids=[instance.id], force=True) is True
    assert footmark.describe_instances(instance_ids=[instance.id]) == []


def test_instance_objects_read_every_describe_answer(footmark, sdk, instance):
    """footmark's Instance over DescribeInstances answers of every shape: with and without a
    public IP, stopped, with a key pair, tagged, several to a page."""
    plain = sdk.run_instance()
    keyed = sdk.run_instance(KeyPairName=sdk("CreateKeyPair", RegionId=REGION, KeyPairName="fm-view")["KeyPairName"],
                             **{"Tag.1.Key": "team", "Tag.1.Value": "web"})
    sdk("StopInstance", InstanceId=keyed)
    found = {i.id: i for i in footmark.describe_instances(page_size=100)}
    assert {instance.id, plain, keyed} <= set(found)
    public_ip = sdk.instance(instance.id)["PublicIpAddress"]["IpAddress"][0]
    assert (found[instance.id].public_ip_address, found[plain].public_ip_address) == (public_ip, "")
    for one in found.values():
        assert one.private_ip_address == sdk.instance(one.id)["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]
        assert (one.vpc_id, one.vswitch_id) == (sdk.instance(one.id)["VpcAttributes"]["VpcId"],
                                                 sdk.instance(one.id)["VpcAttributes"]["VSwitchId"])
        assert repr(one) == f"Instance:{one.id}"
    assert (found[keyed].state, found[keyed].key_name, found[keyed].tags) == ("stopped", "fm-view", {"team": "web"})


def test_the_instance_fields_follow_the_response_model(sdk, instance):
    """The model's order (the official SDK's response body): EipAddress before PublicIpAddress,
    which footmark's Instance needs."""
    model = re.findall(r"result\['(\w+)'\]", inspect.getsource(
        instances_model.DescribeInstancesResponseBodyInstancesInstance.to_map))
    view = sdk("DescribeInstances", RegionId=REGION, InstanceIds=[instance.id])["Instances"]["Instance"][0]
    assert list(view) == [key for key in model if key in view]


def test_every_describe_answer_makes_footmark_objects(footmark, sdk, instance):
    assert REGION in [region.id for region in footmark.describe_regions()]
    assert ZONE in [zone.id for zone in footmark.describe_zones()]
    assert "ecs.g7.large" in [t.id for t in footmark.describe_instance_types()]
    assert LINUX_IMAGE in [image.id for image in footmark.describe_images(image_owner_alias="system")]
    assert instance.security_group_ids["security_group_id"][0] in \
        [group.id for group in footmark.describe_security_groups()]
    disks = footmark.describe_disks(instance_id=instance.id)
    assert [disk.type for disk in disks] == ["system"] and disks[0].instance_id == instance.id
    assert [kp.name for kp in footmark.describe_key_pairs(key_pair_name="fm-*")] == \
        [kp["KeyPairName"] for kp in sdk("DescribeKeyPairs", RegionId=REGION, KeyPairName="fm-*")["KeyPairs"][
            "KeyPair"]]


def test_a_disk_created_attached_modified_detached_and_deleted(footmark, sdk, instance):
    disk = footmark.create_disk(zone_id=ZONE, disk_name="footmark-data", description="made by footmark", size=40,
                                disk_category="cloud_essd")
    assert (disk.name, disk.status, disk.size, disk.category) == ("footmark-data", "available", 40, "cloud_essd")
    assert footmark.attach_disk(instance_id=instance.id, disk_id=disk.id, delete_with_instance=False) is True
    assert sdk.disk(disk.id)["InstanceId"] == instance.id
    assert footmark.modify_disk_attribute(disk_id=disk.id, disk_name="footmark-logs", description="renamed",
                                          delete_with_instance=True) is True
    changed = footmark.describe_disk_attribute(disk.id)
    assert (changed.name, changed.description, changed.delete_with_instance) == ("footmark-logs", "renamed", True)
    assert footmark.detach_disk(instance_id=instance.id, disk_id=disk.id) is True
    assert footmark.describe_disk_attribute(disk.id).status == "available"
    assert footmark.delete_disk(disk_id=disk.id) is True
    assert footmark.describe_disk_attribute(disk.id) is None


def test_key_pairs_created_imported_attached_and_deleted(footmark, sdk, instance):
    made = footmark.create_key_pair(key_pair_name="fm-made")
    assert made.name == "fm-made" and made.private_key_body.startswith("-----BEGIN")
    imported = footmark.import_key_pair(key_pair_name="fm-imported", public_key_body=public_key())
    assert imported.name == "fm-imported"
    assert {"fm-imported", "fm-made"} <= {kp.name for kp in footmark.describe_key_pairs(key_pair_name="fm-*")}
    assert footmark.attach_key_pair(instance_ids=[instance.id], key_pair_name="fm-made") is True
    assert sdk.instance(instance.id)["KeyPairName"] == "fm-made"
    assert footmark.detach_key_pair(instance_ids=[instance.id], key_pair_name="fm-made") is True
    assert sdk.instance(instance.id)["KeyPairName"] == ""
    # DeleteKeyPairs with KeyPairNames=['fm-made', 'fm-imported'] (Python's repr of a list)
    assert footmark.delete_key_pair(key_pair_names=["fm-made", "fm-imported"]) is True
    assert footmark.describe_key_pairs(key_pair_name="fm-im*") == []


def test_an_image_created_from_a_snapshot_and_deleted(footmark, sdk, instance):
    disk_id = next(d["DiskId"] for d in sdk.disks_of(instance.id) if d["Type"] == "system")
    snapshot_id = sdk("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    changed, image_id, results, _ = footmark.create_image(snapshot_id=snapshot_id, image_name="footmark-image",
                                                          description="from footmark", wait=True, wait_timeout=30)
    assert (changed, results) == (True, ["Image creation successful"]) and image_id.startswith("m-")
    (image,) = footmark.describe_images(image_id=image_id, status="ALL")
    assert (image.name, image.description, image.status) == ("footmark-image", "from footmark", "Available")
    assert footmark.delete_image(image_id) is True
    assert footmark.describe_images(image_id=image_id, status="ALL") == []


def _documented_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "tools" / "footmark.md").read_text(), re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_the_documented_example_runs(emulator):
    """docs/tools/footmark.md's example, as written but for the port, in a process of its own."""
    code = _documented_example().replace("127.0.0.1:8080", emulator.endpoint)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout.strip().splitlines()[-1])
    assert printed["regions"][0] == REGION
    assert printed["disk"][0].startswith("d-") and printed["disk"][1:] == ["available", "application logs"]
    assert printed["key_pairs"] == ["deploy"]


def test_through_a_proxy_as_ansible_would(emulator):
    """The same example without the endpoint table: HTTP_PROXY sends the calls for
    ecs-cn-hangzhou.aliyuncs.com to the emulator (absolute-form requests)."""
    code = "\n".join(line for line in _documented_example().splitlines() if "put_endpoint_entry" not in line)
    env = {**os.environ, "HTTP_PROXY": emulator.url, "http_proxy": emulator.url, "NO_PROXY": "", "no_proxy": ""}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["disk"][1:] == ["available", "application logs"]


# --- what needs the actions other parts of the issue add -------------------------------------

def test_tags_set_and_removed(footmark, sdk, instance):
    """TagResources, UntagResources and ListTagResources."""
    assert footmark.tag_resources(resource_type="instance", resource_ids=[instance.id],
                                  tags={"env": "test", "owner": "footmark"}) is True
    assert footmark.list_tag_resources(resource_type="instance", resource_ids=[instance.id]) == \
        {"env": "test", "owner": "footmark"}
    assert footmark.untag_resources(resource_type="instance", resource_ids=[instance.id], tags={"env": "test"}) is True
    assert {t["TagKey"] for t in sdk.instance(instance.id)["Tags"]["Tag"]} == {"owner"}


def test_a_security_group_with_rules(footmark):
    """CreateSecurityGroup, then AuthorizeSecurityGroup and DescribeSecurityGroupAttribute."""
    group = footmark.create_security_group(security_group_name="footmark-sg", description="web")
    assert footmark.authorize_security_group(security_group_id=group.id, ip_protocol="tcp", port_range="22/22",
                                             source_cidr_ip="10.0.0.0/8") is True
    rules = footmark.describe_security_group_attribute(security_group_id=group.id).permissions
    assert [(r["ip_protocol"].lower(), r["port_range"], r["source_cidr_ip"]) for r in rules] == \
        [("tcp", "22/22", "10.0.0.0/8")]
