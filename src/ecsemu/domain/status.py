"""Status machines of ECS resources, written once, as data.

Each machine lists the statuses a resource can be in and the moves between them. Every
status change in the emulator names a move of its machine, so a move that is not listed
here cannot happen; the transition table is also what docs/ draw the diagrams from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StatusMachine:
    resource: str
    statuses: tuple[str, ...]
    moves: frozenset[tuple[str, str]]

    def check(self, current: str, target: str) -> None:
        if (current, target) not in self.moves:
            raise ValueError(f"{self.resource}: no move from {current} to {target}")


def _machine(resource: str, moves: list[tuple[str, str]]) -> StatusMachine:
    statuses = tuple(dict.fromkeys(s for move in moves for s in move))
    return StatusMachine(resource, statuses, frozenset(moves))


# C1: RunInstances: Pending -> Starting -> Running; CreateInstance: Pending -> Stopped.
# RebootInstance: Running -> Starting -> Running.
INSTANCE = _machine("instance", [
    ("Pending", "Starting"), ("Pending", "Stopped"),
    ("Starting", "Running"),
    ("Running", "Stopping"), ("Running", "Starting"),
    ("Stopping", "Stopped"),
    ("Stopped", "Starting"),
])

# C2: CreateDisk: Creating -> Available; attach, detach, re-initialise and their way back.
# A disk made with its instance (RunInstances) starts In_use.
DISK = _machine("disk", [
    ("Creating", "Available"),
    ("Available", "Attaching"), ("Attaching", "In_use"),
    ("In_use", "Detaching"), ("Detaching", "Available"),
    ("In_use", "ReIniting"), ("ReIniting", "In_use"),
])

# C3
SNAPSHOT = _machine("snapshot", [("progressing", "accomplished"), ("progressing", "failed")])

# C4
IMAGE = _machine("image", [("Creating", "Available"), ("Creating", "CreateFailed")])

MACHINES = {m.resource: m for m in (INSTANCE, DISK, SNAPSHOT, IMAGE)}
