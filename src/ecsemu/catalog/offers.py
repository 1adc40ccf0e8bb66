"""What a zone sells: instance types, disk categories (as system and as data disks),
network types, I/O optimisation. DescribeZones and DescribeAvailableResource both read it,
so the two always agree.

Every zone of every region sells every catalogued instance type and every advertised disk
category, for every billing method, and nothing is sold out (docs/decisions.md, "Zones and
instance types"): RunInstances and CreateDisk accept them all in any zone.
"""

from __future__ import annotations

from dataclasses import dataclass

from .disk_categories import BY_NAME, DATA_DISK_CATEGORIES, SYSTEM_DISK_CATEGORIES, DiskCategory
from .instance_types import INSTANCE_TYPES, InstanceType


@dataclass(frozen=True)
class Offer:
    instance_types: tuple[InstanceType, ...]
    system_disks: tuple[DiskCategory, ...]
    data_disks: tuple[DiskCategory, ...]
    network_types: tuple[str, ...] = ("vpc",)
    io_optimized: tuple[str, ...] = ("optimized",)
    # DescribeZones' AvailableResourceCreation
    creatable: tuple[str, ...] = ("VSwitch", "IoOptimized", "Instance", "Disk")


EVERY_ZONE = Offer(
    instance_types=INSTANCE_TYPES,
    system_disks=tuple(BY_NAME[name] for name in SYSTEM_DISK_CATEGORIES),
    data_disks=tuple(BY_NAME[name] for name in DATA_DISK_CATEGORIES),
)


def offer_of(zone_id: str) -> Offer:
    """What the zone sells (the same in every zone)."""
    return EVERY_ZONE
