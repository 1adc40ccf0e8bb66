"""What the tools read of an instance besides DescribeInstances: DescribeInstanceAttribute,
DescribeUserData, DescribeInstanceAttachmentAttributes (and ModifyInstanceAttachmentAttributes),
DescribeInstanceAutoRenewAttribute (the Terraform provider's instance Read calls each)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..domain import private_pools
from ..store import locks as lock_store
from ..store.instance_attributes import existing_ids, renewal_filters
from ..store.rows import assign, find
from ..store.schema import instances
from .common import PAGE_NUMBER, REGION_ID, Listing, page_size, paginate
from .declaration import Action, Args, CallContext
from .instances import _instance_view, find_instance
from .params import Kind, Param

FAMILY = "Instances"

INSTANCE_ID = Param("InstanceId", required=True, description="The instance.")
LISTED = Listing(instances)
MAX_IDS = 100


def _instance_in_region(conn: Connection, ctx: CallContext, instance_id: str, region_id: str) -> Row:
    instance = find_instance(conn, ctx, instance_id)
    if instance.region_id != region_id:
        raise errors.INSTANCE_NOT_FOUND()
    return instance


# --- DescribeInstanceAttribute ---------------------------------------------------------------

# What DescribeInstanceAttribute shows as DescribeInstances does (one view, instances.py).
_SHARED_FIELDS = (
    "InstanceId", "InstanceName", "Description", "HostName", "ImageId", "InstanceType", "Cpu", "Memory", "RegionId",
    "ZoneId", "Status", "CreationTime", "ExpiredTime", "InstanceChargeType", "InternetChargeType",
    "InternetMaxBandwidthIn", "InternetMaxBandwidthOut", "InstanceNetworkType", "StoppedMode", "SerialNumber",
    "CreditSpecification", "SecurityGroupIds", "PublicIpAddress", "InnerIpAddress", "VpcAttributes",
    "DedicatedHostAttribute",
)


def describe_instance_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    """The instance wherever it is (the action has no RegionId)."""
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        instance = find_instance(conn, ctx, args["InstanceId"])
        locks = lock_store.locks_of(conn, [instance.id]).get(instance.id, [])
    listed = _instance_view(instance, locks, [], ("", ""))
    view = {name: listed[name] for name in _SHARED_FIELDS}
    view.update({
        "IoOptimized": "optimized",
        "EipAddress": {"AllocationId": "", "IpAddress": "", "InternetChargeType": "", "Bandwidth": 0},
        "OperationLocks": {"LockReason": [{"LockReason": reason} for reason in locks]},
        "ClusterId": "",
        "VlanId": "",
        "EnableJumboFrame": False,
        "EnableNetworkEncryption": False,
        "NetworkOptions": {"EnableJumboFrame": False, "EnableNetworkEncryption": False},
        "SecurityOptions": {"EnableSecureBoot": False},
    })
    return view


# --- DescribeUserData --------------------------------------------------------------------------

def describe_user_data(ctx: CallContext, args: Args) -> dict[str, Any]:
    """The user data exactly as RunInstances, CreateInstance or ModifyInstanceAttribute
    received it (Base64); empty when there is none."""
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        instance = _instance_in_region(conn, ctx, args["InstanceId"], args["RegionId"])
    return {"InstanceId": instance.id, "RegionId": instance.region_id, "UserData": instance.user_data or ""}


# --- private pools: DescribeInstanceAttachmentAttributes, ModifyInstanceAttachmentAttributes ----

PRIVATE_POOL_OPTIONS = Param("PrivatePoolOptions", kind=Kind.OBJECT, description="The private pool to draw from.",
                             fields=(
    Param("MatchCriteria", enum=private_pools.MATCH_CRITERIA,
          description="Open (any open pool), Target (the pool Id), or None (default)."),
    Param("Id", description="The pool, with Target only (no pools exist here)."),
))


def match_criteria(options: dict | None) -> str:
    """How an instance made or changed with ``PrivatePoolOptions`` matches pools, checked:
    the rule RunInstances, CreateInstance and ModifyInstanceAttachmentAttributes share."""
    criteria = (options or {}).get("MatchCriteria") or private_pools.DEFAULT_MATCH_CRITERIA
    pool_id = (options or {}).get("Id")
    if criteria != private_pools.TARGET:
        if pool_id:
            raise errors.PRIVATE_POOL_ID_NOT_TARGET()
        return criteria
    if not pool_id:
        raise errors.PRIVATE_POOL_ID_MISSING()
    raise errors.PRIVATE_POOL_ID_INVALID()  # no pool exists to be the target


def describe_instance_attachment_attributes(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Which private pool each instance draws from: none, as none exists here."""
    ids = list(dict.fromkeys(args["InstanceIds"]))
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        if not ids or existing_ids(conn, ctx.account_id, args["RegionId"], ids) != set(ids):
            raise errors.INSTANCE_IDS_NOT_FOUND()
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=ids)
    return {"Instances": {"Instance": [
        {"InstanceId": row.id, "PrivatePoolOptionsMatchCriteria": row.private_pool_match_criteria,
         "PrivatePoolOptionsId": ""}
        for row in rows]}, **paging}


def modify_instance_attachment_attributes(ctx: CallContext, args: Args) -> dict[str, Any]:
    if not (args["PrivatePoolOptions"] or {}).get("MatchCriteria"):
        raise errors.MISSING_PARAMETER(name="PrivatePoolOptions.MatchCriteria")
    criteria = match_criteria(args["PrivatePoolOptions"])
    with ctx.emulator.unit_of_work() as conn:
        instance = _instance_in_region(conn, ctx, args["InstanceId"], args["RegionId"])
        assign(conn, instances, instance.id, private_pool_match_criteria=criteria)
    return {}


# --- DescribeInstanceAutoRenewAttribute ------------------------------------------------------------

def describe_instance_auto_renew_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Renewal settings of subscription instances: those named (a comma-separated list), or
    every one with a renewal status."""
    region_id = args["RegionId"]
    ids = [part.strip() for part in (args["InstanceId"] or "").split(",") if part.strip()]
    if not ids and args["RenewalStatus"] is None:
        raise errors.RENEWAL_NEITHER_GIVEN()
    if len(ids) > MAX_IDS:
        raise errors.RENEWAL_TOO_MANY_IDS()
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        for instance_id in dict.fromkeys(ids):
            instance = find(conn, instances, ctx.account_id, instance_id)
            if instance is None or instance.region_id != region_id:
                raise errors.RENEWAL_INVALID_INSTANCE_ID()
            if instance.charge_type != "PrePaid":
                raise errors.RENEWAL_POSTPAID()
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=list(dict.fromkeys(ids)) or None,
                                where=renewal_filters(args["RenewalStatus"]))
    return {"InstanceRenewAttributes": {"InstanceRenewAttribute": [{
        "InstanceId": row.id,
        "AutoRenewEnabled": row.renewal_status == "AutoRenewal",
        "RenewalStatus": row.renewal_status,
        "Duration": row.renewal_duration,
        "PeriodUnit": row.renewal_period_unit,
    } for row in rows]}, **paging}


# --- declarations ------------------------------------------------------------------------------------

ACTIONS = (
    Action("DescribeInstanceAttribute", FAMILY, "One instance's attributes, wherever it is.",
           params=(INSTANCE_ID,),
           handler=describe_instance_attribute, raises=(errors.INSTANCE_NOT_FOUND,)),
    Action("DescribeUserData", FAMILY, "An instance's user data, Base64, as it was given.",
           params=(REGION_ID, INSTANCE_ID),
           handler=describe_user_data, raises=(errors.INSTANCE_NOT_FOUND,)),
    Action("DescribeInstanceAttachmentAttributes", FAMILY, "How each instance matches private pools, and "
                                                           "the one it draws from (none here).",
           params=(REGION_ID,
                   Param("InstanceIds", kind=Kind.JSON_ARRAY, required=True, max_items=MAX_IDS,
                         description=f"JSON array of instance IDs, at most {MAX_IDS}."),
                   PAGE_NUMBER, page_size(100)),
           handler=describe_instance_attachment_attributes,
           raises=(errors.INSTANCE_IDS_NOT_FOUND, errors.INVALID_PARAMETER)),
    Action("ModifyInstanceAttachmentAttributes", FAMILY, "Sets how an instance matches private pools "
                                                         "(Open or None: no pool exists here).",
           params=(REGION_ID, INSTANCE_ID, PRIVATE_POOL_OPTIONS),
           handler=modify_instance_attachment_attributes,
           raises=(errors.MISSING_PARAMETER, errors.PRIVATE_POOL_ID_NOT_TARGET, errors.PRIVATE_POOL_ID_MISSING,
                   errors.PRIVATE_POOL_ID_INVALID, errors.INSTANCE_NOT_FOUND)),
    Action("DescribeInstanceAutoRenewAttribute", FAMILY, "Renewal settings of subscription instances.",
           params=(REGION_ID,
                   Param("InstanceId", description=f"Instance IDs, comma-separated, at most {MAX_IDS}."),
                   Param("RenewalStatus", enum=("AutoRenewal", "Normal", "NotRenewal"),
                         invalid=errors.RENEWAL_STATUS_INVALID,
                         description="Only the instances with this renewal status."),
                   PAGE_NUMBER, page_size(100)),
           handler=describe_instance_auto_renew_attribute,
           raises=(errors.RENEWAL_NEITHER_GIVEN, errors.RENEWAL_TOO_MANY_IDS, errors.RENEWAL_INVALID_INSTANCE_ID,
                   errors.RENEWAL_POSTPAID, errors.INVALID_PARAMETER)),
)
