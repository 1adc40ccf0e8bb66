"""Automatic snapshot policies: CreateAutoSnapshotPolicy, ModifyAutoSnapshotPolicyEx,
DescribeAutoSnapshotPolicyEx, DeleteAutoSnapshotPolicy, ApplyAutoSnapshotPolicy,
CancelAutoSnapshotPolicy.

The write actions spell their parameters as the real API does, in lower camel case
(``regionId``, ``timePoints``, …); ``RegionId`` (which the old SDK adds to every call) is read
too. A disk has at most one policy (the service's default; Apply replaces the one it had).
A policy fires at its time points (auto_snapshots.py); the cross-region copy settings are
recorded and read back, no copy is made.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..catalog.regions import REGION_IDS
from ..clock import utc_iso
from ..domain import auto_snapshot_policies as rules
from ..domain.ids import new_id
from ..store import auto_snapshot_policies as policy_store
from ..store import tags as tag_store
from ..store.rows import add, assign, find
from ..store.schema import auto_snapshot_policies, disks
from .common import (
    PAGE_NUMBER,
    REGION_ID,
    RESOURCE_GROUP_FILTER,
    RESOURCE_GROUP_ID,
    TAG,
    Listing,
    page_size,
    paginate,
    resource_group_in,
    tags_in,
    tags_out,
)
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Automatic snapshot policies"


# --- checking what a request says ----------------------------------------------------------------

def _region(args: Args) -> str:
    """``regionId``, else ``RegionId``: one of them is required."""
    region_id = args["regionId"] or args["RegionId"]
    if not region_id:
        raise errors.MISSING_PARAMETER(name="regionId")
    return region_id


def _settings(args: Args) -> dict[str, Any]:
    """The policy's columns the request sets, checked (absent: unchanged when modifying)."""
    columns: dict[str, Any] = {}
    name = args["autoSnapshotPolicyName"]
    if name is not None:
        if not rules.valid_name(name):
            raise errors.ASP_NAME_MALFORMED()
        columns["policy_name"] = name
    if args["timePoints"] is not None:
        hours = rules.hours(args["timePoints"])
        if hours is None:
            raise errors.ASP_TIME_POINTS_INVALID()
        columns["time_points"] = list(hours)
    if args["repeatWeekdays"] is not None:
        weekdays = rules.weekdays(args["repeatWeekdays"])
        if weekdays is None:
            raise errors.ASP_WEEKDAYS_INVALID()
        columns["repeat_weekdays"] = list(weekdays)
    if args["retentionDays"] is not None:
        if not rules.valid_retention(args["retentionDays"]):
            raise errors.ASP_RETENTION_INVALID()
        columns["retention_days"] = args["retentionDays"]
    if args["EnableCrossRegionCopy"] is not None:
        columns["enable_cross_region_copy"] = args["EnableCrossRegionCopy"]
    regions = args["TargetCopyRegions"]
    if regions is not None:
        if len(regions) > 1 or any(region not in REGION_IDS for region in regions):
            raise errors.ASP_TARGET_COPY_REGIONS()
        columns["target_copy_regions"] = regions
    days = args["CopiedSnapshotsRetentionDays"]
    if days is not None:
        if not rules.valid_copied_retention(days):
            raise errors.ASP_COPIED_RETENTION()
        columns["copied_snapshots_retention_days"] = days
    encryption = args["CopyEncryptionConfiguration"]
    if encryption:
        encrypted, key = encryption.get("Encrypted"), encryption.get("KMSKeyId")
        if key and not encrypted:
            raise errors.ASP_ENCRYPTED_ILLEGAL()
        if encrypted is not None:
            columns["copy_encrypted"] = encrypted
        if key is not None:
            columns["copy_kms_key_id"] = key
    return columns


def _policy(conn: Connection, ctx: CallContext, policy_id: str, region_id: str, *, lock: bool = False) -> Row:
    row = find(conn, auto_snapshot_policies, ctx.account_id, policy_id, lock=lock)
    if row is None:
        raise errors.ASP_NOT_FOUND()
    if row.region_id != region_id:
        raise errors.ASP_NOT_IN_REGION()
    return row


def _disks(conn: Connection, ctx: CallContext, disk_ids: list[str], region_id: str,
           missing: errors.ErrorCode) -> list[Row]:
    """The account's disks in the region, each once, in the order given."""
    ids = list(dict.fromkeys(disk_ids))
    if not ids:
        raise errors.ASP_DISK_IDS_INVALID()
    rows = [find(conn, disks, ctx.account_id, disk_id, lock=True) for disk_id in ids]
    if any(row is None or row.region_id != region_id for row in rows):
        raise missing()
    return rows  # type: ignore[return-value]


def policy_for_new_disk(conn: Connection, account_id: str, region_id: str, policy_id: str | None) -> str | None:
    """The policy a disk made by RunInstances takes (``AutoSnapshotPolicyId``),
    checked: one of the account's in the region; None: none asked for."""
    if not policy_id:
        return None
    if not policy_store.exists_in_region(conn, account_id, region_id, policy_id):
        raise errors.ASP_FOR_NEW_DISK_NOT_FOUND()
    return policy_id


# --- handlers ----------------------------------------------------------------------------------

def create_policy(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = _region(args)
    columns = _settings(args)
    tags, resource_group = tags_in(args), resource_group_in(args)
    policy_id = new_id("sp", region_id)
    with ctx.emulator.unit_of_work() as conn:
        if policy_store.count_in_region(conn, ctx.account_id, region_id) >= rules.QUOTA_PER_REGION:
            raise errors.ASP_QUOTA_EXCEEDED()
        now = ctx.now()
        add(conn, auto_snapshot_policies, id=policy_id, account_id=ctx.account_id, region_id=region_id,
            created_at=now, resource_group_id=resource_group,
            next_fire_at=rules.next_fire(now, tuple(columns["time_points"]), tuple(columns["repeat_weekdays"])),
            **columns)
        tag_store.tag_new(conn, policy_id, tags)
    return {"AutoSnapshotPolicyId": policy_id}


def modify_policy(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Takes effect at once: the next time point is worked out again from now; a new
    RetentionDays applies to the snapshots the policy has taken as well (docs/decisions.md)."""
    region_id = _region(args)
    columns = _settings(args)
    with ctx.emulator.unit_of_work() as conn:
        policy = _policy(conn, ctx, args["autoSnapshotPolicyId"], region_id, lock=True)
        hours = tuple(columns.get("time_points", policy.time_points))
        weekdays = tuple(columns.get("repeat_weekdays", policy.repeat_weekdays))
        assign(conn, auto_snapshot_policies, policy.id, next_fire_at=rules.next_fire(ctx.now(), hours, weekdays),
               **columns)
        if "retention_days" in columns:
            days = columns["retention_days"]
            policy_store.retain_taken(conn, policy.id, None if days == rules.FOREVER else days, rules.DAY)
    return {}


def delete_policy(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Its disks are left without a policy; the snapshots it took stay."""
    region_id = _region(args)
    with ctx.emulator.unit_of_work() as conn:
        policy = _policy(conn, ctx, args["autoSnapshotPolicyId"], region_id, lock=True)
        policy_store.forget(conn, policy.id)
    return {}


def apply_policy(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = _region(args)
    with ctx.emulator.unit_of_work() as conn:
        policy = _policy(conn, ctx, args["autoSnapshotPolicyId"], region_id)
        # (local disks, which refuse a policy, cannot be made here)
        rows = _disks(conn, ctx, args["diskIds"], region_id, errors.ASP_DISK_NOT_FOUND)
        policy_store.apply_to(conn, policy.id, [row.id for row in rows])
    return {}


def cancel_policy(ctx: CallContext, args: Args) -> dict[str, Any]:
    """The disks lose their policy (only ``autoSnapshotPolicyId``, if given)."""
    region_id = _region(args)
    with ctx.emulator.unit_of_work() as conn:
        rows = _disks(conn, ctx, args["diskIds"], region_id, errors.ASP_CANCEL_DISK_NOT_FOUND)
        policy_store.cancel_on(conn, [row.id for row in rows], args["autoSnapshotPolicyId"])
    return {}


LISTED = Listing(auto_snapshot_policies, policy_store.LISTED_COLUMNS)


def describe_policies(ctx: CallContext, args: Args) -> dict[str, Any]:
    conditions = policy_store.listing_filters(
        id=args["AutoSnapshotPolicyId"], policy_name=args["AutoSnapshotPolicyName"],
        resource_group_id=args["ResourceGroupId"], tags=args["Tag"])
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, where=conditions)
        counts = policy_store.disk_count(conn, [row.id for row in rows])
    return {"AutoSnapshotPolicies": {"AutoSnapshotPolicy": [
        policy_view(row, counts.get(row.id, 0), tag_store.tags_in_row(row)) for row in rows]}, **paging}


def _json_list(values: list[Any]) -> str:
    """The real answer's form for TimePoints, RepeatWeekdays, TargetCopyRegions: a JSON
    array of strings, as a string (``["1","7"]``)."""
    return "[" + ",".join(f'"{value}"' for value in values) + "]"


def policy_view(row: Row, disk_count: int, tags: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "AutoSnapshotPolicyId": row.id,
        "AutoSnapshotPolicyName": row.policy_name,
        "RegionId": row.region_id,
        "TimePoints": _json_list(row.time_points),
        "RepeatWeekdays": _json_list(row.repeat_weekdays),
        "RetentionDays": row.retention_days,
        "DiskNums": disk_count,
        "VolumeNums": 0,
        "Status": rules.STATUS,
        "Type": rules.TYPE,
        "CreationTime": utc_iso(row.created_at),
        "EnableCrossRegionCopy": row.enable_cross_region_copy,
        "TargetCopyRegions": _json_list(row.target_copy_regions),
        "CopiedSnapshotsRetentionDays": row.copied_snapshots_retention_days,
        "CopyEncryptionConfiguration": {"Encrypted": row.copy_encrypted, "KMSKeyId": row.copy_kms_key_id},
        "ResourceGroupId": row.resource_group_id,
        "Tags": tags_out(tags),
    }


# --- declarations ------------------------------------------------------------------------------

REGION = Param("regionId", enum=REGION_IDS, invalid=errors.ASP_REGION_INVALID,
               description="The region (required, as regionId or RegionId).")
REGION_UPPER = Param("RegionId", enum=REGION_IDS, invalid=errors.ASP_REGION_INVALID,
                     description="The region, as the old SDK sends it.")
POLICY_ID = Param("autoSnapshotPolicyId", required=True, description="The policy, sp-….")
DISK_IDS = Param("diskIds", kind=Kind.JSON_ARRAY, required=True, max_items=rules.MAX_DISKS_PER_CALL,
                 invalid=errors.ASP_DISK_IDS_INVALID,
                 description=f"JSON array of disk IDs in the region, at most {rules.MAX_DISKS_PER_CALL}.")


def _settings_params(*, creating: bool) -> tuple[Param, ...]:
    return (
        Param("autoSnapshotPolicyName", description="Name, 2-128 characters: starts with a letter; "
                                                    "letters, digits, : _ - ."),
        Param("timePoints", kind=Kind.JSON_ARRAY, required=creating, invalid=errors.ASP_TIME_POINTS_INVALID,
              description='JSON array of hours 0-23, UTC+8: ["0","1"].'),
        Param("repeatWeekdays", kind=Kind.JSON_ARRAY, required=creating, invalid=errors.ASP_WEEKDAYS_INVALID,
              description='JSON array of weekdays 1 (Monday) to 7: ["1","7"].'),
        Param("retentionDays", type=Type.INTEGER, required=creating, invalid=errors.ASP_RETENTION_INVALID,
              description="Days its snapshots are kept: -1 (until deleted) or 1-65536."),
        Param("EnableCrossRegionCopy", type=Type.BOOLEAN, description="Copy each snapshot to another region "
                                                                       "(recorded; no copy is made)."),
        Param("TargetCopyRegions", kind=Kind.JSON_ARRAY, invalid=errors.ASP_TARGET_COPY_REGIONS,
              description='JSON array of one region: ["cn-shanghai"].'),
        Param("CopiedSnapshotsRetentionDays", type=Type.INTEGER, invalid=errors.ASP_COPIED_RETENTION,
              description="Days the copies are kept: -1 or 1-65535."),
        Param("CopyEncryptionConfiguration", kind=Kind.OBJECT, description="Encryption of the copies.", fields=(
            Param("Encrypted", type=Type.BOOLEAN, description="Encrypt the copies; default false."),
            # (Arn.N.RoleType|Rolearn|AssumeRoleFor: "not publicly available", not declared)
            Param("KMSKeyId", description="KMS key of the copies (needs Encrypted=true)."),
        )),
        Param("TargetTags", kind=Kind.OBJECT_LIST, supported=False,
              description="Policies matched by instance tag: not emulated (refused).",
              fields=(Param("Key"), Param("Value"))),
    )


SETTINGS_RAISES = (errors.ASP_NAME_MALFORMED, errors.ASP_TIME_POINTS_INVALID, errors.ASP_WEEKDAYS_INVALID,
                   errors.ASP_RETENTION_INVALID, errors.ASP_TARGET_COPY_REGIONS, errors.ASP_COPIED_RETENTION,
                   errors.ASP_ENCRYPTED_ILLEGAL, errors.MISSING_PARAMETER)

ACTIONS = (
    Action("CreateAutoSnapshotPolicy", FAMILY, "Creates a policy that snapshots its disks at its time points "
                                               "(UTC+8) on its weekdays; at most 100 per region.",
           params=(REGION, REGION_UPPER, *_settings_params(creating=True),
                   Param("AssociationType", enum=("AssociatedWithDisk", "AssociatedWithInstanceTag"),
                         default="AssociatedWithDisk", supported=False,
                         description="AssociatedWithDisk (the default); by instance tag: not emulated."),
                   Param("StorageLocationArn", supported=False, description="Not public: not emulated (refused)."),
                   RESOURCE_GROUP_ID, TAG),
           handler=create_policy,
           raises=(*SETTINGS_RAISES, errors.ASP_QUOTA_EXCEEDED, errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE,
                   errors.DUPLICATE_TAG_KEY, errors.RESOURCE_GROUP_NOT_FOUND)),
    Action("ModifyAutoSnapshotPolicyEx", FAMILY, "Changes a policy; its disks follow the new schedule at once.",
           params=(REGION, REGION_UPPER, POLICY_ID, *_settings_params(creating=False)),
           handler=modify_policy,
           raises=(*SETTINGS_RAISES, errors.ASP_NOT_FOUND, errors.ASP_NOT_IN_REGION)),
    Action("DescribeAutoSnapshotPolicyEx", FAMILY, "Lists policies, oldest first.",
           params=(REGION_ID, Param("AutoSnapshotPolicyId", description="The policy."),
                   Param("AutoSnapshotPolicyName", description="Name."),
                   RESOURCE_GROUP_FILTER, TAG, PAGE_NUMBER, page_size(100)),
           handler=describe_policies, raises=(errors.INVALID_PARAMETER,)),
    Action("DeleteAutoSnapshotPolicy", FAMILY, "Deletes a policy: its disks have none; its snapshots stay.",
           params=(REGION, REGION_UPPER, POLICY_ID),
           handler=delete_policy,
           raises=(errors.MISSING_PARAMETER, errors.ASP_NOT_FOUND, errors.ASP_NOT_IN_REGION)),
    Action("ApplyAutoSnapshotPolicy", FAMILY, "Applies a policy to disks, replacing the one each had.",
           params=(REGION, REGION_UPPER, POLICY_ID, DISK_IDS),
           handler=apply_policy,
           raises=(errors.MISSING_PARAMETER, errors.ASP_NOT_FOUND, errors.ASP_NOT_IN_REGION,
                   errors.ASP_DISK_IDS_INVALID, errors.ASP_DISK_NOT_FOUND)),
    Action("CancelAutoSnapshotPolicy", FAMILY, "Takes disks' policy off (only autoSnapshotPolicyId, if given).",
           params=(REGION, REGION_UPPER, Param("autoSnapshotPolicyId", description="Only this policy."), DISK_IDS),
           handler=cancel_policy,
           raises=(errors.MISSING_PARAMETER, errors.ASP_DISK_IDS_INVALID, errors.ASP_CANCEL_DISK_NOT_FOUND)),
)
