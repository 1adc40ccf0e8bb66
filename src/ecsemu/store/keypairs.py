"""Key pairs by name, per account and region. Their tags sit under a resource ID of their
own (``tag_resource_id``): a key pair has a name, no ID."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, literal, select
from sqlalchemy.exc import IntegrityError

from . import tags as tag_store
from .rows import page
from .schema import key_pairs


def tag_resource_id(account_id: str, region_id: str, name: str) -> str:
    return f"keypair:{account_id}:{region_id}:{name}"


def tag_resource_id_column() -> Any:
    """``tag_resource_id`` of each row, in SQL (the tag actions join a pair's tags by it)."""
    t = key_pairs.c
    return literal("keypair:") + t.account_id + literal(":") + t.region_id + literal(":") + t.name


def find_key_pair(conn: Connection, account_id: str, region_id: str, name: str) -> Row | None:
    t = key_pairs.c
    return conn.execute(select(key_pairs).where(t.account_id == account_id, t.region_id == region_id,
                                                t.name == name)).first()


def count_in_region(conn: Connection, account_id: str, region_id: str) -> int:
    """How many key pairs the account holds in the region."""
    t = key_pairs.c
    return conn.execute(select(func.count()).select_from(key_pairs).where(
        t.account_id == account_id, t.region_id == region_id)).scalar_one()


def add_key_pair(conn: Connection, account_id: str, region_id: str, name: str, *, created_at: float,
                 fingerprint: str, public_key: str, resource_group_id: str) -> bool:
    """Inserts the pair; False when the name is taken (by a concurrent request: the caller
    has looked first)."""
    try:
        conn.execute(key_pairs.insert().values(
            account_id=account_id, region_id=region_id, name=name, created_at=created_at,
            fingerprint=fingerprint, public_key=public_key, resource_group_id=resource_group_id))
    except IntegrityError:
        return False
    return True


def delete_named(conn: Connection, account_id: str, region_id: str, names: Sequence[str]) -> list[str]:
    """Deletes those of the named pairs that exist; returns their names."""
    t = key_pairs.c
    found = list(conn.execute(select(t.name).where(t.account_id == account_id, t.region_id == region_id,
                                                   t.name.in_(names))).scalars().all())
    if found:
        conn.execute(key_pairs.delete().where(t.account_id == account_id, t.region_id == region_id,
                                              t.name.in_(found)))
    return found


def matching_page(conn: Connection, account_id: str, region_id: str, *, name: str | None,
                  fingerprint: str | None, tags: Sequence[dict] | None, resource_group_id: str | None,
                  number: int, size: int) -> tuple[list[Any], int]:
    """Page ``number`` (of ``size``) of the account's pairs in the region that match, oldest
    first, and how many match: ``name`` exact or with ``*`` wildcards, ``fingerprint``
    exact, ``tags`` as ``tags.tag_filter``, in the resource group; each when given."""
    t = key_pairs.c
    conditions = [t.account_id == account_id, t.region_id == region_id]
    if fingerprint:
        conditions.append(t.fingerprint == fingerprint)
    if resource_group_id is not None:
        conditions.append(t.resource_group_id == resource_group_id)
    if tags:
        resource_id = literal(tag_resource_id(account_id, region_id, "")) + t.name
        conditions.append(tag_store.tag_filter(resource_id, tags))
    if name:
        conditions.append(_name_filter(name, conn.dialect.name))
    return page(conn, key_pairs, conditions, order_by=(t.created_at, t.name), number=number, size=size)


def _name_filter(pattern: str, dialect: str):
    """``*`` matches any run of characters (``*x``, ``x*``, ``*x*``); otherwise exact. Case
    counts, as in an exact match: GLOB in SQLite, whose LIKE ignores case; LIKE elsewhere."""
    name = key_pairs.c.name
    if "*" not in pattern:
        return name == pattern
    if dialect == "sqlite":
        return name.op("GLOB")(pattern.replace("[", "[[]").replace("?", "[?]"))
    like = pattern.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_").replace("*", "%")
    return name.like(like, escape="\\")
