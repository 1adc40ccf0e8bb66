"""Putting a disk back: ReInitDisk (to how it was made), ResetDisk (to one of its own
snapshots), ReplaceSystemDisk (a new system disk from an image).

ReInitDisk checks its conditions in a fixed order, one condition one answer; the order
and the disk and instance states are in docs/reinitdisk.md.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..domain import disks as disk_rules
from ..domain import images as image_rules
from ..domain import instances as instance_rules
from ..domain import reinit as reinit_rules
from ..domain.ids import new_id
from ..domain.instance_events import Happening
from ..domain.snapshots import Purpose, SnapshotState, check_usable, gone_error
from ..domain.status import DISK
from ..store import instance_events
from ..store import locks as lock_store
from ..store.disks import system_disk_of
from ..store.images import ImageInfo, find_image
from ..store.keypairs import find_key_pair
from ..store.rows import add, assign, find, move
from ..store.schema import disks, instances, snapshots
from ..store.snapshots import layer_of, release_reason, snapshot_in_progress
from .common import CLIENT_TOKEN, DRY_RUN, dry_run_check, hashed_beforehand
from .declaration import Action, Args, CallContext
from .disks import DISK_ID, find_disk
from .instances import check_locks, find_instance, start
from .launch import check_password_inherit, credential_changes, system_disk_spec
from .params import Kind, Param, Type

FAMILY = "Disks"

PASSWORD = Param("Password", description="New logon password (system disks); send it over HTTPS.")
KEY_PAIR_NAME = Param("KeyPairName", description="Key pair to bind (Linux system disks); replaces the bound one.")
SECURITY_ENHANCEMENT = Param("SecurityEnhancementStrategy", enum=("Active", "Deactive"), default="Deactive",
                             description="Active: security hardening (public images only).")


# --- ReInitDisk ------------------------------------------------------------------------------

def reinit_disk(ctx: CallContext, args: Args) -> dict[str, Any]:
    password_hash = hashed_beforehand(ctx, args["Password"])
    with ctx.emulator.unit_of_work() as conn:
        disk = find(conn, disks, ctx.account_id, args["DiskId"], lock=True)
        instance = (find(conn, instances, ctx.account_id, disk.instance_id, lock=True)
                    if disk is not None and disk.status == "In_use" and disk.instance_id else None)
        facts, image = _reinit_facts(conn, ctx, args, disk, instance)
        error = reinit_rules.first_error(facts)
        if error is not None:
            raise error
        assert disk is not None and instance is not None
        credentials = _credentials(conn, ctx, instance, args, password_hash) if disk.disk_type == "system" else {}

        if not move(conn, disks, DISK, disk.id, "In_use", "ReIniting"):
            raise errors.INCORRECT_DISK_STATUS()
        ctx.emulator.data.reset(conn, disk, _initial_layer(conn, ctx, disk, image))
        if credentials:
            assign(conn, instances, instance.id, **credentials)
        ctx.emulator.scheduler.chain(conn, DISK, disk.id, ("ReIniting", "In_use"))
        instance_events.record(conn, instance.id, Happening.REINIT, ctx.now(), ctx.emulator.delays, disk_id=disk.id)
        if args["AutoStartInstance"]:  # once the disk is In_use again
            start(conn, ctx, instance.id, "Stopped", after=ctx.emulator.delays.disk_reiniting)
    return {}


def _reinit_facts(conn: Connection, ctx: CallContext, args: Args, disk: Row | None,
                  instance: Row | None) -> tuple[reinit_rules.ReInitFacts, ImageInfo | None]:
    """What ReInitDisk's rule (domain/reinit.py) decides on, read from the store; and the
    disk's source image, if it is a system disk whose image is still there."""
    if disk is None or disk.status != "In_use" or instance is None:
        return reinit_rules.ReInitFacts(None if disk is None else _disk_facts(disk)), None
    system = disk.disk_type == "system"
    image = (find_image(conn, ctx.account_id, disk.region_id, disk.source_image_id)
             if system and disk.source_image_id else None)
    source_snapshot = None
    if not system and disk.source_snapshot_id:
        row = find(conn, snapshots, ctx.account_id, disk.source_snapshot_id)
        source_snapshot = SnapshotState.of(row, release_reason(conn, disk.source_snapshot_id) if row is None else None)
    key_pair_name = args["KeyPairName"]
    credentials = reinit_rules.Credentials(
        password=args["Password"], key_pair_name=key_pair_name,
        key_pair_exists=bool(system and key_pair_name and
                             find_key_pair(conn, ctx.account_id, instance.region_id, key_pair_name) is not None),
        security_enhancement=args["SecurityEnhancementStrategy"])
    return reinit_rules.ReInitFacts(
        disk=_disk_facts(disk),
        instance=reinit_rules.InstanceFacts(
            status=instance.status, locks=tuple(lock_store.locks_of(conn, [instance.id]).get(instance.id, [])),
            ever_started=instance.start_time is not None, windows=instance.os_type == "windows"),
        snapshot_in_progress=snapshot_in_progress(conn, disk.id),
        image=None if image is None else reinit_rules.ImageFacts(public=image.public),
        source_snapshot=source_snapshot, credentials=credentials), image


def _disk_facts(disk: Row) -> reinit_rules.DiskFacts:
    return reinit_rules.DiskFacts(status=disk.status, system=disk.disk_type == "system",
                                  source_image_id=disk.source_image_id, source_snapshot_id=disk.source_snapshot_id)


def _initial_layer(conn: Connection, ctx: CallContext, disk: Row, image: ImageInfo | None) -> str | None:
    """The bytes the disk started from: its image's, its snapshot's, or none (zeros)."""
    if image is not None:
        return ctx.emulator.data.image_layer(conn, image)
    if disk.source_snapshot_id:
        return layer_of(conn, disk.source_snapshot_id)
    return None


def _credentials(conn: Connection, ctx: CallContext, instance: Row, args: Args,
                 password_hash: str | None) -> dict[str, Any]:
    """The instance columns a new password or key pair changes (already checked by the
    rule). Without either, the instance keeps the ones it has (docs/decisions.md)."""
    return credential_changes(conn, ctx.account_id, instance.region_id, windows=instance.os_type == "windows",
                              password=args["Password"], password_hash=password_hash,
                              key_pair_name=args["KeyPairName"], key_pair_missing=errors.REINIT_KEY_PAIR_NOT_FOUND)


def _check_security_enhancement(args: Args, image: ImageInfo | None) -> None:
    """Active hardening exists for public images only."""
    if args["SecurityEnhancementStrategy"] == "Active" and image is not None and not image.public:
        raise errors.INVALID_PARAMETER(name="SecurityEnhancementStrategy")


# --- ResetDisk -------------------------------------------------------------------------------

def reset_disk(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        disk = find_disk(conn, ctx, args["DiskId"], lock=True)
        snapshot = find(conn, snapshots, ctx.account_id, args["SnapshotId"])
        if snapshot is None:
            raise gone_error(Purpose.RESET_DISK)()
        if disk.status != "In_use":
            raise errors.INCORRECT_DISK_STATUS()
        instance = find_instance(conn, ctx, disk.instance_id, lock=True)
        check_locks(conn, instance, errors.INSTANCE_LOCKED_FOR_SECURITY_DISK)
        if instance.status not in instance_rules.REINITIALISABLE:
            raise errors.INCORRECT_INSTANCE_STATUS()
        # A copy in another region (CopySnapshot) names the disk too, but never rolls it back.
        if snapshot.source_disk_id != disk.id or snapshot.region_id != disk.region_id:
            raise errors.RESET_SNAPSHOT_MISMATCH()
        check_usable(Purpose.RESET_DISK, SnapshotState.of(snapshot))
        dry_run_check(args)
        # The API names no status for a disk being reset; ReIniting is the one its content
        # is rewritten in (docs/decisions.md).
        if not move(conn, disks, DISK, disk.id, "In_use", "ReIniting"):
            raise errors.INCORRECT_DISK_STATUS()
        ctx.emulator.data.reset(conn, disk, snapshot.layer_id)
        ctx.emulator.scheduler.chain(conn, DISK, disk.id, ("ReIniting", "In_use"))
        instance_events.record(conn, instance.id, Happening.RESET, ctx.now(), ctx.emulator.delays, disk_id=disk.id)
    return {}


# --- ReplaceSystemDisk -------------------------------------------------------------------------

def replace_system_disk(ctx: CallContext, args: Args) -> dict[str, Any]:
    password_hash = hashed_beforehand(ctx, args["Password"])
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        check_locks(conn, instance, errors.INSTANCE_LOCKED_FOR_SECURITY_DISK)
        if instance.status not in instance_rules.REINITIALISABLE:
            raise errors.INCORRECT_INSTANCE_STATUS()
        old = system_disk_of(conn, instance.id)
        if old is None:
            raise errors.NO_SYSTEM_DISK()
        image_id = args["ImageId"] or (old.source_image_id if args["DiskId"] else None)
        if not image_id:
            raise errors.REPLACE_IMAGE_MISSING()
        image = find_image(conn, ctx.account_id, instance.region_id, image_id)
        if image is None or image.status not in image_rules.LAUNCHABLE:
            raise errors.IMAGE_NOT_FOUND()
        if old.status != "In_use":
            raise errors.INCORRECT_DISK_STATUS()
        if snapshot_in_progress(conn, old.id):
            raise errors.DISK_CREATING_SNAPSHOT()
        spec = system_disk_spec({"Category": old.category, "PerformanceLevel": old.performance_level,
                             "Size": (args["SystemDisk"] or {}).get("Size")}, image)
        changes: dict[str, Any] = {"image_id": image.image_id, "os_type": image.os_type,
                                   "key_pair_name": None}  # a rebuilt system disk keeps no key pair
        check_password_inherit(args["Password"], args["PasswordInherit"])
        changes.update(credential_changes(
            conn, ctx.account_id, instance.region_id, windows=image.is_windows, password=args["Password"],
            password_hash=password_hash, key_pair_name=args["KeyPairName"],
            key_pair_missing=errors.REINIT_KEY_PAIR_NOT_FOUND))
        _check_security_enhancement(args, image)

        now = ctx.now()
        if not ctx.emulator.data.remove_disk(conn, old, expect="In_use"):
            raise errors.INCORRECT_DISK_STATUS()
        new_disk_id = new_id("d", instance.region_id)
        add(conn, disks, id=new_disk_id, account_id=ctx.account_id, region_id=instance.region_id,
            zone_id=instance.zone_id, created_at=now, status="ReIniting", disk_type="system",
            category=spec["category"], performance_level=spec["performance_level"], size=spec["size"],
            instance_id=instance.id, device=disk_rules.SYSTEM_DEVICE, delete_with_instance=True,
            delete_auto_snapshot=old.delete_auto_snapshot, portable=old.portable, encrypted=args["Encrypted"],
            charge_type=old.charge_type, source_image_id=image.image_id, source_snapshot_id=None,
            disk_name="", description="", attached_at=now, ever_attached=True,
            base_layer_id=ctx.emulator.data.image_layer(conn, image))
        assign(conn, instances, instance.id, **changes)
        ctx.emulator.scheduler.chain(conn, DISK, new_disk_id, ("ReIniting", "In_use"))
        instance_events.record(conn, instance.id, Happening.REPLACE, now, ctx.emulator.delays, disk_id=new_disk_id)
    return {"DiskId": new_disk_id}


ACTIONS = (
    Action("ReInitDisk", FAMILY, "Resets a disk to its initial state: a system disk to its image, an empty data "
                                 "disk to empty, a disk made from a snapshot to that snapshot.",
           params=(DISK_ID, PASSWORD, KEY_PAIR_NAME,
                   Param("AutoStartInstance", type=Type.BOOLEAN, default=False,
                         description="Start the instance when the disk is back In_use."),
                   SECURITY_ENHANCEMENT),
           handler=reinit_disk,
           raises=(errors.DISK_NOT_FOUND, errors.INCORRECT_DISK_STATUS, errors.INSTANCE_LOCKED_FOR_SECURITY_DISK,
                   errors.INSTANCE_EXPIRED_OR_IN_ARREARS, errors.INCORRECT_INSTANCE_STATUS,
                   errors.DISK_CREATING_SNAPSHOT, errors.IMAGE_NOT_FOUND, errors.REINIT_IMAGE_DELETED,
                   errors.REINIT_SNAPSHOT_DELETED, errors.REINIT_SNAPSHOT_RELEASED, errors.REINIT_SNAPSHOT_TOO_OLD,
                   errors.INVALID_PASSWORD, errors.KEY_PAIR_WINDOWS, errors.REINIT_KEY_PAIR_NOT_FOUND,
                   errors.INVALID_PARAMETER)),
    Action("ResetDisk", FAMILY, "Rolls a disk back to one of its own snapshots.",
           params=(DISK_ID, Param("SnapshotId", required=True, description="A snapshot of this disk."), DRY_RUN),
           handler=reset_disk,
           raises=(errors.DISK_NOT_FOUND, errors.SNAPSHOT_NOT_FOUND, errors.INCORRECT_DISK_STATUS,
                   errors.INSTANCE_LOCKED_FOR_SECURITY_DISK, errors.INSTANCE_EXPIRED_OR_IN_ARREARS,
                   errors.INCORRECT_INSTANCE_STATUS, errors.RESET_SNAPSHOT_MISMATCH, errors.SNAPSHOT_ID_NOT_READY,
                   errors.RESET_SNAPSHOT_TOO_OLD, errors.DRY_RUN_OPERATION)),
    Action("ReplaceSystemDisk", FAMILY, "Gives a Stopped instance a new system disk (a new DiskId) from an image; "
                                        "the old one is released.",
           params=(Param("InstanceId", required=True, description="The instance."),
                   Param("ImageId", description="The new image (required in practice)."),
                   Param("DiskId", description="Legacy: re-create from the current image."),
                   Param("SystemDisk", kind=Kind.OBJECT,
                         description="The new system disk.", fields=(
                             Param("Size", type=Type.INTEGER, description="GiB; default max(40, image size)."),)),
                   PASSWORD, Param("PasswordInherit", type=Type.BOOLEAN, default=False,
                                   description="Use the image's preset password."),
                   KEY_PAIR_NAME, SECURITY_ENHANCEMENT,
                   Param("Encrypted", type=Type.BOOLEAN, default=False, description="Encrypted (recorded only)."),
                   CLIENT_TOKEN),
           handler=replace_system_disk,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INCORRECT_INSTANCE_STATUS,
                   errors.INSTANCE_LOCKED_FOR_SECURITY_DISK, errors.INSTANCE_EXPIRED_OR_IN_ARREARS,
                   errors.NO_SYSTEM_DISK, errors.REPLACE_IMAGE_MISSING,
                   errors.IMAGE_NOT_FOUND, errors.INCORRECT_DISK_STATUS, errors.DISK_CREATING_SNAPSHOT,
                   errors.SYSTEM_DISK_LESS_THAN_IMAGE, errors.SYSTEM_DISK_LESS_THAN_MIN,
                   errors.SYSTEM_DISK_MORE_THAN_MAX, errors.PASSWORD_INHERIT_MISMATCH, errors.INVALID_PASSWORD,
                   errors.KEY_PAIR_WINDOWS, errors.REINIT_KEY_PAIR_NOT_FOUND, errors.INVALID_PARAMETER,
                   errors.INVALID_SYSTEM_DISK_CATEGORY)),
)
