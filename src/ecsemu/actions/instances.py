"""Instances after they are made: Start/Stop/Reboot/DeleteInstance, ModifyInstanceAttribute,
DescribeInstances, DescribeInstanceStatus (making them: launch.py; their types: instance_types.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..catalog.instance_types import INSTANCE_TYPES_BY_ID
from ..catalog.regions import REGIONS_BY_ID
from ..clock import utc_iso
from ..domain import billing, metadata_options, passwords
from ..domain import disks as disk_rules
from ..domain import instances as rules
from ..domain import network_interfaces as eni
from ..domain.instance_events import Happening, start_or_reboot
from ..domain.status import DISK, INSTANCE
from ..scheduler import AT_DUE
from ..store import instance_events
from ..store import instances as instance_store
from ..store import locks as lock_store
from ..store import network_interfaces as eni_store
from ..store import tags as tag_store
from ..store.disks import disks_of_instance
from ..store.images import os_names
from ..store.rows import assign, find, move, remove
from ..store.schema import disks, instances, security_groups
from .common import (
    DRY_RUN,
    NEXT_TOKEN,
    PAGE_NUMBER,
    REGION_ID,
    RESOURCE_GROUP_FILTER,
    TAG,
    Listing,
    dry_run_check,
    hashed_beforehand,
    max_results,
    page_size,
    paginate,
    tags_out,
)
from .creation_filter import FILTER, created_since
from .creation_filter import RAISES as FILTER_RAISES
from .declaration import Action, Args, CallContext
from .network_interface_changes import detach_from_released
from .params import Kind, Param, Type

FAMILY = "Instances"

INSTANCE_ID = Param("InstanceId", required=True, description="The instance.")


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
        check_startable(conn, instance)
        dry_run_check(args)
        start(conn, ctx, instance.id, "Stopped")
    return {}


def check_startable(conn: Connection, instance: Row) -> None:
    """StartInstance's preconditions (StartInstances' for each instance)."""
    check_locks(conn, instance)
    if instance.status not in rules.STARTABLE:
        raise errors.INCORRECT_INSTANCE_STATUS()
    _check_disks_ready(conn, instance.id)


def start(conn: Connection, ctx: CallContext, instance_id: str, expect: str, *, after: float = 0.0,
          force: bool = False) -> None:
    """``expect`` -> Starting now (or ``after`` seconds), then Running: the shared tail of
    StartInstance, RebootInstance and ReInitDisk's AutoStartInstance (``force``: a reboot's
    ForceStop, a power-off first)."""
    path: tuple[str, ...] = (expect, "Starting", "Running")
    if after == 0.0:
        if not move(conn, instances, INSTANCE, instance_id, expect, "Starting"):
            raise errors.INCORRECT_INSTANCE_STATUS()
        path = path[1:]
    ctx.emulator.scheduler.chain(conn, INSTANCE, instance_id, path, after=after,
                                 assign={"Running": {"start_time": AT_DUE}})
    ctx.emulator.instances.starting(conn, instance_id, force=force)
    instance_events.record(conn, instance_id, start_or_reboot(expect), ctx.now(), ctx.emulator.delays, after=after)


def _check_disks_ready(conn: Connection, instance_id: str) -> None:
    """An instance starts only with its system disk attached and no disk in transition."""
    found = disks_of_instance(conn, instance_id)
    ready = disk_rules.ATTACHED_AND_READY
    if not any(disk.disk_type == "system" and disk.status in ready for disk in found) \
            or any(disk.status not in ready for disk in found):
        raise errors.DISK_ERROR()


def stop_instance(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        check_stoppable(conn, instance)
        dry_run_check(args)
        stop(conn, ctx, instance.id, args["StoppedMode"], force=args["ForceStop"])
    return {}


def check_stoppable(conn: Connection, instance: Row) -> None:
    """StopInstance's preconditions (StopInstances' for each instance)."""
    check_locks(conn, instance, financial=False)
    if instance.status not in rules.STOPPABLE:
        raise errors.INCORRECT_INSTANCE_STATUS()


def stop(conn: Connection, ctx: CallContext, instance_id: str, stopped_mode: str | None, *,
         force: bool = False) -> None:
    """Running -> Stopping now, then Stopped: StopInstance and StopInstances (``force``:
    ForceStop, a power-off)."""
    if not move(conn, instances, INSTANCE, instance_id, "Running", "Stopping"):
        raise errors.INCORRECT_INSTANCE_STATUS()
    ctx.emulator.scheduler.chain(conn, INSTANCE, instance_id, ("Stopping", "Stopped"),
                                 assign={"Stopped": {"stopped_mode": stopped_mode or "KeepCharging"}})
    ctx.emulator.instances.stopping(conn, instance_id, force=force)
    instance_events.record(conn, instance_id, Happening.STOP, ctx.now(), ctx.emulator.delays)


def reboot_instance(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        check_rebootable(conn, instance)
        dry_run_check(args)
        start(conn, ctx, instance.id, "Running", force=args["ForceStop"])
    return {}


def check_rebootable(conn: Connection, instance: Row) -> None:
    """RebootInstance's preconditions (RebootInstances' for each instance)."""
    check_locks(conn, instance, financial=False)
    if instance.status not in rules.REBOOTABLE:
        raise errors.INCORRECT_INSTANCE_STATUS()


def delete_instance(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        check_deletable(instance, force=args["Force"], terminate_subscription=args["TerminateSubscription"])
        dry_run_check(args)
        release(conn, ctx, instance)
    return {}


def check_deletable(instance: Row, *, force: bool, terminate_subscription: bool) -> None:
    """DeleteInstance's preconditions (DeleteInstances' for each instance): a Stopped
    instance, or with ``force`` a running one too (Terraform's delete sends Force=true)."""
    if instance.deletion_protection:
        raise errors.DELETION_PROTECTION()
    if instance.charge_type == "PrePaid" and not terminate_subscription:
        raise errors.CHARGE_TYPE_VIOLATION()
    if instance.status == "Pending":   # still being made: the provider and footmark retry this one
        raise errors.INSTANCE_INITIALIZING()
    if instance.status not in rules.DELETABLE and not (force and instance.status in rules.FORCE_DELETABLE):
        raise errors.INCORRECT_INSTANCE_STATUS()


def release(conn: Connection, ctx: CallContext, instance: Row) -> None:
    """Removes the instance: disks with DeleteWithInstance (all data disks under a security
    lock) go with it, the others are detached and kept; its secondary ENIs are detached."""
    scheduler, now = ctx.emulator.scheduler, ctx.now()
    security_locked = "security" in lock_store.locks_of(conn, [instance.id]).get(instance.id, [])
    for disk in disks_of_instance(conn, instance.id):
        if disk.delete_with_instance or (security_locked and disk.disk_type == "data"):
            ctx.emulator.data.remove_disk(conn, disk, expect=DISK.statuses)  # whatever it is doing
        else:
            scheduler.cancel(conn, disk.id)
            # Detached at once, whatever it is doing. In no such status, it finished detaching
            # meanwhile (Detaching -> Available), which cleared the same columns.
            move(conn, disks, DISK, disk.id, disk_rules.DETACHED_WITH_INSTANCE, "Available",
                 instance_id=None, device=None, detached_at=now)
    detach_from_released(conn, ctx, instance)
    scheduler.cancel(conn, instance.id)
    lock_store.unlock(conn, instance.id)
    tag_store.forget(conn, instance.id)
    remove(conn, instances, instance.id)
    ctx.emulator.instances.released(conn, instance.id)


def modify_instance_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    password_hash = hashed_beforehand(ctx, args["Password"])
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
            changes["password_hash"] = password_hash
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

LISTED = Listing(instances, instance_store.LISTED_COLUMNS)


def describe_instances(ctx: CallContext, args: Args) -> dict[str, Any]:
    conditions = instance_store.listing_filters(
        zone_id=args["ZoneId"], status=args["Status"], vpc_id=args["VpcId"], vswitch_id=args["VSwitchId"],
        instance_type=args["InstanceType"], image_id=args["ImageId"], key_pair_name=args["KeyPairName"],
        charge_type=args["InstanceChargeType"], internet_charge_type=args["InternetChargeType"],
        private_ips=args["PrivateIpAddresses"], public_ips=args["PublicIpAddresses"],
        name_pattern=args["InstanceName"], type_family=args["InstanceTypeFamily"],
        security_group_id=args["SecurityGroupId"], lock_reason=args["LockReason"], tags=args["Tag"],
        resource_group_id=args["ResourceGroupId"], metadata_http_endpoint=args["HttpEndpoint"],
        metadata_http_tokens=args["HttpTokens"], metadata_hop_limit=args["HttpPutResponseHopLimit"],
        since=created_since(args), matches_none=_matches_none(args))
    dry_run_check(args)
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=args["InstanceIds"], where=conditions,
                                token_max=100)
        names = os_names(conn, {row.image_id for row in rows})
    return {"Instances": {"Instance": [
        _instance_view(row, lock_store.locks_in_row(row), tag_store.tags_in_row(row),
                       names.get(row.image_id, ("", "")), eni_store.secondary_enis_in_row(row))
        for row in rows]}, **paging}


def _eni_entry(eni_id: str, kind: str, address: str, mac: str) -> dict[str, Any]:
    """An ENI of the instance as DescribeInstances lists it (DescribeNetworkInterfaces tells more)."""
    return {"NetworkInterfaceId": eni_id, "Type": kind, "PrimaryIpAddress": address, "MacAddress": mac,
            "PrivateIpSets": {"PrivateIpSet": [{"PrivateIpAddress": address, "Primary": True}]}}


def _matches_none(args: Args) -> bool:
    """Whether a DescribeInstances filter asks for what no instance here has: an EIP, a
    classic-network or RDMA address, an IPv6 address, an HPC cluster, the classic network,
    no I/O optimisation, no device available."""
    return any(args[name] is not None for name in ("EipAddresses", "InnerIpAddresses", "RdmaIpAddresses",
                                                   "Ipv6Address")) \
        or bool(args["HpcClusterId"]) or args["InstanceNetworkType"] == "classic" or args["IoOptimized"] is False \
        or args["DeviceAvailable"] is False


def _instance_view(row: Row, locks: list[str], tags: list[tuple[str, str]],
                   image: tuple[str, str], secondary_enis: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    instance_type = INSTANCE_TYPES_BY_ID[row.instance_type]
    # In the order of the API's response model (B8): footmark sets an instance's attributes in it,
    # and reads EipAddress while setting PublicIpAddress.
    return {
        "Cpu": instance_type.cpu_cores,
        "CpuOptions": {"CoreCount": max(1, instance_type.cpu_cores // 2), "ThreadsPerCore": 2},
        "CreationTime": utc_iso(row.created_at, minutes=True),
        "CreditSpecification": "",
        "DedicatedHostAttribute": {"DedicatedHostId": "", "DedicatedHostName": "", "DedicatedHostClusterId": ""},
        "DeletionProtection": row.deletion_protection,
        "DeploymentSetId": "",
        "Description": row.description,
        "DeviceAvailable": True,
        "EipAddress": {"AllocationId": "", "InternetChargeType": "", "IpAddress": ""},
        "ExpiredTime": billing.NO_EXPIRY if row.expired_at is None else utc_iso(row.expired_at, minutes=True),
        "GPUAmount": 0,
        "GPUSpec": "",
        "HostName": row.host_name,
        "HpcClusterId": "",
        "ImageId": row.image_id,
        "InnerIpAddress": {"IpAddress": []},
        "InstanceChargeType": row.charge_type,
        "InstanceId": row.id,
        "InstanceName": row.instance_name,
        "InstanceNetworkType": "vpc",
        "InstanceType": row.instance_type,
        "InstanceTypeFamily": instance_type.family,
        "InternetChargeType": row.internet_charge_type,
        "InternetMaxBandwidthIn": -1 if row.internet_max_bandwidth_in is None else row.internet_max_bandwidth_in,
        "InternetMaxBandwidthOut": row.internet_max_bandwidth_out,
        "IoOptimized": True,
        "KeyPairName": row.key_pair_name or "",
        "LocalStorageAmount": 0,
        "LocalStorageCapacity": 0,
        "Memory": int(instance_type.memory_gib * 1024),
        "MetadataOptions": metadata_options.described(row.metadata_http_endpoint, row.metadata_http_tokens,
                                                      row.metadata_hop_limit),
        "NetworkInterfaces": {"NetworkInterface": [
            _eni_entry(eni.primary_eni_id(row.id), eni.PRIMARY, row.private_ip, eni.mac_address(row.id)),
            *(_eni_entry(eni_id, eni.SECONDARY, address, eni.mac_address(eni_id))
              for eni_id, address in secondary_enis or ())]},
        "OSName": image[0],
        "OSNameEn": image[1],
        "OSType": row.os_type,
        "OperationLocks": {"LockReason": [{"LockReason": reason, "LockMsg": rules.LOCK_MESSAGES[reason]}
                                          for reason in locks]},
        "PublicIpAddress": {"IpAddress": [row.public_ip] if row.public_ip else []},
        "Recyclable": False,
        "RegionId": row.region_id,
        "ResourceGroupId": row.resource_group_id,
        "SecurityGroupIds": {"SecurityGroupId": list(row.security_group_ids)},
        "SerialNumber": rules.serial_number(row.id),
        "SpotStrategy": row.spot_strategy,
        "StartTime": utc_iso(row.start_time, minutes=True),
        "Status": row.status,
        "StoppedMode": row.stopped_mode,
        "Tags": tags_out(tags),
        "VpcAttributes": {"NatIpAddress": "", "PrivateIpAddress": {"IpAddress": [row.private_ip]},
                          "VSwitchId": row.vswitch_id, "VpcId": row.vpc_id},
        "ZoneId": row.zone_id,
    }


def describe_instance_status(ctx: CallContext, args: Args) -> dict[str, Any]:
    if args["ZoneId"] is not None and args["ZoneId"] not in {z.zone_id for z in REGIONS_BY_ID[args["RegionId"]].zones}:
        raise errors.ZONE_NOT_FOUND()
    conditions = instance_store.listing_filters(zone_id=args["ZoneId"])
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=args["InstanceId"], where=conditions)
    return {"InstanceStatuses": {"InstanceStatus": [{"InstanceId": r.id, "Status": r.status} for r in rows]},
            **paging}


# --- declarations --------------------------------------------------------------------------

def _json_ids(name: str, what: str) -> Param:
    return Param(name, kind=Kind.JSON_ARRAY, max_items=100, description=f"JSON array of {what}, at most 100.")


ACTIONS = (
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
                   errors.DRY_RUN_OPERATION, errors.INSTANCE_EXPIRED_OR_IN_ARREARS)),
    Action("RebootInstance", FAMILY, "Restarts a Running instance (Starting, then Running).",
           params=(INSTANCE_ID, Param("ForceStop", type=Type.BOOLEAN, default=False, description="Power off first."),
                   DRY_RUN),
           handler=reboot_instance,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INCORRECT_INSTANCE_STATUS, errors.INSTANCE_LOCKED_FOR_SECURITY,
                   errors.DRY_RUN_OPERATION, errors.INSTANCE_EXPIRED_OR_IN_ARREARS)),
    Action("DeleteInstance", FAMILY, "Releases an instance; its disks go or stay per DeleteWithInstance.",
           params=(INSTANCE_ID,
                   Param("Force", type=Type.BOOLEAN, default=False, description="Release a running instance too."),
                   Param("ForceStop", type=Type.BOOLEAN, default=True, description="With Force: power off."),
                   Param("TerminateSubscription", type=Type.BOOLEAN, default=False,
                         description="Release a subscription instance."), DRY_RUN),
           handler=delete_instance,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INCORRECT_INSTANCE_STATUS, errors.INSTANCE_INITIALIZING,
                   errors.DELETION_PROTECTION, errors.CHARGE_TYPE_VIOLATION, errors.DRY_RUN_OPERATION)),
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
                   errors.CHARGE_TYPE_VIOLATION, errors.INSTANCE_EXPIRED_OR_IN_ARREARS)),
    Action("DescribeInstances", FAMILY, "Lists instances, with filters and either paging style.",
           params=(REGION_ID, _json_ids("InstanceIds", "instance IDs"),
                   Param("InstanceName", description="Name; * is a wildcard."),
                   Param("Status", enum=INSTANCE.statuses,
                         invalid=errors.STATUS_FILTER_NOT_FOUND,
                         description="Status."),
                   Param("ZoneId", description="Zone."), Param("VpcId", description="VPC."),
                   Param("VSwitchId", description="vSwitch."), Param("SecurityGroupId", description="Security group."),
                   Param("InstanceType", description="Instance type."),
                   Param("InstanceTypeFamily", description="Instance type family."),
                   Param("ImageId", description="Image."), Param("KeyPairName", description="Key pair."),
                   _json_ids("PrivateIpAddresses", "private IPs"), _json_ids("PublicIpAddresses", "public IPs"),
                   _json_ids("EipAddresses", "EIPs (no instance here has one)"),
                   _json_ids("InnerIpAddresses", "classic-network IPs (no instance here has one)"),
                   _json_ids("RdmaIpAddresses", "RDMA IPs (no instance here has one)"),
                   Param("Ipv6Address", kind=Kind.LIST, max_items=100,
                         description="IPv6 addresses (no instance here has one)."),
                   Param("HpcClusterId", description="HPC cluster (no instance here is in one)."),
                   Param("InstanceNetworkType", enum=("vpc", "classic"), invalid=errors.NETWORK_TYPE_FILTER,
                         description="vpc (every instance here) or classic."),
                   Param("IoOptimized", type=Type.BOOLEAN, description="I/O optimized (every instance here)."),
                   Param("HttpEndpoint", enum=metadata_options.ENDPOINTS, description="Metadata access."),
                   Param("HttpTokens", enum=metadata_options.TOKENS, description="Metadata tokens."),
                   Param("HttpPutResponseHopLimit", type=Type.INTEGER, description="Metadata hop limit."),
                   Param("DeviceAvailable", type=Type.BOOLEAN, description="A device can be attached (every "
                                                                            "instance here)."),
                   FILTER,
                   Param("InstanceChargeType", enum=("PostPaid", "PrePaid"),
                         invalid=errors.INSTANCE_CHARGE_TYPE_NOT_FOUND,
                         description="Billing method."),
                   Param("InternetChargeType", enum=("PayByBandwidth", "PayByTraffic"),
                         invalid=errors.INTERNET_CHARGE_TYPE_FILTER,
                         description="Bandwidth billing."),
                   Param("LockReason",
                         enum=("financial", "security", "Recycling", "dedicatedhostfinancial", "refunded"),
                         invalid=errors.LOCK_REASON_NOT_FOUND,
                         description="Lock reason."),
                   RESOURCE_GROUP_FILTER, TAG, PAGE_NUMBER, page_size(100), NEXT_TOKEN, max_results(100), DRY_RUN),
           handler=describe_instances,
           raises=(errors.INVALID_PARAMETER, *FILTER_RAISES, errors.DRY_RUN_OPERATION)),
    Action("DescribeInstanceStatus", FAMILY, "Lists the status of every instance of a region.",
           params=(REGION_ID, Param("ZoneId", description="Zone."),
                   Param("InstanceId", kind=Kind.LIST, max_items=100, description="Instances, at most 100."),
                   PAGE_NUMBER, page_size(50)),
           handler=describe_instance_status, raises=(errors.ZONE_NOT_FOUND, errors.INVALID_PARAMETER)),
)
