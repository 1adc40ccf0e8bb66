"""DescribeAvailableResource's rules over plain values: which parameters go together
(``check``), and what each zone offers for a query (``supported``), read from what the zone
sells (catalog/offers.py), the same table DescribeZones reads.

``DestinationResource`` names what to list: Zone, IoOptimized, InstanceType, Network, ddh,
SystemDisk, DataDisk (in that order of how much must be said first). The other parameters
narrow it: a zone is listed only when it sells something that fits all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import errors
from ..catalog.disk_categories import DEFAULT_INSTANCE_DISK_CATEGORY
from ..catalog.offers import Offer

DESTINATIONS = ("Zone", "IoOptimized", "InstanceType", "Network", "ddh", "SystemDisk", "DataDisk")
RESOURCE_TYPES = ("instance", "disk", "reservedinstance", "ddh")
SIZE_UNIT = "GiB"


@dataclass(frozen=True)
class Query:
    destination: str
    resource_type: str = "instance"
    instance_type: str | None = None
    io_optimized: str = "optimized"
    network_category: str | None = None
    system_disk_category: str | None = None
    data_disk_category: str | None = None
    cores: int | None = None
    memory: float | None = None
    dedicated_host_id: str | None = None


@dataclass(frozen=True)
class Supported:
    value: str
    sizes: tuple[int, int] | None = None   # (Min, Max) GiB: disks only


def check(query: Query) -> None:
    """The combinations the real service refuses, in its order."""
    if query.destination != "InstanceType":
        if query.cores is not None:
            raise errors.AVAILABLE_CORES_NOT_EMPTY()
        if query.memory is not None:
            raise errors.AVAILABLE_MEMORY_NOT_EMPTY()
    elif query.instance_type is not None and (query.cores is not None or query.memory is not None):
        raise errors.AVAILABLE_TYPE_AND_CPU_MEMORY()
    if query.dedicated_host_id is not None:  # no dedicated hosts are sold here
        raise errors.DEDICATED_HOST_NOT_FOUND()
    if _with_instance(query) and query.destination in ("SystemDisk", "DataDisk") and query.instance_type is None:
        # An instance type limits the disks it takes, so the type must be named.
        raise errors.MISSING_PARAMETER(name="InstanceType")


def supported(zone_id: str, offer: Offer, query: Query) -> list[Supported]:
    """What the zone offers of ``query.destination`` under the query's conditions; empty
    when nothing fits (the zone is then left out of the answer)."""
    if query.destination == "ddh" or query.resource_type == "ddh":
        return []  # no dedicated host types are sold
    if query.io_optimized not in offer.io_optimized:
        return []
    if query.network_category is not None and query.network_category not in offer.network_types:
        return []
    types = [t for t in offer.instance_types
             if query.instance_type in (None, t.type_id) and query.cores in (None, t.cpu_cores)
             and query.memory in (None, t.memory_gib)]
    system_category = query.system_disk_category
    if system_category is None and query.destination == "DataDisk" and _with_instance(query):
        system_category = DEFAULT_INSTANCE_DISK_CATEGORY  # the documented default
    system = [c for c in offer.system_disks if system_category in (None, c.name)]
    data = [c for c in offer.data_disks if query.data_disk_category in (None, c.name)]
    fits = bool(types and system and data) if _with_instance(query) else bool(data)
    if not fits:
        return []
    match query.destination:
        case "Zone":
            return [Supported(zone_id)]
        case "IoOptimized":
            return [Supported(value) for value in offer.io_optimized]
        case "Network":
            return [Supported(value) for value in offer.network_types]
        case "InstanceType":
            return [Supported(t.type_id) for t in types]
        case "SystemDisk":
            return [Supported(c.name, c.system_sizes) for c in system if c.system_sizes]
        case _:  # DataDisk
            return [Supported(c.name, c.data_sizes) for c in data if c.data_sizes]


def _with_instance(query: Query) -> bool:
    """Whether the query is about resources bought with an instance (or a reserved
    instance), rather than disks on their own."""
    return query.resource_type != "disk"
