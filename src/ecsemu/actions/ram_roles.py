"""Instance RAM roles: DescribeInstanceRamRole, AttachInstanceRamRole, DetachInstanceRamRole.

An instance holds at most one role, by name (``instances.ram_role_name``), given at
RunInstances/CreateInstance or attached later. Names are recorded, not looked up in RAM:
the emulator has no RAM, so any well-formed name is a role.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..domain import ram_roles as rules
from ..store import instances as instance_store
from ..store.instance_attributes import existing_ids, ram_role_filters
from ..store.rows import assign
from ..store.schema import instances
from .common import PAGE_NUMBER, REGION_ID, Listing, page_size, paginate
from .declaration import Action, Args, CallContext
from .params import Kind, Param

FAMILY = "Instances"
MAX_IDS = 100
LISTED = Listing(instances)


def describe_instance_ram_role(ctx: CallContext, args: Args) -> dict[str, Any]:
    """One entry per instance asked for (RamRoleName empty when it has none), or the
    instances holding the role named."""
    ids = list(dict.fromkeys(args["InstanceIds"] or ())) or None
    if ids is None and args["RamRoleName"] is None:
        raise errors.RAM_ROLE_ALL_EMPTY()
    region_id = args["RegionId"]
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        if ids is not None and existing_ids(conn, ctx.account_id, region_id, ids) != set(ids):
            raise errors.RAM_ROLE_INSTANCE_NOT_FOUND()
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=ids,
                                where=ram_role_filters(args["RamRoleName"]))
    return {"InstanceRamRoleSets": {"InstanceRamRoleSet": [
        {"InstanceId": row.id, "RamRoleName": row.ram_role_name or ""} for row in rows]},
        "RegionId": region_id, **paging}


def attach_instance_ram_role(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Gives each instance the role; one holding another role keeps it and fails alone, in
    the results (an instance holds one role)."""
    name = args["RamRoleName"]
    if not rules.valid_role_name(name):
        raise errors.RAM_ROLE_NOT_FOUND()
    with ctx.emulator.unit_of_work() as conn:
        results = [_attach(conn, row, name) for row in _instances(conn, ctx, args["RegionId"], args["InstanceIds"])]
    return {"AttachInstanceRamRoleResults": {"AttachInstanceRamRoleResult": results}, **_counts(results),
            "RamRoleName": name}


def _attach(conn: Connection, row: Row, name: str) -> dict[str, Any]:
    """One instance's outcome, as an AttachInstanceRamRoleResult."""
    try:
        if row.ram_role_name not in (None, name):
            raise errors.RAM_ROLE_ALREADY_ATTACHED()
    except errors.EcsError as error:
        return _failed(row.id, error)
    assign(conn, instances, row.id, ram_role_name=name)
    return _succeeded(row.id)


def detach_instance_ram_role(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Takes the role (``RamRoleName``, or whichever each holds) from each instance; one
    without it fails alone, in the results."""
    name = args["RamRoleName"]
    with ctx.emulator.unit_of_work() as conn:
        results = [_detach(conn, row, name) for row in _instances(conn, ctx, args["RegionId"], args["InstanceIds"])]
    detached = [result["InstanceRamRoleSets"]["InstanceRamRoleSet"][0]["RamRoleName"]
                for result in results if result["Success"]]
    return {"DetachInstanceRamRoleResults": {"DetachInstanceRamRoleResult": results}, **_counts(results),
            "RamRoleName": name or next(iter(detached), "")}


def _detach(conn: Connection, row: Row, name: str | None) -> dict[str, Any]:
    """One instance's outcome, as a DetachInstanceRamRoleResult."""
    try:
        if row.ram_role_name is None or name not in (None, row.ram_role_name):
            raise errors.RAM_ROLE_NOT_ATTACHED()
    except errors.EcsError as error:
        return _failed(row.id, error)
    assign(conn, instances, row.id, ram_role_name=None)
    return {**_succeeded(row.id), "InstanceRamRoleSets": {"InstanceRamRoleSet": [
        {"InstanceId": row.id, "RamRoleName": row.ram_role_name}]}}


def _instances(conn: Connection, ctx: CallContext, region_id: str, instance_ids: list[str]) -> list[Row]:
    """The account's instances in the region, in the order given, each once, locked."""
    if not instance_ids:
        raise errors.INSTANCE_IDS_MALFORMED()
    rows = instance_store.every_named(conn, ctx.account_id, region_id, instance_ids)
    if rows is None:
        raise errors.RAM_ROLE_INSTANCE_NOT_FOUND()
    return rows


def _succeeded(instance_id: str) -> dict[str, Any]:
    return {"InstanceId": instance_id, "Success": True, "Code": "200", "Message": "success"}


def _failed(instance_id: str, error: errors.EcsError) -> dict[str, Any]:
    return {"InstanceId": instance_id, "Success": False, "Code": error.code, "Message": error.message}


def _counts(results: list[dict[str, Any]]) -> dict[str, int]:
    return {"TotalCount": len(results), "FailCount": sum(1 for result in results if not result["Success"])}


# --- declarations ------------------------------------------------------------------------------

def _instance_ids(*, required: bool) -> Param:
    return Param("InstanceIds", kind=Kind.JSON_ARRAY, required=required, max_items=MAX_IDS,
                 invalid=errors.INSTANCE_IDS_MALFORMED,
                 description=f"JSON array of instance IDs in the region, at most {MAX_IDS}.")


ACTIONS = (
    Action("DescribeInstanceRamRole", FAMILY, "The RAM role of each instance, or the instances holding a role.",
           params=(REGION_ID, _instance_ids(required=False),
                   Param("RamRoleName", description="Only the instances holding this role."),
                   PAGE_NUMBER, page_size(50)),
           handler=describe_instance_ram_role,
           raises=(errors.RAM_ROLE_ALL_EMPTY, errors.RAM_ROLE_INSTANCE_NOT_FOUND, errors.INVALID_PARAMETER)),
    Action("AttachInstanceRamRole", FAMILY, "Gives instances a RAM role (one per instance); per-instance "
                                            "outcome in the results.",
           params=(REGION_ID, _instance_ids(required=True),
                   Param("RamRoleName", required=True, description="The role (recorded, not checked against RAM)."),
                   Param("Policy", min_length=1, max_length=1024,
                         description="A policy narrowing the role, 1-1024 characters (accepted, not applied).")),
           handler=attach_instance_ram_role,
           raises=(errors.RAM_ROLE_NOT_FOUND, errors.INSTANCE_IDS_MALFORMED, errors.RAM_ROLE_INSTANCE_NOT_FOUND)),
    Action("DetachInstanceRamRole", FAMILY, "Takes the RAM role from instances; per-instance outcome in the "
                                            "results.",
           params=(REGION_ID, _instance_ids(required=True),
                   Param("RamRoleName", description="The role to take; default whichever each holds.")),
           handler=detach_instance_ram_role,
           raises=(errors.INSTANCE_IDS_MALFORMED, errors.RAM_ROLE_INSTANCE_NOT_FOUND)),
)
