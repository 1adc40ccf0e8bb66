"""Instance types over the catalogue: DescribeInstanceTypes (with every filter the real API
has), DescribeInstanceTypeFamilies, DescribeImageSupportInstanceTypes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import errors
from ..catalog.instance_types import FAMILIES, INSTANCE_TYPES
from ..domain import instance_types as rules
from ..store.images import find_image
from .common import NEXT_TOKEN, REGION_ID
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Instance types"
DEFAULT_MAX_RESULTS = 1600  # the whole catalogue in one page, as the real default
# Filter.N.Key values that name the image (the documented two, and the documented typo).
IMAGE_FILTER_KEYS = ("imageId", "imagId", "filter")


def describe_instance_types(ctx: CallContext, args: Args) -> dict[str, Any]:
    found = [entry for entry in map(rules.attributes, INSTANCE_TYPES) if rules.matches(entry, args)]
    start = _start_of(args["NextToken"], len(found))
    size = args["MaxResults"] or DEFAULT_MAX_RESULTS
    more = start + size < len(found)
    # The catalogue's order, the same on every call: the Terraform provider keeps it.
    return {"InstanceTypes": {"InstanceType": found[start:start + size]},
            "NextToken": str(start + size) if more else ""}


def _start_of(token: str | None, count: int) -> int:
    """Where a page starts: a NextToken this action handed out is the offset of the next
    entry; anything else is refused, as the other token-paged actions refuse one."""
    if not token:
        return 0
    if not (token.isascii() and token.isdigit() and len(token) <= 9) or int(token) > count:  # not '²'
        raise errors.INVALID_PARAMETER(name="NextToken")
    return int(token)


def describe_instance_type_families(ctx: CallContext, args: Args) -> dict[str, Any]:
    return {"InstanceTypeFamilies": {"InstanceTypeFamily": [
        {"InstanceTypeFamilyId": family.family_id, "Generation": family.generation}
        for family in FAMILIES if args["Generation"] in (None, family.generation)]}}


def describe_image_support_instance_types(ctx: CallContext, args: Args) -> dict[str, Any]:
    image_id = args["ImageId"] or _image_of_filters(args["Filter"] or ())
    if image_id is None:
        raise errors.MISSING_PARAMETER(name="ImageId")
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        image = find_image(conn, ctx.account_id, args["RegionId"], image_id)
    if image is None or image.status != "Available":
        raise errors.IMAGE_SUPPORT_NOT_FOUND()
    return {
        "ImageId": image.image_id,
        "RegionId": args["RegionId"],
        "InstanceTypes": {"InstanceType": [
            {"InstanceTypeId": t.type_id, "InstanceTypeFamily": t.family, "CpuCoreCount": t.cpu_cores,
             "MemorySize": t.memory_gib}
            for t in INSTANCE_TYPES if rules.supports_image(t, image.architecture)]},
    }


def _image_of_filters(filters: Sequence[dict[str, Any]]) -> str | None:
    """The image a ``Filter.N`` names (its older way of naming it); any other key is refused."""
    image_id = None
    for item in filters:
        if item["Key"] not in IMAGE_FILTER_KEYS:
            raise errors.IMAGE_SUPPORT_INVALID()
        image_id = image_id or item["Value"]
    return image_id


# --- declarations --------------------------------------------------------------------------

def _filter_params() -> tuple[Param, ...]:
    """DescribeInstanceTypes' filters, from the rules' tables."""
    equals = tuple(Param(name, description=f"Only types whose {attribute} is this.")
                   for name, attribute in rules.EQUALS.items())
    any_of = tuple(Param(name, kind=Kind.LIST, max_items=10,
                         description=f"Only types whose {attribute} is one of these.")
                   for name, attribute in rules.ANY_OF.items())
    bounds = tuple(Param(b.param, type=Type.INTEGER if b.integer else Type.FLOAT,
                         description=f"Only types whose {b.attribute} is {'at least' if b.at_least else 'at most'} "
                                     "this.")
                   for b in rules.BOUNDS)
    return equals + any_of + bounds


ACTIONS = (
    Action("DescribeInstanceTypes", FAMILY, "Lists instance types with their vCPUs, memory, network and credits.",
           params=(*_filter_params(), NEXT_TOKEN,
                   Param("MaxResults", type=Type.INTEGER, minimum=1, maximum=1600,
                         description=f"Entries a page, default {DEFAULT_MAX_RESULTS}.")),
           handler=describe_instance_types, raises=(errors.INVALID_PARAMETER,)),
    Action("DescribeInstanceTypeFamilies", FAMILY, "Lists the instance families, each with its generation.",
           params=(REGION_ID, Param("Generation", description="Only this generation, e.g. ecs-5.")),
           handler=describe_instance_type_families),
    Action("DescribeImageSupportInstanceTypes", FAMILY, "Lists the instance types an image runs on.",
           params=(REGION_ID, Param("ImageId", description="The image."),
                   Param("ActionType", enum=("CreateEcs", "ChangeOS"), default="CreateEcs",
                         invalid=errors.IMAGE_SUPPORT_INVALID,
                         description="Creating an instance or replacing its system disk: the same types here."),
                   Param("Filter", kind=Kind.OBJECT_LIST, max_items=10, fields=(
                       Param("Key", description="imageId or filter: the image, another way."),
                       Param("Value", description="The image ID."),
                   ), description="The older way to name the image.")),
           handler=describe_image_support_instance_types,
           raises=(errors.MISSING_PARAMETER, errors.IMAGE_SUPPORT_NOT_FOUND, errors.IMAGE_SUPPORT_INVALID)),
)
