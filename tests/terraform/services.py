"""The provider's service functions that several resources share (``EcsService`` /
``EcsServiceV2`` in the provider), as steps: the same call, with the same reads."""

from __future__ import annotations

from .reading import ARRAY, BOOL, NUMBER, OBJECT, STRING
from .replay import Call, Set

# ``Disks.Disk[]`` as every disk reader asserts it (§1.5, §4.5).
DISK_TYPES = {
    "Disks.Disk": ARRAY,
    "Disks.Disk[].DiskId": STRING,
    "Disks.Disk[].InstanceId": STRING,
    "Disks.Disk[].DeleteAutoSnapshot": BOOL,
    "Disks.Disk[].DeleteWithInstance": BOOL,
    "Disks.Disk[].EnableAutoSnapshot": BOOL,
    "Disks.Disk[].Encrypted": BOOL,
    "Disks.Disk[].DiskChargeType": STRING,
    "Disks.Disk[].OperationLocks": OBJECT,
    "Disks.Disk[].OperationLocks.OperationLock": ARRAY,
    "Disks.Disk[].Size": NUMBER,
    "Disks.Disk[].Status": STRING,
    "Disks.Disk[].Tags?": OBJECT,
    "Disks.Disk[].Tags.Tag[].TagKey?": STRING,
    "Disks.Disk[].Tags.Tag[].TagValue?": STRING,
    "Disks.Disk[].MountInstances?": OBJECT,
}


def describe_disk(**reads) -> Call:
    """``EcsServiceV2.DescribeEcsDisk`` / ``EcsService.DescribeEcsDisk``: DescribeDisks (R)
    by ``DiskIds``; the provider takes element 0."""
    return Call("R", "DescribeDisks", {"DiskIds": '["{disk_id}"]', "RegionId": "{region}"},
                found="Disks.Disk", types=DISK_TYPES, **reads)


def describe_disk_any(**reads) -> Call:
    """The same call where finding nothing is an answer too (refreshes, the delete's pre-check)."""
    return Call("R", "DescribeDisks", {"DiskIds": '["{disk_id}"]', "RegionId": "{region}"}, types=DISK_TYPES,
                **reads)


INSTANCE_R_TYPES = {
    # data alicloud_key_pairs and the key pair attachment (§1.5, §4.7): all required.
    "Instances.Instance": ARRAY,
    "Instances.Instance[].InstanceId": STRING,
    "Instances.Instance[].KeyPairName": STRING,
    "Instances.Instance[].PublicIpAddress.IpAddress": ARRAY,
    "Instances.Instance[].EipAddress": OBJECT,
    "Instances.Instance[].InnerIpAddress.IpAddress": ARRAY,
    "Instances.Instance[].VpcAttributes.PrivateIpAddress.IpAddress": ARRAY,
    "Instances.Instance[].CpuOptions?": OBJECT,
}


# --- the updates every taggable resource shares ------------------------------------------------

RESOURCE_GROUP = "rg-acfmterraformreplay"
TAG = {"Created": "terraform"}


def tags_update(resource_type: str, resource_id: str, *, before: tuple = ()) -> tuple:
    """``tags`` (``SetResourceTags``): UntagResources for keys removed or changed (none here,
    as the replays start untagged), then TagResources with the whole new map."""
    return (
        Set({"tags": [{"TagKey": k, "TagValue": v} for k, v in TAG.items()]}), *before,
        Call("R", "TagResources", {"ResourceType": resource_type, "ResourceId": [resource_id], "RegionId": "{region}",
                                   "Tag": [{"Key": k, "Value": v} for k, v in TAG.items()]}),
    )


def group_update(resource_type: str, resource_id: str, *, before: tuple = (), id_in_query: bool = False) -> tuple:
    """``resource_group_id``: JoinResourceGroup (R); the image's ``ResourceId`` rides in the query."""
    where = {"ResourceId": resource_id}
    return (
        Set({"resource_group_id": RESOURCE_GROUP}), *before,
        Call("R", "JoinResourceGroup", {"ResourceType": resource_type, "RegionId": "{region}",
                                        "ResourceGroupId": "{resource_group_id}",
                                        **({} if id_in_query else where)},
             query=where if id_in_query else {}, retry=("InternalError",)),
    )
