"""The status machines as data, and the rules each action reads from them."""

import pytest

from ecsemu.domain import disks, instances
from ecsemu.domain.status import DISK, ENI, IMAGE, INSTANCE, MACHINES, SNAPSHOT


@pytest.mark.parametrize("machine, move", [
    (INSTANCE, ("Pending", "Starting")), (INSTANCE, ("Pending", "Stopped")), (INSTANCE, ("Starting", "Running")),
    (INSTANCE, ("Running", "Stopping")), (INSTANCE, ("Stopping", "Stopped")), (INSTANCE, ("Stopped", "Starting")),
    (INSTANCE, ("Running", "Starting")),
    (DISK, ("Creating", "Available")), (DISK, ("Available", "Attaching")), (DISK, ("Attaching", "In_use")),
    (DISK, ("In_use", "Detaching")), (DISK, ("Detaching", "Available")), (DISK, ("In_use", "ReIniting")),
    (DISK, ("ReIniting", "In_use")), (DISK, ("In_use", "Modifying")), (DISK, ("Modifying", "In_use")),
    (DISK, ("Available", "Modifying")), (DISK, ("Modifying", "Available")),
    # DeleteInstance detaches a disk that outlives it at once.
    (DISK, ("Attaching", "Available")), (DISK, ("In_use", "Available")), (DISK, ("ReIniting", "Available")),
    (SNAPSHOT, ("progressing", "accomplished")), (SNAPSHOT, ("progressing", "failed")),
    (IMAGE, ("Creating", "Available")), (IMAGE, ("Creating", "CreateFailed")),
    (ENI, ("Available", "Attaching")), (ENI, ("Attaching", "InUse")), (ENI, ("InUse", "Detaching")),
    (ENI, ("Detaching", "Available")), (ENI, ("InUse", "Available")),
])
def test_allowed_moves(machine, move):
    machine.check(*move)


@pytest.mark.parametrize("machine, move", [
    (INSTANCE, ("Stopped", "Running")), (INSTANCE, ("Running", "Stopped")), (INSTANCE, ("Stopping", "Running")),
    (INSTANCE, ("Pending", "Running")),
    (DISK, ("Available", "In_use")), (DISK, ("Available", "Detaching")), (DISK, ("Available", "ReIniting")),
    (DISK, ("Creating", "In_use")), (DISK, ("Detaching", "In_use")), (DISK, ("Creating", "Attaching")),
    (DISK, ("Creating", "Modifying")), (DISK, ("Modifying", "Detaching")),
    (SNAPSHOT, ("accomplished", "progressing")), (IMAGE, ("Available", "Creating")),
    (ENI, ("Available", "InUse")), (ENI, ("Detaching", "InUse")),
])
def test_refused_moves(machine, move):
    with pytest.raises(ValueError):
        machine.check(*move)


def test_statuses_are_the_api_enumerations():
    assert set(INSTANCE.statuses) == {"Pending", "Starting", "Running", "Stopping", "Stopped"}
    # Modifying: DescribeDisks' status while ModifyDiskSpec moves a disk (docs/decisions.md)
    assert set(DISK.statuses) == {"Creating", "Available", "Attaching", "In_use", "Detaching", "ReIniting",
                                  "Modifying"}
    assert set(ENI.statuses) == {"Available", "Attaching", "InUse", "Detaching", "Deleting"}
    assert set(MACHINES) == {"instance", "disk", "snapshot", "image", "task", "eni", "vpc", "vswitch"}


def test_action_matrix():
    assert instances.STARTABLE == ("Stopped",) and instances.STOPPABLE == ("Running",)
    assert instances.REINITIALISABLE == ("Stopped",)
    assert set(instances.DISK_ATTACHABLE) == {"Running", "Stopped"}
    assert disks.ATTACHABLE == ("Available",) and disks.DETACHABLE == ("In_use",)


@pytest.mark.parametrize("category, level, low, high", [
    ("cloud", None, 5, 2000), ("cloud_efficiency", None, 20, 32768), ("cloud_ssd", None, 20, 32768),
    ("cloud_essd", "PL0", 1, 65536), ("cloud_essd", "PL1", 20, 65536), ("cloud_essd", "PL2", 461, 65536),
    ("cloud_essd", "PL3", 1261, 65536), ("cloud_auto", None, 1, 65536),
])
def test_data_disk_size_limits(category, level, low, high):
    limits = disks.data_size_range(category, level)
    assert (limits.minimum, limits.maximum) == (low, high)


def test_system_disk_size_limits_and_default():
    assert (disks.system_size_range("cloud").minimum, disks.system_size_range("cloud").maximum) == (20, 500)
    assert disks.system_size_range("cloud_essd", "PL0").minimum == 1
    assert disks.default_system_size(20) == 40 and disks.default_system_size(80) == 80


def test_devices():
    assert disks.free_data_device(set()) == "/dev/xvdb"
    assert disks.free_data_device({"/dev/xvdb", "/dev/xvdc"}) == "/dev/xvdd"
    assert disks.free_data_device(set(disks.DATA_DEVICES)) is None
    assert len(disks.DATA_DEVICES) == disks.MAX_DATA_DISKS == 16


@pytest.mark.parametrize("name, valid", [("web-01", True), ("a", False), ("1abc", False), ("http://x", False),
                                         ("数据盘", True), ("x" * 128, True), ("x" * 129, False)])
def test_names(name, valid):
    assert instances.valid_name(name) is valid


@pytest.mark.parametrize("host, windows, valid", [
    ("web-01", False, True), ("a.b.c", False, True), ("-web", False, False), ("a..b", False, False),
    ("web.", False, False), ("WIN-01", True, True), ("12345", True, False), ("win.host", True, False),
    ("x" * 16, True, False),
])
def test_host_names(host, windows, valid):
    assert instances.valid_host_name(host, windows=windows) is valid
