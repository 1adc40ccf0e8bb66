"""Cloud Assistant commands: how many a region holds, DescribeCommands' filters, the count
of their invocations."""

from __future__ import annotations

from sqlalchemy import Connection, false, func, select, update

from .schema import commands


def count_kept(conn: Connection, account_id: str, region_id: str) -> int:
    """The commands the account keeps in the region (the quota counts them)."""
    t = commands.c
    return conn.execute(select(func.count()).select_from(commands).where(
        t.account_id == account_id, t.region_id == region_id, t.kept.is_(True))).scalar_one()


def listing_filters(*, command_id: str | None, name: str | None, command_type: str | None,
                    description: str | None, provider: str | None, resource_group_id: str | None) -> list:
    """DescribeCommands' conditions: kept commands only; each filter given, equal (the name
    may end with ``*``, a prefix). A ``provider`` asks for public commands: none here."""
    t = commands.c
    conditions: list = [t.kept.is_(True)]
    if provider:
        conditions.append(false())
    if resource_group_id is not None:
        conditions.append(t.resource_group_id == resource_group_id)
    if command_id:
        conditions.append(t.id == command_id)
    if name:
        conditions.append(t.name.startswith(name[:-1], autoescape=True) if name.endswith("*") else t.name == name)
    if command_type:
        conditions.append(t.type == command_type)
    if description:
        conditions.append(t.description == description)
    return conditions


def count_invocation(conn: Connection, command_id: str) -> None:
    conn.execute(update(commands).where(commands.c.id == command_id).values(invoke_times=commands.c.invoke_times + 1))
