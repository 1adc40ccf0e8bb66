"""A whole configuration, applied in dependency order and destroyed in reverse, as
Terraform walks its graph:

    resource "alicloud_security_group" "g"        { security_group_name = "tf-sg-…" }
    resource "alicloud_ecs_key_pair" "k"          { key_pair_name = "tf-kp-…" }
    resource "alicloud_instance" "i"              { ...  security_groups = [g]  key_name = k }
    resource "alicloud_ecs_disk" "d"              { zone_id = "cn-hangzhou-b"  size = 20 }
    resource "alicloud_ecs_disk_attachment" "a"   { disk_id = d  instance_id = i }
    resource "alicloud_ecs_snapshot" "s"          { disk_id = d }

Destroy must not stall on what the emulator leaves behind: the key pair still bound to the
deleted instance (DeleteKeyPairs retries ``KeypairAlreadyAttachedInstance`` for 20 minutes),
the group still holding it (DeleteSecurityGroup retries ``DependencyViolation``), a disk still
attached.
"""

from __future__ import annotations

from tests.ecsclient import LINUX_IMAGE, REGION

from . import (
    test_ecs_disk,
    test_ecs_disk_attachment,
    test_ecs_key_pair,
    test_ecs_snapshot,
    test_instance,
    test_security_group,
)
from .replay import Replay, no_5xx
from .transports import Wire


def test_destroy_in_reverse_order(wire: Wire, ecs, instance_id):
    vswitch_id = ecs.instance(instance_id)["VpcAttributes"]["VSwitchId"]
    group = Replay(wire, test_security_group.values())
    group.run(test_security_group.GROUP.create)
    key_pair = Replay(wire, test_ecs_key_pair.values())
    key_pair.run(test_ecs_key_pair.MADE.create)

    instance = Replay(wire, {"region": REGION, "name": "tf-instance", "image_id": LINUX_IMAGE, "system_disk_size": 40,
                             "instance_type": "ecs.g7.large", "status": "Running", "http_tokens": "optional",
                             "vswitch_id": vswitch_id,
                             "group_id": group.values["group_id"], "key_name": key_pair.values["name"],
                             "key_name_sent": key_pair.values["name"]})
    instance.run(test_instance.INSTANCE.create)  # its wait for Running and its read

    disk = Replay(wire, test_ecs_disk.values())
    disk.run(test_ecs_disk.DISK.create)
    ids = {"region": REGION, "disk_id": disk.values["disk_id"], "instance_id": instance.values["instance_id"]}
    attachment = Replay(wire, ids)
    attachment.run(test_ecs_disk_attachment.ATTACHMENT.create)
    snapshot = Replay(wire, test_ecs_snapshot.configured(disk.values["disk_id"]))
    snapshot.run(test_ecs_snapshot.SNAPSHOT.create)

    for replay, resource in ((snapshot, test_ecs_snapshot.SNAPSHOT),
                             (attachment, test_ecs_disk_attachment.ATTACHMENT),
                             (disk, test_ecs_disk.DISK),
                             (instance, test_instance.INSTANCE),
                             (key_pair, test_ecs_key_pair.MADE)):
        replay.run(resource.delete)
        replay.run(resource.gone)
    group.run(test_security_group.GROUP.delete)
    group.run(test_security_group.GROUP.gone)
    assert ecs.disks_of(instance.values["instance_id"]) == []
    no_5xx(wire)
