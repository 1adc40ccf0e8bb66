"""DescribeRegions and DescribeZones of the VPC product, over the same catalogue as ECS's
(regions.py): the same regions and zones, in the VPC API's shapes."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..catalog.regions import REGION_IDS, REGION_NAMES, REGIONS_BY_ID
from .declaration import Action, Args, CallContext
from .params import Param
from .regions import ACCEPT_LANGUAGE

FAMILY = "Regions"


def describe_regions(ctx: CallContext, args: Args) -> dict[str, Any]:
    # Pointing back at the emulator keeps SDKs that follow RegionEndpoint on the emulator.
    return {"Regions": {"Region": [
        {"RegionId": region_id, "LocalName": name, "RegionEndpoint": ctx.endpoint}
        for region_id, name in REGION_NAMES[args["AcceptLanguage"]]
    ]}}


def describe_zones(ctx: CallContext, args: Args) -> dict[str, Any]:
    language = args["AcceptLanguage"]
    return {"Zones": {"Zone": [
        {"ZoneId": zone.zone_id, "LocalName": zone.local_name(language), "ZoneType": "AvailabilityZone"}
        for zone in REGIONS_BY_ID[args["RegionId"]].zones
    ]}}


ACTIONS = (
    Action("DescribeRegions", FAMILY, "Lists the regions where VPCs can be made, each with its endpoint.",
           params=(ACCEPT_LANGUAGE,
                   Param("ProductType", description="A product whose regions to list; every region has each.")),
           handler=describe_regions),
    Action("DescribeZones", FAMILY, "Lists the zones of a region, where vSwitches can be made.",
           params=(Param("RegionId", required=True, enum=REGION_IDS, invalid=errors.REGION_NOT_FOUND,
                         description="The region whose zones to list."),
                   Param("ZoneType", enum=("AvailabilityZone",), default="AvailabilityZone",
                         description="Zone type: AvailabilityZone (the only kind here)."),
                   ACCEPT_LANGUAGE),
           handler=describe_zones),
)
