"""Tags and resource groups of the VPC product's resources (2016-04-28): TagResources,
UnTagResources (capital T, as the VPC API spells it), ListTagResources, MoveResourceGroup.

The same tags as ECS's tag actions write (store/tags.py), under the same rules; only the
kinds differ (store/tagged.py VPC_KINDS: VPCs, vSwitches, route tables). A route table's
resource group is its VPC's.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..domain import tags as rules
from ..store import tagged
from . import tags as shared
from .common import REGION_ID
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Tags and resource groups"
LIST_DEFAULT, LIST_MAX = 50, 50     # ListTagResources MaxResults
_BY_NAME = {name.lower(): name for name in rules.VPC_RESOURCE_TYPES}


def _kind(resource_type: str) -> tuple[str, tagged.TaggedKind | None]:
    """The type as the API spells it (any case is read) and where ecsemu keeps its
    resources (None: a type of the API ecsemu holds none of)."""
    name = _BY_NAME.get(resource_type.lower())
    if name is None:
        raise errors.RESOURCE_TYPE_NOT_FOUND()
    return name, tagged.VPC_KINDS.get(name.lower())


def tag_resources(ctx: CallContext, args: Args) -> dict[str, Any]:
    return shared.tag_all(ctx, _kind(args["ResourceType"])[1], args)


def untag_resources(ctx: CallContext, args: Args) -> dict[str, Any]:
    return shared.untag_all(ctx, _kind(args["ResourceType"])[1], args)


def list_tag_resources(ctx: CallContext, args: Args) -> dict[str, Any]:
    name, kind = _kind(args["ResourceType"])
    return shared.list_tags(ctx, name, kind, args, args["MaxResults"])


def move_resource_group(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Moves a VPC or a vSwitch into the group (from whichever it was in)."""
    resource_type = args["ResourceType"].lower()
    if resource_type not in rules.VPC_GROUP_RESOURCE_TYPES:
        raise errors.RESOURCE_TYPE_NOT_FOUND()
    shared.move_to_group(ctx, tagged.VPC_KINDS.get(resource_type), args["RegionId"], args["ResourceId"],
                         args["NewResourceGroupId"])
    return {}


# --- declarations ------------------------------------------------------------------------------

TYPES = ", ".join(rules.VPC_RESOURCE_TYPES)
RESOURCE_TYPE = Param("ResourceType", required=True, description=f"The resources' type (any case): {TYPES}.")
RESOURCE_IDS = Param("ResourceId", kind=Kind.LIST, required=True, max_items=rules.MAX_RESOURCES_PER_CALL,
                     invalid=errors.TOO_MANY_RESOURCE_IDS, description="Resource IDs, 1 to 50, all in the region.")

ACTIONS = (
    Action("TagResources", FAMILY, "Sets tags on 1-50 VPC resources of one type (at most 20 tags a resource).",
           params=(REGION_ID, RESOURCE_TYPE, RESOURCE_IDS, shared.TAGS_TO_SET),
           handler=tag_resources, raises=shared.TAG_RAISES),
    Action("UnTagResources", FAMILY, "Removes tags (by key, or All) from 1-50 VPC resources of one type.",
           params=(REGION_ID, RESOURCE_TYPE, RESOURCE_IDS, *shared.KEYS_TO_REMOVE),
           handler=untag_resources, raises=shared.UNTAG_RAISES),
    Action("ListTagResources", FAMILY, "Lists the tags of VPC resources of one type, by ID and/or by tag "
                                       "(NextToken paging).",
           params=(REGION_ID, RESOURCE_TYPE, shared.LISTED_IDS, shared.HOLDING_TAGS,
                   Param("NextToken", description="Where the previous page ended."),
                   Param("MaxResults", type=Type.INTEGER, default=LIST_DEFAULT, minimum=1, maximum=LIST_MAX,
                         description=f"Entries a page, 1 to {LIST_MAX}; default {LIST_DEFAULT}.")),
           handler=list_tag_resources, raises=shared.LIST_RAISES),
    Action("MoveResourceGroup", FAMILY, "Moves a VPC or a vSwitch into a resource group.",
           params=(REGION_ID,
                   Param("ResourceType", required=True, description="vpc, vswitch, eip, bandwidthpackage, ... "
                                                                    "(any case)."),
                   Param("ResourceId", required=True, description="The resource."),
                   Param("NewResourceGroupId", required=True, description="The resource group, rg-….")),
           handler=move_resource_group,
           raises=(errors.RESOURCE_TYPE_NOT_FOUND, errors.RESOURCE_GROUP_NOT_FOUND, errors.JOIN_RESOURCE_NOT_FOUND)),
)
