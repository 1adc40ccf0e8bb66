"""Disk rules: categories, size limits (spec C2), device names, what each action allows."""

from __future__ import annotations

from dataclasses import dataclass

MAX_DATA_DISKS = 16
SYSTEM_DEVICE = "/dev/xvda"
DATA_DEVICES = tuple(f"/dev/xvd{letter}" for letter in "bcdefghijklmnopq")  # 16 data disks

# Categories a disk can be made in, as data disk / as system disk.
DATA_CATEGORIES = ("cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry")
SYSTEM_CATEGORIES = ("cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry")
PERFORMANCE_LEVELS = ("PL0", "PL1", "PL2", "PL3")


@dataclass(frozen=True)
class SizeRange:
    minimum: int
    maximum: int

    def __contains__(self, size: int) -> bool:
        return self.minimum <= size <= self.maximum


_ESSD_MIN = {"PL0": 1, "PL1": 20, "PL2": 461, "PL3": 1261}


def data_size_range(category: str, performance_level: str | None = None) -> SizeRange:
    if category == "cloud":
        return SizeRange(5, 2000)
    if category == "cloud_essd":
        return SizeRange(_ESSD_MIN[performance_level or "PL1"], 65536)
    if category == "cloud_auto":
        return SizeRange(1, 65536)
    if category == "cloud_essd_entry":
        return SizeRange(10, 32768)
    return SizeRange(20, 32768)  # cloud_efficiency, cloud_ssd


def system_size_range(category: str, performance_level: str | None = None) -> SizeRange:
    if category == "cloud":
        return SizeRange(20, 500)
    if category == "cloud_essd":
        return SizeRange(_ESSD_MIN[performance_level or "PL1"], 2048)
    if category == "cloud_auto":
        return SizeRange(1, 2048)
    return SizeRange(20, 2048)


def default_system_size(image_size: int) -> int:
    return max(40, image_size)


def free_data_device(used: set[str]) -> str | None:
    """The first data device name not in ``used``; None when all 16 are taken."""
    return next((device for device in DATA_DEVICES if device not in used), None)


# Statuses a disk must be in for each action (spec B11-B19, C2).
ATTACHABLE = ("Available",)
DETACHABLE = ("In_use",)
DELETABLE = ("Available",)
RESIZABLE = ("In_use", "Available")
SNAPSHOTTABLE = ("In_use", "Available")
