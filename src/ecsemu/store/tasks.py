"""Tasks in the store: the account's tasks of a region, filtered as DescribeTasks asks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from .schema import tasks


def matching(conn: Connection, account_id: str, region_id: str, *, task_ids: Sequence[str] | None,
             action: str | None, status: str | None, resource_ids: Sequence[str] | None,
             since: float | None, until: float | None) -> list[Any]:
    """The account's tasks in the region that pass every filter given, oldest first."""
    query = select(tasks).where(tasks.c.account_id == account_id, tasks.c.region_id == region_id)
    if task_ids is not None:
        query = query.where(tasks.c.id.in_(task_ids))
    if action is not None:
        query = query.where(tasks.c.task_action == action)
    if status is not None:
        query = query.where(tasks.c.status == status)
    if resource_ids is not None:
        query = query.where(tasks.c.resource_id.in_(resource_ids))
    if since is not None:
        query = query.where(tasks.c.created_at >= since)
    if until is not None:
        query = query.where(tasks.c.created_at <= until)
    return list(conn.execute(query.order_by(tasks.c.created_at, tasks.c.id)).all())
