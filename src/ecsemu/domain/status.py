"""Status machines of ECS resources, written once, as data.

Each machine lists the statuses the API names for a resource (in the API reference's order:
the status filters of the Describe actions are these) and the moves between them. A status
changes only by a move of its machine (compare-and-swap, store/rows.move, or a timed one,
scheduler.chain), so a move that is not listed here cannot happen. A move the scheduler
makes names the ``timing.Delays`` field it waits; one an action makes at once names none.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..timing import Delays

_DELAY_NAMES = frozenset(f.name for f in dataclasses.fields(Delays))


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    delay: str = ""   # the Delays field it waits when scheduled; "": none (an action's own move)

    def seconds(self, delays: Delays) -> float:
        return getattr(delays, self.delay) if self.delay else 0.0


@dataclass(frozen=True)
class StatusMachine:
    resource: str
    statuses: tuple[str, ...]
    moves: tuple[Move, ...]

    def __post_init__(self) -> None:
        for move in self.moves:
            if {move.source, move.target} - set(self.statuses) or move.delay not in _DELAY_NAMES | {""}:
                raise ValueError(f"{self.resource}: {move} names an unknown status or delay")

    def check(self, current: str, target: str) -> Move:
        """The declared move from ``current`` to ``target``; ValueError if there is none."""
        for move in self.moves:
            if (move.source, move.target) == (current, target):
                return move
        raise ValueError(f"{self.resource}: no move from {current} to {target}")


# C1: RunInstances: Pending -> Starting -> Running; CreateInstance: Pending -> Stopped.
INSTANCE = StatusMachine("instance", ("Pending", "Running", "Starting", "Stopping", "Stopped"), (
    Move("Pending", "Starting", "instance_pending"), Move("Pending", "Stopped", "instance_pending"),
    Move("Starting", "Running", "instance_starting"),
    Move("Running", "Stopping"),                                   # StopInstance
    Move("Running", "Starting"),                                   # RebootInstance
    Move("Stopping", "Stopped", "instance_stopping"),
    Move("Stopped", "Starting"),                                   # StartInstance, ReInitDisk's AutoStartInstance
))

# C2: CreateDisk: Creating -> Available (-> Attaching -> In_use with InstanceId); attach,
# detach, re-initialise and their way back. A disk made with its instance starts In_use;
# ReplaceSystemDisk's new disk starts ReIniting. ModifyDiskSpec: Modifying while the data
# moves to the new category or level, then back to where it was.
DISK = StatusMachine("disk", ("In_use", "Available", "Attaching", "Detaching", "Creating", "ReIniting",
                              "Modifying"), (
    Move("Creating", "Available", "disk_creating"),
    Move("Available", "Attaching"),                                # AttachDisk; CreateDisk with InstanceId
    Move("Attaching", "In_use", "disk_attaching"),
    Move("In_use", "Detaching"),                                   # DetachDisk
    Move("Detaching", "Available", "disk_detaching"),
    Move("In_use", "ReIniting"),                                   # ReInitDisk, ResetDisk
    Move("ReIniting", "In_use", "disk_reiniting"),
    Move("In_use", "Modifying"), Move("Available", "Modifying"),   # ModifyDiskSpec
    Move("Modifying", "In_use", "disk_modifying"), Move("Modifying", "Available", "disk_modifying"),
    # DeleteInstance: a disk that outlives its instance is detached at once, whatever it was doing.
    Move("Attaching", "Available"), Move("In_use", "Available"), Move("ReIniting", "Available"),
    # (and Modifying -> Available, declared above: its change of spec is dropped, the old one stays)
))

# C3: nothing here fails a snapshot; the API names the status.
SNAPSHOT = StatusMachine("snapshot", ("progressing", "accomplished", "failed"), (
    Move("progressing", "accomplished", "snapshot"), Move("progressing", "failed"),
))

# C4: images are Creating, then Available (or Available at once: the control plane's import);
# ModifyImageAttribute deprecates an Available image and restores a Deprecated one. The API
# names statuses this emulator never enters (Waiting, UnAvailable): DescribeImages accepts
# them as filters.
IMAGE = StatusMachine("image", ("Creating", "Waiting", "Available", "UnAvailable", "CreateFailed", "Deprecated"), (
    Move("Creating", "Available", "image"), Move("Creating", "CreateFailed"),
    Move("Available", "Deprecated"), Move("Deprecated", "Available"),     # ModifyImageAttribute
))

# ImportImage's and ExportImage's tasks (DescribeTasks): Processing while the work takes the
# image delay, then Finished; the API's Failed is a status nothing here enters.
TASK = StatusMachine("task", ("Processing", "Finished", "Failed"), (
    Move("Processing", "Finished", "image"), Move("Processing", "Failed"),
))

# Secondary elastic network interfaces: made Available; AttachNetworkInterface and
# DetachNetworkInterface take them through Attaching and Detaching. The API names Deleting
# too (DeleteNetworkInterface removes one at once here): DescribeNetworkInterfaces accepts
# it as a filter.
ENI = StatusMachine("eni", ("Available", "Attaching", "InUse", "Detaching", "Deleting"), (
    Move("Available", "Attaching"),                                # AttachNetworkInterface
    Move("Attaching", "InUse", "eni_attaching"),
    Move("InUse", "Detaching"),                                    # DetachNetworkInterface
    Move("Detaching", "Available", "eni_detaching"),
    # DeleteInstance: its secondary ENIs are detached at once, whatever they were doing.
    Move("Attaching", "Available"), Move("InUse", "Available"),
))

# VPCs (the VPC product): CreateVpc's are Pending while the vRouter and route table are made,
# then Available; the default VPC ECS makes is Available at once. DeleteVpc removes one at once.
VPC = StatusMachine("vpc", ("Pending", "Available"), (
    Move("Pending", "Available", "vpc_pending"),
))

# vSwitches: CreateVSwitch's are Pending while they are configured, then Available; the
# default vSwitches ECS makes are Available at once. DeleteVSwitch removes one at once.
VSWITCH = StatusMachine("vswitch", ("Pending", "Available"), (
    Move("Pending", "Available", "vswitch_pending"),
))

# The statuses ModifyImageAttribute's Status moves an image between.
IMAGE_SETTABLE = ("Available", "Deprecated")

MACHINES = {m.resource: m for m in (INSTANCE, DISK, SNAPSHOT, IMAGE, TASK, ENI, VPC, VSWITCH)}
