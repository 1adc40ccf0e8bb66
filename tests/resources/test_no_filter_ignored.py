"""No declared Describe filter is silently ignored: for every read action and every filter it
declares, a value that names nothing here lists nothing (or is refused), and the two values
of a boolean filter never both list the same resource. A new filter that the handler forgets
fails here."""

from __future__ import annotations

import time

import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException

from ecsemu.actions import all_actions
from ecsemu.actions.params import Kind, Type
from tests.ecsclient import LINUX_IMAGE, REGION, ZONE

# Not filters: the region, paging, dry runs, what an answer shows, which billing a zone's
# resources are listed for (every zone here sells each, for any spot duration), the GPUs a
# type has at most (no type here has one); ResourceGroupId filters are tested with resource
# groups (test_tags.py).
NOT_FILTERS = {"RegionId", "PageNumber", "PageSize", "NextToken", "MaxResults", "DryRun", "IncludePublicKey",
               "AcceptLanguage", "ResourceGroupId", "ActionType", "ShowExpired", "InstanceChargeType@DescribeZones",
               "SpotStrategy@DescribeZones", "InstanceChargeType@DescribeAvailableResource",
               "SpotStrategy@DescribeAvailableResource", "SpotDuration@DescribeAvailableResource",
               "Scope@DescribeAvailableResource", "MaximumGPUAmount@DescribeInstanceTypes",
               # Cloud Assistant: how content and output are shown, and whether they are; every
               # command here is its latest version, and no invocation repeats (no history).
               "ContentEncoding", "IncludeOutput", "IncludeHistory", "Latest@DescribeCommands"}
# Filters whose own value naming nothing is not nonsense: NicType is no filter unless intranet
# or internet (the Terraform provider sends "<nil>"), and every rule here is intranet.
NAMING_NOTHING = {"NicType@DescribeSecurityGroupAttribute": {"NicType": "internet"}}
# Reads of one resource, not lists: what they name is tested with each (test_instance_read_chain.py,
# test_image_sharing.py, test_image_files_and_tasks.py, test_disk_monitor_data.py,
# test_network_interfaces.py).
ONE_RESOURCE = {"DescribeRegions", "DescribeInstanceAttribute", "DescribeUserData", "DescribeImageFromFamily",
                "DescribeImageSharePermission", "DescribeTaskAttribute", "DescribeDiskMonitorData",
                "DescribeNetworkInterfaceAttribute"}
READS = {name: action for name, action in sorted(all_actions().items())
         if action.read_only and name not in ONE_RESOURCE}
CASES = [(name, param) for name, action in READS.items() for param in action.params
         if not {param.name, f"{param.name}@{name}"} & NOT_FILTERS]


@pytest.fixture(scope="module")
def world(ecs):
    """One of each resource, so that an ignored filter would list something; and what each
    read of a named resource is asked about (``ecs.about``)."""
    group = ecs("CreateSecurityGroup", RegionId=REGION)["SecurityGroupId"]
    instance_id = ecs.run_instance(KeyPairName=ecs("CreateKeyPair", RegionId=REGION, KeyPairName="world")[
        "KeyPairName"], InternetMaxBandwidthOut=1, SecurityGroupId=group, **{"Tag.1.Key": "k", "Tag.1.Value": "v"})
    subscribed = ecs.run_instance(InstanceChargeType="PrePaid", Period=1, SecurityGroupId=group)
    ecs("RebootInstance", InstanceId=instance_id)   # a system event (DescribeInstanceHistoryEvents)
    disk_id = next(d["DiskId"] for d in ecs.disks_of(instance_id))
    snapshot_id = ecs("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    image_id = ecs("CreateImage", RegionId=REGION, SnapshotId=snapshot_id, ImageName="world-image")["ImageId"]
    (ecs.server.emulator.files_dir / "world").mkdir(exist_ok=True)
    ecs("ExportImage", RegionId=REGION, ImageId=image_id, OSSBucket="world")   # a task for DescribeTasks
    ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)
    ecs("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=group, IpProtocol="tcp", PortRange="22/22",
        SourceCidrIp="10.0.0.0/8")
    policy_id = ecs("CreateAutoSnapshotPolicy", regionId=REGION, timePoints='["1"]', repeatWeekdays='["1"]',
                    retentionDays=1)["AutoSnapshotPolicyId"]
    ecs("ApplyAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId=policy_id, diskIds=[disk_id])
    ecs("RunCommand", RegionId=REGION, Type="RunShellScript", CommandContent="echo", Name="world",
        KeepCommand=True, **{"InstanceId.1": instance_id})   # a command, an invocation, a result
    referring = ecs("CreateSecurityGroup", RegionId=REGION)["SecurityGroupId"]
    ecs("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=referring, IpProtocol="tcp", PortRange="80/80",
        SourceGroupId=group)
    ecs.about = {  # type: ignore[attr-defined]
        "DescribeAvailableResource": {"DestinationResource": "InstanceType"},
        "DescribeImageSupportInstanceTypes": {"ImageId": LINUX_IMAGE},
        "DescribeInstanceAttachmentAttributes": {"InstanceIds": f'["{instance_id}"]'},
        "DescribeInstanceAutoRenewAttribute": {"InstanceId": subscribed},
        "DescribeInstanceRamRole": {"InstanceIds": f'["{instance_id}"]'},
        "DescribeSecurityGroupAttribute": {"SecurityGroupId": group},
        "DescribeSecurityGroupReferences": {"SecurityGroupId.1": group},
        "ListTagResources": {"ResourceType": "instance", "ResourceId.1": instance_id},
    }
    return ecs


def listed(ecs, action: str, **params) -> list | None:
    """The items the answer lists (as JSON text, to compare), or None if it was refused."""
    try:
        body = ecs(action, **({"RegionId": REGION} if any(p.name == "RegionId" for p in READS[action].params)
                              else {}), **{**ecs.about.get(action, {}), **params})
    except ServerException as exc:   # a refusal is an acceptable answer to nonsense, a failure is not
        assert exc.get_http_status() < 500, exc
        return None
    if set(body) == {"Invocation", "RequestId"}:   # DescribeInvocationResults: its list one level down
        body = body["Invocation"]
    for value in body.values():
        if isinstance(value, dict) and len(value) == 1:
            (items,) = value.values()
            if isinstance(items, list):
                return [repr(sorted(item.items())) if isinstance(item, dict) else repr(item) for item in items]
    raise AssertionError(f"{action}: no list in {sorted(body)}")


def nonsense(param) -> dict[str, str]:
    """A value of the filter's own form that names nothing here."""
    future = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(time.time() + 86400))
    if param.kind is Kind.JSON_ARRAY:
        return {param.name: '["nothing-here-0"]'}
    if param.kind is Kind.LIST:
        return {f"{param.name}.1": "nothing-here-0"}
    if param.kind is Kind.OBJECT_LIST and param.name == "Filter":
        return {"Filter.1.Key": "CreationStartTime", "Filter.1.Value": future}
    if param.kind is Kind.OBJECT_LIST:
        return {f"{param.name}.1.{field.name}": "nothing-here-0" for field in param.fields}
    if param.kind is Kind.OBJECT and {field.name for field in param.fields} == {"Start", "End"}:  # a time range
        return {f"{param.name}.Start": future}
    if param.type in (Type.INTEGER, Type.LONG):  # at most none, or at least more than anything has
        return {param.name: "0" if param.name.startswith("Maximum") else "987654321"}
    return {param.name: "nothing-here-0"}


@pytest.mark.parametrize(("action", "param"), CASES, ids=[f"{a}.{p.name}" for a, p in CASES])
def test_a_filter_narrows_the_list(world, action, param):
    everything = listed(world, action)
    assert everything, f"{action} lists nothing: the test needs something to filter"
    if param.type is Type.BOOLEAN:
        true, false = listed(world, action, **{param.name: "true"}), listed(world, action, **{param.name: "false"})
        assert not (set(true or ()) & set(false or ())), f"{param.name} true and false list the same resources"
    elif param.enum:
        wire_name = f"{param.name}.1" if param.kind is Kind.LIST else param.name
        answers = [listed(world, action, **{wire_name: value}) for value in param.enum
                   if value.lower() != "all" and value != param.default]
        assert any(answer != everything for answer in answers), f"every {param.name} lists everything"
    else:
        value = NAMING_NOTHING.get(f"{param.name}@{action}") or nonsense(param)
        assert not listed(world, action, **value), f"{param.name}: a value naming nothing lists something"
