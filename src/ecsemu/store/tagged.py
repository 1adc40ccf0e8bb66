"""The resources the tag actions and JoinResourceGroup reach, by their ``ResourceType``:
which table holds them, what a client calls one (its ID; a key pair's name) and the key
its tags sit under in ``resource_tags`` (store/tags.py). Every query is scoped to the
account and the region the call names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, and_, func, or_, select, update

from .keypairs import tag_resource_id_column
from .schema import (
    auto_snapshot_policies,
    disks,
    images,
    instances,
    key_pairs,
    network_interfaces,
    resource_tags,
    security_groups,
    snapshots,
    vpcs,
    vswitches,
)
from .tags import tag_filter
from .vpcs import route_table_id_column


@dataclass(frozen=True)
class TaggedKind:
    resource_type: str     # as the API names it
    table: Table
    public_id: Any         # the column ResourceId names
    tag_id: Any            # the expression resource_tags.resource_id equals


def _by_id(resource_type: str, table: Table) -> TaggedKind:
    return TaggedKind(resource_type, table, table.c.id, table.c.id)


# What ecsemu holds of the API's resource types; the others (volume, ddh, ...) have no
# resource here, so any ID of theirs is not found. Images: the custom ones (the public
# images belong to no account). ENIs: the secondary ones (a primary ENI is its instance's).
KINDS = {kind.resource_type: kind for kind in (
    _by_id("instance", instances), _by_id("disk", disks), _by_id("snapshot", snapshots),
    _by_id("image", images), _by_id("securitygroup", security_groups), _by_id("eni", network_interfaces),
    _by_id("snapshotpolicy", auto_snapshot_policies),
    TaggedKind("keypair", key_pairs, key_pairs.c.name, tag_resource_id_column()),
)}

# The VPC product's: a route table is its VPC's System one, its tags under its own ID.
VPC_KINDS = {kind.resource_type: kind for kind in (
    _by_id("vpc", vpcs), _by_id("vswitch", vswitches),
    TaggedKind("routetable", vpcs, route_table_id_column(), route_table_id_column()),
)}


def _owned(kind: TaggedKind, account_id: str, region_id: str) -> Any:
    t = kind.table.c
    return and_(t.account_id == account_id, t.region_id == region_id)


def found(conn: Connection, kind: TaggedKind, account_id: str, region_id: str,
          public_ids: Sequence[str], *, lock: bool = False) -> dict[str, str]:
    """Those of ``public_ids`` the account holds in the region: public ID -> tag key.
    ``lock``: hold their rows until the transaction ends (PostgreSQL; SQLite serialises
    writers anyway), so that concurrent changes to their tags take turns."""
    if not public_ids:
        return {}
    query = select(kind.public_id, kind.tag_id).where(_owned(kind, account_id, region_id),
                                                       kind.public_id.in_(list(public_ids)))
    if lock and conn.dialect.name == "postgresql":
        query = query.order_by(kind.public_id).with_for_update()
    return {public_id: tag_id for public_id, tag_id in conn.execute(query)}


def tag_entries(conn: Connection, kind: TaggedKind, account_id: str, region_id: str, *,
                public_ids: Sequence[str] | None, wanted: Sequence[dict] | None,
                tag_filters: Sequence[dict] | None, after: tuple[str, str] | None, limit: int) -> list[Any]:
    """ListTagResources: (public_id, tag_key, tag_value) of every tag of the resources that
    are among ``public_ids`` (when given), hold every ``wanted`` tag (``tags.tag_filter``)
    and meet every ``tag_filters`` entry (the key, with one of the values when any); by
    resource then key, after the entry ``after``, ``limit`` of them."""
    listed = resource_tags.alias("listed")   # the filters' subqueries read resource_tags itself
    rt, held_tags = listed.c, resource_tags.c
    conditions = [_owned(kind, account_id, region_id)]
    if public_ids is not None:
        conditions.append(kind.public_id.in_(list(public_ids)))
    if wanted:
        conditions.append(tag_filter(kind.tag_id, wanted))
    for entry in tag_filters or ():
        held = select(held_tags.resource_id).where(held_tags.resource_id == kind.tag_id,
                                                   held_tags.tag_key == entry["TagKey"])
        if entry.get("TagValues"):
            held = held.where(held_tags.tag_value.in_(entry["TagValues"]))
        conditions.append(held.exists())
    if after is not None:
        conditions.append(or_(kind.public_id > after[0], and_(kind.public_id == after[0], rt.tag_key > after[1])))
    query = (select(kind.public_id.label("public_id"), rt.tag_key, rt.tag_value)
             .select_from(kind.table.join(listed, rt.resource_id == kind.tag_id))
             .where(*conditions).order_by(kind.public_id, rt.tag_key).limit(limit))
    return list(conn.execute(query))


def tag_counts(conn: Connection, kind: TaggedKind, account_id: str, region_id: str, *,
               public_id: str | None) -> list[Any]:
    """DescribeTags: (tag_key, tag_value, n) for each tag the kind's resources in the region
    hold (only ``public_id``'s when given), ``n`` the resources holding it."""
    rt = resource_tags.c
    conditions = [_owned(kind, account_id, region_id)]
    if public_id is not None:
        conditions.append(kind.public_id == public_id)
    query = (select(rt.tag_key, rt.tag_value, func.count().label("n"))
             .select_from(kind.table.join(resource_tags, rt.resource_id == kind.tag_id))
             .where(*conditions).group_by(rt.tag_key, rt.tag_value))
    return list(conn.execute(query))


def set_resource_group(conn: Connection, kind: TaggedKind, account_id: str, region_id: str, public_id: str,
                       group_id: str) -> bool:
    """Moves the resource into the group; False when the account holds no such resource there."""
    query = (update(kind.table).where(_owned(kind, account_id, region_id), kind.public_id == public_id)
             .values(resource_group_id=group_id))
    return conn.execute(query).rowcount == 1
