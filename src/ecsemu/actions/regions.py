"""DescribeRegions and DescribeZones, over the fixed catalogue."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..catalog.offers import offer_of
from ..catalog.regions import ACCEPT_LANGUAGES, REGION_IDS, REGION_NAMES, REGIONS_BY_ID, Zone
from .declaration import Action, Args, CallContext
from .params import Param, Type

ACCEPT_LANGUAGE = Param(
    "AcceptLanguage", enum=ACCEPT_LANGUAGES, default="zh-CN",
    invalid=errors.ACCEPT_LANGUAGE_NOT_FOUND,
    description="Language of the returned LocalName.")


def describe_regions(ctx: CallContext, args: Args) -> dict[str, Any]:
    # Pointing back at the emulator keeps SDKs that follow RegionEndpoint on the emulator.
    endpoint = ctx.endpoint
    return {"Regions": {"Region": [
        {"RegionId": region_id, "LocalName": name, "RegionEndpoint": endpoint, "Status": "available"}
        for region_id, name in REGION_NAMES[args["AcceptLanguage"]]
    ]}}


def describe_zones(ctx: CallContext, args: Args) -> dict[str, Any]:
    language = args["AcceptLanguage"]
    region = REGIONS_BY_ID[args["RegionId"]]
    if args["Verbose"]:
        zones = [_zone_details(zone, language) for zone in region.zones]
    else:
        zones = [{"ZoneId": z.zone_id, "LocalName": z.local_name(language)} for z in region.zones]
    return {"Zones": {"Zone": zones}}


def _zone_details(zone: Zone, language: str) -> dict[str, Any]:
    """What the zone sells, from the table DescribeAvailableResource also reads."""
    offer = offer_of(zone.zone_id)
    type_ids = [t.type_id for t in offer.instance_types]
    data_disks = [c.name for c in offer.data_disks]
    return {
        "ZoneId": zone.zone_id,
        "LocalName": zone.local_name(language),
        "ZoneType": "AvailabilityZone",
        "AvailableResourceCreation": {"ResourceTypes": list(offer.creatable)},
        "AvailableDiskCategories": {"DiskCategories": data_disks},
        "AvailableVolumeCategories": {"VolumeCategories": data_disks},
        "AvailableInstanceTypes": {"InstanceTypes": type_ids},
        "AvailableDedicatedHostTypes": {"DedicatedHostType": []},
        "DedicatedHostGenerations": {"DedicatedHostGeneration": []},
        # The real API spells these inner list keys with a lower-case first letter.
        "AvailableResources": {"ResourcesInfo": [{
            "IoOptimized": "optimized" in offer.io_optimized,
            "SystemDiskCategories": {"supportedSystemDiskCategory": [c.name for c in offer.system_disks]},
            "DataDiskCategories": {"supportedDataDiskCategory": data_disks},
            "NetworkTypes": {"supportedNetworkCategory": list(offer.network_types)},
            "InstanceTypes": {"supportedInstanceType": type_ids},
            "InstanceTypeFamilies": {"supportedInstanceTypeFamily": list(dict.fromkeys(
                t.family for t in offer.instance_types))},
            "InstanceGenerations": {"supportedInstanceGeneration": list(dict.fromkeys(
                t.generation for t in offer.instance_types))},
        }]},
    }


ACTIONS = (
    Action(
        name="DescribeRegions",
        family="Regions",
        summary="Lists the regions, each with the endpoint to call it at.",
        params=(
            ACCEPT_LANGUAGE,
            Param("InstanceChargeType", enum=("PrePaid", "PostPaid", "SpotWithPriceLimit", "SpotAsPriceGo"),
                  default="PostPaid", invalid=errors.INSTANCE_CHARGE_TYPE_NOT_FOUND,
                  description="Billing method whose regions to list; every region sells every method here."),
            Param("ResourceType", enum=("instance", "disk", "reservedinstance", "scu"), default="instance",
                  invalid=errors.RESOURCE_TYPE_NOT_FOUND,
                  description="Resource type whose regions to list; every region sells every type here."),
        ),
        handler=describe_regions,
    ),
    Action(
        name="DescribeZones",
        family="Regions",
        summary="Lists the zones of a region and what can be created in each.",
        params=(
            Param("RegionId", required=True, enum=REGION_IDS, invalid=errors.REGION_NOT_FOUND,
                  description="The region whose zones to list."),
            ACCEPT_LANGUAGE,
            Param("InstanceChargeType", enum=("PrePaid", "PostPaid"), default="PostPaid",
                  invalid=errors.INSTANCE_CHARGE_TYPE_NOT_FOUND, description="Billing method."),
            Param("SpotStrategy", enum=("NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"), default="NoSpot",
                  invalid=errors.INVALID_SPOT_STRATEGY, description="Preemptible policy."),
            Param("Verbose", type=Type.BOOLEAN, default=True,
                  description="Whether to return the resources each zone offers, or only IDs and names."),
        ),
        handler=describe_zones,
    ),
)
