"""The ECS actions the emulator answers, one declaration each."""

from __future__ import annotations

from . import (
    disk_attributes,
    disk_resets,
    disks,
    image_attributes,
    images,
    instances,
    keypairs,
    launch,
    regions,
    security_groups,
    snapshot_attributes,
    snapshots,
)
from .declaration import Action

API_VERSION = "2014-05-26"


def all_actions() -> dict[str, Action]:
    """Every declared action by name; a fresh mapping per emulator."""
    declared = [*regions.ACTIONS, *launch.ACTIONS, *instances.ACTIONS, *disks.ACTIONS, *disk_resets.ACTIONS,
                *disk_attributes.ACTIONS, *snapshots.ACTIONS, *snapshot_attributes.ACTIONS, *images.ACTIONS,
                *image_attributes.ACTIONS, *keypairs.ACTIONS, *security_groups.ACTIONS]
    return {action.name: action for action in declared}
