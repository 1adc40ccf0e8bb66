"""What the snapshots of a region add up to: DescribeSnapshotsUsage; and the storage plans
that would pay for them: DescribeSnapshotPackage.

``SnapshotSize`` is what the region's snapshots really hold on the emulator's host: the
bytes their layers take, each layer counted once (a snapshot of an unwritten disk shares
its base, and a public image's layer is the catalogue's, counting for nothing). No storage
plans are sold here: every account has none, as a real account that bought none.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..catalog.regions import REGION_IDS
from ..store.snapshots import layers_in_region
from .common import PAGE_NUMBER, REGION_ID, page_size
from .declaration import Action, Args, CallContext
from .params import Param

FAMILY = "Snapshots"


def describe_snapshots_usage(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        layers = layers_in_region(conn, ctx.account_id, args["RegionId"])
    return {"SnapshotCount": len(layers), "SnapshotSize": ctx.emulator.data.held_bytes(layers)}


def describe_snapshot_package(ctx: CallContext, args: Args) -> dict[str, Any]:
    return {"SnapshotPackages": {"SnapshotPackage": []}, "TotalCount": 0,
            "PageNumber": args["PageNumber"], "PageSize": args["PageSize"]}


ACTIONS = (
    Action("DescribeSnapshotsUsage", FAMILY, "How many snapshots a region holds, and the bytes they take.",
           params=(Param("RegionId", required=True, enum=REGION_IDS, invalid=errors.USAGE_REGION_NOT_FOUND,
                         description="The region."),),
           handler=describe_snapshots_usage),
    Action("DescribeSnapshotPackage", FAMILY, "Lists the snapshot storage plans bought: none here.",
           params=(REGION_ID, PAGE_NUMBER, page_size(100)),
           handler=describe_snapshot_package),
)
