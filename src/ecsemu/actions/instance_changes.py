"""Changes the tools make to an instance after it is made: its type and bandwidth
(ModifyInstanceSpec, pay-as-you-go; ModifyPrepayInstanceSpec, subscription), its billing
method (ModifyInstanceChargeType) and a public IP (AllocatePublicIpAddress). Each change is
read back by DescribeInstances; none changes the instance's disks or status (but
RebootWhenFinished, which restarts it as RebootInstance does)."""

from __future__ import annotations

import ipaddress
from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..catalog.instance_types import INSTANCE_TYPES_BY_ID, InstanceType, offered_in
from ..domain import billing, specs
from ..domain import instances as rules
from ..store import networks
from ..store.disks import disks_of_instance
from ..store.rows import assign
from ..store.schema import disks, instances
from .common import CLIENT_TOKEN, DRY_RUN, REGION_ID, dry_run_check
from .declaration import Action, Args, CallContext
from .instances import FAMILY, INSTANCE_ID, check_locks, find_instance, start
from .params import Kind, Param, Type

MAX_CHARGE_TYPE_INSTANCES = 20


def _new_type(type_id: str, unknown: errors.ErrorCode, current: str) -> InstanceType:
    """The instance type asked for: one of the catalogue's, and another than ``current``."""
    new = INSTANCE_TYPES_BY_ID.get(type_id)
    if new is None:
        raise unknown()
    if new.type_id == current:
        raise errors.SPEC_TYPE_UNCHANGED()
    return new


# --- ModifyInstanceSpec ----------------------------------------------------------------------

def modify_instance_spec(ctx: CallContext, args: Args) -> dict[str, Any]:
    """The type of a Stopped pay-as-you-go instance, or its bandwidth (Running or Stopped):
    one of the two a call. The disks stay as they are."""
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        check_locks(conn, instance)
        if instance.charge_type != "PostPaid":
            raise errors.CHARGE_TYPE_VIOLATION()
        bandwidth_out, bandwidth_in = args["InternetMaxBandwidthOut"], args["InternetMaxBandwidthIn"]
        bandwidth = bandwidth_out is not None or bandwidth_in is not None
        if args["InstanceType"] is not None and bandwidth:
            raise errors.SPEC_TOO_MANY()
        changes: dict[str, Any] = {}
        if args["InstanceType"] is not None:
            new = _new_type(args["InstanceType"], errors.SPEC_TYPE_UNKNOWN, instance.instance_type)
            if not offered_in(new, instance.zone_id):
                raise errors.TYPE_NOT_SOLD_IN_ZONE()
            if instance.status not in rules.TYPE_CHANGEABLE:
                raise errors.SPEC_NOT_STOPPED()
            changes["instance_type"] = new.type_id
        elif bandwidth:
            changes.update(_bandwidth(instance, bandwidth_out, bandwidth_in))
            if instance.status not in rules.BANDWIDTH_CHANGEABLE:
                raise errors.SPEC_STATUS()
        else:
            raise errors.MISSING_PARAMETER(name="InstanceType")
        dry_run_check(args)
        assign(conn, instances, instance.id, **changes)
    return {}


def _bandwidth(instance: Row, bandwidth_out: int | None, bandwidth_in: int | None) -> dict[str, int]:
    """The bandwidth columns to set; the inbound limit follows the outbound bandwidth."""
    out = instance.internet_max_bandwidth_out if bandwidth_out is None else bandwidth_out
    changes = {"internet_max_bandwidth_out": out}
    if bandwidth_in is not None:
        if not 1 <= bandwidth_in <= specs.bandwidth_in_limit(out):
            raise errors.SPEC_BANDWIDTH()
        changes["internet_max_bandwidth_in"] = bandwidth_in
    return changes


# --- ModifyPrepayInstanceSpec ----------------------------------------------------------------

def modify_prepay_instance_spec(ctx: CallContext, args: Args) -> dict[str, Any]:
    """A subscription instance's type: up while Running or Stopped, down only Stopped and
    at most ``specs.DOWNGRADES_ALLOWED`` times. Unpaid (AutoPay=false), an upgrade's order
    waits and nothing changes."""
    with ctx.emulator.unit_of_work() as conn:
        instance = _in_region(find_instance(conn, ctx, args["InstanceId"], lock=True), args)
        check_locks(conn, instance)
        if instance.charge_type != "PrePaid":
            raise errors.PREPAY_NOT_SUBSCRIPTION()
        new = _new_type(args["InstanceType"], errors.IMAGE_INSTANCE_TYPE_FILTER, instance.instance_type)
        if not offered_in(new, instance.zone_id):
            raise errors.PREPAY_NO_STOCK()
        downgrade = specs.is_downgrade(INSTANCE_TYPES_BY_ID[instance.instance_type], new)
        if args["OperatorType"] is not None and (args["OperatorType"] == "downgrade") != downgrade:
            raise errors.PREPAY_OPERATOR_TYPE()
        if downgrade:
            if instance.status not in rules.TYPE_CHANGEABLE:
                raise errors.PREPAY_NOT_STOPPED()
            if instance.spec_downgrades >= specs.DOWNGRADES_ALLOWED:
                raise errors.PREPAY_DOWNGRADE_QUOTA()
        elif instance.status not in rules.PREPAY_UPGRADABLE:
            raise errors.INCORRECT_INSTANCE_STATUS()
        if downgrade or args["AutoPay"]:
            assign(conn, instances, instance.id, instance_type=new.type_id,
                   spec_downgrades=instance.spec_downgrades + downgrade)
            if args["RebootWhenFinished"] and instance.status == "Running":
                start(conn, ctx, instance.id, "Running")
    return {"OrderId": billing.new_order_id()}


def _in_region(instance: Row, args: Args) -> Row:
    if instance.region_id != args["RegionId"]:
        raise errors.INSTANCE_NOT_FOUND()
    return instance


# --- ModifyInstanceChargeType ----------------------------------------------------------------

def modify_instance_charge_type(ctx: CallContext, args: Args) -> dict[str, Any]:
    """PostPaid <-> PrePaid for up to 20 instances, all or none. PrePaid runs ``Period``
    ``PeriodUnit``s from now (ExpiredTime); the system disk follows the instance, the data
    disks too with IncludeDataDisks. Unpaid (AutoPay=false), a move to PrePaid waits for its
    order and nothing changes."""
    wanted = list(dict.fromkeys(args["InstanceIds"]))
    if not wanted:
        raise errors.CHARGE_TYPE_IDS_INVALID()
    if len(wanted) > MAX_CHARGE_TYPE_INSTANCES:
        raise errors.CHARGE_TYPE_TOO_MANY()
    target = args["InstanceChargeType"]
    expires: float | None = None
    if target == "PrePaid":
        expires = billing.subscription_end(ctx.now(), args["Period"], args["PeriodUnit"])
    with ctx.emulator.unit_of_work() as conn:
        found = [_in_region(find_instance(conn, ctx, instance_id, lock=True), args) for instance_id in sorted(wanted)]
        for instance in found:
            check_locks(conn, instance)
            if instance.status not in rules.CHARGE_TYPE_CHANGEABLE:
                raise errors.CHARGE_TYPE_STATUS()
            if instance.charge_type == target:
                raise errors.CHARGE_TYPE_UNCHANGED()
        dry_run_check(args)
        if target == "PostPaid" or args["AutoPay"]:
            for instance in found:
                assign(conn, instances, instance.id, charge_type=target, expired_at=expires)
                _disks_follow(conn, instance, target, data_disks=args["IncludeDataDisks"])
    fees = [{"InstanceId": instance_id, "Fee": "0", "Currency": "CNY"} for instance_id in wanted]
    return {"OrderId": billing.new_order_id(), "FeeOfInstances": {"FeeOfInstance": fees if args["IsDetailFee"] else []}}


def _disks_follow(conn: Connection, instance: Row, charge_type: str, *, data_disks: bool) -> None:
    for disk in disks_of_instance(conn, instance.id):
        if disk.disk_type == "system" or data_disks:
            assign(conn, disks, disk.id, charge_type=charge_type)


# --- AllocatePublicIpAddress -----------------------------------------------------------------

def allocate_public_ip_address(ctx: CallContext, args: Args) -> dict[str, Any]:
    """One public IP for an instance with outbound bandwidth, Running or Stopped."""
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        check_locks(conn, instance)
        if instance.status not in rules.PUBLIC_IP_ALLOCATABLE:
            raise errors.INCORRECT_INSTANCE_STATUS()
        if instance.public_ip:
            raise errors.PUBLIC_IP_ALLOCATED_ALREADY()
        if instance.internet_max_bandwidth_out <= 0:
            raise errors.PUBLIC_IP_NO_BANDWIDTH()
        ip = args["IpAddress"]
        if ip is None:
            ip = networks.new_public_ip(conn)
        elif not _public_address(ip):
            raise errors.PUBLIC_IP_MALFORMED()
        elif networks.public_ip_taken(conn, ip):
            raise errors.PUBLIC_IP_IN_USE()
        assign(conn, instances, instance.id, public_ip=ip)
    return {"IpAddress": ip}


def _public_address(text: str) -> bool:
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return address.is_global


# --- declarations --------------------------------------------------------------------------

ACTIONS = (
    Action("ModifyInstanceSpec", FAMILY, "Changes a pay-as-you-go instance's type (Stopped) or its public "
                                         "bandwidth (Running or Stopped), one of the two a call; disks stay.",
           params=(INSTANCE_ID,
                   Param("InstanceType", description="The new instance type."),
                   Param("InternetMaxBandwidthOut", type=Type.INTEGER, minimum=0, maximum=specs.MAX_BANDWIDTH_OUT,
                         invalid=errors.SPEC_BANDWIDTH_OUT, description="Outbound bandwidth, 0-100 Mbit/s."),
                   Param("InternetMaxBandwidthIn", type=Type.INTEGER, invalid=errors.SPEC_BANDWIDTH,
                         description="Inbound bandwidth, 1 to max(10, outbound) Mbit/s."),
                   Param("AllowMigrateAcrossZone", type=Type.BOOLEAN, default=False,
                         description="Allow a move to another cluster (never needed here)."),
                   Param("Async", type=Type.BOOLEAN, default=False, description="Answer before the change is made "
                                                                                "(it is made at once either way)."),
                   CLIENT_TOKEN, DRY_RUN),
           handler=modify_instance_spec,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INSTANCE_LOCKED_FOR_SECURITY,
                   errors.INSTANCE_EXPIRED_OR_IN_ARREARS, errors.CHARGE_TYPE_VIOLATION, errors.SPEC_TOO_MANY,
                   errors.SPEC_TYPE_UNKNOWN, errors.SPEC_TYPE_UNCHANGED, errors.TYPE_NOT_SOLD_IN_ZONE,
                   errors.SPEC_NOT_STOPPED, errors.SPEC_BANDWIDTH, errors.SPEC_STATUS, errors.MISSING_PARAMETER,
                   errors.DRY_RUN_OPERATION)),
    Action("ModifyPrepayInstanceSpec", FAMILY, "Changes a subscription instance's type: up (Running or Stopped) "
                                               "or down (Stopped, three times at most).",
           params=(REGION_ID, INSTANCE_ID,
                   Param("InstanceType", required=True, description="The new instance type."),
                   Param("OperatorType", enum=("upgrade", "downgrade"), invalid=errors.PREPAY_OPERATOR_TYPE,
                         description="upgrade or downgrade; absent: told from the types."),
                   Param("AutoPay", type=Type.BOOLEAN, default=True,
                         description="Pay an upgrade's order at once; false: the order waits, nothing changes."),
                   Param("RebootWhenFinished", type=Type.BOOLEAN, default=False,
                         description="Restart a Running instance once changed."),
                   Param("MigrateAcrossZone", type=Type.BOOLEAN, default=False,
                         description="Allow a move to another cluster (never needed here)."),
                   CLIENT_TOKEN),
           handler=modify_prepay_instance_spec,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INSTANCE_LOCKED_FOR_SECURITY,
                   errors.INSTANCE_EXPIRED_OR_IN_ARREARS, errors.PREPAY_NOT_SUBSCRIPTION,
                   errors.IMAGE_INSTANCE_TYPE_FILTER, errors.SPEC_TYPE_UNCHANGED, errors.PREPAY_NO_STOCK,
                   errors.PREPAY_OPERATOR_TYPE,
                   errors.PREPAY_NOT_STOPPED, errors.PREPAY_DOWNGRADE_QUOTA, errors.INCORRECT_INSTANCE_STATUS)),
    Action("ModifyInstanceChargeType", FAMILY, "Moves up to 20 instances between pay-as-you-go and subscription, "
                                               "all or none.",
           params=(REGION_ID,
                   Param("InstanceIds", kind=Kind.JSON_ARRAY, required=True, invalid=errors.CHARGE_TYPE_IDS_INVALID,
                         description="JSON array of instance IDs, at most 20."),
                   Param("InstanceChargeType", enum=("PrePaid", "PostPaid"), default="PrePaid",
                         invalid=errors.INSTANCE_CHARGE_TYPE_NOT_FOUND, description="The new billing method."),
                   Param("Period", type=Type.INTEGER, invalid=errors.INVALID_PERIOD,
                         description="Subscription length in PeriodUnits, default 1."),
                   Param("PeriodUnit", enum=tuple(billing.PERIODS), default="Month",
                         invalid=errors.PERIOD_UNIT_MISMATCH, description="Week, Month or Year."),
                   Param("AutoPay", type=Type.BOOLEAN, default=True,
                         description="Pay at once; false: the order waits, nothing changes."),
                   Param("IncludeDataDisks", type=Type.BOOLEAN, default=False,
                         description="The data disks' billing follows too."),
                   Param("IsDetailFee", type=Type.BOOLEAN, default=False, description="Answer each instance's fee."),
                   CLIENT_TOKEN, DRY_RUN),
           handler=modify_instance_charge_type,
           raises=(errors.CHARGE_TYPE_IDS_INVALID, errors.CHARGE_TYPE_TOO_MANY, errors.INVALID_PERIOD,
                   errors.PERIOD_UNIT_MISMATCH, errors.INSTANCE_NOT_FOUND, errors.INSTANCE_LOCKED_FOR_SECURITY,
                   errors.INSTANCE_EXPIRED_OR_IN_ARREARS, errors.CHARGE_TYPE_STATUS, errors.CHARGE_TYPE_UNCHANGED,
                   errors.DRY_RUN_OPERATION)),
    Action("AllocatePublicIpAddress", FAMILY, "Gives an instance with outbound bandwidth a public IP.",
           params=(INSTANCE_ID,
                   Param("IpAddress", description="The address to take; default: one at random."),
                   Param("VlanId", description="Deprecated (classic network); accepted.")),
           handler=allocate_public_ip_address,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INSTANCE_LOCKED_FOR_SECURITY,
                   errors.INSTANCE_EXPIRED_OR_IN_ARREARS, errors.INCORRECT_INSTANCE_STATUS,
                   errors.PUBLIC_IP_ALLOCATED_ALREADY, errors.PUBLIC_IP_NO_BANDWIDTH, errors.PUBLIC_IP_MALFORMED,
                   errors.PUBLIC_IP_IN_USE)),
)
