"""Tags and resource groups of every resource kind: TagResources, UntagResources,
ListTagResources, DescribeTags, JoinResourceGroup.

A resource is named by ``ResourceType`` and ``ResourceId`` (a key pair by its name) within
the call's region; store/tagged.py says where each kind lives. The tags are those Tag.N of
the Create* actions set (store/tags.py), checked by the same rules (domain/tags.py). A
call changes every resource it names or none.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection

from .. import errors
from ..catalog.regions import REGION_IDS
from ..domain import resource_groups
from ..domain import tags as rules
from ..store import tagged
from ..store import tags as tag_store
from .common import PAGE_NUMBER, REGION_ID, tags_in
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Tags and resource groups"
LIST_PAGE = 50            # ListTagResources entries a page
MAX_TOKEN = 512           # characters of a NextToken: those handed out are far shorter


def _kind(resource_type: str) -> tuple[str, tagged.TaggedKind | None]:
    """The type as the API spells it (any case is read) and where ecsemu keeps its
    resources (None: a type of the API ecsemu holds none of)."""
    name = resource_type.lower()
    if name not in rules.RESOURCE_TYPES:
        raise errors.RESOURCE_TYPE_NOT_FOUND()
    return name, tagged.KINDS.get(name)


def _targets(conn: Connection, ctx: CallContext, kind: tagged.TaggedKind | None, region_id: str,
             resource_ids: list[str]) -> list[str]:
    """The tag keys (store/tags.py) of the resources named, each once; all must exist.
    Their rows stay locked until the call ends: its tag changes are one turn."""
    ids = list(dict.fromkeys(resource_ids))
    held = tagged.found(conn, kind, ctx.account_id, region_id, ids, lock=True) if kind is not None else {}
    if len(held) < len(ids):
        raise errors.RESOURCE_ID_NOT_FOUND()
    return [held[resource_id] for resource_id in ids]


# --- TagResources / UntagResources -----------------------------------------------------------

def tag_resources(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Sets the tags on every resource named: a key a resource holds takes the new value."""
    _, kind = _kind(args["ResourceType"])
    return tag_all(ctx, kind, args)


def tag_all(ctx: CallContext, kind: tagged.TaggedKind | None, args: Args) -> dict[str, Any]:
    """TagResources of either product, once the kind is known."""
    tags = tags_in(args)
    with ctx.emulator.unit_of_work() as conn:
        targets = _targets(conn, ctx, kind, args["RegionId"], args["ResourceId"])
        held = tag_store.tags_of(conn, targets)
        if any(rules.over_quota(rules.merged(held.get(target, []), tags)) for target in targets):
            raise errors.TAG_QUOTA_EXCEEDED()
        for target in targets:
            tag_store.add_tags(conn, target, tags)
    return {}


def untag_resources(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Removes the keys named (those a resource does not hold are passed over), or with
    All=true and no key every tag."""
    _, kind = _kind(args["ResourceType"])
    return untag_all(ctx, kind, args)


def untag_all(ctx: CallContext, kind: tagged.TaggedKind | None, args: Args) -> dict[str, Any]:
    """UntagResources (UnTagResources of the VPC product), once the kind is known."""
    keys = list(dict.fromkeys(args["TagKey"] or ()))
    if not keys and not args["All"]:
        raise errors.MISSING_TAGS()
    with ctx.emulator.unit_of_work() as conn:
        for target in _targets(conn, ctx, kind, args["RegionId"], args["ResourceId"]):
            if keys:
                tag_store.remove_keys(conn, target, keys)
            else:
                tag_store.forget(conn, target)
    return {}


# --- ListTagResources ------------------------------------------------------------------------

def list_tag_resources(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Every tag of the resources that are among ResourceId.N (when given), hold every
    Tag.N and meet every TagFilter.N; by resource then key, LIST_PAGE a page."""
    name, kind = _kind(args["ResourceType"])
    return list_tags(ctx, name, kind, args, LIST_PAGE)


def list_tags(ctx: CallContext, name: str, kind: tagged.TaggedKind | None, args: Args,
              page: int) -> dict[str, Any]:
    """ListTagResources of either product, once the kind is known: ``page`` entries a page,
    each entry's ResourceType written ``name``."""
    wanted, filters = args["Tag"], args.get("TagFilter")
    if wanted and filters:
        raise errors.INVALID_PARAMETER(name="TagFilter")
    if any(not tag["Key"] for tag in wanted or ()):
        raise errors.INVALID_TAG_KEY()
    if not (args["ResourceId"] or wanted or filters):
        raise errors.MISSING_TAGS()
    after = _decode(args["NextToken"]) if args["NextToken"] else None
    if kind is None:
        rows: list[Any] = []
    else:
        with ctx.emulator.unit_of_work(read_only=True) as conn:
            rows = tagged.tag_entries(conn, kind, ctx.account_id, args["RegionId"], public_ids=args["ResourceId"],
                                      wanted=wanted, tag_filters=filters, after=after, limit=page + 1)
    more = len(rows) > page
    rows = rows[:page]
    return {
        "NextToken": _encode(rows[-1].public_id, rows[-1].tag_key) if more else "",
        "TagResources": {"TagResource": [{"ResourceId": row.public_id, "ResourceType": name, "TagKey": row.tag_key,
                                          "TagValue": row.tag_value} for row in rows]},
    }


def _encode(public_id: str, tag_key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([public_id, tag_key]).encode()).decode()


def _decode(token: str) -> tuple[str, str]:
    try:
        if len(token) > MAX_TOKEN:
            raise ValueError(token)
        public_id, tag_key = json.loads(base64.urlsafe_b64decode(token.encode()))
        if not isinstance(public_id, str) or not isinstance(tag_key, str):
            raise ValueError(token)
        return public_id, tag_key
    except (ValueError, TypeError, RecursionError):
        raise errors.INVALID_PARAMETER(name="NextToken") from None


# --- DescribeTags ----------------------------------------------------------------------------

def describe_tags(ctx: CallContext, args: Args) -> dict[str, Any]:
    """The tags the account's resources in the region hold, each (key, value) once with how
    many resources of each type hold it; only those of ResourceType and ResourceId when
    given, and of those only the tags matching one of Tag.N (the key, and the value when
    given). No platform tags here: Category=System finds none."""
    kinds = dict([_kind(args["ResourceType"])]) if args["ResourceType"] else dict(tagged.KINDS)
    wanted = args["Tag"] or []
    if any(not tag["Key"] for tag in wanted):
        raise errors.INVALID_TAG_KEY()
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    if args["Category"] != "System":
        with ctx.emulator.unit_of_work(read_only=True) as conn:
            for name, kind in kinds.items():
                if kind is None:
                    continue
                for key, value, n in tagged.tag_counts(conn, kind, ctx.account_id, args["RegionId"],
                                                       public_id=args["ResourceId"]):
                    counts[(key, value)][rules.COUNT_FIELDS[name]] = n
    found = sorted(pair for pair in counts if not wanted or any(
        pair[0] == tag["Key"] and tag["Value"] in (None, pair[1]) for tag in wanted))
    number, size = args["PageNumber"], args["PageSize"]
    return {
        "Tags": {"Tag": [{"TagKey": key, "TagValue": value,
                          "ResourceTypeCount": {field: counts[(key, value)].get(field, 0)
                                                for field in rules.COUNT_FIELDS.values()}}
                         for key, value in found[(number - 1) * size:number * size]]},
        "TotalCount": len(found), "PageNumber": number, "PageSize": size,
    }


# --- JoinResourceGroup -----------------------------------------------------------------------

def join_resource_group(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Moves the resource into the group (from whichever it was in)."""
    for name in ("ResourceId", "ResourceGroupId", "RegionId"):
        if not args[name]:
            raise errors.JOIN_MISSING_PARAMETER(name=name)
    if args["ResourceType"] not in resource_groups.RESOURCE_TYPES:
        raise errors.RESOURCE_TYPE_NOT_FOUND()
    move_to_group(ctx, tagged.KINDS.get(args["ResourceType"]), args["RegionId"], args["ResourceId"],
                  args["ResourceGroupId"])
    return {}


def move_to_group(ctx: CallContext, kind: tagged.TaggedKind | None, region_id: str, resource_id: str,
                  group_id: str) -> None:
    """Moves the resource of ``kind`` (None: a type ecsemu holds none of) into the group:
    JoinResourceGroup's and the VPC product's MoveResourceGroup's common part."""
    if not resource_groups.exists(group_id):
        raise errors.RESOURCE_GROUP_NOT_FOUND()
    with ctx.emulator.unit_of_work() as conn:
        if kind is None or not tagged.set_resource_group(conn, kind, ctx.account_id, region_id, resource_id,
                                                         group_id):
            raise errors.JOIN_RESOURCE_NOT_FOUND()


# --- declarations ------------------------------------------------------------------------------

TYPES = ", ".join(rules.RESOURCE_TYPES)
RESOURCE_TYPE = Param("ResourceType", required=True, description=f"The resources' type (any case): {TYPES}.")
RESOURCE_IDS = Param("ResourceId", kind=Kind.LIST, required=True, max_items=rules.MAX_RESOURCES_PER_CALL,
                     invalid=errors.TOO_MANY_RESOURCE_IDS,
                     description="Resource IDs (a key pair's name), 1 to 50, all in the region.")
TAG_FIELDS = (Param("Key", description="Tag key: 1-128 characters, not aliyun… nor acs:…, no http(s)://."),
              Param("Value", description="Tag value: up to 128 characters, no http(s)://; may be empty."))
TAG_ERRORS = (errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE, errors.DUPLICATE_TAG_KEY)
# The parameters and errors the tag actions of both products share (actions/vpc_tags.py).
TAGS_TO_SET = Param("Tag", kind=Kind.OBJECT_LIST, required=True, max_items=rules.MAX_PER_CALL,
                    invalid=errors.TOO_MANY_TAGS, fields=TAG_FIELDS, description="Tags, 1 to 20.")
KEYS_TO_REMOVE = (Param("TagKey", kind=Kind.LIST, max_items=rules.MAX_PER_CALL, invalid=errors.TOO_MANY_TAGS,
                        description="Keys to remove, 1 to 20."),
                  Param("All", type=Type.BOOLEAN, default=False,
                        description="Remove every tag (when no TagKey.N is given)."))
LISTED_IDS = Param("ResourceId", kind=Kind.LIST, max_items=rules.MAX_RESOURCES_PER_CALL,
                   invalid=errors.TOO_MANY_RESOURCE_IDS, description="Resource IDs, up to 50.")
HOLDING_TAGS = Param("Tag", kind=Kind.OBJECT_LIST, max_items=rules.MAX_PER_CALL, invalid=errors.TOO_MANY_TAGS,
                     fields=TAG_FIELDS, description="Resources holding every one of these tags (any value "
                                                    "where none is given).")
TAG_RAISES = (errors.RESOURCE_TYPE_NOT_FOUND, *TAG_ERRORS, errors.RESOURCE_ID_NOT_FOUND, errors.TAG_QUOTA_EXCEEDED)
UNTAG_RAISES = (errors.RESOURCE_TYPE_NOT_FOUND, errors.MISSING_TAGS, errors.RESOURCE_ID_NOT_FOUND)
LIST_RAISES = (errors.RESOURCE_TYPE_NOT_FOUND, errors.INVALID_PARAMETER, errors.INVALID_TAG_KEY, errors.MISSING_TAGS)

ACTIONS = (
    Action("TagResources", FAMILY, "Sets tags on 1-50 resources of one type (at most 20 tags a resource).",
           params=(REGION_ID, RESOURCE_TYPE, RESOURCE_IDS, TAGS_TO_SET),
           handler=tag_resources, raises=TAG_RAISES),
    Action("UntagResources", FAMILY, "Removes tags (by key, or All) from 1-50 resources of one type.",
           params=(REGION_ID, RESOURCE_TYPE, RESOURCE_IDS, *KEYS_TO_REMOVE),
           handler=untag_resources, raises=UNTAG_RAISES),
    Action("ListTagResources", FAMILY, "Lists the tags of resources of one type, by ID and/or by tag "
                                       "(NextToken paging, 50 a page).",
           params=(REGION_ID, RESOURCE_TYPE, LISTED_IDS, HOLDING_TAGS,
                   Param("TagFilter", kind=Kind.OBJECT_LIST, max_items=5, description=(
                       "Resources holding each key, with one of its values when given (not with Tag.N)."),
                       fields=(Param("TagKey", required=True, description="Tag key."),
                               Param("TagValues", kind=Kind.LIST, max_items=5, description="Tag values."))),
                   Param("NextToken", description="Where the previous page ended.")),
           handler=list_tag_resources, raises=LIST_RAISES),
    Action("DescribeTags", FAMILY, "Lists the tags in use in a region with how many resources of each type "
                                   "hold each.",
           params=(REGION_ID,
                   Param("ResourceType", description=f"Only resources of this type (any case): {TYPES}."),
                   Param("ResourceId", description="Only this resource (a key pair's name)."),
                   Param("Tag", kind=Kind.OBJECT_LIST, max_items=rules.MAX_PER_CALL, fields=TAG_FIELDS,
                         description="Only tags with one of these keys (and values, where given)."),
                   Param("Category", enum=("Custom", "System"), description="Custom (yours) or System (none here)."),
                   PAGE_NUMBER, Param("PageSize", type=Type.INTEGER, default=50, minimum=1, maximum=100,
                                      description="Entries a page, 1 to 100; default 50.")),
           handler=describe_tags, raises=(errors.RESOURCE_TYPE_NOT_FOUND, errors.INVALID_TAG_KEY)),
    Action("JoinResourceGroup", FAMILY, "Moves a resource into a resource group.",
           params=(Param("RegionId", enum=REGION_IDS, invalid=errors.REGION_NOT_FOUND, description="The region."),
                   Param("ResourceType", description="instance, disk, snapshot, image, securitygroup, keypair, ... "
                                                     "(case-sensitive)."),
                   Param("ResourceId", description="The resource (a key pair's name)."),
                   Param("ResourceGroupId", description="The resource group, rg-….")),
           handler=join_resource_group,
           raises=(errors.JOIN_MISSING_PARAMETER, errors.RESOURCE_TYPE_NOT_FOUND, errors.RESOURCE_GROUP_NOT_FOUND,
                   errors.JOIN_RESOURCE_NOT_FOUND)),
)
