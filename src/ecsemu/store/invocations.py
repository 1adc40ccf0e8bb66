"""Invocations of Cloud Assistant commands and each instance's result: added Pending, moved
by compare-and-swap as the agent reports (Pending -> Running -> an end), listed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, and_, case, exists, false, func, insert, select, update

from ..domain import cloud_assistant as rules
from .schema import invocation_results, invocations


def add_results(conn: Connection, invoke_id: str, account_id: str, now: float,
                outcomes: Sequence[tuple[str, str, str]]) -> None:
    """One row per instance: ``(instance_id, status, error_code)``; an ended one ends now."""
    conn.execute(insert(invocation_results), [
        {"invoke_id": invoke_id, "instance_id": instance_id, "account_id": account_id, "invocation_status": status,
         "error_code": error_code, "error_info": rules.ERROR_INFO.get(error_code, ""), "output": "", "dropped": 0,
         "repeats": 0, "created_at": now, "updated_at": now,
         "finish_time": None if status in rules.LIVE else now}
        for instance_id, status, error_code in outcomes])


def results_of(conn: Connection, invoke_ids: Sequence[str]) -> dict[str, list[Row]]:
    """Each invocation's results, in the order its instances were given."""
    found: dict[str, list[Row]] = defaultdict(list)
    if invoke_ids:
        t = invocation_results.c
        for row in conn.execute(select(invocation_results).where(t.invoke_id.in_(list(invoke_ids)))
                                .order_by(t.invoke_id, t.created_at)):
            found[row.invoke_id].append(row)
    return found


def listing_filters(*, command_id: str | None, command_name: str | None, command_type: str | None,
                    instance_id: str | None, invoke_status: str | None, repeat_mode: str | None,
                    resource_group_id: str | None, timed: bool | None) -> list:
    """DescribeInvocations' conditions: each filter given; ``invoke_status`` (Running,
    Finished, Failed, PartialFailed, Stopped) as the invocation's InvokeStatus; ``timed``
    true asks for scheduled invocations, of which there are none (only Once is run)."""
    t, r = invocations.c, invocation_results.c
    conditions: list = [false()] if timed else []
    if resource_group_id is not None:
        conditions.append(t.resource_group_id == resource_group_id)
    for column, value in ((t.command_id, command_id), (t.command_name, command_name),
                          (t.command_type, command_type), (t.repeat_mode, repeat_mode)):
        if value:
            conditions.append(column == value)
    if instance_id:
        conditions.append(exists().where(r.invoke_id == t.id, r.instance_id == instance_id))
    if invoke_status:
        conditions.append(_invoke_status_is(invoke_status))
    return conditions


def _invoke_status_is(invoke_status: str) -> Any:
    """An invocation whose instances' records give that InvokeStatus (domain/cloud_assistant's
    ``invoke_status``), in SQL: which records it has, and which it has not."""
    t, r = invocations.c, invocation_results.c

    def having(record: str) -> Any:
        return exists().where(r.invoke_id == t.id, r.invocation_status.in_(rules.RECORD_FILTER[record]))

    running, finished, failed, stopped = (having(record) for record in ("Running", "Finished", "Failed", "Stopped"))
    return {
        "Running": running,
        "Stopped": and_(stopped, ~running, ~finished, ~failed),
        "Failed": and_(failed, ~running, ~finished),
        "PartialFailed": and_(failed, finished, ~running),
        "Finished": and_(finished, ~running, ~failed),
    }[invoke_status]


def results_page(conn: Connection, account_id: str, region_id: str, *, invoke_id: str | None,
                 instance_id: str | None, command_id: str | None, record_status: str | None,
                 resource_group_id: str | None, offset: int, limit: int) -> tuple[list[Row], int]:
    """DescribeInvocationResults: the results (with their invocation's columns) that match,
    newest invocation first, and how many match."""
    t, r = invocations.c, invocation_results.c
    conditions = [t.account_id == account_id, t.region_id == region_id, r.account_id == account_id]
    for column, value in ((t.id, invoke_id), (r.instance_id, instance_id), (t.command_id, command_id)):
        if value:
            conditions.append(column == value)
    if resource_group_id is not None:
        conditions.append(t.resource_group_id == resource_group_id)
    if record_status:
        conditions.append(r.invocation_status.in_(rules.RECORD_FILTER[record_status]))
    joined = invocation_results.join(invocations, t.id == r.invoke_id)
    rows = conn.execute(select(invocation_results, t.command_id, t.username, t.region_id).select_from(joined)
                        .where(*conditions).order_by(t.created_at.desc(), t.id, r.instance_id)
                        .limit(limit).offset(offset)).all()
    total = conn.execute(select(func.count()).select_from(joined).where(*conditions)).scalar_one()
    return list(rows), total


def is_live(conn: Connection, invoke_id: str, instance_id: str) -> bool:
    """Whether the result is still Pending or Running (not stopped meanwhile)."""
    t = invocation_results.c
    status = conn.execute(select(t.invocation_status).where(t.invoke_id == invoke_id,
                                                            t.instance_id == instance_id)).scalar()
    return status in rules.LIVE


def start(conn: Connection, invoke_id: str, instance_id: str, now: float) -> bool:
    """Pending -> Running; False when it is no longer Pending (stopped meanwhile)."""
    return _move(conn, invoke_id, instance_id, (rules.PENDING,), invocation_status=rules.RUNNING, start_time=now,
                 updated_at=now)


def finish(conn: Connection, invoke_id: str, instance_id: str, now: float, *, status: str, error_code: str,
           exit_code: int | None, output: str, dropped: int) -> bool:
    """A live result ends; False when it had ended already (stopped meanwhile)."""
    return _move(conn, invoke_id, instance_id, rules.LIVE, invocation_status=status, error_code=error_code,
                 error_info=rules.ERROR_INFO.get(error_code, ""), exit_code=exit_code, output=output,
                 dropped=dropped, finish_time=now, updated_at=now,
                 repeats=1 if exit_code is not None else 0)


def fill_output(conn: Connection, invoke_id: str, instance_id: str, *, exit_code: int, output: str,
                dropped: int) -> None:
    """The output of a command that was stopped while it ran, once the agent sends it."""
    t = invocation_results.c
    conn.execute(update(invocation_results).where(t.invoke_id == invoke_id, t.instance_id == instance_id)
                 .values(exit_code=exit_code, output=output, dropped=dropped, repeats=1))


def stop(conn: Connection, invoke_id: str, instance_ids: Sequence[str] | None, now: float) -> list[str]:
    """StopInvocation: Pending ones are Cancelled, Running ones Terminated; returns the
    instances whose command was running (the agent is to kill it)."""
    t = invocation_results.c
    scope = [t.invoke_id == invoke_id]
    if instance_ids:
        scope.append(t.instance_id.in_(list(instance_ids)))
    running = list(conn.execute(select(t.instance_id).where(*scope, t.invocation_status == rules.RUNNING)).scalars())
    for before, after in ((rules.PENDING, rules.CANCELLED), (rules.RUNNING, rules.TERMINATED)):
        conn.execute(update(invocation_results).where(*scope, t.invocation_status == before).values(
            invocation_status=after, stop_time=now, finish_time=now, updated_at=now))
    return running


def interrupt_unfinished(conn: Connection, now: float) -> int:
    """At start: what a previous run of the server left Pending or Running ends as Error,
    ExecutionInterrupted (its agent's answer went with that process). Returns how many."""
    t = invocation_results.c
    return conn.execute(update(invocation_results).where(t.invocation_status.in_(rules.LIVE)).values(
        invocation_status=rules.ERROR, error_code="ExecutionInterrupted",
        error_info=rules.ERROR_INFO["ExecutionInterrupted"], finish_time=now, updated_at=now)).rowcount


def instance_activity(conn: Connection, account_id: str, instance_ids: Sequence[str]) -> dict[str, tuple[int, int,
                                                                                                       float | None]]:
    """Per instance: (invocations, live ones, when it was last invoked)."""
    t = invocation_results.c
    live = func.sum(case((t.invocation_status.in_(rules.LIVE), 1), else_=0))
    rows = conn.execute(select(t.instance_id, func.count(), live, func.max(t.created_at))
                        .where(t.account_id == account_id, t.instance_id.in_(list(instance_ids)))
                        .group_by(t.instance_id)).all()
    return {row[0]: (row[1], int(row[2] or 0), row[3]) for row in rows}


def _move(conn: Connection, invoke_id: str, instance_id: str, expect: Sequence[str], **values: Any) -> bool:
    t = invocation_results.c
    return conn.execute(update(invocation_results).where(
        t.invoke_id == invoke_id, t.instance_id == instance_id, t.invocation_status.in_(list(expect))).values(**values)
    ).rowcount == 1
