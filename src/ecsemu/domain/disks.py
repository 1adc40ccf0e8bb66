"""Disk rules: categories, size limits (spec C2), device names, what each action allows."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog.disk_categories import BASIC, BY_NAME, CATEGORIES, ESSD

MAX_DATA_DISKS = 16
SYSTEM_DEVICE = "/dev/xvda"
DATA_DEVICES = tuple(f"/dev/xvd{letter}" for letter in "bcdefghijklmnopq")  # 16 data disks

# Categories a disk can be made in, as data disk / as system disk (catalog/disk_categories.py).
DATA_CATEGORIES = tuple(category.name for category in CATEGORIES if category.data_sizes)
SYSTEM_CATEGORIES = tuple(category.name for category in CATEGORIES if category.system_sizes)
PERFORMANCE_LEVELS = ("PL0", "PL1", "PL2", "PL3")


@dataclass(frozen=True)
class SizeRange:
    minimum: int
    maximum: int

    def __contains__(self, size: int) -> bool:
        return self.minimum <= size <= self.maximum


_ESSD_MIN = {"PL0": 1, "PL1": 20, "PL2": 461, "PL3": 1261}


def data_size_range(category: str, performance_level: str | None = None) -> SizeRange:
    return _size_range(category, BY_NAME[category].data_sizes, performance_level)


def system_size_range(category: str, performance_level: str | None = None) -> SizeRange:
    return _size_range(category, BY_NAME[category].system_sizes, performance_level)


def _size_range(category: str, sizes: tuple[int, int] | None, performance_level: str | None) -> SizeRange:
    assert sizes is not None, f"no disk is made in {category}"
    minimum, maximum = sizes
    if category == ESSD:
        minimum = _ESSD_MIN[performance_level or "PL1"]
    return SizeRange(minimum, maximum)


def default_system_size(image_size: int) -> int:
    return max(40, image_size)


def free_data_device(used: set[str]) -> str | None:
    """The first data device name not in ``used``; None when all 16 are taken."""
    return next((device for device in DATA_DEVICES if device not in used), None)


# Statuses a disk must be in for each action (spec B11-B19, C2).
ATTACHABLE = ("Available",)
DETACHABLE = ("In_use",)
DETACHED_WITH_INSTANCE = ("Attaching", "In_use", "Detaching", "ReIniting",  # a kept disk, by DeleteInstance
                          "Modifying")
DELETABLE = ("Available",)
RESIZABLE = ("In_use", "Available")
RESIZABLE_ONLINE = ("In_use",)                 # ResizeDisk Type=online: attached, its instance Running
SPEC_CHANGEABLE = ("In_use", "Available")      # ModifyDiskSpec
SNAPSHOTTABLE = ("In_use", "Available")
MODIFIABLE = ("In_use", "Available", "Attaching", "Detaching", "ReIniting",  # ModifyDiskAttribute: not Creating
              "Modifying")
ATTACHED_AND_READY = ("In_use", "Modifying")   # StartInstance: a disk whose spec changes is still in use


def can_outlive_instance(category: str, portable: bool) -> bool:
    """Whether ``DeleteWithInstance=false`` may be set (ModifyDiskAttribute): not on a local
    disk, nor on a basic (``cloud``) disk that cannot be detached."""
    return not BY_NAME[category].local and (category != BASIC or portable)


def resizes_online(category: str) -> bool:
    """Whether ResizeDisk ``Type=online`` takes the category (not basic or local disks)."""
    return BY_NAME[category].online_resize


def has_bursting(category: str) -> bool:
    """Whether the category takes ``BurstingEnabled`` (ESSD AutoPL disks)."""
    return BY_NAME[category].bursting


def serial_number(disk_id: str) -> str:
    """The disk's serial number (DescribeDisks' ``SerialNumber``, the metadata's
    ``disks/<serial>/``, what a guest sees in /dev/disk/by-id): its ID without ``d-``."""
    return disk_id[2:]
