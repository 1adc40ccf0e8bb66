"""Disk categories, written once: every category the API names, which of them a disk can
be made in here (as a data disk, as a system disk), which a zone advertises in
DescribeZones, and their size ranges (spec C2). Everything else derives from this table:
domain/disks.py's category lists and size ranges, DescribeZones, the DescribeDisks filter.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DiskCategory:
    name: str
    data_sizes: tuple[int, int] | None = None    # GiB as a data disk; None: not made here
    system_sizes: tuple[int, int] | None = None  # GiB as a system disk; None: not made here
    advertised: bool = False                     # listed by DescribeZones
    bursting: bool = False                       # has performance burst (BurstingEnabled)
    local: bool = False                          # a local disk: released with its instance, always
    instant_access: bool = False                 # its snapshots have instant access (the ESSD family)
    online_resize: bool = False                  # ResizeDisk Type=online takes it
    speed: int | None = None                     # ModifyDiskSpec: rank, fastest 1; None: its category stays
    changes_to: tuple[str, ...] | None = None    # ModifyDiskSpec: the categories it may become; None: any ranked

    @property
    def makeable(self) -> bool:
        return self.data_sizes is not None or self.system_sizes is not None


# ESSD's ranges depend on the performance level; the minimum is per level (domain/disks.py).
CATEGORIES: tuple[DiskCategory, ...] = (
    DiskCategory("cloud", data_sizes=(5, 2000), system_sizes=(20, 500)),
    DiskCategory("cloud_efficiency", data_sizes=(20, 32768), system_sizes=(20, 2048), advertised=True,
                 online_resize=True, speed=5),
    DiskCategory("cloud_ssd", data_sizes=(20, 32768), system_sizes=(20, 2048), advertised=True,
                 online_resize=True, speed=3),
    DiskCategory("cloud_essd", data_sizes=(20, 65536), system_sizes=(20, 2048), advertised=True,
                 online_resize=True, speed=1, instant_access=True),
    DiskCategory("cloud_auto", data_sizes=(1, 65536), system_sizes=(1, 2048), advertised=True,
                 bursting=True, online_resize=True, speed=2, instant_access=True),
    # ESSD Entry changes only to ESSD or ESSD AutoPL (ModifyDiskSpec's DiskCategory).
    DiskCategory("cloud_essd_entry", data_sizes=(10, 32768), system_sizes=(20, 2048), online_resize=True,
                 speed=4, changes_to=("cloud_essd", "cloud_auto"), instant_access=True),
    # named by the API (DescribeDisks' Category), never made here
    DiskCategory("cloud_regional_disk_auto", bursting=True),
    DiskCategory("elastic_ephemeral_disk_standard"),
    DiskCategory("elastic_ephemeral_disk_premium"),
    DiskCategory("local_ssd_pro", local=True),
    DiskCategory("local_hdd_pro", local=True),
    DiskCategory("ephemeral", local=True),
    DiskCategory("ephemeral_ssd", local=True),
)
BY_NAME = {category.name: category for category in CATEGORIES}

ALL_NAMES: tuple[str, ...] = tuple(category.name for category in CATEGORIES)
SYSTEM_DISK_CATEGORIES: tuple[str, ...] = tuple(c.name for c in CATEGORIES if c.advertised and c.system_sizes)
DATA_DISK_CATEGORIES: tuple[str, ...] = tuple(c.name for c in CATEGORIES if c.advertised and c.data_sizes)
DEFAULT_DISK_CATEGORY = "cloud"                 # CreateDisk's DiskCategory
BASIC = "cloud"                                 # the basic disk: one not portable goes with its instance
DEFAULT_INSTANCE_DISK_CATEGORY = "cloud_efficiency"  # RunInstances' SystemDisk.Category, DataDisk.N.Category
ESSD = "cloud_essd"                             # the category with performance levels

# ModifyDiskSpec's DiskCategory values, fastest first (the API reference lists them so: a
# subscription disk may only move up this list). Basic, regional, elastic ephemeral and local
# disks keep their category.
SPEC_CATEGORIES: tuple[str, ...] = tuple(c.name for c in sorted(CATEGORIES, key=lambda c: c.speed or 0) if c.speed)


def spec_targets(name: str) -> tuple[str, ...]:
    """The categories a disk of ``name`` may be changed to (none: it keeps its category)."""
    category = BY_NAME[name]
    if category.speed is None:
        return ()
    return category.changes_to if category.changes_to is not None else \
        tuple(other for other in SPEC_CATEGORIES if other != name)
