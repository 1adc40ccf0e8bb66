"""The asynchronous tasks ImportImage and ExportImage return: DescribeTasks,
DescribeTaskAttribute.

A task is ``Processing`` for the image delay, then ``Finished`` (a move of the task status
machine, domain/status.py), its progress rising meanwhile. What it did is done when the
action answers (the bytes are imported or exported by then); the task shows the time the
real service takes, for clients that wait on it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from .. import errors
from ..clock import utc_iso
from ..domain import tasks as rules
from ..domain.ids import new_id
from ..domain.status import TASK
from ..store import tasks as task_store
from ..store.rows import add, find
from ..store.schema import tasks
from .common import PAGE_NUMBER, REGION_ID, page_size
from .creation_filter import utc_time
from .declaration import Action, Args, CallContext
from .params import Kind, Param

FAMILY = "Tasks"


def new_task_id(region_id: str) -> str:
    return new_id("t", region_id)


def start_task(conn: Connection, ctx: CallContext, task_id: str, action: str, region_id: str, resource_id: str,
               related_items: dict[str, str]) -> None:
    """A new Processing task of ``action`` on ``resource_id``, Finished after the image delay."""
    now = ctx.now()
    add(conn, tasks, id=task_id, account_id=ctx.account_id, region_id=region_id, created_at=now,
        task_action=action, resource_id=resource_id, status="Processing",
        completes_at=now + ctx.emulator.delays.image, related_items=related_items)
    ctx.emulator.scheduler.chain(conn, TASK, task_id, ("Processing", "Finished"))


def _finished_time(task: Any) -> str:
    return utc_iso(task.completes_at, minutes=True) if task.status == "Finished" else ""


# --- DescribeTasks ---------------------------------------------------------------------------

def describe_tasks(ctx: CallContext, args: Args) -> dict[str, Any]:
    task_ids = None
    if args["TaskIds"] is not None:
        task_ids = [part.strip() for part in args["TaskIds"].split(",") if part.strip()]
        if len(task_ids) > rules.MAX_TASK_IDS:
            raise errors.INVALID_PARAMETER(name="TaskIds")
    since = _time(args, "StartTime")
    until = _time(args, "EndTime")
    number, size = args["PageNumber"], args["PageSize"]
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        found = task_store.matching(conn, ctx.account_id, args["RegionId"], task_ids=task_ids,
                                    action=args["TaskAction"], status=args["TaskStatus"],
                                    resource_ids=args["ResourceIds"], since=since, until=until)
    page = found[(number - 1) * size:number * size]
    return {"RegionId": args["RegionId"], "TotalCount": len(found), "PageNumber": number, "PageSize": size,
            "TaskSet": {"Task": [{"TaskId": task.id, "TaskAction": task.task_action, "TaskStatus": task.status,
                                  "SupportCancel": "False", "CreationTime": utc_iso(task.created_at, minutes=True),
                                  "FinishedTime": _finished_time(task), "ResourceId": task.resource_id}
                                 for task in page]}}


def _time(args: Args, name: str) -> float | None:
    if args[name] is None:
        return None
    at = utc_time(args[name])
    if at is None:
        raise errors.INVALID_PARAMETER(name=name)
    return at


# --- DescribeTaskAttribute -------------------------------------------------------------------

def describe_task_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        task = find(conn, tasks, ctx.account_id, args["TaskId"])
        now = ctx.now()
    if task is None or task.region_id != args["RegionId"]:
        raise errors.TASK_NOT_FOUND()
    finished = task.status == "Finished"
    return {
        "TaskId": task.id, "RegionId": task.region_id, "TaskAction": task.task_action, "TaskStatus": task.status,
        "TaskProcess": rules.progress(task.status, task.created_at, task.completes_at, now),
        "SupportCancel": "False", "TotalCount": 1, "SuccessCount": 1 if finished else 0,
        "FailedCount": 1 if task.status == "Failed" else 0,
        "CreationTime": utc_iso(task.created_at, minutes=True), "FinishedTime": _finished_time(task),
        "OperationProgressSet": {"OperationProgress": [{
            "OperationStatus": {"Finished": "Success", "Failed": "Failed"}.get(task.status, "Processing"),
            "ErrorCode": "", "ErrorMsg": "",
            "RelatedItemSet": {"RelatedItem": [{"Name": name, "Value": value}
                                               for name, value in task.related_items.items()]},
        }]},
    }


ACTIONS = (
    Action("DescribeTasks", FAMILY, "Lists the account's asynchronous tasks (ImportImage, ExportImage) in a region.",
           params=(REGION_ID,
                   Param("TaskIds", description="Task IDs, comma-separated, at most 100."),
                   Param("TaskAction", enum=rules.TASK_ACTIONS, description="The action that made the task."),
                   Param("TaskStatus", enum=rules.STATUSES, description="Processing, Finished or Failed."),
                   Param("ResourceIds", kind=Kind.LIST, description="Tasks on these resources (image IDs)."),
                   Param("StartTime", description="Made at or after this UTC time, yyyy-MM-ddTHH:mmZ."),
                   Param("EndTime", description="Made at or before this UTC time, yyyy-MM-ddTHH:mmZ."),
                   Param("TaskGroupId", supported=False, description="Task groups: not emulated (refused)."),
                   PAGE_NUMBER, page_size(100)),
           handler=describe_tasks,
           raises=(errors.INVALID_PARAMETER,)),
    Action("DescribeTaskAttribute", FAMILY, "One task: its status, progress and what it worked on.",
           params=(REGION_ID, Param("TaskId", required=True, description="The task.")),
           handler=describe_task_attribute,
           raises=(errors.TASK_NOT_FOUND,)),
)
