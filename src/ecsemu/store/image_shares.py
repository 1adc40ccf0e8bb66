"""Which accounts a custom image is shared with (ModifyImageSharePermission), and the
images shared with an account."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, exists, func, insert, select

from .schema import image_shares, images


def shared_with_account(image_id_column: Any, account_id: str) -> ColumnElement[bool]:
    """The condition "this image is shared with the account" (find_image and listings)."""
    return exists().where(image_shares.c.image_id == image_id_column, image_shares.c.account_id == account_id)


def share(conn: Connection, image_id: str, account_ids: Iterable[str], now: float) -> None:
    """Shares the image with each account not already having it (its first time is kept)."""
    have = set(accounts_of(conn, image_id))
    new = [{"image_id": image_id, "account_id": a, "created_at": now} for a in dict.fromkeys(account_ids)
           if a not in have]
    if new:
        conn.execute(insert(image_shares), new)


def unshare(conn: Connection, image_id: str, account_ids: Iterable[str]) -> None:
    conn.execute(delete(image_shares).where(image_shares.c.image_id == image_id,
                                            image_shares.c.account_id.in_(list(account_ids))))


def forget(conn: Connection, image_id: str) -> None:
    """The image is gone: shared with nobody any more."""
    conn.execute(delete(image_shares).where(image_shares.c.image_id == image_id))


def accounts_of(conn: Connection, image_id: str) -> list[str]:
    return [a for (a,) in conn.execute(select(image_shares.c.account_id).where(image_shares.c.image_id == image_id))]


def count(conn: Connection, image_id: str) -> int:
    return conn.execute(select(func.count()).select_from(image_shares)
                        .where(image_shares.c.image_id == image_id)).scalar_one()


def page(conn: Connection, image_id: str, offset: int, limit: int) -> list[Any]:
    """(account_id, created_at) of the accounts the image is shared with, oldest share first."""
    query = (select(image_shares.c.account_id, image_shares.c.created_at)
             .where(image_shares.c.image_id == image_id)
             .order_by(image_shares.c.created_at, image_shares.c.account_id).offset(offset).limit(limit))
    return list(conn.execute(query).all())


def shared_images(conn: Connection, account_id: str, region_id: str, image_ids: Sequence[str] | None) -> list[Any]:
    """Other accounts' images in the region shared with this account (only ``image_ids`` when given)."""
    query = select(images).where(images.c.region_id == region_id, images.c.account_id != account_id,
                                 shared_with_account(images.c.id, account_id))
    if image_ids is not None:
        query = query.where(images.c.id.in_(image_ids))
    return list(conn.execute(query).all())
