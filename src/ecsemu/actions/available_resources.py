"""DescribeAvailableResource: what each zone of a region offers (zones, I/O optimisation,
instance types, networks, system and data disk categories), from the table DescribeZones
also reads (catalog/offers.py), narrowed by the rules of domain/availability.py."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..catalog.offers import offer_of
from ..catalog.regions import REGIONS_BY_ID
from ..domain import availability
from ..domain.availability import Query, Supported
from .common import REGION_ID
from .declaration import Action, Args, CallContext
from .params import Param, Type

FAMILY = "Regions"
NETWORK_CATEGORIES = ("vpc", "classic", "Vpc", "Classic")


def describe_available_resource(ctx: CallContext, args: Args) -> dict[str, Any]:
    network = args["NetworkCategory"]
    query = Query(
        destination=args["DestinationResource"], resource_type=args["ResourceType"],
        instance_type=args["InstanceType"], io_optimized=args["IoOptimized"],
        network_category=network and network.lower(), system_disk_category=args["SystemDiskCategory"],
        data_disk_category=args["DataDiskCategory"], cores=args["Cores"], memory=args["Memory"],
        dedicated_host_id=args["DedicatedHostId"])
    availability.check(query)
    region_id = args["RegionId"]
    zones = []
    for zone in REGIONS_BY_ID[region_id].zones:
        if args["ZoneId"] not in (None, zone.zone_id):
            continue
        found = availability.supported(zone.zone_id, offer_of(zone.zone_id), query)
        if found:
            zones.append(_zone_view(region_id, zone.zone_id, query.destination, found))
    return {"AvailableZones": {"AvailableZone": zones}}


def _zone_view(region_id: str, zone_id: str, destination: str, found: list[Supported]) -> dict[str, Any]:
    return {
        "ZoneId": zone_id,
        "RegionId": region_id,
        "Status": "Available",
        "StatusCategory": "WithStock",
        "AvailableResources": {"AvailableResource": [{
            "Type": destination,
            "SupportedResources": {"SupportedResource": [_supported_view(item) for item in found]},
        }]},
    }


def _supported_view(item: Supported) -> dict[str, Any]:
    view: dict[str, Any] = {"Value": item.value, "Status": "Available", "StatusCategory": "WithStock"}
    if item.sizes is not None:
        view.update(Min=item.sizes[0], Max=item.sizes[1], Unit=availability.SIZE_UNIT)
    return view


ACTIONS = (
    Action(
        name="DescribeAvailableResource",
        family=FAMILY,
        summary="Lists what each zone offers: zones, instance types, networks, system and data disk categories.",
        params=(
            REGION_ID,
            Param("DestinationResource", required=True, enum=availability.DESTINATIONS,
                  invalid=errors.AVAILABLE_DESTINATION_INVALID, missing=errors.AVAILABLE_DESTINATION_MISSING,
                  description="What to list: Zone, IoOptimized, InstanceType, Network, ddh, SystemDisk, DataDisk."),
            Param("ZoneId", description="Only this zone."),
            Param("InstanceChargeType", enum=("PrePaid", "PostPaid"), default="PostPaid",
                  invalid=errors.AVAILABLE_CHARGE_TYPE_INVALID,
                  description="Billing method; every zone sells everything either way."),
            Param("SpotStrategy", enum=("NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"), default="NoSpot",
                  invalid=errors.AVAILABLE_SPOT_STRATEGY_INVALID,
                  description="Preemptible policy (PostPaid); every type is sold as spot too."),
            Param("SpotDuration", type=Type.INTEGER, minimum=0, maximum=6,
                  description="Spot protection hours; every duration is sold."),
            Param("IoOptimized", enum=("none", "optimized"), default="optimized",
                  invalid=errors.AVAILABLE_IO_OPTIMIZED_INVALID,
                  description="optimized (every type here is) or none (nothing)."),
            Param("InstanceType", description="Only this instance type (required for SystemDisk and DataDisk)."),
            Param("SystemDiskCategory", description="Only with this system disk category."),
            Param("DataDiskCategory", description="Only with this data disk category."),
            # The Terraform provider sends its network_type as configured: Vpc or Classic.
            Param("NetworkCategory", enum=NETWORK_CATEGORIES, invalid=errors.AVAILABLE_NETWORK_CATEGORY_INVALID,
                  description="vpc (every zone), or classic (retired: nothing); any case."),
            Param("Cores", type=Type.INTEGER, description="vCPUs (DestinationResource=InstanceType only)."),
            Param("Memory", type=Type.FLOAT, description="GiB (DestinationResource=InstanceType only)."),
            Param("ResourceType", enum=availability.RESOURCE_TYPES, default="instance",
                  invalid=errors.AVAILABLE_RESOURCE_TYPE_INVALID,
                  description="instance, disk (disks on their own), reservedinstance, ddh (none sold)."),
            Param("DedicatedHostId", description="A dedicated host: none exist here."),
            Param("Scope", enum=("Region", "Zone"), invalid=errors.AVAILABLE_SCOPE_INVALID,
                  description="Reserved instance scope; every zone sells either."),
        ),
        handler=describe_available_resource,
        raises=(errors.AVAILABLE_CORES_NOT_EMPTY,
                errors.AVAILABLE_MEMORY_NOT_EMPTY, errors.AVAILABLE_TYPE_AND_CPU_MEMORY,
                errors.DEDICATED_HOST_NOT_FOUND, errors.MISSING_PARAMETER),
    ),
)
