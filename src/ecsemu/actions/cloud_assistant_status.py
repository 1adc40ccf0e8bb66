"""DescribeCloudAssistantStatus: whether each instance's Cloud Assistant agent answers, and
what it has run. An instance without a guest (state-only mode, or not Running) has none."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import errors
from ..clock import utc_iso
from ..store import instances as instance_store
from ..store import invocations as invocation_store
from ..store.schema import instances
from .common import NEXT_TOKEN, REGION_ID, Listing, max_results, paginate
from .declaration import Action, Args, CallContext
from .invocations import PAGE_NUMBER, PAGE_SIZE
from .params import Kind, Param

FAMILY = "Cloud Assistant"
MAX_INSTANCES = 50


def describe_cloud_assistant_status(ctx: CallContext, args: Args) -> dict[str, Any]:
    rows: Sequence[Any]
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        if args["InstanceId"]:
            named = instance_store.every_named(conn, ctx.account_id, args["RegionId"], args["InstanceId"],
                                               lock=False)
            if named is None:
                raise errors.CA_INSTANCE_NOT_FOUND()
            rows = named
            if args["OSType"]:
                rows = [row for row in named if row.os_type == args["OSType"].lower()]
            paging: dict[str, Any] = {"TotalCount": len(rows), "PageNumber": 1, "PageSize": args["PageSize"]}
        else:
            where = instance_store.os_type_filter(args["OSType"].lower()) if args["OSType"] else []
            rows, paging = paginate(conn, LISTED, args, ctx.account_id, where=where, token_max=50)
        activity = invocation_store.instance_activity(conn, ctx.account_id, [row.id for row in rows])
    # The agents are asked outside the transaction: an idle one takes a moment to answer.
    views = []
    for row in rows:
        agent = ctx.emulator.assistant.status(row.id)
        count, active, last = activity.get(row.id, (0, 0, None))
        views.append({
            "InstanceId": row.id, "OSType": row.os_type.capitalize(),   # Linux, Windows here
            "CloudAssistantStatus": "true" if agent.running else "false",
            "CloudAssistantVersion": agent.version, "LastHeartbeatTime": utc_iso(agent.last_heartbeat),
            "InvocationCount": count, "ActiveTaskCount": active, "LastInvokedTime": utc_iso(last),
            "SupportSessionManager": False,
        })
    return {"InstanceCloudAssistantStatusSet": {"InstanceCloudAssistantStatus": views}, **paging}


LISTED = Listing(instances)

ACTIONS = (
    Action("DescribeCloudAssistantStatus", FAMILY, "Whether instances' Cloud Assistant agents answer, and how "
                                                   "many commands they have run.",
           params=(REGION_ID,
                   Param("InstanceId", kind=Kind.LIST, max_items=MAX_INSTANCES, invalid=errors.CA_INSTANCE_IDS_LIMIT,
                         description=f"Instances (InstanceId.N), up to {MAX_INSTANCES}; default every one."),
                   Param("OSType", enum=("Linux", "Windows", "linux", "windows"),
                         description="Only instances of this OS: Linux or Windows."),
                   PAGE_NUMBER, PAGE_SIZE, NEXT_TOKEN, max_results(50)),
           handler=describe_cloud_assistant_status, raises=(errors.CA_INSTANCE_NOT_FOUND, errors.INVALID_PARAMETER)),
)
