"""ReInitDisk's preconditions, in their order, over plain values (docs/reinitdisk.md).

The handler gathers the facts (rows it has locked, what the store says) and asks
``first_error``; the first condition that fails decides the answer. Parameter checks
(step 1) are the declaration's, before the handler runs; the compare-and-swap (step 10)
is the handler's, after this passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import errors
from . import instances as instance_rules
from . import passwords
from .snapshots import Purpose, SnapshotState, unusable


@dataclass(frozen=True)
class DiskFacts:
    status: str
    system: bool                          # the instance's system disk (made so, or attached Bootable)
    source_image_id: str | None = None    # the image it was made from (system disks made with an instance)
    source_snapshot_id: str | None = None


@dataclass(frozen=True)
class InstanceFacts:
    status: str = "Stopped"
    locks: tuple[str, ...] = ()           # "security", "financial"
    ever_started: bool = True
    windows: bool = False


@dataclass(frozen=True)
class ImageFacts:
    public: bool = True


@dataclass(frozen=True)
class Credentials:
    """What the call asks for (system disks only)."""
    password: str | None = None
    key_pair_name: str | None = None
    key_pair_exists: bool = False         # in the account and the instance's region
    security_enhancement: str = "Deactive"


@dataclass(frozen=True)
class ReInitFacts:
    disk: DiskFacts | None                # None: no such disk in the account
    instance: InstanceFacts | None = None  # the disk's instance (In_use disks have one)
    snapshot_in_progress: bool = False    # a snapshot of this disk still progressing
    image: ImageFacts | None = None       # the source image of a system disk; None if gone
    source_snapshot: SnapshotState | None = None  # disks made from a snapshot: that snapshot's state
    credentials: Credentials = Credentials()


def first_error(facts: ReInitFacts) -> errors.EcsError | None:
    """The answer of the first precondition that fails (steps 2-9), or None."""
    disk = facts.disk
    if disk is None:                                                    # 2
        return errors.DISK_NOT_FOUND()
    if disk.status != "In_use":                                         # 3
        return errors.INCORRECT_DISK_STATUS()
    instance = facts.instance
    assert instance is not None, "an In_use disk has an instance"
    if "security" in instance.locks:                                    # 4
        return errors.INSTANCE_LOCKED_FOR_SECURITY_DISK()
    if "financial" in instance.locks:
        return errors.INSTANCE_EXPIRED_OR_IN_ARREARS()
    if instance.status not in instance_rules.REINITIALISABLE:          # 5
        return errors.INCORRECT_INSTANCE_STATUS()
    if not instance.ever_started:  # CreateInstance and never StartInstance: docs/decisions.md    6
        return errors.INCORRECT_INSTANCE_STATUS()
    if facts.snapshot_in_progress:                                      # 7
        return errors.DISK_CREATING_SNAPSHOT()
    if disk.system:                                                     # 8
        if not disk.source_image_id:  # a data disk attached with Bootable=true: no image to go back to
            return errors.IMAGE_NOT_FOUND()
        if facts.image is None:
            return errors.REINIT_IMAGE_DELETED()
    elif disk.source_snapshot_id:
        error = unusable(Purpose.REINIT_DISK, facts.source_snapshot or SnapshotState.gone())
        if error is not None:
            return error()
    if disk.system:                                                     # 9
        return _credentials_error(facts.credentials, instance, facts.image)
    return None


def _credentials_error(asked: Credentials, instance: InstanceFacts, image: ImageFacts | None) -> errors.EcsError | None:
    if asked.password is not None and not passwords.is_valid(asked.password, windows=instance.windows):
        return errors.INVALID_PASSWORD()
    if asked.key_pair_name:
        if instance.windows:
            return errors.KEY_PAIR_WINDOWS()
        if not asked.key_pair_exists:
            return errors.REINIT_KEY_PAIR_NOT_FOUND()
    if asked.security_enhancement == "Active" and image is not None and not image.public:
        return errors.INVALID_PARAMETER(name="SecurityEnhancementStrategy")
    return None
