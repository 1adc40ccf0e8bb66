"""What a zone sells: instance types, disk categories (as system and as data disks),
network types, I/O optimisation. DescribeZones and DescribeAvailableResource both read it,
so the two always agree.

Every zone of every region sells every advertised disk category, and every catalogued
instance type but the families a zone no longer sells (``instance_types.NOT_SOLD_IN``, which
ModifyInstanceSpec checks too), for every billing method; nothing is sold out
(docs/decisions.md, "Zones and instance types").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .disk_categories import BY_NAME, DATA_DISK_CATEGORIES, SYSTEM_DISK_CATEGORIES, DiskCategory
from .instance_types import INSTANCE_TYPES, NOT_SOLD_IN, InstanceType, offered_in


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


# The zones that sell less than every type, each with its own offer.
_NARROWER: dict[str, Offer] = {
    zone_id: replace(EVERY_ZONE, instance_types=tuple(t for t in INSTANCE_TYPES if offered_in(t, zone_id)))
    for zone_id in NOT_SOLD_IN}


def offer_of(zone_id: str) -> Offer:
    """What the zone sells."""
    return _NARROWER.get(zone_id, EVERY_ZONE)
