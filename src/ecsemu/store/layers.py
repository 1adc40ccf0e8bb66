"""Which layers are still needed: a layer stays while a disk sits on it, a snapshot or an
image holds it, or another layer backs onto it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, exists, insert, or_, select

from ..storage.base import PUBLIC_PREFIX
from .schema import disks, images, layers, snapshots


def add_layer(conn: Connection, layer_id: str, parent_id: str | None, now: float) -> None:
    conn.execute(insert(layers).values(id=layer_id, parent_id=parent_id, created_at=now))


def referenced(conn: Connection, layer_id: str) -> bool:
    return conn.execute(select(or_(
        exists().where(disks.c.base_layer_id == layer_id),
        exists().where(snapshots.c.layer_id == layer_id),
        exists().where(images.c.layer_id == layer_id),
        exists().where(layers.c.parent_id == layer_id),
    ))).scalar_one()


def collect(conn: Connection, candidates: Iterable[str | None]) -> list[str]:
    """Drops the rows of the candidates nothing refers to any more, then of their parents
    that this leaves unreferenced; returns the layers whose files can go."""
    pending = [c for c in candidates if c and not c.startswith(PUBLIC_PREFIX)]
    released: list[str] = []
    while pending:
        layer_id = pending.pop()
        if layer_id in released or referenced(conn, layer_id):
            continue
        parent = conn.execute(select(layers.c.parent_id).where(layers.c.id == layer_id)).scalar()
        conn.execute(delete(layers).where(layers.c.id == layer_id))
        released.append(layer_id)
        if parent and not parent.startswith(PUBLIC_PREFIX):
            pending.append(parent)
    return released


def all_layer_ids(conn: Connection) -> set[str]:
    return {layer_id for (layer_id,) in conn.execute(select(layers.c.id))}
