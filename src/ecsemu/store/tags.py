"""Tags of resources: written with the resource, read in bulk, filtered in SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, exists, insert, select

from .packed import packed, unpacked
from .schema import resource_tags
from .statements import Statement


def tag_new(conn: Connection, resource_id: str, tags: Sequence[tuple[str, str]]) -> None:
    """The tags of a resource being made: nothing to replace (a deleted resource's tags
    went with it, ``forget``)."""
    if tags:
        conn.execute(insert(resource_tags), [
            {"resource_id": resource_id, "tag_key": key, "tag_value": value} for key, value in tags])


# Built once: every Describe runs it (the IDs are one expanding parameter).
_TAGS_OF = Statement(
    select(resource_tags.c.resource_id, resource_tags.c.tag_key, resource_tags.c.tag_value)
    .where(resource_tags.c.resource_id.in_(bindparam("ids", expanding=True)))
    .order_by(resource_tags.c.resource_id, resource_tags.c.tag_key))


def tags_column(id_column) -> Any:
    """A listing's column ``tags``: the resource's tags, packed (``tags_in_row`` reads them)."""
    return packed(resource_tags.c.tag_key, resource_tags.c.tag_value, resource_tags.c.resource_id == id_column,
                  name="tags")


def tags_in_row(row) -> list[tuple[str, str]]:
    """The tags of a row listed with ``tags_column``, by key."""
    return unpacked(row.tags)


def tags_of(conn: Connection, resource_ids: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    ids = list(resource_ids)
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if ids:
        for row in _TAGS_OF.all(conn, ids=ids):
            found[row.resource_id].append((row.tag_key, row.tag_value))
    return found


def tag_filter(id_column, wanted: Sequence[dict]):
    """A WHERE clause: the resource has every wanted tag (any value where none is given)."""
    clauses = []
    for tag in wanted:
        condition = [resource_tags.c.resource_id == id_column, resource_tags.c.tag_key == tag["Key"]]
        if tag.get("Value") is not None:
            condition.append(resource_tags.c.tag_value == tag["Value"])
        clauses.append(exists().where(and_(*condition)))
    return and_(*clauses)


def add_tags(conn: Connection, resource_id: str, tags: Sequence[tuple[str, str]]) -> None:
    """Sets ``tags`` on the resource, a key it holds taking the new value; its other tags stay."""
    remove_keys(conn, resource_id, [key for key, _ in tags])
    if tags:
        conn.execute(insert(resource_tags), [
            {"resource_id": resource_id, "tag_key": key, "tag_value": value} for key, value in tags])


def remove_keys(conn: Connection, resource_id: str, keys: Sequence[str]) -> None:
    """Removes the resource's tags with those keys (keys it does not hold are passed over)."""
    if keys:
        conn.execute(delete(resource_tags).where(resource_tags.c.resource_id == resource_id,
                                                 resource_tags.c.tag_key.in_(list(keys))))


_FORGET = Statement(delete(resource_tags).where(resource_tags.c.resource_id == bindparam("resource_id")))


def forget(conn: Connection, resource_id: str) -> None:
    _FORGET.rowcount(conn, resource_id=resource_id)
