"""Instances: RunInstances, CreateInstance, Start/Stop/Reboot/DeleteInstance,
DescribeInstances, DescribeInstanceStatus, ModifyInstanceAttribute, DescribeInstanceTypes."""

from __future__ import annotations

import hashlib
import random
from typing import Any

from sqlalchemy import Connection, Row, String, and_, cast, exists, select

from .. import errors
from ..catalog.instance_types import INSTANCE_TYPES, INSTANCE_TYPES_BY_ID
from ..catalog.regions import REGIONS_BY_ID
from ..clock import utc_iso
from ..domain import disks as disk_rules
from ..domain import instances as rules
from ..domain import passwords
from ..domain.ids import new_id
from ..domain.status import INSTANCE
from ..scheduler import AT_DUE
from ..store import locks as lock_store
from ..store import networks, tags as tag_store
from ..store.images import ImageInfo, find_image, os_names
from ..store.rows import add, assign, find, move
from ..store.schema import disks, instance_locks, instances, key_pairs, security_groups, snapshots
from .common import (CLIENT_TOKEN, DRY_RUN, NEXT_TOKEN, PAGE_NUMBER, REGION_ID, TAG, dry_run_check, max_results,
                     page_size, paginate, tags_in, tags_out)
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Instances"
PUBLIC_IP_PREFIX = "47.96"

# --- shared parameters ---------------------------------------------------------------------

INSTANCE_ID = Param("InstanceId", required=True, description="The instance.")
SYSTEM_DISK = Param("SystemDisk", kind=Kind.OBJECT, description="The system disk.", fields=(
    Param("Category", description="Disk category; default cloud_efficiency."),
    Param("Size", type=Type.INTEGER, description="GiB; default max(40, image size)."),
    Param("PerformanceLevel", enum=disk_rules.PERFORMANCE_LEVELS, invalid=errors.INVALID_PERFORMANCE_LEVEL,
          description="ESSD performance level; default PL1."),
    Param("DiskName", description="Name, 2-128 characters."),
    Param("Description", description="Description, 2-256 characters."),
))
DATA_DISK = Param("DataDisk", kind=Kind.OBJECT_LIST, description="Data disks, at most 16.", fields=(
    Param("Size", type=Type.INTEGER, description="GiB; ranges per category."),
    Param("SnapshotId", description="Make the disk from this snapshot."),
    Param("Category", description="Disk category; default cloud_efficiency."),
    Param("PerformanceLevel", enum=disk_rules.PERFORMANCE_LEVELS, invalid=errors.INVALID_PERFORMANCE_LEVEL,
          description="ESSD performance level; default PL1."),
    Param("DeleteWithInstance", type=Type.BOOLEAN, default=True, description="Release with the instance."),
    Param("DiskName", description="Name, 2-128 characters."),
    Param("Description", description="Description, 2-256 characters."),
    Param("Encrypted", type=Type.BOOLEAN, default=False, description="Encrypted (recorded only)."),
))
LAUNCH_PARAMS = (
    REGION_ID,
    Param("ImageId", required=True, description="The image of the system disk."),
    Param("InstanceType", required=True, description="e.g. ecs.g7.large (see DescribeInstanceTypes)."),
    Param("SecurityGroupId", description="The security group (or SecurityGroupIds.N)."),
    Param("SecurityGroupIds", kind=Kind.LIST, max_items=5, description="Security groups."),
    Param("ZoneId", description="Zone; default the vSwitch's, else the region's first."),
    Param("VSwitchId", description="vSwitch; default the zone's default vSwitch."),
    Param("InstanceName", description="Name, 2-128 characters; default the instance ID."),
    Param("Description", description="Description, 2-256 characters."),
    Param("HostName", description="Host name; default iZ<id>Z."),
    Param("Password", description="Logon password; send it over HTTPS."),
    Param("PasswordInherit", type=Type.BOOLEAN, default=False, description="Use the image's preset password."),
    Param("KeyPairName", description="SSH key pair (Linux only)."),
    Param("InstanceChargeType", enum=("PrePaid", "PostPaid"), default="PostPaid",
          invalid=errors.INSTANCE_CHARGE_TYPE_NOT_FOUND, description="Billing method."),
    Param("InternetChargeType", enum=("PayByBandwidth", "PayByTraffic"), default="PayByTraffic",
          description="Public bandwidth billing."),
    Param("InternetMaxBandwidthOut", type=Type.INTEGER, default=0, minimum=0, maximum=100,
          description="Mbit/s; above 0 gives a public IP (RunInstances)."),
    Param("SpotStrategy", enum=("NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"), default="NoSpot",
          invalid=errors.INVALID_SPOT_STRATEGY, description="Preemptible policy."),
    Param("UserData", description="Base64 user data, at most 32 KB."),
    Param("DeletionProtection", type=Type.BOOLEAN, default=False, description="Refuse DeleteInstance."),
    Param("SecurityEnhancementStrategy", enum=("Active", "Deactive"), description="Security hardening."),
    SYSTEM_DISK, DATA_DISK, TAG, CLIENT_TOKEN, DRY_RUN,
)


# --- launching -----------------------------------------------------------------------------

def run_instances(ctx: CallContext, args: Args) -> dict[str, Any]:
    if args["MinAmount"] is not None and args["MinAmount"] > args["Amount"]:
        raise errors.INVALID_MIN_AMOUNT()
    ids = _launch(ctx, args, amount=args["Amount"], start=True)
    return {"InstanceIdSets": {"InstanceIdSet": ids}, "TradePrice": 0.0}


def create_instance(ctx: CallContext, args: Args) -> dict[str, Any]:
    return {"InstanceId": _launch(ctx, args, amount=1, start=False)[0], "TradePrice": 0.0}


def _launch(ctx: CallContext, args: Args, *, amount: int, start: bool) -> list[str]:
    """Checks everything first, then makes the instances with their disks: one transaction."""
    region_id = args["RegionId"]
    with ctx.emulator.unit_of_work() as conn:
        now = ctx.now()
        instance_type = INSTANCE_TYPES_BY_ID.get(args["InstanceType"])
        if instance_type is None:
            raise errors.INVALID_INSTANCE_TYPE()
        image = find_image(conn, ctx.account_id, region_id, args["ImageId"])
        if image is None or image.status != "Available":
            raise errors.IMAGE_NOT_FOUND()
        zone_id, vswitch, group_ids = _placement(conn, ctx, args, now)
        system_disk = system_disk_spec(args["SystemDisk"] or {}, image)
        system_disk["base_layer_id"] = ctx.emulator.data.image_layer(conn, image)
        data_disks = _data_disks(conn, ctx.account_id, region_id, args["DataDisk"] or [])
        credentials = credential_changes(conn, ctx.account_id, region_id, windows=image.is_windows,
                                         password=args["Password"], key_pair_name=args["KeyPairName"],
                                         password_inherit=args["PasswordInherit"])
        _check_names(args, image)
        tags = tags_in(args)
        dry_run_check(args)

        ids = []
        delays = ctx.emulator.delays
        for n in range(amount):
            instance_id = new_id("i", region_id)
            created_at = now + n * 1e-3  # a millisecond apart: listings keep the order they were made in
            add(conn, instances, id=instance_id, account_id=ctx.account_id, region_id=region_id, zone_id=zone_id,
                created_at=created_at, status="Pending", instance_type=instance_type.type_id, image_id=image.image_id,
                os_type=image.os_type, instance_name=args["InstanceName"] or instance_id,
                description=args["Description"] or "", host_name=args["HostName"] or rules.default_host_name(instance_id),
                start_time=None, charge_type=args["InstanceChargeType"],
                internet_charge_type=args["InternetChargeType"],
                internet_max_bandwidth_out=args["InternetMaxBandwidthOut"],
                public_ip=_public_ip() if start and args["InternetMaxBandwidthOut"] > 0 else None,
                vpc_id=vswitch.vpc_id, vswitch_id=vswitch.id, private_ip=networks.allocate_ip(conn, vswitch),
                security_group_ids=group_ids, key_pair_name=credentials.get("key_pair_name"),
                password_hash=credentials.get("password_hash"),
                user_data=args["UserData"], deletion_protection=args["DeletionProtection"],
                spot_strategy=args["SpotStrategy"], stopped_mode="Not-applicable")
            tag_store.set_tags(conn, instance_id, tags)
            _add_disks(conn, ctx.account_id, region_id, instance_id, zone_id, image, system_disk, data_disks,
                       created_at)
            scheduler = ctx.emulator.scheduler
            if start:
                scheduler.schedule(conn, "instance", instance_id, "Pending", "Starting", after=delays.instance_pending)
                scheduler.schedule(conn, "instance", instance_id, "Starting", "Running",
                                   after=delays.instance_pending + delays.instance_starting,
                                   assign={"start_time": AT_DUE})
            else:
                scheduler.schedule(conn, "instance", instance_id, "Pending", "Stopped", after=delays.instance_pending)
            ids.append(instance_id)
    return ids


def _placement(conn: Connection, ctx: CallContext, args: Args, now: float) -> tuple[str, Row, list[str]]:
    """Zone, vSwitch and security groups, checked against each other."""
    region = REGIONS_BY_ID[args["RegionId"]]
    zone_ids = [z.zone_id for z in region.zones]
    if args["ZoneId"] is not None and args["ZoneId"] not in zone_ids:
        raise errors.ZONE_NOT_FOUND()
    if args["VSwitchId"]:
        vswitch = networks.find_vswitch(conn, ctx.account_id, args["VSwitchId"])
        if vswitch is None or vswitch.region_id != region.region_id:
            raise errors.VSWITCH_NOT_FOUND()
        if args["ZoneId"] is not None and args["ZoneId"] != vswitch.zone_id:
            raise errors.VSWITCH_ZONE_MISMATCH()
        zone_id = vswitch.zone_id
    else:
        zone_id = args["ZoneId"] or zone_ids[0]
        vswitch = networks.default_vswitch(conn, ctx.account_id, region.region_id, zone_id, now)
    group_ids = list(dict.fromkeys(([args["SecurityGroupId"]] if args["SecurityGroupId"] else [])
                                   + (args["SecurityGroupIds"] or [])))
    if not group_ids:
        raise errors.MISSING_PARAMETER(name="SecurityGroupId")
    for group_id in group_ids:
        group = find(conn, security_groups, ctx.account_id, group_id)
        if group is None or group.region_id != region.region_id:
            raise errors.SECURITY_GROUP_NOT_FOUND()
        if group.vpc_id != vswitch.vpc_id:
            raise errors.NETWORK_MISMATCH()
    return zone_id, vswitch, group_ids


def system_disk_spec(spec: dict, image: ImageInfo) -> dict[str, Any]:
    """Category, performance level and size of a system disk made from ``image``, checked
    as RunInstances and ReplaceSystemDisk check them."""
    category = spec.get("Category") or "cloud_efficiency"
    if category not in disk_rules.SYSTEM_CATEGORIES:
        raise errors.INVALID_SYSTEM_DISK_CATEGORY()
    level = (spec.get("PerformanceLevel") or "PL1") if category == "cloud_essd" else None
    size = spec.get("Size") or disk_rules.default_system_size(image.size)
    if size < image.size:
        raise errors.SYSTEM_DISK_LESS_THAN_IMAGE()
    limits = disk_rules.system_size_range(category, level)
    if size < limits.minimum:
        raise errors.SYSTEM_DISK_LESS_THAN_MIN()
    if size > limits.maximum:
        raise errors.SYSTEM_DISK_MORE_THAN_MAX()
    _check_disk_texts(spec)
    return {"category": category, "performance_level": level, "size": size,
            "disk_name": spec.get("DiskName") or "", "description": spec.get("Description") or ""}


def _data_disks(conn: Connection, account_id: str, region_id: str, specs: list[dict]) -> list[dict[str, Any]]:
    if len(specs) > disk_rules.MAX_DATA_DISKS:
        raise errors.INSTANCE_DISK_NUM_LIMIT()
    made = []
    for spec in specs:
        category = spec["Category"] or "cloud_efficiency"
        if category not in disk_rules.DATA_CATEGORIES:
            raise errors.INVALID_DATA_DISK_CATEGORY()
        level = (spec["PerformanceLevel"] or "PL1") if category == "cloud_essd" else None
        size, snapshot_id = spec["Size"], spec["SnapshotId"]
        if snapshot_id:
            snapshot = find(conn, snapshots, account_id, snapshot_id)
            if snapshot is None or snapshot.region_id != region_id:
                raise errors.DATA_DISK_SNAPSHOT_NOT_FOUND()
            if snapshot.status != "accomplished":
                raise errors.SNAPSHOT_ID_NOT_READY()
            size = max(size or 0, snapshot.source_disk_size)
            if spec["Size"] is not None and spec["Size"] < snapshot.source_disk_size:
                raise errors.INVALID_DATA_DISK_SIZE()
            base_layer_id = snapshot.layer_id
        else:
            base_layer_id = None
        if size is None or size not in disk_rules.data_size_range(category, level):
            raise errors.INVALID_DATA_DISK_SIZE()
        _check_disk_texts(spec)
        made.append({"category": category, "performance_level": level, "size": size,
                     "source_snapshot_id": snapshot_id, "base_layer_id": base_layer_id,
                     "delete_with_instance": spec["DeleteWithInstance"],
                     "encrypted": spec["Encrypted"], "disk_name": spec["DiskName"] or "",
                     "description": spec["Description"] or ""})
    return made


def _check_disk_texts(spec: dict) -> None:
    if spec.get("DiskName") and not rules.valid_name(spec["DiskName"]):
        raise errors.INVALID_DISK_NAME()
    if spec.get("Description") and not rules.valid_description(spec["Description"]):
        raise errors.INVALID_DESCRIPTION()


def credential_changes(conn: Connection, account_id: str, region_id: str, *, windows: bool,
                       password: str | None, key_pair_name: str | None, password_inherit: bool = False,
                       key_pair_missing: errors.ErrorCode = errors.KEY_PAIR_NOT_FOUND) -> dict[str, Any]:
    """The instance columns a new password and/or key pair sets, checked: the shared rule
    of RunInstances, ReInitDisk, ReplaceSystemDisk and AttachDisk(Bootable)."""
    changes: dict[str, Any] = {}
    if password is not None:
        if password_inherit:
            raise errors.PASSWORD_INHERIT_MISMATCH()
        if not passwords.is_valid(password, windows=windows):
            raise errors.INVALID_PASSWORD()
        changes["password_hash"] = passwords.hash_password(password)
    if key_pair_name:
        if windows:
            raise errors.KEY_PAIR_WINDOWS()
        if not key_pair_exists(conn, account_id, region_id, key_pair_name):
            raise key_pair_missing()
        changes["key_pair_name"] = key_pair_name
    return changes


def key_pair_exists(conn: Connection, account_id: str, region_id: str, name: str) -> bool:
    return conn.execute(select(key_pairs.c.name).where(
        key_pairs.c.account_id == account_id, key_pairs.c.region_id == region_id,
        key_pairs.c.name == name)).first() is not None


def _check_names(args: Args, image: ImageInfo) -> None:
    if args.get("InstanceName") and not rules.valid_name(args["InstanceName"]):
        raise errors.INVALID_INSTANCE_NAME()
    if args.get("Description") and not rules.valid_description(args["Description"]):
        raise errors.INVALID_DESCRIPTION()
    if args.get("HostName") and not rules.valid_host_name(args["HostName"], windows=image.is_windows):
        raise errors.INVALID_HOST_NAME()
    if args.get("UserData") and len(args["UserData"]) > 32 * 1024 * 4 // 3 + 4:
        raise errors.INVALID_USER_DATA_SIZE()


def _add_disks(conn: Connection, account_id: str, region_id: str, instance_id: str, zone_id: str,
               image: ImageInfo, system_disk: dict, data_disks: list[dict], now: float) -> None:
    """The disks made with an instance start In_use on it."""
    base = {"account_id": account_id, "region_id": region_id, "zone_id": zone_id, "created_at": now,
            "status": "In_use", "instance_id": instance_id, "portable": True, "attached_at": now,
            "ever_attached": True, "charge_type": "PostPaid", "delete_auto_snapshot": True}
    add(conn, disks, id=new_id("d", region_id), disk_type="system", device=disk_rules.SYSTEM_DEVICE,
        delete_with_instance=True, encrypted=False, source_image_id=image.image_id, source_snapshot_id=None,
        **system_disk, **base)
    for n, (device, spec) in enumerate(zip(disk_rules.DATA_DEVICES, data_disks), start=1):
        # A microsecond apart, so that listings keep the order they were made in.
        add(conn, disks, id=new_id("d", region_id), disk_type="data", device=device, source_image_id=None,
            **spec, **{**base, "created_at": now + n * 1e-6})


def _public_ip() -> str:
    return f"{PUBLIC_IP_PREFIX}.{random.randint(0, 255)}.{random.randint(1, 254)}"


# --- lifecycle -----------------------------------------------------------------------------

def find_instance(conn: Connection, ctx: CallContext, instance_id: str, *, lock: bool = False) -> Row:
    instance = find(conn, instances, ctx.account_id, instance_id, lock=lock)
    if instance is None:
        raise errors.INSTANCE_NOT_FOUND()
    return instance


def check_locks(conn: Connection, instance: Row, security_error: errors.ErrorCode = errors.INSTANCE_LOCKED_FOR_SECURITY,
                *, financial: bool = True) -> None:
    """Refuses an instance under a security lock (always) or a financial one (when the
    action is refused for arrears; Describe, Delete, Detach, snapshots are not)."""
    reasons = lock_store.locks_of(conn, [instance.id]).get(instance.id, [])
    if "security" in reasons:
        raise security_error()
    if financial and "financial" in reasons:
        raise errors.INSTANCE_EXPIRED_OR_IN_ARREARS()


def start_instance(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        check_locks(conn, instance)
        if instance.status not in rules.STARTABLE:
            raise errors.INCORRECT_INSTANCE_STATUS()
        _check_disks_ready(conn, instance.id)
        dry_run_check(args)
        start(conn, ctx, instance.id, "Stopped")
    return {}


def start(conn: Connection, ctx: CallContext, instance_id: str, expect: str, *, after: float = 0.0) -> None:
    """``expect`` -> Starting now (or ``after`` seconds), then Running: the shared tail of
    StartInstance, RebootInstance and ReInitDisk's AutoStartInstance."""
    scheduler, delays = ctx.emulator.scheduler, ctx.emulator.delays
    if after == 0.0:
        if not move(conn, instances, INSTANCE, instance_id, expect, "Starting"):
            raise errors.INCORRECT_INSTANCE_STATUS()
    else:
        scheduler.schedule(conn, "instance", instance_id, expect, "Starting", after=after)
    scheduler.schedule(conn, "instance", instance_id, "Starting", "Running", after=after + delays.instance_starting,
                       assign={"start_time": AT_DUE})


def _check_disks_ready(conn: Connection, instance_id: str) -> None:
    """An instance starts only with its system disk attached and no disk in transition."""
    statuses = conn.execute(select(disks.c.disk_type, disks.c.status)
                            .where(disks.c.instance_id == instance_id)).all()
    if not any(kind == "system" and status == "In_use" for kind, status in statuses) \
            or any(status != "In_use" for _kind, status in statuses):
        raise errors.DISK_ERROR()


def stop_instance(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        check_locks(conn, instance, financial=False)
        if instance.status not in rules.STOPPABLE:
            raise errors.INCORRECT_INSTANCE_STATUS()
        dry_run_check(args)
        stopped_mode = args["StoppedMode"] or "KeepCharging"
        if not move(conn, instances, INSTANCE, instance.id, "Running", "Stopping"):
            raise errors.INCORRECT_INSTANCE_STATUS()
        ctx.emulator.scheduler.schedule(conn, "instance", instance.id, "Stopping", "Stopped",
                                        after=ctx.emulator.delays.instance_stopping,
                                        assign={"stopped_mode": stopped_mode})
    return {}


def reboot_instance(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        check_locks(conn, instance, financial=False)
        if instance.status not in rules.REBOOTABLE:
            raise errors.INCORRECT_INSTANCE_STATUS()
        dry_run_check(args)
        start(conn, ctx, instance.id, "Running")
    return {}


def delete_instance(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        reasons = lock_store.locks_of(conn, [instance.id]).get(instance.id, [])
        if instance.deletion_protection:
            raise errors.DELETION_PROTECTION()
        if instance.charge_type == "PrePaid" and not args["TerminateSubscription"]:
            raise errors.CHARGE_TYPE_VIOLATION()
        if instance.status not in rules.DELETABLE and not (args["Force"] and instance.status in ("Running", "Stopping",
                                                                                                  "Starting")):
            raise errors.INCORRECT_INSTANCE_STATUS()
        dry_run_check(args)
        release(conn, ctx, instance, security_locked="security" in reasons)
    return {}


def release(conn: Connection, ctx: CallContext, instance: Row, *, security_locked: bool) -> None:
    """Removes the instance: disks with DeleteWithInstance (all data disks under a security
    lock) go with it, the others are detached and kept."""
    scheduler, now = ctx.emulator.scheduler, ctx.now()
    for disk in conn.execute(select(disks).where(disks.c.instance_id == instance.id)).all():
        scheduler.cancel(conn, disk.id)
        if disk.delete_with_instance or (security_locked and disk.disk_type == "data"):
            conn.execute(disks.delete().where(disks.c.id == disk.id))
            tag_store.forget(conn, disk.id)
            ctx.emulator.data.drop_disk(conn, disk)
        else:
            assign(conn, disks, disk.id, status="Available", instance_id=None, device=None, detached_at=now)
    scheduler.cancel(conn, instance.id)
    lock_store.unlock(conn, instance.id)
    tag_store.forget(conn, instance.id)
    conn.execute(instances.delete().where(instances.c.id == instance.id))


def modify_instance_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        check_locks(conn, instance, financial=False)
        windows = instance.os_type == "windows"
        changes: dict[str, Any] = {}
        if args["InstanceName"] is not None:
            if not rules.valid_name(args["InstanceName"]):
                raise errors.INVALID_INSTANCE_NAME()
            changes["instance_name"] = args["InstanceName"]
        if args["Description"] is not None:
            if not rules.valid_description(args["Description"]):
                raise errors.INVALID_DESCRIPTION()
            changes["description"] = args["Description"]
        if args["HostName"] is not None:
            if not rules.valid_host_name(args["HostName"], windows=windows):
                raise errors.INVALID_HOST_NAME()
            if instance.status in ("Pending", "Starting"):
                raise errors.INCORRECT_INSTANCE_STATUS()
            changes["host_name"] = args["HostName"]
        if args["Password"] is not None:
            if not passwords.is_valid(args["Password"], windows=windows):
                raise errors.INVALID_INSTANCE_PASSWORD()
            if instance.status == "Starting":
                raise errors.INCORRECT_INSTANCE_STATUS()
            changes["password_hash"] = passwords.hash_password(args["Password"])
        if args["UserData"] is not None:
            if instance.status != "Stopped":
                raise errors.INCORRECT_INSTANCE_STATUS()
            if len(args["UserData"]) > 32 * 1024 * 4 // 3 + 4:
                raise errors.INVALID_USER_DATA_SIZE()
            changes["user_data"] = args["UserData"]
        if args["SecurityGroupIds"] is not None:
            for group_id in args["SecurityGroupIds"]:
                group = find(conn, security_groups, ctx.account_id, group_id)
                if group is None or group.region_id != instance.region_id:
                    raise errors.SECURITY_GROUP_NOT_FOUND()
            changes["security_group_ids"] = list(dict.fromkeys(args["SecurityGroupIds"]))
        if args["DeletionProtection"] is not None:
            if instance.charge_type == "PrePaid":
                raise errors.CHARGE_TYPE_VIOLATION()
            changes["deletion_protection"] = args["DeletionProtection"]
        if changes:
            assign(conn, instances, instance.id, **changes)
    return {}


# --- describing ----------------------------------------------------------------------------

def describe_instances(ctx: CallContext, args: Args) -> dict[str, Any]:
    t = instances.c
    conditions = [t.account_id == ctx.account_id, t.region_id == args["RegionId"]]
    for name, column in (("ZoneId", t.zone_id), ("Status", t.status), ("VpcId", t.vpc_id),
                         ("VSwitchId", t.vswitch_id), ("InstanceType", t.instance_type), ("ImageId", t.image_id),
                         ("KeyPairName", t.key_pair_name), ("InstanceChargeType", t.charge_type),
                         ("InternetChargeType", t.internet_charge_type)):
        if args[name] is not None:
            conditions.append(column == args[name])
    if args["InstanceIds"] is not None:
        conditions.append(t.id.in_(args["InstanceIds"]))
    if args["PrivateIpAddresses"] is not None:
        conditions.append(t.private_ip.in_(args["PrivateIpAddresses"]))
    if args["PublicIpAddresses"] is not None:
        conditions.append(t.public_ip.in_(args["PublicIpAddresses"]))
    if args["InstanceName"]:
        conditions.append(t.instance_name.like(args["InstanceName"].replace("%", r"\%").replace("_", r"\_")
                                               .replace("*", "%"), escape="\\"))
    if args["InstanceTypeFamily"]:
        conditions.append(t.instance_type.like(args["InstanceTypeFamily"] + ".%"))
    if args["SecurityGroupId"]:
        conditions.append(cast(t.security_group_ids, String).like(f'%"{args["SecurityGroupId"]}"%'))
    if args["LockReason"]:
        conditions.append(exists().where(instance_locks.c.instance_id == t.id,
                                         instance_locks.c.reason == args["LockReason"]))
    if args["Tag"]:
        conditions.append(tag_store.tag_filter(t.id, args["Tag"]))
    with ctx.emulator.unit_of_work() as conn:
        rows, paging = paginate(conn, select(instances).where(and_(*conditions)), instances, args, token_max=100)
        ids = [row.id for row in rows]
        locks = lock_store.locks_of(conn, ids)
        tags = tag_store.tags_of(conn, ids)
        names = os_names(conn, {row.image_id for row in rows})
    return {"Instances": {"Instance": [
        _instance_view(row, locks.get(row.id, []), tags.get(row.id, []), names.get(row.image_id, ("", "")))
        for row in rows]}, **paging}


def _instance_view(row: Row, locks: list[str], tags: list[tuple[str, str]],
                   image: tuple[str, str]) -> dict[str, Any]:
    instance_type = INSTANCE_TYPES_BY_ID[row.instance_type]
    mac = hashlib.md5(row.id.encode()).hexdigest()[:10]
    return {
        "InstanceId": row.id,
        "InstanceName": row.instance_name,
        "Description": row.description,
        "HostName": row.host_name,
        "ImageId": row.image_id,
        "InstanceType": row.instance_type,
        "InstanceTypeFamily": instance_type.family,
        "Cpu": instance_type.cpu_cores,
        "Memory": int(instance_type.memory_gib * 1024),
        "RegionId": row.region_id,
        "ZoneId": row.zone_id,
        "Status": row.status,
        "OSType": row.os_type,
        "OSName": image[0],
        "OSNameEn": image[1],
        "CreationTime": utc_iso(row.created_at, minutes=True),
        "StartTime": utc_iso(row.start_time, minutes=True),
        "ExpiredTime": "2099-12-31T15:59Z",
        "InstanceChargeType": row.charge_type,
        "InternetChargeType": row.internet_charge_type,
        "InternetMaxBandwidthOut": row.internet_max_bandwidth_out,
        "InternetMaxBandwidthIn": -1,
        "InstanceNetworkType": "vpc",
        "IoOptimized": True,
        "SpotStrategy": row.spot_strategy,
        "StoppedMode": row.stopped_mode,
        "DeletionProtection": row.deletion_protection,
        "KeyPairName": row.key_pair_name or "",
        "SerialNumber": f"{row.id[2:10]}-{row.id[10:14]}-{row.id[14:18]}",
        "DeviceAvailable": True,
        "Recyclable": False,
        "GPUAmount": 0,
        "GPUSpec": "",
        "LocalStorageAmount": 0,
        "LocalStorageCapacity": 0,
        "ResourceGroupId": "",
        "DeploymentSetId": "",
        "CreditSpecification": "",
        "SecurityGroupIds": {"SecurityGroupId": list(row.security_group_ids)},
        "PublicIpAddress": {"IpAddress": [row.public_ip] if row.public_ip else []},
        "InnerIpAddress": {"IpAddress": []},
        "EipAddress": {"AllocationId": "", "IpAddress": "", "InternetChargeType": ""},
        "VpcAttributes": {"VpcId": row.vpc_id, "VSwitchId": row.vswitch_id, "NatIpAddress": "",
                          "PrivateIpAddress": {"IpAddress": [row.private_ip]}},
        "NetworkInterfaces": {"NetworkInterface": [{
            "NetworkInterfaceId": f"eni-{row.id[2:]}", "Type": "Primary", "PrimaryIpAddress": row.private_ip,
            "MacAddress": ":".join(["00:16:3e"] + [mac[i:i + 2] for i in range(0, 6, 2)]),
            "PrivateIpSets": {"PrivateIpSet": [{"PrivateIpAddress": row.private_ip, "Primary": True}]},
        }]},
        "OperationLocks": {"LockReason": [{"LockReason": reason, "LockMsg": rules.LOCK_MESSAGES[reason]}
                                          for reason in locks]},
        "MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "optional"},
        "CpuOptions": {"CoreCount": max(1, instance_type.cpu_cores // 2), "ThreadsPerCore": 2},
        "Tags": tags_out(tags),
    }


def describe_instance_status(ctx: CallContext, args: Args) -> dict[str, Any]:
    t = instances.c
    conditions = [t.account_id == ctx.account_id, t.region_id == args["RegionId"]]
    if args["ZoneId"] is not None:
        if args["ZoneId"] not in {z.zone_id for z in REGIONS_BY_ID[args["RegionId"]].zones}:
            raise errors.ZONE_NOT_FOUND()
        conditions.append(t.zone_id == args["ZoneId"])
    if args["InstanceId"] is not None:
        conditions.append(t.id.in_(args["InstanceId"]))
    with ctx.emulator.unit_of_work() as conn:
        rows, paging = paginate(conn, select(instances).where(and_(*conditions)), instances, args)
    return {"InstanceStatuses": {"InstanceStatus": [{"InstanceId": r.id, "Status": r.status} for r in rows]},
            **paging}


def describe_instance_types(ctx: CallContext, args: Args) -> dict[str, Any]:
    wanted = set(args["InstanceTypes"] or ())
    found = [t for t in INSTANCE_TYPES
             if (not wanted or t.type_id in wanted)
             and (args["InstanceTypeFamily"] is None or t.family == args["InstanceTypeFamily"])]
    start = int(args["NextToken"]) if (args["NextToken"] or "").isdigit() else 0
    size = min(max(args["MaxResults"] or 100, 1), 1600)
    page = found[start:start + size]
    more = start + size < len(found)
    return {
        "InstanceTypes": {"InstanceType": [{
            "InstanceTypeId": t.type_id,
            "InstanceTypeFamily": t.family,
            "InstanceFamilyLevel": "EnterpriseLevel" if not t.family.startswith("ecs.t") else "CreditEntryLevel",
            "CpuCoreCount": t.cpu_cores,
            "MemorySize": float(t.memory_gib),
            "GPUAmount": 0,
            "GPUSpec": "",
            "LocalStorageAmount": 0,
            "EniQuantity": 2 if t.cpu_cores <= 2 else 3,
            "InstanceBandwidthRx": 1024000 * t.cpu_cores,
            "InstanceBandwidthTx": 1024000 * t.cpu_cores,
            "CpuArchitecture": "X86",
        } for t in page]},
        "NextToken": str(start + size) if more else "",
    }


# --- declarations --------------------------------------------------------------------------

def _json_ids(name: str, what: str) -> Param:
    return Param(name, kind=Kind.JSON_ARRAY, max_items=100, description=f"JSON array of {what}, at most 100.")


ACTIONS = (
    Action("RunInstances", FAMILY, "Creates and starts 1-100 instances (Pending, Starting, Running).",
           params=(*LAUNCH_PARAMS,
                   Param("Amount", type=Type.INTEGER, default=1, minimum=1, maximum=100, invalid=errors.INVALID_AMOUNT,
                         description="How many instances."),
                   Param("MinAmount", type=Type.INTEGER, minimum=1, maximum=100, invalid=errors.INVALID_MIN_AMOUNT,
                         description="Fewest acceptable (all are always made here)."),
                   Param("UniqueSuffix", type=Type.BOOLEAN, default=False, description="Suffix names (accepted)."),
                   Param("AutoReleaseTime", description="Release time (accepted, not enforced).")),
           handler=run_instances,
           raises=(errors.INVALID_INSTANCE_TYPE, errors.IMAGE_NOT_FOUND, errors.ZONE_NOT_FOUND, errors.VSWITCH_NOT_FOUND,
                   errors.VSWITCH_ZONE_MISMATCH, errors.SECURITY_GROUP_NOT_FOUND, errors.NETWORK_MISMATCH,
                   errors.INVALID_SYSTEM_DISK_CATEGORY, errors.SYSTEM_DISK_LESS_THAN_IMAGE,
                   errors.SYSTEM_DISK_LESS_THAN_MIN, errors.SYSTEM_DISK_MORE_THAN_MAX, errors.INSTANCE_DISK_NUM_LIMIT,
                   errors.INVALID_DATA_DISK_CATEGORY, errors.INVALID_DATA_DISK_SIZE,
                   errors.DATA_DISK_SNAPSHOT_NOT_FOUND, errors.SNAPSHOT_ID_NOT_READY, errors.INVALID_PASSWORD,
                   errors.PASSWORD_INHERIT_MISMATCH, errors.KEY_PAIR_NOT_FOUND, errors.KEY_PAIR_WINDOWS,
                   errors.INVALID_INSTANCE_NAME, errors.INVALID_DESCRIPTION, errors.INVALID_HOST_NAME,
                   errors.INVALID_DISK_NAME, errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE,
                   errors.DUPLICATE_TAG_KEY, errors.INVALID_USER_DATA_SIZE, errors.DRY_RUN_OPERATION)),
    Action("CreateInstance", FAMILY, "Creates one instance, left Stopped and never started.",
           params=LAUNCH_PARAMS, handler=create_instance,
           raises=(errors.INVALID_INSTANCE_TYPE, errors.IMAGE_NOT_FOUND, errors.ZONE_NOT_FOUND,
                   errors.SECURITY_GROUP_NOT_FOUND, errors.INVALID_SYSTEM_DISK_CATEGORY,
                   errors.SYSTEM_DISK_LESS_THAN_IMAGE, errors.INSTANCE_DISK_NUM_LIMIT, errors.INVALID_DATA_DISK_SIZE,
                   errors.DATA_DISK_SNAPSHOT_NOT_FOUND, errors.INVALID_PASSWORD, errors.KEY_PAIR_NOT_FOUND,
                   errors.KEY_PAIR_WINDOWS, errors.DRY_RUN_OPERATION)),
    Action("StartInstance", FAMILY, "Starts a Stopped instance (Starting, then Running).",
           params=(INSTANCE_ID, Param("InitLocalDisk", type=Type.BOOLEAN, default=False,
                                      description="Local-disk families only (accepted)."), DRY_RUN),
           handler=start_instance,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INCORRECT_INSTANCE_STATUS, errors.INSTANCE_LOCKED_FOR_SECURITY,
                   errors.INSTANCE_EXPIRED_OR_IN_ARREARS, errors.DISK_ERROR, errors.DRY_RUN_OPERATION)),
    Action("StopInstance", FAMILY, "Stops a Running instance (Stopping, then Stopped).",
           params=(INSTANCE_ID,
                   Param("ForceStop", type=Type.BOOLEAN, default=False, description="Power off."),
                   Param("StoppedMode", enum=("StopCharging", "KeepCharging"), description="Economical mode."),
                   Param("ConfirmStop", type=Type.BOOLEAN, description="Legacy (accepted)."), DRY_RUN),
           handler=stop_instance,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INCORRECT_INSTANCE_STATUS, errors.INSTANCE_LOCKED_FOR_SECURITY,
                   errors.DRY_RUN_OPERATION)),
    Action("RebootInstance", FAMILY, "Restarts a Running instance (Starting, then Running).",
           params=(INSTANCE_ID, Param("ForceStop", type=Type.BOOLEAN, default=False, description="Power off first."),
                   DRY_RUN),
           handler=reboot_instance,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INCORRECT_INSTANCE_STATUS, errors.INSTANCE_LOCKED_FOR_SECURITY,
                   errors.DRY_RUN_OPERATION)),
    Action("DeleteInstance", FAMILY, "Releases an instance; its disks go or stay per DeleteWithInstance.",
           params=(INSTANCE_ID,
                   Param("Force", type=Type.BOOLEAN, default=False, description="Release a running instance too."),
                   Param("ForceStop", type=Type.BOOLEAN, default=True, description="With Force: power off."),
                   Param("TerminateSubscription", type=Type.BOOLEAN, default=False,
                         description="Release a subscription instance."), DRY_RUN),
           handler=delete_instance,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INCORRECT_INSTANCE_STATUS, errors.DELETION_PROTECTION,
                   errors.CHARGE_TYPE_VIOLATION, errors.DRY_RUN_OPERATION)),
    Action("ModifyInstanceAttribute", FAMILY, "Changes an instance's name, description, host name, password, "
                                              "user data, security groups or deletion protection.",
           params=(INSTANCE_ID,
                   Param("InstanceName", description="Name, 2-128 characters."),
                   Param("Description", description="Description, 2-256 characters."),
                   Param("HostName", description="Host name (not while Pending or Starting)."),
                   Param("Password", description="New password (not while Starting); send it over HTTPS."),
                   Param("UserData", description="Base64 user data (instance Stopped)."),
                   Param("SecurityGroupIds", kind=Kind.LIST, max_items=5, description="Replaces the groups."),
                   Param("DeletionProtection", type=Type.BOOLEAN, description="Refuse DeleteInstance.")),
           handler=modify_instance_attribute,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INCORRECT_INSTANCE_STATUS, errors.INSTANCE_LOCKED_FOR_SECURITY,
                   errors.INVALID_INSTANCE_NAME, errors.INVALID_DESCRIPTION, errors.INVALID_HOST_NAME,
                   errors.INVALID_INSTANCE_PASSWORD, errors.INVALID_USER_DATA_SIZE, errors.SECURITY_GROUP_NOT_FOUND,
                   errors.CHARGE_TYPE_VIOLATION)),
    Action("DescribeInstances", FAMILY, "Lists instances, with filters and either paging style.",
           params=(REGION_ID, _json_ids("InstanceIds", "instance IDs"), Param("InstanceName", description="Name; * is a wildcard."),
                   Param("Status", enum=("Pending", "Running", "Starting", "Stopping", "Stopped"),
                         invalid=errors.STATUS_FILTER_NOT_FOUND,
                         description="Status."),
                   Param("ZoneId", description="Zone."), Param("VpcId", description="VPC."),
                   Param("VSwitchId", description="vSwitch."), Param("SecurityGroupId", description="Security group."),
                   Param("InstanceType", description="Instance type."),
                   Param("InstanceTypeFamily", description="Instance type family."),
                   Param("ImageId", description="Image."), Param("KeyPairName", description="Key pair."),
                   _json_ids("PrivateIpAddresses", "private IPs"), _json_ids("PublicIpAddresses", "public IPs"),
                   Param("InstanceChargeType", enum=("PostPaid", "PrePaid"), invalid=errors.INSTANCE_CHARGE_TYPE_NOT_FOUND,
                         description="Billing method."),
                   Param("InternetChargeType", enum=("PayByBandwidth", "PayByTraffic"),
                         invalid=errors.INTERNET_CHARGE_TYPE_FILTER,
                         description="Bandwidth billing."),
                   Param("LockReason", enum=("financial", "security", "Recycling", "dedicatedhostfinancial", "refunded"),
                         invalid=errors.LOCK_REASON_NOT_FOUND,
                         description="Lock reason."),
                   TAG, PAGE_NUMBER, page_size(100), NEXT_TOKEN, max_results(100), DRY_RUN),
           handler=describe_instances),
    Action("DescribeInstanceStatus", FAMILY, "Lists the status of every instance of a region.",
           params=(REGION_ID, Param("ZoneId", description="Zone."),
                   Param("InstanceId", kind=Kind.LIST, max_items=100, description="Instances, at most 100."),
                   PAGE_NUMBER, page_size(50)),
           handler=describe_instance_status, raises=(errors.ZONE_NOT_FOUND,)),
    Action("DescribeInstanceTypes", FAMILY, "Lists instance types with their vCPUs and memory.",
           params=(Param("InstanceTypes", kind=Kind.LIST, max_items=10, description="Types to describe."),
                   Param("InstanceTypeFamily", description="A family, e.g. ecs.g7."),
                   NEXT_TOKEN, Param("MaxResults", type=Type.INTEGER, minimum=1, maximum=1600,
                                     description="Entries a page, default 100.")),
           handler=describe_instance_types),
)
