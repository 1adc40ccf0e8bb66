"""Disks through the official SDK: create, attach, detach, resize, delete, describe."""

import pytest

from tests.ecsclient import REGION, ZONE, control, flat


def new_disk(ecs, **params):
    params = {"RegionId": REGION, "ZoneId": ZONE, "Size": 20, "DiskCategory": "cloud_essd", **params}
    return ecs("CreateDisk", **params)["DiskId"]


def test_create_attach_detach_delete(ecs):
    instance_id = ecs.run_instance()
    disk_id = new_disk(ecs, DiskName="logs", Description="application logs")
    disk = ecs.disk(disk_id)
    assert (disk["Status"], disk["Type"], disk["Portable"], disk["DeleteWithInstance"]) == \
        ("Available", "data", True, False)
    assert (disk["DiskName"], disk["PerformanceLevel"], disk["InstanceId"]) == ("logs", "PL1", "")

    ecs("AttachDisk", DiskId=disk_id, InstanceId=instance_id)
    disk = ecs.disk(disk_id)
    assert (disk["Status"], disk["InstanceId"], disk["Device"]) == ("In_use", instance_id, "/dev/xvdb")
    assert disk["Attachments"]["Attachment"][0]["InstanceId"] == instance_id and disk["AttachedTime"]
    assert ecs.error("DeleteDisk", DiskId=disk_id) == ("IncorrectDiskStatus", 403)

    ecs("DetachDisk", DiskId=disk_id, InstanceId=instance_id)
    disk = ecs.disk(disk_id)
    assert (disk["Status"], disk["InstanceId"], disk["Device"]) == ("Available", "", "")
    assert disk["DetachedTime"]
    ecs("DeleteDisk", DiskId=disk_id)
    assert ecs("DescribeDisks", RegionId=REGION, DiskIds=[disk_id])["Disks"]["Disk"] == []
    assert ecs.error("DeleteDisk", DiskId=disk_id) == ("InvalidDiskId.NotFound", 404)


def test_attach_refusals(ecs):
    instance_id = ecs.run_instance()
    other_zone = new_disk(ecs, ZoneId="cn-hangzhou-g")
    assert ecs.error("AttachDisk", DiskId=other_zone, InstanceId=instance_id) == ("ResourcesNotInSameZone", 403)
    assert ecs.error("AttachDisk", DiskId="d-bpnothing0000000000", InstanceId=instance_id) == \
        ("InvalidDiskId.NotFound", 404)
    assert ecs.error("AttachDisk", DiskId=other_zone, InstanceId="i-bpnothing0000000000") == \
        ("InvalidInstanceId.NotFound", 404)
    system_disk = next(d for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    assert ecs.error("AttachDisk", DiskId=system_disk["DiskId"], InstanceId=instance_id) == \
        ("IncorrectDiskStatus", 403)


def test_sixteen_data_disks_at_most(ecs):
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 20}] * 16))
    assert len(ecs.disks_of(instance_id)) == 17
    devices = sorted(d["Device"] for d in ecs.disks_of(instance_id))
    assert devices[0] == "/dev/xvda" and devices[-1] == "/dev/xvdq"
    extra = new_disk(ecs)
    assert ecs.error("AttachDisk", DiskId=extra, InstanceId=instance_id) == ("InstanceDiskLimitExceeded", 403)


def test_detach_rules(ecs):
    instance_id = ecs.run_instance()
    other_instance = ecs.run_instance()
    system_disk = next(d for d in ecs.disks_of(instance_id) if d["Type"] == "system")["DiskId"]
    assert ecs.error("DetachDisk", DiskId=system_disk, InstanceId=instance_id) == ("IncorrectInstanceStatus", 403)
    assert ecs.error("DetachDisk", DiskId=system_disk, InstanceId=other_instance) == ("DependencyViolation", 403)
    loose = new_disk(ecs)
    assert ecs.error("DetachDisk", DiskId=loose, InstanceId=instance_id) == ("InvalidDisk.AlreadyDetached", 404)
    ecs("StopInstance", InstanceId=instance_id)
    ecs("DetachDisk", DiskId=system_disk, InstanceId=instance_id)
    assert ecs.disk(system_disk)["Status"] == "Available"
    assert ecs.error("StartInstance", InstanceId=instance_id) == ("DiskError", 403)  # no system disk
    ecs("AttachDisk", DiskId=system_disk, InstanceId=instance_id, Bootable=True)
    assert ecs.disk(system_disk)["Device"] == "/dev/xvda"
    ecs("StartInstance", InstanceId=instance_id)
    assert ecs.instance(instance_id)["Status"] == "Running"


def test_create_disk_checks(ecs):
    assert ecs.error("CreateDisk", RegionId=REGION, ZoneId=ZONE) == ("MissingParameter", 400)
    assert ecs.error("CreateDisk", RegionId=REGION, Size=20) == ("MissingParameter", 400)
    assert ecs.error("CreateDisk", RegionId=REGION, ZoneId="cn-hangzhou-z", Size=20) == ("InvalidZoneId.NotFound", 404)
    assert ecs.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskCategory="tape") == \
        ("InvalidDiskCategory.ValueNotSupported", 400)
    assert ecs.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=3, DiskCategory="cloud_ssd") == \
        ("InvalidDiskSize.NotSupported", 400)
    assert ecs.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=2001) == ("InvalidDiskSize.NotSupported", 400)
    assert ecs.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId="s-bpnothing0000000000") == \
        ("InvalidSnapshotId.NotFound", 404)
    assert ecs.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskName="9lives") == \
        ("InvalidDiskName.Malformed", 400)
    default = ecs.disk(ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=5)["DiskId"])
    assert default["Category"] == "cloud" and default["Size"] == 5


def test_resize(ecs):
    disk_id = new_disk(ecs, Size=40)
    ecs("ResizeDisk", DiskId=disk_id, NewSize=100)
    assert ecs.disk(disk_id)["Size"] == 100
    assert ecs.error("ResizeDisk", DiskId=disk_id, NewSize=100) == ("InvalidDiskSize", 403)
    assert ecs.error("ResizeDisk", DiskId=disk_id, NewSize=70000) == ("InvalidDiskSize.TooLarge", 403)
    instance_id = ecs.run_instance()
    system_disk = next(d for d in ecs.disks_of(instance_id) if d["Type"] == "system")["DiskId"]
    assert ecs.error("ResizeDisk", DiskId=system_disk, NewSize=3000) == ("InvalidDiskSize.TooLarge", 403)
    ecs("ResizeDisk", DiskId=system_disk, NewSize=60, Type="online")
    assert ecs.disk(system_disk)["Size"] == 60


def test_paging_twenty_five_disks(ecs):
    ids = [new_disk(ecs, **{"Tag.1.Key": "batch", "Tag.1.Value": "paging"}) for _ in range(25)]
    tag = {"Tag.1.Key": "batch", "Tag.1.Value": "paging"}
    pages = [ecs("DescribeDisks", RegionId=REGION, PageNumber=n, PageSize=10, **tag) for n in (1, 2, 3)]
    assert [p["TotalCount"] for p in pages] == [25, 25, 25]
    assert [len(p["Disks"]["Disk"]) for p in pages] == [10, 10, 5]
    assert [d["DiskId"] for p in pages for d in p["Disks"]["Disk"]] == ids
    seen, token = [], None
    while True:
        page = ecs("DescribeDisks", RegionId=REGION, MaxResults=10, NextToken=token, **tag)
        seen += [d["DiskId"] for d in page["Disks"]["Disk"]]
        token = page["NextToken"]
        if not token:
            break
    assert seen == ids
    assert ecs("DescribeDisks", RegionId=REGION, PageNumber=4, PageSize=10, **tag)["Disks"]["Disk"] == []
    assert ecs("DescribeDisks", RegionId=REGION, DiskIds=ids[:3])["TotalCount"] == 3
    assert ecs("DescribeDisks", RegionId=REGION, DiskIds=[])["Disks"]["Disk"] == []


@pytest.mark.parametrize("params, expected", [
    ({"DiskType": "floppy"}, ("InvalidDiskType.ValueNotSupported", 400)),
    ({"Status": "Lost"}, ("InvalidStatus.ValueNotSupported", 400)),
    ({"Category": "tape"}, ("InvalidCategory.ValueNotSupported", 400)),
    ({"DiskIds": "d-1"}, ("InvalidParameter", 400)),
    ({"DiskIds": '["' + '","'.join(f"d-{n}" for n in range(101)) + '"]'}, ("InvalidParameter", 400)),
    ({"RegionId": "moon-1"}, ("InvalidRegionId.NotFound", 404)),
])
def test_describe_disks_refuses(ecs, params, expected):
    assert ecs.error("DescribeDisks", **{"RegionId": REGION, **params}) == expected


def test_describe_disks_filters(ecs):
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 30, "Category": "cloud_ssd"}]))
    system = ecs("DescribeDisks", RegionId=REGION, InstanceId=instance_id, DiskType="system")["Disks"]["Disk"]
    assert [d["Type"] for d in system] == ["system"]
    ssd = ecs("DescribeDisks", RegionId=REGION, InstanceId=instance_id, Category="cloud_ssd")["Disks"]["Disk"]
    assert [d["Size"] for d in ssd] == [30]
    in_use = ecs("DescribeDisks", RegionId=REGION, InstanceId=instance_id, Status="In_use")["TotalCount"]
    assert in_use == 2
    assert ecs("DescribeDisks", RegionId="cn-shanghai", InstanceId=instance_id)["Disks"]["Disk"] == []


def test_other_account_cannot_touch_disks(ecs, other):
    disk_id = new_disk(ecs)
    assert other.error("DeleteDisk", DiskId=disk_id) == ("InvalidDiskId.NotFound", 404)
    assert other("DescribeDisks", RegionId=REGION, DiskIds=[disk_id])["Disks"]["Disk"] == []
    assert ecs.disk(disk_id)["Status"] == "Available"


def test_manual_mode_shows_creating_attaching_detaching(manual):
    instance_id = manual.run_instance()
    control(manual.server, "POST", "/clock/advance", {"seconds": 10})
    disk_id = new_disk(manual)
    assert manual.disk(disk_id)["Status"] == "Creating"
    assert manual.error("AttachDisk", DiskId=disk_id, InstanceId=instance_id) == ("IncorrectDiskStatus", 403)
    control(manual.server, "POST", "/clock/advance", {"seconds": 1})
    manual("AttachDisk", DiskId=disk_id, InstanceId=instance_id)
    assert manual.disk(disk_id)["Status"] == "Attaching"
    assert manual.error("AttachDisk", DiskId=disk_id, InstanceId=instance_id) == ("IncorrectDiskStatus", 403)
    control(manual.server, "POST", "/clock/advance", {"seconds": 1})
    assert manual.disk(disk_id)["Status"] == "In_use"
    manual("DetachDisk", DiskId=disk_id, InstanceId=instance_id)
    assert manual.disk(disk_id)["Status"] == "Detaching"
    control(manual.server, "POST", "/clock/advance", {"seconds": 1})
    assert manual.disk(disk_id)["Status"] == "Available"
