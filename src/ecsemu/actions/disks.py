"""Disks: CreateDisk, AttachDisk, DetachDisk, DeleteDisk, DescribeDisks (ResizeDisk and the other
changes of an existing disk: disk_specs.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..catalog import disk_categories as categories
from ..catalog.regions import REGIONS_BY_ID
from ..clock import utc_iso
from ..domain import disks as rules
from ..domain import instances as instance_rules
from ..domain import resource_groups
from ..domain.ids import new_id
from ..domain.snapshots import Purpose, usable_row
from ..domain.status import DISK
from ..scheduler import AT_DUE
from ..store import disks as disk_store
from ..store import tags as tag_store
from ..store.locks import locks_in_row
from ..store.rows import add, assign, find, move
from ..store.schema import disks, instances, snapshots
from ..store.snapshots import snapshot_in_progress
from .common import (
    CLIENT_TOKEN,
    DRY_RUN,
    NEXT_TOKEN,
    PAGE_NUMBER,
    REGION_ID,
    RESOURCE_GROUP_FILTER,
    RESOURCE_GROUP_ID,
    TAG,
    Listing,
    dry_run_check,
    hashed_beforehand,
    max_results,
    page_size,
    paginate,
    resource_group_in,
    tags_in,
    tags_out,
    unless_every,
)
from .creation_filter import FILTER, created_since
from .creation_filter import RAISES as FILTER_RAISES
from .declaration import Action, Args, CallContext
from .instances import check_locks, find_instance
from .launch import credential_changes
from .params import Kind, Param, Type

FAMILY = "Disks"
# Snapshots made before this instant cannot seed or re-initialise a disk (spec B1, B11).

DISK_ID = Param("DiskId", required=True, description="The disk.")


def find_disk(conn: Connection, ctx: CallContext, disk_id: str, *, lock: bool = False,
              missing: errors.ErrorCode = errors.DISK_NOT_FOUND) -> Row:
    disk = find(conn, disks, ctx.account_id, disk_id, lock=lock)
    if disk is None:
        raise missing()
    return disk


# --- CreateDisk ----------------------------------------------------------------------------

def create_disk(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = args["RegionId"]
    with ctx.emulator.unit_of_work() as conn:
        now = ctx.now()
        instance = None
        if args["InstanceId"]:
            instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
            if instance.charge_type != "PrePaid":  # only subscription disks are made attached
                raise errors.INVALID_PAY_METHOD()
            zone_id = instance.zone_id
        else:
            if not args["ZoneId"]:
                raise errors.MISSING_PARAMETER(name="ZoneId")
            if args["ZoneId"] not in {z.zone_id for z in REGIONS_BY_ID[region_id].zones}:
                raise errors.ZONE_NOT_FOUND()
            zone_id = args["ZoneId"]
        category = args["DiskCategory"]
        if category not in rules.DATA_CATEGORIES:
            raise errors.INVALID_DISK_CATEGORY()
        level = (args["PerformanceLevel"] or "PL1") if category == categories.ESSD else None
        size = args["Size"]
        snapshot_id = args["SnapshotId"]
        if snapshot_id:
            snapshot = find(conn, snapshots, ctx.account_id, snapshot_id)
            if snapshot is not None and snapshot.region_id != region_id:
                snapshot = None  # another region's is not this region's
            snapshot = usable_row(Purpose.CREATE_DISK, snapshot)
            if size is not None and size < snapshot.source_disk_size:
                raise errors.DISK_SMALLER_THAN_SNAPSHOT()
            size = max(size or 0, snapshot.source_disk_size)
            base_layer_id = snapshot.layer_id
        elif size is None:
            raise errors.SIZE_OR_SNAPSHOT_MISSING()
        else:
            base_layer_id = None
        if size not in rules.data_size_range(category, level):
            raise errors.INVALID_DISK_SIZE()
        if args["DiskName"] and not instance_rules.valid_name(args["DiskName"]):
            raise errors.INVALID_DISK_NAME()
        if args["Description"] and not instance_rules.valid_description(args["Description"]):
            raise errors.INVALID_DESCRIPTION()
        if args["BurstingEnabled"] is not None and not rules.has_bursting(category):
            raise errors.BURSTING_NOT_SUPPORTED()
        tags = tags_in(args)
        resource_group = resource_group_in(args) if instance is None else resource_groups.NONE  # B11: ignored then
        device = None
        if instance is not None:
            device = rules.free_data_device(disk_store.devices_of(conn, instance.id))
            if device is None:
                raise errors.INSTANCE_DISK_LIMIT()
        disk_id = new_id("d", region_id)
        # DeleteAutoSnapshot false: the Terraform provider's schema default, which its own
        # acceptance tests read back after a bare CreateDisk (docs/decisions.md).
        add(conn, disks, id=disk_id, account_id=ctx.account_id, region_id=region_id, zone_id=zone_id, created_at=now,
            status="Creating", disk_type="data", category=category, performance_level=level, size=size,
            instance_id=instance.id if instance else None, device=device,
            delete_with_instance=instance is not None, delete_auto_snapshot=False, portable=instance is None,
            encrypted=args["Encrypted"], charge_type="PrePaid" if instance else "PostPaid",
            source_image_id=None, source_snapshot_id=snapshot_id, disk_name=args["DiskName"] or "",
            description=args["Description"] or "", ever_attached=instance is not None, base_layer_id=base_layer_id,
            resource_group_id=resource_group, bursting_enabled=bool(args["BurstingEnabled"]))
        tag_store.tag_new(conn, disk_id, tags)
        if instance is None:
            ctx.emulator.scheduler.chain(conn, DISK, disk_id, ("Creating", "Available"))
        else:
            ctx.emulator.scheduler.chain(conn, DISK, disk_id, ("Creating", "Available", "Attaching", "In_use"),
                                         assign={"In_use": {"attached_at": AT_DUE}})
    return {"DiskId": disk_id}


# --- AttachDisk / DetachDisk ---------------------------------------------------------------

def attach_disk(ctx: CallContext, args: Args) -> dict[str, Any]:
    password_hash = hashed_beforehand(ctx, args["Password"]) if args["Bootable"] else None
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        disk = find_disk(conn, ctx, args["DiskId"], lock=True)
        check_locks(conn, instance, errors.INSTANCE_LOCKED_FOR_SECURITY_DISK)
        if instance.status not in instance_rules.DISK_ATTACHABLE:
            raise errors.INCORRECT_INSTANCE_STATUS()
        if disk.status not in rules.ATTACHABLE:
            raise errors.INCORRECT_DISK_STATUS()
        if not disk.portable:
            raise errors.DISK_NOT_PORTABLE()
        if disk.zone_id != instance.zone_id:
            raise errors.NOT_IN_SAME_ZONE()
        devices = disk_store.devices_of(conn, instance.id)
        bootable = args["Bootable"]
        device: str | None
        if bootable:
            if rules.SYSTEM_DEVICE in devices:
                raise errors.INSTANCE_HAS_SYSTEM_DISK()
            device = rules.SYSTEM_DEVICE
        else:
            device = rules.free_data_device(devices)
            if device is None:
                raise errors.INSTANCE_DISK_LIMIT()
        changes: dict[str, Any] = {"instance_id": instance.id, "device": device, "ever_attached": True,
                                   "delete_with_instance": args["DeleteWithInstance"],
                                   "disk_type": "system" if bootable else "data"}
        credentials = credential_changes(
            conn, ctx.account_id, instance.region_id, windows=instance.os_type == "windows",
            password=args["Password"], password_hash=password_hash, key_pair_name=args["KeyPairName"],
        ) if bootable else {}
        if not move(conn, disks, DISK, disk.id, "Available", "Attaching", **changes):
            raise errors.INCORRECT_DISK_STATUS()
        if credentials:
            assign(conn, instances, instance.id, **credentials)
        ctx.emulator.scheduler.chain(conn, DISK, disk.id, ("Attaching", "In_use"),
                                     assign={"In_use": {"attached_at": AT_DUE}})
    return {}


def detach_disk(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        disk = find_disk(conn, ctx, args["DiskId"], lock=True, missing=errors.DISK_ID_NOT_FOUND)
        check_locks(conn, instance, errors.INSTANCE_LOCKED_FOR_SECURITY_DISK, financial=False)
        if disk.status == "Available":
            raise errors.DISK_ALREADY_DETACHED()
        if disk.instance_id != instance.id:
            raise errors.DISK_NOT_ATTACHED_HERE()
        if disk.status not in rules.DETACHABLE:
            raise errors.INCORRECT_DISK_STATUS()
        if not disk.portable:
            raise errors.DISK_NOT_PORTABLE()
        system = disk.disk_type == "system"
        allowed = instance_rules.SYSTEM_DISK_DETACHABLE if system else instance_rules.DISK_ATTACHABLE
        if instance.status not in allowed:
            raise errors.INCORRECT_INSTANCE_STATUS()
        keep = args["DeleteWithInstance"]
        if not move(conn, disks, DISK, disk.id, "In_use", "Detaching"):
            raise errors.INCORRECT_DISK_STATUS()
        ctx.emulator.scheduler.chain(
            conn, DISK, disk.id, ("Detaching", "Available"),
            assign={"Available": {"instance_id": None, "device": None, "detached_at": AT_DUE,
                                  "delete_with_instance": system if keep is None else keep}})
    return {}


# --- DeleteDisk ----------------------------------------------------------------------------

def delete_disk(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        disk = find_disk(conn, ctx, args["DiskId"], lock=True)
        if disk.status not in rules.DELETABLE:
            raise errors.INCORRECT_DISK_STATUS()
        if snapshot_in_progress(conn, disk.id):
            raise errors.DISK_CREATING_SNAPSHOT()
        if not ctx.emulator.data.remove_disk(conn, disk, expect="Available"):
            raise errors.INCORRECT_DISK_STATUS()
    return {}


# --- DescribeDisks -------------------------------------------------------------------------

LISTED = Listing(disks, disk_store.LISTED_COLUMNS)


def describe_disks(ctx: CallContext, args: Args) -> dict[str, Any]:
    if args["ZoneId"] is not None and args["ZoneId"] not in {z.zone_id for z in REGIONS_BY_ID[args["RegionId"]].zones}:
        raise errors.DISK_ZONE_FILTER()
    conditions = disk_store.listing_filters(
        zone_id=args["ZoneId"], instance_id=args["InstanceId"], source_snapshot_id=args["SnapshotId"],
        disk_name=args["DiskName"], portable=args["Portable"], delete_with_instance=args["DeleteWithInstance"],
        delete_auto_snapshot=args["DeleteAutoSnapshot"], encrypted=args["Encrypted"],
        charge_type=args["DiskChargeType"], disk_type=unless_every(args["DiskType"]),
        category=unless_every(args["Category"]), status=unless_every(args["Status"], "All"),
        enable_auto_snapshot=args["EnableAutoSnapshot"], performance_level=args["PerformanceLevel"],
        lock_reason=args["LockReason"], tags=args["Tag"], resource_group_id=args["ResourceGroupId"],
        since=created_since(args),
        auto_snapshot_policy_id=args["AutoSnapshotPolicyId"] or None,
        with_policy=args["EnableAutomatedSnapshotPolicy"],
        # every disk here is single-attach, unshared, without KMS key
        matches_none=args["MultiAttach"] not in (None, "Disabled") or bool(args["KMSKeyId"])
        or bool(args["EnableShared"]))
    dry_run_check(args)
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=args["DiskIds"], where=conditions,
                                token_max=500)
    return {"Disks": {"Disk": [disk_view(row, tag_store.tags_in_row(row), locks_in_row(row))
                               for row in rows]}, **paging}


def disk_view(row: Row, tags: list[tuple[str, str]], locks: list[str]) -> dict[str, Any]:
    attached = row.instance_id is not None
    attachments = [{"InstanceId": row.instance_id, "Device": row.device, "AttachedTime": utc_iso(row.attached_at)}] \
        if attached else []
    return {
        "DiskId": row.id,
        "DiskName": row.disk_name,
        "Description": row.description,
        "RegionId": row.region_id,
        "ZoneId": row.zone_id,
        "Type": row.disk_type,
        "Category": row.category,
        "PerformanceLevel": row.performance_level or "",
        "Size": row.size,
        "Status": row.status,
        "InstanceId": row.instance_id or "",
        "Device": row.device or "",
        "ImageId": row.source_image_id or "",
        "SourceSnapshotId": row.source_snapshot_id or "",
        "Portable": row.portable,
        "DeleteWithInstance": row.delete_with_instance,
        "DeleteAutoSnapshot": row.delete_auto_snapshot,
        "EnableAutoSnapshot": row.enable_auto_snapshot,
        "BurstingEnabled": row.bursting_enabled,
        "EnableAutomatedSnapshotPolicy": row.auto_snapshot_policy_id is not None,
        "Encrypted": row.encrypted,
        "DiskChargeType": row.charge_type,
        "CreationTime": utc_iso(row.created_at),
        "AttachedTime": utc_iso(row.attached_at),
        "DetachedTime": utc_iso(row.detached_at),
        "ExpiredTime": "2999-09-08T16:00Z",
        "MultiAttach": "Disabled",
        "SerialNumber": rules.serial_number(row.id),
        "IOPS": 0,
        "ResourceGroupId": row.resource_group_id,
        "AutoSnapshotPolicyId": row.auto_snapshot_policy_id or "",
        "Attachments": {"Attachment": attachments},
        "MountInstances": {"MountInstance": []},
        "OperationLocks": {"OperationLock": [{"LockReason": reason} for reason in locks]},
        "Tags": tags_out(tags),
    }


ACTIONS = (
    Action("CreateDisk", FAMILY, "Creates a pay-as-you-go data disk (Creating, then Available).",
           params=(REGION_ID, Param("ZoneId", description="Zone (or InstanceId of a subscription instance)."),
                   Param("DiskCategory", default=categories.DEFAULT_DISK_CATEGORY,
                         description=f"Category; default {categories.DEFAULT_DISK_CATEGORY}."),
                   Param("Size", type=Type.INTEGER, description="GiB; required unless SnapshotId."),
                   Param("SnapshotId", description="Make the disk from this snapshot."),
                   Param("PerformanceLevel", enum=rules.PERFORMANCE_LEVELS, invalid=errors.INVALID_PERFORMANCE_LEVEL,
                         description="ESSD performance level; default PL1."),
                   Param("DiskName", description="Name, 2-128 characters."),
                   Param("Description", description="Description, 2-256 characters."),
                   Param("Encrypted", type=Type.BOOLEAN, default=False, description="Encrypted (recorded only)."),
                   Param("InstanceId", description="A subscription instance to create the disk on."),
                   Param("BurstingEnabled", type=Type.BOOLEAN,
                         description="Performance burst, ESSD AutoPL disks only (recorded)."),
                   Param("MultiAttach", enum=("Disabled", "Enabled"), default="Disabled", supported=False,
                         description="Multi-attach: not emulated (Enabled is refused)."),
                   *(Param(name, supported=False, description="Not emulated (refused).")
                     for name in ("KMSKeyId", "EncryptAlgorithm", "StorageSetId", "StorageClusterId",
                                  "AdvancedFeatures")),
                   Param("Arn", kind=Kind.OBJECT_LIST, supported=False, description="Not emulated (refused).",
                         fields=(Param("RoleType", description="Role type."), Param("Rolearn", description="ARN."),
                                 Param("AssumeRoleFor", type=Type.LONG, description="Account."))),
                   *(Param(name, type=Type.INTEGER, supported=False, description="Not emulated (refused).")
                     for name in ("ProvisionedIops", "StorageSetPartitionNumber")),
                   RESOURCE_GROUP_ID, TAG, CLIENT_TOKEN),
           handler=create_disk,
           raises=(errors.ZONE_NOT_FOUND, errors.INVALID_DISK_CATEGORY, errors.INVALID_DISK_SIZE,
                   errors.SIZE_OR_SNAPSHOT_MISSING, errors.SNAPSHOT_NOT_FOUND, errors.SNAPSHOT_CREATION_NOT_READY,
                   errors.SNAPSHOT_TOO_OLD_FOR_DISK, errors.DISK_SMALLER_THAN_SNAPSHOT, errors.INVALID_DISK_NAME,
                   errors.INVALID_DESCRIPTION, errors.INSTANCE_NOT_FOUND, errors.INVALID_PAY_METHOD,
                   errors.INSTANCE_DISK_LIMIT, errors.BURSTING_NOT_SUPPORTED, errors.DUPLICATE_TAG_KEY,
                   errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE, errors.MISSING_PARAMETER,
                   errors.RESOURCE_GROUP_NOT_FOUND)),
    Action("AttachDisk", FAMILY, "Attaches an Available disk to an instance of its zone (Attaching, then In_use).",
           params=(DISK_ID, Param("InstanceId", required=True, description="The instance."),
                   Param("DeleteWithInstance", type=Type.BOOLEAN, default=False,
                         description="Release with the instance."),
                   Param("Bootable", type=Type.BOOLEAN, default=False, description="Attach as the system disk."),
                   Param("Password", description="With Bootable: the new password."),
                   Param("KeyPairName", description="With Bootable: the key pair."),
                   Param("Device", description="Legacy (ignored: the next free device is used)."),
                   Param("Force", type=Type.BOOLEAN, default=False, description="Regional disks only (accepted).")),
           handler=attach_disk,
           raises=(errors.DISK_NOT_FOUND, errors.INSTANCE_NOT_FOUND, errors.INCORRECT_DISK_STATUS,
                   errors.INCORRECT_INSTANCE_STATUS, errors.INSTANCE_LOCKED_FOR_SECURITY_DISK,
                   errors.INSTANCE_EXPIRED_OR_IN_ARREARS, errors.DISK_NOT_PORTABLE, errors.NOT_IN_SAME_ZONE,
                   errors.INSTANCE_DISK_LIMIT, errors.INSTANCE_HAS_SYSTEM_DISK, errors.INVALID_PASSWORD,
                   errors.KEY_PAIR_NOT_FOUND, errors.KEY_PAIR_WINDOWS)),
    Action("DetachDisk", FAMILY, "Detaches a disk from its instance (Detaching, then Available).",
           params=(DISK_ID, Param("InstanceId", required=True, description="The instance."),
                   Param("DeleteWithInstance", type=Type.BOOLEAN,
                         description="The disk's DeleteWithInstance afterwards; default true for a system disk.")),
           handler=detach_disk,
           raises=(errors.DISK_ID_NOT_FOUND, errors.INSTANCE_NOT_FOUND, errors.DISK_ALREADY_DETACHED,
                   errors.DISK_NOT_ATTACHED_HERE, errors.INCORRECT_DISK_STATUS, errors.INCORRECT_INSTANCE_STATUS,
                   errors.INSTANCE_LOCKED_FOR_SECURITY_DISK, errors.DISK_NOT_PORTABLE,
                   errors.INSTANCE_EXPIRED_OR_IN_ARREARS)),
    Action("DeleteDisk", FAMILY, "Releases an Available disk.",
           params=(DISK_ID,), handler=delete_disk,
           raises=(errors.DISK_NOT_FOUND, errors.INCORRECT_DISK_STATUS, errors.DISK_CREATING_SNAPSHOT)),
    Action("DescribeDisks", FAMILY, "Lists disks, with filters and either paging style.",
           params=(REGION_ID,
                   Param("DiskIds", kind=Kind.JSON_ARRAY, max_items=100,
                         description="JSON array of disk IDs, at most 100."),
                   Param("ZoneId", description="Zone."), Param("InstanceId", description="Attached to this instance."),
                   Param("DiskType", enum=("all", "system", "data"), default="all",
                         invalid=errors.DISK_TYPE_FILTER,
                         description="system, data or all."),
                   Param("Category", default="all",
                         enum=("all", *categories.ALL_NAMES),
                         invalid=errors.CATEGORY_FILTER,
                         description="Category or all."),
                   Param("Status", default="All", enum=(*DISK.statuses, "All"),
                         invalid=errors.DISK_STATUS_FILTER,
                         description="Status or All."),
                   Param("SnapshotId", description="Made from this snapshot."),
                   Param("DiskName", description="Name."),
                   Param("Portable", type=Type.BOOLEAN, description="Portable."),
                   Param("DeleteWithInstance", type=Type.BOOLEAN, description="Released with its instance."),
                   Param("DeleteAutoSnapshot", type=Type.BOOLEAN, description="Automatic snapshots go with it."),
                   Param("Encrypted", type=Type.BOOLEAN, description="Encrypted."),
                   Param("DiskChargeType", enum=("PrePaid", "PostPaid"),
                         invalid=errors.DISK_CHARGE_TYPE_FILTER,
                         description="Billing method."),
                   Param("LockReason", enum=("financial", "security"), invalid=errors.LOCK_REASON_NOT_FOUND,
                         description="Lock reason of the disk's instance."),
                   Param("EnableAutoSnapshot", type=Type.BOOLEAN, description="Automatic snapshot policy applies."),
                   Param("PerformanceLevel", description="ESSD performance level."),
                   Param("MultiAttach", enum=("Disabled", "Enabled", "LegacyShared"),
                         invalid=errors.MULTI_ATTACH_FILTER,
                         description="Multi-attach: every disk here is Disabled."),
                   Param("KMSKeyId", description="KMS key: no disk here has one."),
                   Param("AutoSnapshotPolicyId", description="Disks of this automatic snapshot policy."),
                   Param("EnableAutomatedSnapshotPolicy", type=Type.BOOLEAN,
                         description="Disks with (true) or without (false) an automatic snapshot policy."),
                   Param("EnableShared", type=Type.BOOLEAN, description="Shared block storage: none here."),
                   RESOURCE_GROUP_FILTER, FILTER, TAG, PAGE_NUMBER, page_size(100), NEXT_TOKEN, max_results(500),
                   DRY_RUN),
           handler=describe_disks,
           raises=(errors.INVALID_PARAMETER, errors.DISK_ZONE_FILTER, *FILTER_RAISES, errors.DRY_RUN_OPERATION)),
)
