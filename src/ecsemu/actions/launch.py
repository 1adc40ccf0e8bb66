"""Making instances: RunInstances and CreateInstance, with every check they share (image,
type, zone, vSwitch, security groups, system and data disks, credentials, names), and
the rules ReplaceSystemDisk and AttachDisk(Bootable) reuse."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..catalog.disk_categories import DEFAULT_INSTANCE_DISK_CATEGORY, ESSD
from ..catalog.instance_types import INSTANCE_TYPES_BY_ID, offered_in
from ..catalog.regions import REGIONS_BY_ID
from ..domain import billing, passwords
from ..domain import disks as disk_rules
from ..domain import images as image_rules
from ..domain import instances as rules
from ..domain.ids import new_id
from ..domain.instance_events import Happening
from ..domain.ram_roles import valid_role_name
from ..domain.security_groups import GROUPS_PER_INSTANCE
from ..domain.snapshots import Purpose, usable_row
from ..domain.status import INSTANCE
from ..scheduler import AT_DUE
from ..store import instance_events, networks
from ..store import tags as tag_store
from ..store.disks import disks_of_instance
from ..store.images import ImageInfo, find_image
from ..store.keypairs import find_key_pair
from ..store.rows import add, find
from ..store.schema import disks, instances, security_groups, snapshots
from .auto_snapshot_policies import policy_for_new_disk
from .common import (
    CLIENT_TOKEN,
    DRY_RUN,
    REGION_ID,
    RESOURCE_GROUP_ID,
    TAG,
    dry_run_check,
    hashed_beforehand,
    resource_group_in,
    tags_in,
)
from .declaration import Action, Args, CallContext
from .instance_attributes import PRIVATE_POOL_OPTIONS, match_criteria
from .metadata_options import LAUNCH_PARAMS as METADATA_PARAMS
from .metadata_options import launch_columns as metadata_columns
from .params import Kind, Param, Type
from .private_ips import launch_ips

FAMILY = "Instances"

SYSTEM_DISK = Param("SystemDisk", kind=Kind.OBJECT, description="The system disk.", fields=(
    Param("Category", description=f"Disk category; default {DEFAULT_INSTANCE_DISK_CATEGORY}."),
    Param("Size", type=Type.INTEGER, description="GiB; default max(40, image size)."),
    Param("PerformanceLevel", enum=disk_rules.PERFORMANCE_LEVELS, invalid=errors.INVALID_PERFORMANCE_LEVEL,
          description="ESSD performance level; default PL1."),
    Param("DiskName", description="Name, 2-128 characters."),
    Param("Description", description="Description, 2-256 characters."),
))
DATA_DISK = Param("DataDisk", kind=Kind.OBJECT_LIST, description="Data disks, at most 16.", fields=(
    Param("Size", type=Type.INTEGER, description="GiB; ranges per category."),
    Param("SnapshotId", description="Make the disk from this snapshot."),
    Param("Category", description=f"Disk category; default {DEFAULT_INSTANCE_DISK_CATEGORY}."),
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
    Param("SecurityGroupIds", kind=Kind.LIST, max_items=GROUPS_PER_INSTANCE, description="Security groups."),
    Param("ZoneId", description="Zone; default the vSwitch's (it must be the vSwitch's)."),
    # Required: every instance is in a VPC, in the vSwitch it names (docs/decisions.md).
    Param("VSwitchId", required=True, description="The vSwitch: the instance's VPC, zone and private IP."),
    Param("PrivateIpAddress", description="Primary private IP, a free address of the vSwitch's block (the first "
                                          "of consecutive ones when Amount is above 1); default the next free one."),
    Param("InstanceName", description="Name, 2-128 characters; default the instance ID."),
    Param("Description", description="Description, 2-256 characters."),
    Param("HostName", description="Host name; default iZ<id>Z."),
    Param("Password", description="Logon password; send it over HTTPS."),
    Param("PasswordInherit", type=Type.BOOLEAN, default=False, description="Use the image's preset password."),
    Param("KeyPairName", description="SSH key pair (Linux only)."),
    Param("InstanceChargeType", enum=("PrePaid", "PostPaid"), default="PostPaid",
          invalid=errors.INSTANCE_CHARGE_TYPE_NOT_FOUND, description="Billing method."),
    Param("Period", type=Type.INTEGER, invalid=errors.INVALID_PERIOD,
          description="PrePaid: subscription length in PeriodUnits, default 1."),
    Param("PeriodUnit", enum=("Week", "Month"), default="Month", invalid=errors.PERIOD_UNIT_MISMATCH,
          description="PrePaid: Week or Month."),
    Param("InternetChargeType", enum=("PayByBandwidth", "PayByTraffic"), default="PayByTraffic",
          description="Public bandwidth billing."),
    Param("InternetMaxBandwidthOut", type=Type.INTEGER, default=0, minimum=0, maximum=100,
          description="Mbit/s; above 0 gives a public IP (RunInstances)."),
    Param("SpotStrategy", enum=("NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"), default="NoSpot",
          invalid=errors.INVALID_SPOT_STRATEGY, description="Preemptible policy."),
    Param("UserData", description="Base64 user data, at most 32 KB."),
    Param("DeletionProtection", type=Type.BOOLEAN, default=False, description="Refuse DeleteInstance."),
    Param("SecurityEnhancementStrategy", enum=("Active", "Deactive"), description="Security hardening."),
    Param("RamRoleName", description="Instance RAM role (recorded, not checked against RAM)."),
    Param("PeriodUnit", enum=("Week", "Month"), default="Month", description="Subscription period unit."),
    Param("AutoRenew", type=Type.BOOLEAN, default=False, description="Subscription: renew automatically."),
    Param("AutoRenewPeriod", type=Type.INTEGER, default=1, minimum=1, maximum=60,
          description="Subscription: periods each automatic renewal adds."),
    *METADATA_PARAMS,
    PRIVATE_POOL_OPTIONS, SYSTEM_DISK, DATA_DISK, TAG, RESOURCE_GROUP_ID, CLIENT_TOKEN, DRY_RUN,
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
    password_hash = hashed_beforehand(ctx, args["Password"])
    with ctx.emulator.unit_of_work() as conn:
        now = ctx.now()
        instance_type = INSTANCE_TYPES_BY_ID.get(args["InstanceType"])
        if instance_type is None:
            raise errors.INVALID_INSTANCE_TYPE()
        image = find_image(conn, ctx.account_id, region_id, args["ImageId"])
        if image is None or image.status not in image_rules.LAUNCHABLE:
            raise errors.IMAGE_NOT_FOUND()
        zone_id, vswitch, group_ids = _placement(conn, ctx, args)
        if not offered_in(instance_type, zone_id):  # as DescribeAvailableResource lists the zone's
            raise errors.TYPE_NOT_SOLD_IN_ZONE()
        system_disk = system_disk_spec(args["SystemDisk"] or {}, image)
        check_disk_texts(args["SystemDisk"] or {})
        system_disk["base_layer_id"] = ctx.emulator.data.image_layer(conn, image)
        system_disk["auto_snapshot_policy_id"] = policy_for_new_disk(
            conn, ctx.account_id, region_id, (args["SystemDisk"] or {}).get("AutoSnapshotPolicyId"))
        data_disks = _data_disks(conn, ctx.account_id, region_id, args["DataDisk"] or [])
        check_password_inherit(args["Password"], args["PasswordInherit"])
        credentials = credential_changes(conn, ctx.account_id, region_id, windows=image.is_windows,
                                         password=args["Password"], password_hash=password_hash,
                                         key_pair_name=args["KeyPairName"])
        _check_names(args, image)
        if args["RamRoleName"] is not None and not valid_role_name(args["RamRoleName"]):
            raise errors.RAM_ROLE_NOT_FOUND()
        pool_criteria = match_criteria(args["PrivatePoolOptions"])
        tags = tags_in(args)
        expired_at = None
        if args["InstanceChargeType"] == "PrePaid":
            expired_at = billing.subscription_end(now, args["Period"], args["PeriodUnit"])
        resource_group = resource_group_in(args)
        private_ips = launch_ips(conn, vswitch, args["PrivateIpAddress"], amount)
        dry_run_check(args)

        ids = []
        for n, private_ip in enumerate(private_ips):
            instance_id = new_id("i", region_id)
            created_at = now + n * 1e-3  # a millisecond apart: listings keep the order they were made in
            add(conn, instances, id=instance_id, account_id=ctx.account_id, region_id=region_id, zone_id=zone_id,
                created_at=created_at, status="Pending", instance_type=instance_type.type_id, image_id=image.image_id,
                os_type=image.os_type, instance_name=args["InstanceName"] or instance_id,
                description=args["Description"] or "",
                host_name=args["HostName"] or rules.default_host_name(instance_id),
                start_time=None, charge_type=args["InstanceChargeType"], expired_at=expired_at,
                internet_charge_type=args["InternetChargeType"],
                internet_max_bandwidth_out=args["InternetMaxBandwidthOut"],
                public_ip=networks.new_public_ip(conn) if start and args["InternetMaxBandwidthOut"] > 0 else None,
                vpc_id=vswitch.vpc_id, vswitch_id=vswitch.id, private_ip=private_ip,
                security_group_ids=group_ids, key_pair_name=credentials.get("key_pair_name"),
                password_hash=credentials.get("password_hash"),
                user_data=args["UserData"], deletion_protection=args["DeletionProtection"],
                spot_strategy=args["SpotStrategy"], stopped_mode="Not-applicable",
                ram_role_name=args["RamRoleName"], private_pool_match_criteria=pool_criteria, **_renewal(args),
                **metadata_columns(args), resource_group_id=resource_group)
            tag_store.tag_new(conn, instance_id, tags)
            _add_disks(conn, ctx.account_id, region_id, instance_id, zone_id, image, system_disk, data_disks,
                       created_at, resource_group)
            if tags:  # Tag.N tags the instance's disks too (the SDK model of RunInstances)
                for disk in disks_of_instance(conn, instance_id):
                    tag_store.tag_new(conn, disk.id, tags)
            if start:
                ctx.emulator.scheduler.chain(conn, INSTANCE, instance_id, ("Pending", "Starting", "Running"),
                                             assign={"Running": {"start_time": AT_DUE}})
                instance_events.record(conn, instance_id, Happening.LAUNCH, now, ctx.emulator.delays)
                ctx.emulator.instances.starting(conn, instance_id)
            else:
                ctx.emulator.scheduler.chain(conn, INSTANCE, instance_id, ("Pending", "Stopped"))
            ids.append(instance_id)
    return ids


def _renewal(args: Args) -> dict[str, Any]:
    """A subscription's renewal settings (DescribeInstanceAutoRenewAttribute); a
    pay-as-you-go instance keeps the defaults, which nothing reads."""
    if args["InstanceChargeType"] != "PrePaid" or not args["AutoRenew"]:
        return {"renewal_period_unit": args["PeriodUnit"]}
    return {"renewal_status": "AutoRenewal", "renewal_duration": args["AutoRenewPeriod"],
            "renewal_period_unit": args["PeriodUnit"]}


def _placement(conn: Connection, ctx: CallContext, args: Args) -> tuple[str, Row, list[str]]:
    """Zone, vSwitch and security groups, checked against each other."""
    region = REGIONS_BY_ID[args["RegionId"]]
    zone_ids = [z.zone_id for z in region.zones]
    if args["ZoneId"] is not None and args["ZoneId"] not in zone_ids:
        raise errors.ZONE_NOT_FOUND()
    vswitch = networks.find_vswitch(conn, ctx.account_id, args["VSwitchId"], lock=True)
    if vswitch is None or vswitch.region_id != region.region_id:
        raise errors.VSWITCH_NOT_FOUND()
    if args["ZoneId"] is not None and args["ZoneId"] != vswitch.zone_id:
        raise errors.VSWITCH_ZONE_MISMATCH()
    if vswitch.status != "Available":  # CreateVSwitch's Pending
        raise errors.INCORRECT_VSWITCH_STATUS()
    zone_id = vswitch.zone_id
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
    category = spec.get("Category") or DEFAULT_INSTANCE_DISK_CATEGORY
    if category not in disk_rules.SYSTEM_CATEGORIES:
        raise errors.INVALID_SYSTEM_DISK_CATEGORY()
    level = (spec.get("PerformanceLevel") or "PL1") if category == ESSD else None
    size = spec.get("Size") or disk_rules.default_system_size(image.size)
    if size < image.size:
        raise errors.SYSTEM_DISK_LESS_THAN_IMAGE()
    limits = disk_rules.system_size_range(category, level)
    if size < limits.minimum:
        raise errors.SYSTEM_DISK_LESS_THAN_MIN()
    if size > limits.maximum:
        raise errors.SYSTEM_DISK_MORE_THAN_MAX()
    return {"category": category, "performance_level": level, "size": size,
            "disk_name": spec.get("DiskName") or "", "description": spec.get("Description") or ""}


def _data_disks(conn: Connection, account_id: str, region_id: str, specs: list[dict]) -> list[dict[str, Any]]:
    if len(specs) > disk_rules.MAX_DATA_DISKS:
        raise errors.INSTANCE_DISK_NUM_LIMIT()
    made = []
    for spec in specs:
        category = spec["Category"] or DEFAULT_INSTANCE_DISK_CATEGORY
        if category not in disk_rules.DATA_CATEGORIES:
            raise errors.INVALID_DATA_DISK_CATEGORY()
        level = (spec["PerformanceLevel"] or "PL1") if category == ESSD else None
        size, snapshot_id = spec["Size"], spec["SnapshotId"]
        if snapshot_id:
            snapshot = find(conn, snapshots, account_id, snapshot_id)
            if snapshot is not None and snapshot.region_id != region_id:
                snapshot = None
            snapshot = usable_row(Purpose.LAUNCH_DATA_DISK, snapshot)
            size = max(size or 0, snapshot.source_disk_size)
            if spec["Size"] is not None and spec["Size"] < snapshot.source_disk_size:
                raise errors.INVALID_DATA_DISK_SIZE()
            base_layer_id = snapshot.layer_id
        else:
            base_layer_id = None
        if size is None or size not in disk_rules.data_size_range(category, level):
            raise errors.INVALID_DATA_DISK_SIZE()
        check_disk_texts(spec)
        made.append({"category": category, "performance_level": level, "size": size,
                     "source_snapshot_id": snapshot_id, "base_layer_id": base_layer_id,
                     "delete_with_instance": spec["DeleteWithInstance"],
                     "encrypted": spec["Encrypted"], "disk_name": spec["DiskName"] or "",
                     "description": spec["Description"] or "",
                     "auto_snapshot_policy_id": policy_for_new_disk(conn, account_id, region_id,
                                                                    spec.get("AutoSnapshotPolicyId"))})
    return made


def check_disk_texts(spec: dict) -> None:
    if spec.get("DiskName") and not rules.valid_name(spec["DiskName"]):
        raise errors.INVALID_DISK_NAME()
    if spec.get("Description") and not rules.valid_description(spec["Description"]):
        raise errors.INVALID_DESCRIPTION()


def check_password_inherit(password: str | None, password_inherit: bool) -> None:
    """A password and the image's preset one cannot both be asked for."""
    if password is not None and password_inherit:
        raise errors.PASSWORD_INHERIT_MISMATCH()


def credential_changes(conn: Connection, account_id: str, region_id: str, *, windows: bool,
                       password: str | None, password_hash: str | None, key_pair_name: str | None,
                       key_pair_missing: errors.ErrorCode = errors.KEY_PAIR_NOT_FOUND) -> dict[str, Any]:
    """The instance columns a new password and/or key pair sets, checked: the shared rule
    of RunInstances, ReInitDisk, ReplaceSystemDisk and AttachDisk(Bootable). Where the
    action has ``PasswordInherit``, ``check_password_inherit`` comes just before.
    ``password_hash``: ``hashed_beforehand(ctx, password)``."""
    changes: dict[str, Any] = {}
    if password is not None:
        if not passwords.is_valid(password, windows=windows):
            raise errors.INVALID_PASSWORD()
        changes["password_hash"] = password_hash
    if key_pair_name:
        if windows:
            raise errors.KEY_PAIR_WINDOWS()
        if find_key_pair(conn, account_id, region_id, key_pair_name) is None:
            raise key_pair_missing()
        changes["key_pair_name"] = key_pair_name
    return changes


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
               image: ImageInfo, system_disk: dict, data_disks: list[dict], now: float,
               resource_group_id: str) -> None:
    """The disks made with an instance start In_use on it, in its resource group."""
    base = {"account_id": account_id, "region_id": region_id, "zone_id": zone_id, "created_at": now,
            "resource_group_id": resource_group_id,
            "status": "In_use", "instance_id": instance_id, "portable": True, "attached_at": now,
            "ever_attached": True, "charge_type": "PostPaid", "delete_auto_snapshot": True}
    add(conn, disks, id=new_id("d", region_id), disk_type="system", device=disk_rules.SYSTEM_DEVICE,
        delete_with_instance=True, encrypted=False, source_image_id=image.image_id, source_snapshot_id=None,
        **system_disk, **base)
    # Fewer data disks than devices: each takes the next free device.
    for n, (device, spec) in enumerate(zip(disk_rules.DATA_DEVICES, data_disks, strict=False), start=1):
        # A microsecond apart, so that listings keep the order they were made in.
        add(conn, disks, id=new_id("d", region_id), disk_type="data", device=device, source_image_id=None,
            **spec, **{**base, "created_at": now + n * 1e-6})


def _with_policy(param: Param) -> Param:
    """RunInstances' SystemDisk and DataDisk.N also take AutoSnapshotPolicyId (CreateInstance's do not)."""
    policy = Param("AutoSnapshotPolicyId", description="An automatic snapshot policy of the region for it.")
    return dataclasses.replace(param, fields=(*param.fields, policy))


RUN_PARAMS = tuple(_with_policy(p) if p in (SYSTEM_DISK, DATA_DISK) else p for p in LAUNCH_PARAMS)

# What _launch raises, RunInstances and CreateInstance alike (tests/unit/test_declared_errors.py).
LAUNCH_RAISES = (
    errors.INVALID_INSTANCE_TYPE, errors.IMAGE_NOT_FOUND, errors.ZONE_NOT_FOUND, errors.MISSING_PARAMETER,
    errors.VSWITCH_NOT_FOUND, errors.VSWITCH_ZONE_MISMATCH, errors.SECURITY_GROUP_NOT_FOUND, errors.NETWORK_MISMATCH,
    errors.INVALID_SYSTEM_DISK_CATEGORY, errors.SYSTEM_DISK_LESS_THAN_IMAGE,
    errors.SYSTEM_DISK_LESS_THAN_MIN, errors.SYSTEM_DISK_MORE_THAN_MAX, errors.INSTANCE_DISK_NUM_LIMIT,
    errors.INVALID_DATA_DISK_CATEGORY, errors.INVALID_DATA_DISK_SIZE,
    errors.DATA_DISK_SNAPSHOT_NOT_FOUND, errors.SNAPSHOT_ID_NOT_READY, errors.INVALID_PASSWORD,
    errors.PASSWORD_INHERIT_MISMATCH, errors.KEY_PAIR_NOT_FOUND, errors.KEY_PAIR_WINDOWS,
    errors.INVALID_INSTANCE_NAME, errors.INVALID_DESCRIPTION, errors.INVALID_HOST_NAME,
    errors.INVALID_DISK_NAME, errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE,
    errors.DUPLICATE_TAG_KEY, errors.INVALID_USER_DATA_SIZE, errors.INVALID_PERIOD, errors.PERIOD_UNIT_MISMATCH,
    errors.TYPE_NOT_SOLD_IN_ZONE, errors.INCORRECT_VSWITCH_STATUS, errors.RESOURCE_GROUP_NOT_FOUND,
    errors.RAM_ROLE_NOT_FOUND, errors.INVALID_PRIVATE_IP, errors.PRIVATE_IP_DUPLICATED,
    errors.PRIVATE_IP_QUOTA_EXCEEDED,
    errors.PRIVATE_POOL_ID_NOT_TARGET, errors.PRIVATE_POOL_ID_MISSING, errors.PRIVATE_POOL_ID_INVALID,
    errors.DRY_RUN_OPERATION)

ACTIONS = (
    Action("RunInstances", FAMILY, "Creates and starts 1-100 instances (Pending, Starting, Running).",
           params=(*RUN_PARAMS,
                   Param("Amount", type=Type.INTEGER, default=1, minimum=1, maximum=100, invalid=errors.INVALID_AMOUNT,
                         description="How many instances."),
                   Param("MinAmount", type=Type.INTEGER, minimum=1, maximum=100, invalid=errors.INVALID_MIN_AMOUNT,
                         description="Fewest acceptable (all are always made here)."),
                   Param("UniqueSuffix", type=Type.BOOLEAN, default=False, supported=False,
                         description="Suffix names: not emulated (true is refused)."),
                   Param("AutoReleaseTime", supported=False, description="Release time: not emulated (refused).")),
           handler=run_instances,
           raises=(errors.INVALID_MIN_AMOUNT, *LAUNCH_RAISES, errors.ASP_FOR_NEW_DISK_NOT_FOUND)),
    Action("CreateInstance", FAMILY, "Creates one instance, left Stopped and never started.",
           params=LAUNCH_PARAMS, handler=create_instance, raises=LAUNCH_RAISES),
)
